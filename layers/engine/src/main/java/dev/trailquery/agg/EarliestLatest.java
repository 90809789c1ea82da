package dev.trailquery.agg;

import dev.trailquery.value.ValueCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@code earliest(f)} and {@code latest(f)}: the value of {@code f} from the row with the smallest
 * / largest {@code @timestamp} among the rows where {@code f} is present; missing when there is
 * none. The value keeps its type. Rows whose timestamp is unknown ({@code Long.MIN_VALUE}) count
 * only when no row with a known timestamp has the field. Rows with the same timestamp tie-break by
 * the value: {@code earliest} takes the one that sorts first ({@link ValueOrder}, i.e. {@link
 * dev.trailquery.value.NaturalOrder} then type), {@code latest} the one that sorts last, so the
 * result never depends on how the input was split.
 *
 * <p>Image: header; a byte 1 if a value was seen (else 0 and nothing more); the timestamp (epoch
 * ms, {@code Long.MIN_VALUE} for unknown) as a long; the value ({@link ValueCodec}, never missing).
 */
record EarliestLatest(boolean latest) implements AggregateFunction {
  private static final long UNKNOWN = Long.MIN_VALUE;

  @Override
  public String name() {
    return kind().canonical;
  }

  private Kind kind() {
    return latest ? Kind.LATEST : Kind.EARLIEST;
  }

  @Override
  public Accumulator create() {
    return new Acc(latest);
  }

  @Override
  public Accumulator read(DataInput in) throws IOException {
    StateIO.readHeader(in, kind());
    Acc acc = new Acc(latest);
    int present = in.readUnsignedByte();
    switch (present) {
      case 0 -> {}
      case 1 -> {
        acc.millis = in.readLong();
        acc.value = ValueCodec.read(in);
        if (acc.value == null) {
          throw new IOException("earliest/latest value is missing");
        }
      }
      default -> throw new IOException("unknown presence byte " + present);
    }
    return acc;
  }

  static final class Acc implements Accumulator {
    private final boolean latest;
    private long millis = UNKNOWN;
    private Object value;

    Acc(boolean latest) {
      this.latest = latest;
    }

    @Override
    public void add(Object v, long timestampMillis) {
      if (v != null && (value == null || better(timestampMillis, v))) {
        millis = timestampMillis;
        value = v;
      }
    }

    private boolean better(long ts, Object v) {
      boolean known = ts != UNKNOWN;
      if (known != (millis != UNKNOWN)) {
        return known;
      }
      int c = Long.compare(ts, millis);
      if (c == 0) {
        c = ValueOrder.compare(v, value);
      }
      return latest ? c > 0 : c < 0;
    }

    @Override
    public void merge(Accumulator other) {
      Acc o = StateIO.same(Acc.class, this, other);
      if (o.latest != latest) {
        throw new IllegalArgumentException("cannot merge earliest and latest states");
      }
      add(o.value, o.millis);
    }

    @Override
    public Object result() {
      return value;
    }

    @Override
    public void write(DataOutput out) throws IOException {
      StateIO.writeHeader(out, kind());
      if (value == null) {
        out.writeByte(0);
        return;
      }
      out.writeByte(1);
      out.writeLong(millis);
      ValueCodec.write(out, value);
    }

    private Kind kind() {
      return latest ? Kind.LATEST : Kind.EARLIEST;
    }

    @Override
    public long sizeBytes() {
      return 48 + (value instanceof String s ? 48 + s.length() : 24);
    }
  }
}
