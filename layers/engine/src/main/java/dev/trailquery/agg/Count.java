package dev.trailquery.agg;

import dev.trailquery.value.ValueCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@code count(*)}, {@code count()} and {@code count(f)}: the number of rows whose value is
 * present. {@code count(*)} and {@code count()} are fed {@code Boolean.TRUE} for every row, so they
 * count rows. Result: a Double, 0 for no rows.
 *
 * <p>Image: header, then the count as a varint.
 */
record Count() implements AggregateFunction {
  @Override
  public String name() {
    return Kind.COUNT.canonical;
  }

  @Override
  public Accumulator create() {
    return new Acc();
  }

  @Override
  public Accumulator read(DataInput in) throws IOException {
    StateIO.readHeader(in, Kind.COUNT);
    Acc acc = new Acc();
    acc.n = StateIO.readCount(in, 0, Long.MAX_VALUE, "count");
    return acc;
  }

  static final class Acc implements Accumulator {
    private long n;

    @Override
    public void add(Object value, long timestampMillis) {
      if (value != null) {
        n++;
      }
    }

    @Override
    public void merge(Accumulator other) {
      n += StateIO.same(Acc.class, this, other).n;
    }

    @Override
    public Object result() {
      return (double) n;
    }

    @Override
    public void write(DataOutput out) throws IOException {
      StateIO.writeHeader(out, Kind.COUNT);
      ValueCodec.writeVarLong(out, n);
    }

    @Override
    public long sizeBytes() {
      return 24;
    }
  }
}
