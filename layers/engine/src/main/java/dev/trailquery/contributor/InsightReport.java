package dev.trailquery.contributor;

import dev.trailquery.exec.Result;
import dev.trailquery.value.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A report shaped like GetInsightRuleReport: the top contributors with their value over the range
 * and per period, the aggregate over all contributors and the approximate unique contributor count
 * (the engine's {@code count_distinct}: exact up to 10,000 contributors, a sketch beyond).
 *
 * @param keyLabels the rule's keys
 * @param aggregationStatistic "Count" or "Sum"
 * @param aggregateValue the value summed over all contributors
 * @param approximateUniqueCount how many distinct contributors
 * @param contributors the top contributors, highest value first
 * @param metricDatapoints per period (oldest first): the unique contributors, the largest
 *     contributor's value and the sum over all contributors (GetInsightRuleReport's
 *     MetricDatapoints); empty when the report was built without periods
 */
public record InsightReport(
    List<String> keyLabels,
    String aggregationStatistic,
    double aggregateValue,
    long approximateUniqueCount,
    List<Contributor> contributors,
    List<MetricDatapoint> metricDatapoints) {

  /** One period of the rule over all contributors. */
  public record MetricDatapoint(
      long timestampMillis, long uniqueContributors, double maxContributorValue, double sum) {}

  /** Per period of series rows (period, keys, value): unique contributors, max, sum. */
  static List<MetricDatapoint> periods(List<Object[]> seriesRows, int k) {
    java.util.TreeMap<Long, double[]> by = new java.util.TreeMap<>();
    for (Object[] row : seriesRows) {
      if (row[0] instanceof Timestamp t) {
        double v = number(row[k + 1]);
        double[] a =
            by.computeIfAbsent(t.millis(), x -> new double[] {0, Double.NEGATIVE_INFINITY, 0});
        a[0]++;
        a[1] = Math.max(a[1], v);
        a[2] += v;
      }
    }
    List<MetricDatapoint> out = new ArrayList<>();
    by.forEach((t, a) -> out.add(new MetricDatapoint(t, (long) a[0], a[1], a[2])));
    return List.copyOf(out);
  }

  public record Contributor(
      List<String> keys, double approximateAggregateValue, List<Datapoint> datapoints) {}

  /** A contributor's value in one period; periods where it is absent are left out. */
  public record Datapoint(long timestampMillis, double approximateValue) {}

  /**
   * Builds the report by running the rule's compiled queries with {@code run} (query text → result
   * over the report's input and time range).
   *
   * @param maxContributors 1–100 (GetInsightRuleReport's MaxContributorCount)
   * @param periodSeconds the datapoint period
   */
  public static InsightReport build(
      ContributorRule rule, int maxContributors, long periodSeconds, Function<String, Result> run) {
    if (maxContributors < 1 || maxContributors > 100) {
      throw new IllegalArgumentException("maxContributors must be 1..100");
    }
    int k = rule.keys().size();
    Result top = run.apply(RuleCompiler.topContributors(rule, maxContributors));
    Map<List<String>, List<Datapoint>> points = new HashMap<>();
    List<List<String>> order = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (Object[] row : top.rows()) {
      List<String> keys = keys(row, 0, k);
      order.add(keys);
      values.add(number(row[k]));
      points.put(keys, new ArrayList<>());
    }
    Result series = run.apply(RuleCompiler.series(rule, periodSeconds));
    if (!order.isEmpty()) {
      for (Object[] row : series.rows()) {
        List<Datapoint> dps = points.get(keys(row, 1, k));
        if (dps != null && row[0] instanceof Timestamp t) {
          dps.add(new Datapoint(t.millis(), number(row[k + 1])));
        }
      }
    }
    List<Contributor> contributors = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      List<Datapoint> dps = points.get(order.get(i));
      dps.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
      contributors.add(new Contributor(order.get(i), values.get(i), List.copyOf(dps)));
    }
    Result summary = run.apply(RuleCompiler.summary(rule));
    double aggregate = 0;
    long unique = 0;
    if (!summary.rows().isEmpty()) {
      Object[] row = summary.rows().getFirst();
      aggregate = number(row[0]);
      unique = (long) number(row[1]);
    }
    return new InsightReport(
        rule.keys(),
        rule.aggregateOn().text(),
        aggregate,
        unique,
        List.copyOf(contributors),
        periods(series.rows(), k));
  }

  /**
   * Builds the report from the rows of {@link RuleCompiler#series} (period, keys, value) — what a
   * rule subscription keeps per bin. Every contributor of every period is in those rows, so the
   * unique contributor count is exact here.
   */
  public static InsightReport fromSeries(
      ContributorRule rule, List<Object[]> seriesRows, int maxContributors) {
    if (maxContributors < 1 || maxContributors > 100) {
      throw new IllegalArgumentException("maxContributors must be 1..100");
    }
    int k = rule.keys().size();
    Map<List<String>, double[]> totals = new HashMap<>();
    Map<List<String>, List<Datapoint>> points = new HashMap<>();
    double aggregate = 0;
    for (Object[] row : seriesRows) {
      List<String> keys = keys(row, 1, k);
      double v = number(row[k + 1]);
      aggregate += v;
      totals.computeIfAbsent(keys, x -> new double[1])[0] += v;
      if (row[0] instanceof Timestamp t) {
        points.computeIfAbsent(keys, x -> new ArrayList<>()).add(new Datapoint(t.millis(), v));
      }
    }
    List<List<String>> order = new ArrayList<>(totals.keySet());
    order.sort(
        (a, b) -> {
          int c = Double.compare(totals.get(b)[0], totals.get(a)[0]);
          return c != 0 ? c : String.join("\t", a).compareTo(String.join("\t", b));
        });
    List<Contributor> contributors = new ArrayList<>();
    for (List<String> keys : order.subList(0, Math.min(maxContributors, order.size()))) {
      List<Datapoint> dps = new ArrayList<>(points.getOrDefault(keys, List.of()));
      dps.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
      contributors.add(new Contributor(keys, totals.get(keys)[0], List.copyOf(dps)));
    }
    return new InsightReport(
        rule.keys(),
        rule.aggregateOn().text(),
        aggregate,
        totals.size(),
        List.copyOf(contributors),
        periods(seriesRows, k));
  }

  private static List<String> keys(Object[] row, int from, int k) {
    List<String> out = new ArrayList<>(k);
    for (int i = from; i < from + k; i++) {
      out.add(dev.trailquery.value.Values.toText(row[i]));
    }
    return out;
  }

  private static double number(Object o) {
    Double d = dev.trailquery.value.Values.toNumber(o);
    return d == null ? 0 : d;
  }
}
