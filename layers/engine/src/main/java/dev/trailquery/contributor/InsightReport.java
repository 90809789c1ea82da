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
 */
public record InsightReport(
    List<String> keyLabels,
    String aggregationStatistic,
    double aggregateValue,
    long approximateUniqueCount,
    List<Contributor> contributors) {

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
    if (!order.isEmpty()) {
      Result series = run.apply(RuleCompiler.series(rule, periodSeconds));
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
        rule.keys(), rule.aggregateOn().text(), aggregate, unique, List.copyOf(contributors));
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
        List.copyOf(contributors));
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
