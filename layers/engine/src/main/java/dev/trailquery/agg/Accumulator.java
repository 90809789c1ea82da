package dev.trailquery.agg;

import java.io.DataOutput;
import java.io.IOException;

/**
 * The mergeable partial state of one aggregate over one group. The same accumulator serves a single
 * pass, a worker's partial result and the final merge: for any split of the input, adding each part
 * to its own accumulator and merging them gives what one accumulator over all of it gives
 * (sketches: within their documented error).
 */
public interface Accumulator {
  /**
   * Adds one row's value. {@code value} is the evaluated argument (null when missing; {@code
   * count(*)} receives {@code Boolean.TRUE}); {@code timestampMillis} is the row's {@code
   * @timestamp} (for {@code earliest}/{@code latest}), {@code Long.MIN_VALUE} when unknown.
   */
  void add(Object value, long timestampMillis);

  /** Merges another accumulator of the same aggregate into this one; {@code other} is unchanged. */
  void merge(Accumulator other);

  /**
   * The current result as a value ({@link dev.trailquery.value.Values}); does not consume state.
   */
  Object result();

  /** Writes the state so that {@link AggregateFunction#read} restores it. */
  void write(DataOutput out) throws IOException;

  /** Approximate heap size of the state in bytes, for memory accounting. */
  long sizeBytes();
}
