package dev.trailquery.agg;

import dev.trailquery.value.ValueCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@code sortsFirst(f)} and {@code sortsLast(f)}: the present value that sorts first / last in
 * {@link dev.trailquery.value.NaturalOrder} (the order of {@code sort f asc}: texts before numbers,
 * {@code "a9"} before {@code "a10"}), keeping its type; missing when there is none. Values the
 * natural order ranks equal but of different types order by type ({@link ValueOrder}).
 *
 * <p>Image: header; the value ({@link ValueCodec}; missing when none was seen).
 */
record SortsFirstLast(boolean last) implements AggregateFunction {
  @Override
  public String name() {
    return kind().canonical;
  }

  private Kind kind() {
    return last ? Kind.SORTS_LAST : Kind.SORTS_FIRST;
  }

  @Override
  public Accumulator create() {
    return new Acc(last);
  }

  @Override
  public Accumulator read(DataInput in) throws IOException {
    StateIO.readHeader(in, kind());
    Acc acc = new Acc(last);
    acc.value = ValueCodec.read(in);
    return acc;
  }

  static final class Acc implements Accumulator {
    private final boolean last;
    private Object value;

    Acc(boolean last) {
      this.last = last;
    }

    @Override
    public void add(Object v, long timestampMillis) {
      if (v == null) {
        return;
      }
      if (value == null) {
        value = v;
        return;
      }
      int c = ValueOrder.compare(v, value);
      if (last ? c > 0 : c < 0) {
        value = v;
      }
    }

    @Override
    public void merge(Accumulator other) {
      Acc o = StateIO.same(Acc.class, this, other);
      if (o.last != last) {
        throw new IllegalArgumentException("cannot merge sortsFirst and sortsLast states");
      }
      add(o.value, 0);
    }

    @Override
    public Object result() {
      return value;
    }

    @Override
    public void write(DataOutput out) throws IOException {
      StateIO.writeHeader(out, last ? Kind.SORTS_LAST : Kind.SORTS_FIRST);
      ValueCodec.write(out, value);
    }

    @Override
    public long sizeBytes() {
      return 32 + (value instanceof String s ? 48 + s.length() : 24);
    }
  }
}
