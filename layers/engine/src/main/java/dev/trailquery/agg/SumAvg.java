package dev.trailquery.agg;

import dev.trailquery.value.ValueCodec;
import dev.trailquery.value.Values;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@code sum(f)} and {@code avg(f)} over the numeric values ({@link Values#toNumber}: numbers,
 * numeric strings, timestamps as epoch ms, booleans as 1/0, so {@code sum(eventName like
 * /Describe/)} counts matches). Other values, and NaN, are ignored; with no numeric value the
 * result is missing.
 *
 * <p>Summation is compensated (Neumaier), also when merging, so the result hardly depends on how
 * the input was split or in which order parts merged (relative differences around 1e-15 in
 * practice). As in {@link java.util.DoubleSummaryStatistics}, a plain sum is kept beside it to give
 * the right infinity when values overflow or are infinite.
 *
 * <p>Image: header; the number of numeric values (varint); the compensated sum, its compensation
 * and the plain sum (doubles). With no values all three are 0.
 */
record SumAvg(boolean average) implements AggregateFunction {
  @Override
  public String name() {
    return kind().canonical;
  }

  private Kind kind() {
    return average ? Kind.AVG : Kind.SUM;
  }

  @Override
  public Accumulator create() {
    return new Acc(average);
  }

  @Override
  public Accumulator read(DataInput in) throws IOException {
    StateIO.readHeader(in, kind());
    Acc acc = new Acc(average);
    acc.n = StateIO.readCount(in, 0, Long.MAX_VALUE, "value count");
    acc.sum = in.readDouble();
    acc.compensation = in.readDouble();
    acc.simpleSum = in.readDouble();
    if (acc.n == 0 && (acc.sum != 0 || acc.compensation != 0 || acc.simpleSum != 0)) {
      throw new IOException("sum of no values is not 0");
    }
    // A finite sum was finite at every step, so its compensation (rounding errors) is too.
    if (Double.isFinite(acc.sum) && !Double.isFinite(acc.compensation)) {
      throw new IOException("compensation " + acc.compensation + " of a finite sum");
    }
    return acc;
  }

  static final class Acc implements Accumulator {
    private final boolean average;
    private long n;
    private double sum;
    private double compensation;
    private double simpleSum;

    Acc(boolean average) {
      this.average = average;
    }

    @Override
    public void add(Object value, long timestampMillis) {
      Double d = Values.toNumber(value);
      if (d == null || d.isNaN()) {
        return;
      }
      n++;
      double x = d;
      simpleSum += x;
      addCompensated(x);
    }

    private void addCompensated(double x) {
      double t = sum + x;
      if (Math.abs(sum) >= Math.abs(x)) {
        compensation += (sum - t) + x;
      } else {
        compensation += (x - t) + sum;
      }
      sum = t;
    }

    @Override
    public void merge(Accumulator other) {
      Acc o = StateIO.same(Acc.class, this, other);
      if (o.average != average) {
        throw new IllegalArgumentException("cannot merge sum and avg states");
      }
      if (o.n == 0) {
        return;
      }
      double oSum = o.sum;
      double oCompensation = o.compensation;
      n += o.n;
      simpleSum += o.simpleSum;
      addCompensated(oSum);
      addCompensated(oCompensation);
    }

    private double total() {
      double t = sum + compensation;
      if (Double.isNaN(t) && Double.isInfinite(simpleSum)) {
        return simpleSum;
      }
      return t;
    }

    @Override
    public Object result() {
      if (n == 0) {
        return null;
      }
      return average ? total() / n : total();
    }

    @Override
    public void write(DataOutput out) throws IOException {
      StateIO.writeHeader(out, average ? Kind.AVG : Kind.SUM);
      ValueCodec.writeVarLong(out, n);
      out.writeDouble(sum);
      out.writeDouble(compensation);
      out.writeDouble(simpleSum);
    }

    @Override
    public long sizeBytes() {
      return 48;
    }
  }
}
