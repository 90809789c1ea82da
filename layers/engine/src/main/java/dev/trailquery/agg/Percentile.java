package dev.trailquery.agg;

import dev.trailquery.value.ValueCodec;
import dev.trailquery.value.Values;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * {@code pct(f, p)} (alias {@code percentile}), {@code p} a literal in [0, 100]: the nearest-rank
 * percentile of the numeric values ({@link Values#toNumber}; NaN and non-numeric values are
 * ignored), as a Double; missing for no numeric value.
 *
 * <p><b>Exact</b> while a group has at most {@value StateIO#EXACT_LIMIT} numeric values: sorted
 * ascending, the value at index ⌈p/100·n⌉−1 (clamped to the first; {@code p} taken as the decimal
 * it was written as), so {@code pct(f, 50)} of 1..10 is 5 and {@code pct(f, 0)} is the minimum.
 * Merging exact states stays exact while the total does. Beyond that the state becomes a KLL sketch
 * ({@link KllDoublesSketch}, k = {@value #K}); the result is the sketch's inclusive quantile at
 * rank p/100, a value whose true rank is within ±1.33% of p/100 with 99% confidence ({@link
 * KllSketch#getNormalizedRankError}(200, false)); the minimum and maximum stay exact.
 *
 * <p>Image: header; mode byte 0 (exact), the number of values and the values ascending (doubles);
 * or mode 1 (sketch), the length of a KLL image and its bytes.
 */
record Percentile(double percentile) implements AggregateFunction {
  static final int K = 200;
  private static final int EXACT = 0;
  private static final int SKETCH = 1;

  Percentile {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile " + percentile + " outside [0, 100]");
    }
  }

  @Override
  public String name() {
    return Kind.PCT.canonical;
  }

  @Override
  public Accumulator create() {
    return new Acc(percentile);
  }

  @Override
  public Accumulator read(DataInput in) throws IOException {
    StateIO.readHeader(in, Kind.PCT);
    int mode = in.readUnsignedByte();
    Acc acc = new Acc(percentile);
    switch (mode) {
      case EXACT -> {
        int n = (int) StateIO.readCount(in, 0, StateIO.EXACT_LIMIT, "value count");
        double[] values = new double[Math.max(16, n)];
        for (int i = 0; i < n; i++) {
          values[i] = in.readDouble();
          if (Double.isNaN(values[i])) {
            throw new IOException("value " + i + " is NaN");
          }
          if (i > 0 && Double.compare(values[i - 1], values[i]) > 0) {
            throw new IOException("values are not in ascending order at " + i);
          }
        }
        acc.values = values;
        acc.n = n;
        acc.sorted = true;
      }
      case SKETCH -> {
        byte[] bytes = StateIO.readSketchBytes(in);
        checkKllImage(bytes);
        try {
          KllDoublesSketch sketch = KllDoublesSketch.heapify(MemorySegment.ofArray(bytes));
          if (sketch.getK() != K) {
            throw new IOException("KLL sketch has k " + sketch.getK() + ", expected " + K);
          }
          if (sketch.getN() <= StateIO.EXACT_LIMIT) {
            throw new IOException(
                "KLL sketch of "
                    + sketch.getN()
                    + " values, where exact states hold up to "
                    + StateIO.EXACT_LIMIT);
          }
          double min = sketch.getMinItem();
          double max = sketch.getMaxItem();
          if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IOException("KLL sketch has bounds " + min + ", " + max);
          }
          // Re-check the retained items against the bounds: corrupt bytes rarely survive this.
          var it = sketch.iterator();
          while (it.next()) {
            double q = it.getQuantile();
            if (!(q >= min && q <= max) || it.getWeight() <= 0) {
              throw new IOException("KLL sketch holds item " + q + " outside its bounds");
            }
          }
          acc.sketch = sketch;
        } catch (RuntimeException e) {
          throw new IOException("corrupt KLL sketch: " + e.getMessage(), e);
        }
        acc.values = null;
      }
      default -> throw new IOException("unknown pct mode " + mode);
    }
    return acc;
  }

  /**
   * Checks the preamble of a KLL doubles image (DataSketches, little-endian) before {@link
   * KllDoublesSketch#heapify} sees it. A sketch of more than 10,000 values is in the full form:
   *
   * <pre>
   * byte 0   preamble ints: 5                  bytes 4..5   k: 200
   * byte 1   SerVer: 1                         byte 6       m: 8
   * byte 2   family: 15 (KLL)                  bytes 8..15  n
   * byte 3   flags: not EMPTY (1), not         bytes 16..17 min k; byte 18 levels
   *          SINGLE_ITEM (4)                   bytes 20..   levels, min, max, items
   * </pre>
   */
  private static void checkKllImage(byte[] b) throws IOException {
    if (b.length < 20
        || b[0] != 5
        || b[1] != 1
        || b[2] != 15
        || (b[3] & 0x05) != 0
        || ((b[4] & 0xFF) | (b[5] & 0xFF) << 8) != K
        || b[6] != 8) {
      throw new IOException(
          b.length < 8
              ? "KLL sketch image of " + b.length + " bytes is too short"
              : String.format(
                  "KLL sketch preamble [preInts %d, serVer %d, family %d, flags 0x%02x, k %d, m %d]"
                      + " is not a full KLL doubles image of k %d",
                  b[0], b[1], b[2], b[3], (b[4] & 0xFF) | (b[5] & 0xFF) << 8, b[6], K));
    }
  }

  static final class Acc implements Accumulator {
    private final double percentile;

    /** The values while exact (the first {@link #n}); null once {@link #sketch} is in use. */
    private double[] values = new double[16];

    private int n;
    private boolean sorted = true;
    private KllDoublesSketch sketch;

    Acc(double percentile) {
      this.percentile = percentile;
    }

    @Override
    public void add(Object value, long timestampMillis) {
      Double d = Values.toNumber(value);
      if (d == null || d.isNaN()) {
        return;
      }
      if (sketch != null) {
        sketch.update(d);
        return;
      }
      if (n == values.length) {
        if (n == StateIO.EXACT_LIMIT) {
          toSketch();
          sketch.update(d);
          return;
        }
        values = Arrays.copyOf(values, Math.min(StateIO.EXACT_LIMIT, 2 * n));
      }
      if (sorted && n > 0 && Double.compare(values[n - 1], d) > 0) {
        sorted = false;
      }
      values[n++] = d;
    }

    @Override
    public void merge(Accumulator other) {
      Acc o = StateIO.same(Acc.class, this, other);
      if (o.sketch != null) {
        if (sketch == null) {
          toSketch();
        }
        sketch.merge(o.sketch);
        return;
      }
      int on = o.n;
      double[] ov = o.values;
      if (sketch != null) {
        for (int i = 0; i < on; i++) {
          sketch.update(ov[i]);
        }
        return;
      }
      if ((long) n + on > StateIO.EXACT_LIMIT) {
        ov = Arrays.copyOf(ov, on); // o may be this
        toSketch();
        for (int i = 0; i < on; i++) {
          sketch.update(ov[i]);
        }
        return;
      }
      if (n + on > values.length) {
        values = Arrays.copyOf(values, Math.min(StateIO.EXACT_LIMIT, Math.max(2 * n, n + on)));
      }
      System.arraycopy(ov, 0, values, n, on);
      n += on;
      sorted = false;
    }

    private void toSketch() {
      KllDoublesSketch s = KllDoublesSketch.newHeapInstance(K);
      s.update(values, 0, n);
      sketch = s;
      values = null;
      n = 0;
    }

    private void sort() {
      if (!sorted) {
        Arrays.sort(values, 0, n);
        sorted = true;
      }
    }

    /** Whether the state is still exact (for tests). */
    boolean isExact() {
      return sketch == null;
    }

    @Override
    public Object result() {
      if (sketch != null) {
        return sketch.getQuantile(percentile / 100, QuantileSearchCriteria.INCLUSIVE);
      }
      if (n == 0) {
        return null;
      }
      sort(); // Reorders the values only: the state is unchanged.
      return values[nearestRankIndex(percentile, n)];
    }

    /** ⌈p/100·n⌉−1 in decimal arithmetic (so 99.9 of 1000 is index 998), clamped to [0, n−1]. */
    static int nearestRankIndex(double percentile, int n) {
      BigDecimal rank =
          BigDecimal.valueOf(percentile)
              .multiply(BigDecimal.valueOf(n))
              .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING);
      return (int) Math.max(0, Math.min(n - 1, rank.longValue() - 1));
    }

    @Override
    public void write(DataOutput out) throws IOException {
      StateIO.writeHeader(out, Kind.PCT);
      if (sketch != null) {
        out.writeByte(SKETCH);
        StateIO.writeSketchBytes(out, sketch.toByteArray());
        return;
      }
      out.writeByte(EXACT);
      sort();
      ValueCodec.writeVarLong(out, n);
      for (int i = 0; i < n; i++) {
        out.writeDouble(values[i]);
      }
    }

    @Override
    public long sizeBytes() {
      if (sketch != null) {
        return 64 + sketch.getSerializedSizeBytes() + 256;
      }
      return 64 + 8L * values.length;
    }
  }
}
