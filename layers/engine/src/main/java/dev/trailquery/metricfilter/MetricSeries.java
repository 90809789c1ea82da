package dev.trailquery.metricfilter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The datapoints a {@link MetricFilter} produces, per time bin (CloudWatch: one minute) and
 * dimension values, as CloudWatch aggregates them: every matching event adds its metric value;
 * {@code defaultValue} is emitted for a bin in which records were read but none produced a value;
 * bins without records have no datapoint. Series over disjoint parts of the input {@link
 * #merge(MetricSeries) merge} into the series of the whole.
 */
public final class MetricSeries {
  /** One datapoint: CloudWatch's statistic set for a bin and dimension values. */
  public record Datapoint(
      long binStartMillis,
      List<String> dimensions,
      double sum,
      long sampleCount,
      double minimum,
      double maximum) {}

  private record Key(long bin, List<String> dims) {}

  private static final Comparator<Key> ORDER =
      Comparator.comparingLong(Key::bin)
          .thenComparing(k -> String.join("\u0000", k.dims()), Comparator.naturalOrder());

  private final MetricFilter filter;
  private final long binMillis;
  private final TreeMap<Key, double[]> points = new TreeMap<>(ORDER);
  private final TreeSet<Long> binsRead = new TreeSet<>();

  public MetricSeries(MetricFilter filter, long binMillis) {
    if (binMillis <= 0) {
      throw new IllegalArgumentException("bin must be positive");
    }
    this.filter = filter;
    this.binMillis = binMillis;
  }

  /** CloudWatch's one-minute bins. */
  public MetricSeries(MetricFilter filter) {
    this(filter, 60_000L);
  }

  private long bin(long millis) {
    return Math.floorDiv(millis, binMillis) * binMillis;
  }

  /**
   * Adds one record read at {@code timestampMillis} (its {@code eventTime}); records without a time
   * ({@code Long.MIN_VALUE}) are ignored. Returns whether it added a value.
   */
  public boolean add(JsonNode record, long timestampMillis) {
    if (timestampMillis == Long.MIN_VALUE) {
      return false;
    }
    long b = bin(timestampMillis);
    binsRead.add(b);
    Double v = filter.valueOf(record);
    if (v == null) {
      return false;
    }
    List<String> dims = filter.dimensionValues(record);
    if (dims == null) {
      return false;
    }
    accumulate(new Key(b, dims), v, 1, v, v);
    return true;
  }

  private void accumulate(Key k, double sum, long count, double min, double max) {
    double[] s = points.get(k);
    if (s == null) {
      points.put(k, new double[] {sum, count, min, max});
    } else {
      s[0] += sum;
      s[1] += count;
      s[2] = Math.min(s[2], min);
      s[3] = Math.max(s[3], max);
    }
  }

  /** Adds another series of the same filter and bin (over other records). */
  public void merge(MetricSeries other) {
    if (other.binMillis != binMillis) {
      throw new IllegalArgumentException("different bins");
    }
    binsRead.addAll(other.binsRead);
    for (Map.Entry<Key, double[]> e : other.points.entrySet()) {
      double[] s = e.getValue();
      accumulate(e.getKey(), s[0], (long) s[1], s[2], s[3]);
    }
  }

  /** The datapoints in time order (then by dimension values), default values included. */
  public List<Datapoint> datapoints() {
    List<Datapoint> out = new ArrayList<>();
    TreeSet<Long> withValues = new TreeSet<>();
    points.keySet().forEach(k -> withValues.add(k.bin()));
    Double dflt = filter.defaultValue();
    TreeMap<Key, double[]> all = new TreeMap<>(ORDER);
    all.putAll(points);
    if (dflt != null) {
      for (long b : binsRead) {
        if (!withValues.contains(b)) {
          all.put(new Key(b, List.of()), new double[] {dflt, 1, dflt, dflt});
        }
      }
    }
    for (Map.Entry<Key, double[]> e : all.entrySet()) {
      double[] s = e.getValue();
      out.add(new Datapoint(e.getKey().bin(), e.getKey().dims(), s[0], (long) s[1], s[2], s[3]));
    }
    return out;
  }
}
