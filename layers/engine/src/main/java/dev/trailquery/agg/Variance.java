package dev.trailquery.agg;

import dev.trailquery.value.ValueCodec;
import dev.trailquery.value.Values;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@code variance(f)} and {@code stddev(f)}: the sample variance (divided by n−1) of the numeric
 * values ({@link Values#toNumber}; NaN and non-numeric values are ignored) and its square root, as
 * Doubles. One value gives 0; no value gives missing.
 *
 * <p>Rows are added with Welford's update and states merge with Chan et al.'s parallel formula, so
 * the result depends on the split only by rounding (relative differences around 1e-15 in practice).
 *
 * <p>Image: header; the number of values (varint); the mean and the sum of squared deviations
 * (doubles; both 0 for no values; the sum is never negative or NaN while the mean is finite).
 */
record Variance(boolean stddev) implements AggregateFunction {
  @Override
  public String name() {
    return kind().canonical;
  }

  private Kind kind() {
    return stddev ? Kind.STDDEV : Kind.VARIANCE;
  }

  @Override
  public Accumulator create() {
    return new Acc(stddev);
  }

  @Override
  public Accumulator read(DataInput in) throws IOException {
    StateIO.readHeader(in, kind());
    Acc acc = new Acc(stddev);
    acc.n = StateIO.readCount(in, 0, Long.MAX_VALUE, "value count");
    acc.mean = in.readDouble();
    acc.m2 = in.readDouble();
    if (acc.n == 0 && (acc.mean != 0 || acc.m2 != 0)) {
      throw new IOException("mean or squared deviations of no values are not 0");
    }
    // Only an overflow (values near ±1.8e308) makes the mean infinite or NaN; until then the
    // sum of squared deviations is a sum of non-negative terms.
    if (Double.isFinite(acc.mean) && !(acc.m2 >= 0)) {
      throw new IOException("sum of squared deviations " + acc.m2 + " with mean " + acc.mean);
    }
    return acc;
  }

  static final class Acc implements Accumulator {
    private final boolean stddev;
    private long n;
    private double mean;
    private double m2;

    Acc(boolean stddev) {
      this.stddev = stddev;
    }

    @Override
    public void add(Object value, long timestampMillis) {
      Double d = Values.toNumber(value);
      if (d == null || d.isNaN()) {
        return;
      }
      double x = d;
      n++;
      double delta = x - mean;
      mean += delta / n;
      m2 += delta * (x - mean);
    }

    @Override
    public void merge(Accumulator other) {
      Acc o = StateIO.same(Acc.class, this, other);
      if (o.stddev != stddev) {
        throw new IllegalArgumentException("cannot merge stddev and variance states");
      }
      if (o.n == 0) {
        return;
      }
      if (n == 0) {
        n = o.n;
        mean = o.mean;
        m2 = o.m2;
        return;
      }
      long on = o.n;
      double oMean = o.mean;
      double oM2 = o.m2;
      double total = (double) n + on;
      double delta = oMean - mean;
      mean += delta * (on / total);
      m2 += oM2 + delta * delta * ((double) n * on / total);
      n += on;
    }

    @Override
    public Object result() {
      if (n == 0) {
        return null;
      }
      double variance = n == 1 ? 0.0 : m2 >= 0 ? m2 / (n - 1) : Double.NaN;
      return stddev ? Math.sqrt(variance) : variance;
    }

    @Override
    public void write(DataOutput out) throws IOException {
      StateIO.writeHeader(out, stddev ? Kind.STDDEV : Kind.VARIANCE);
      ValueCodec.writeVarLong(out, n);
      out.writeDouble(mean);
      out.writeDouble(m2);
    }

    @Override
    public long sizeBytes() {
      return 40;
    }
  }
}
