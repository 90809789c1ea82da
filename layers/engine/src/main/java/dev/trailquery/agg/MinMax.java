package dev.trailquery.agg;

import dev.trailquery.value.NaturalOrder;
import dev.trailquery.value.Timestamp;
import dev.trailquery.value.ValueCodec;
import dev.trailquery.value.Values;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@code min(f)} and {@code max(f)}. When any value is numeric ({@link Values#toNumber}: numbers,
 * numeric strings, booleans as 1/0, timestamps), the result is the smallest / largest number, as a
 * Double, or as a {@link Timestamp} when that extreme came from a timestamp (so {@code
 * max(@timestamp)} is a timestamp). Otherwise it is the first / last text by {@link NaturalOrder}.
 * Missing for no present value. NaN is ignored.
 *
 * <p>Ties do not depend on the order of the input: equal numbers compare by {@link Double#compare}
 * ({@code -0.0} below {@code 0.0}), a timestamp wins over a plain number of the same value; equal
 * texts are equal strings.
 *
 * <p>Image: header; a flags byte (1: has a number, 2: the number is a timestamp, 4: has a text);
 * then the number (a double, or epoch ms as a long for a timestamp) when present, else the text
 * ({@link ValueCodec#writeString}) when present. A state with a number holds no text.
 */
record MinMax(boolean max) implements AggregateFunction {
  private static final int HAS_NUMBER = 1;
  private static final int IS_TIMESTAMP = 2;
  private static final int HAS_TEXT = 4;

  @Override
  public String name() {
    return kind().canonical;
  }

  private Kind kind() {
    return max ? Kind.MAX : Kind.MIN;
  }

  @Override
  public Accumulator create() {
    return new Acc(max);
  }

  @Override
  public Accumulator read(DataInput in) throws IOException {
    StateIO.readHeader(in, kind());
    int flags = StateIO.readFlags(in, HAS_NUMBER | IS_TIMESTAMP | HAS_TEXT);
    Acc acc = new Acc(max);
    switch (flags) {
      case 0 -> {}
      case HAS_NUMBER -> {
        acc.hasNumber = true;
        acc.number = StateIO.readNotNaN(in, "number");
      }
      case HAS_NUMBER | IS_TIMESTAMP -> {
        acc.hasNumber = true;
        acc.timestamp = true;
        acc.millis = in.readLong();
        acc.number = acc.millis;
      }
      case HAS_TEXT -> {
        String text = ValueCodec.readString(in);
        if (Values.parseNumber(text) != null) {
          throw new IOException("text extreme '" + text + "' is a number");
        }
        acc.text = text;
      }
      default -> throw new IOException("inconsistent flags " + Integer.toBinaryString(flags));
    }
    return acc;
  }

  static final class Acc implements Accumulator {
    private final boolean max;
    private boolean hasNumber;
    private double number;
    private boolean timestamp;
    private long millis;

    /** The extreme non-numeric text, kept only while no number was seen. */
    private String text;

    Acc(boolean max) {
      this.max = max;
    }

    @Override
    public void add(Object value, long timestampMillis) {
      if (value == null) {
        return;
      }
      if (value instanceof Timestamp t) {
        offerNumber(t.millis(), true, t.millis());
        return;
      }
      Double d = Values.toNumber(value);
      if (d != null) {
        if (!d.isNaN()) {
          offerNumber(d, false, 0);
        }
        return;
      }
      if (!hasNumber && value instanceof String s) {
        offerText(s);
      } else if (!hasNumber && value instanceof dev.trailquery.value.JsonValue j) {
        offerText(j.text()); // a map or list compares as its JSON text
      }
    }

    private void offerNumber(double d, boolean isTimestamp, long ms) {
      if (!hasNumber) {
        hasNumber = true;
        text = null;
      } else {
        int c = Double.compare(d, number);
        if (c == 0) {
          // Equal values: a timestamp wins, then the extreme epoch ms.
          if (isTimestamp != timestamp) {
            c = isTimestamp ? 1 : -1;
          } else if (isTimestamp) {
            c = max ? Long.compare(ms, millis) : Long.compare(millis, ms);
          }
        } else if (!max) {
          c = -c;
        }
        if (c <= 0) {
          return;
        }
      }
      number = d;
      timestamp = isTimestamp;
      millis = ms;
    }

    private void offerText(String s) {
      if (text == null) {
        text = s;
        return;
      }
      int c = NaturalOrder.INSTANCE.compare(s, text);
      if (c == 0) {
        c = s.compareTo(text);
      }
      if (max ? c > 0 : c < 0) {
        text = s;
      }
    }

    @Override
    public void merge(Accumulator other) {
      Acc o = StateIO.same(Acc.class, this, other);
      if (o.max != max) {
        throw new IllegalArgumentException("cannot merge min and max states");
      }
      if (o.hasNumber) {
        offerNumber(o.number, o.timestamp, o.millis);
      } else if (o.text != null && !hasNumber) {
        offerText(o.text);
      }
    }

    @Override
    public Object result() {
      if (hasNumber) {
        return timestamp ? new Timestamp(millis) : (Object) number;
      }
      return text;
    }

    @Override
    public void write(DataOutput out) throws IOException {
      StateIO.writeHeader(out, max ? Kind.MAX : Kind.MIN);
      if (hasNumber) {
        out.writeByte(HAS_NUMBER | (timestamp ? IS_TIMESTAMP : 0));
        if (timestamp) {
          out.writeLong(millis);
        } else {
          out.writeDouble(number);
        }
      } else if (text != null) {
        out.writeByte(HAS_TEXT);
        ValueCodec.writeString(out, text);
      } else {
        out.writeByte(0);
      }
    }

    @Override
    public long sizeBytes() {
      return 48 + (text == null ? 0 : 48 + 2L * text.length());
    }
  }
}
