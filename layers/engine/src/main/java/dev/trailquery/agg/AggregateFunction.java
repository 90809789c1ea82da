package dev.trailquery.agg;

import java.io.DataInput;
import java.io.IOException;

/** An aggregate with its literal parameters bound ({@code pct(f, 95)} binds 95). */
public interface AggregateFunction {
  /** Canonical name, e.g. {@code count_distinct}. */
  String name();

  /** A fresh, empty accumulator. */
  Accumulator create();

  /**
   * Restores an accumulator written by {@link Accumulator#write}; rejects malformed input with an
   * {@link IOException} naming what was expected.
   */
  Accumulator read(DataInput in) throws IOException;
}
