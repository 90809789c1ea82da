package dev.trailquery.contributor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.Trailquery;
import dev.trailquery.e2e.CloudTrailOracle;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.pack.WatchPack;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.value.Values;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's three Contributor Insights rules, compiled to Logs Insights and run by the engine on
 * the bundled samples, against contributor counts derived here with a plain Jackson tree walk.
 */
class RulesOnSamplesTest {

  static Result run(String query) {
    try {
      return Trailquery.run(
          Trailquery.compile(query, Planner.Options.defaults()),
          List.of(new LocalFileSource(CloudTrailOracle.samples().dir())),
          2,
          Scan.Listener.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String s(JsonNode r, String... path) {
    JsonNode n = r;
    for (String p : path) {
      n = n.path(p);
    }
    return n.isValueNode() && !n.isNull() ? n.asText() : null;
  }

  /** Contributor → count, independently: keys present, filter passed. */
  static Map<List<String>, Long> oracle(
      Function<JsonNode, Boolean> filter, List<String[]> keyPaths) {
    Map<List<String>, Long> out = new HashMap<>();
    for (CloudTrailOracle.Rec rec : CloudTrailOracle.samples().records()) {
      JsonNode r = rec.node();
      List<String> keys = new ArrayList<>();
      for (String[] p : keyPaths) {
        keys.add(s(r, p));
      }
      if (keys.contains(null) || !filter.apply(r)) {
        continue;
      }
      out.merge(keys, 1L, Long::sum);
    }
    return out;
  }

  static Map<List<String>, Long> engine(ContributorRule rule) {
    Result r = run(RuleCompiler.topContributors(rule, 10_000));
    int k = rule.keys().size();
    Map<List<String>, Long> out = new HashMap<>();
    for (Object[] row : r.rows()) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        keys.add(Values.toText(row[i]));
      }
      out.put(keys, Values.toNumber(row[k]).longValue());
    }
    return out;
  }

  static void check(String name, Function<JsonNode, Boolean> filter, List<String[]> keys) {
    ContributorRule rule = WatchPack.get().rule(name).orElseThrow().rule();
    Map<List<String>, Long> expected = oracle(filter, keys);
    assertThat(engine(rule)).as(name).isEqualTo(expected);

    InsightReport report = InsightReport.build(rule, 10, 3600, RulesOnSamplesTest::run);
    assertThat(report.aggregationStatistic()).isEqualTo("Count");
    assertThat(report.approximateUniqueCount()).isEqualTo(expected.size());
    assertThat(report.aggregateValue())
        .isEqualTo((double) expected.values().stream().mapToLong(Long::longValue).sum());
    List<Long> top =
        expected.values().stream().sorted(Comparator.reverseOrder()).limit(10).toList();
    assertThat(report.contributors().stream().map(c -> (long) c.approximateAggregateValue()))
        .containsExactlyElementsOf(top);
    for (InsightReport.Contributor c : report.contributors()) {
      assertThat(
              c.datapoints().stream().mapToDouble(InsightReport.Datapoint::approximateValue).sum())
          .as("datapoints of " + c.keys())
          .isEqualTo((double) expected.get(c.keys()));
    }

    // The same report from the per-period rows a rule subscription keeps.
    InsightReport fromSeries =
        InsightReport.fromSeries(rule, run(RuleCompiler.series(rule, 300)).rows(), 10);
    assertThat(fromSeries.approximateUniqueCount()).isEqualTo(expected.size());
    assertThat(fromSeries.aggregateValue()).isEqualTo(report.aggregateValue());
    assertThat(fromSeries.contributors().stream().map(c -> (long) c.approximateAggregateValue()))
        .containsExactlyElementsOf(top);
    for (InsightReport.Contributor c : fromSeries.contributors()) {
      assertThat(c.approximateAggregateValue()).isEqualTo((double) expected.get(c.keys()));
    }
    // Per period: the sums add up to the total, and no period has more contributors than all.
    assertThat(fromSeries.metricDatapoints().isEmpty()).isEqualTo(expected.isEmpty());
    assertThat(
            fromSeries.metricDatapoints().stream()
                .mapToDouble(InsightReport.MetricDatapoint::sum)
                .sum())
        .isEqualTo(report.aggregateValue());
    for (InsightReport.MetricDatapoint p : fromSeries.metricDatapoints()) {
      assertThat(p.uniqueContributors()).isBetween(1L, (long) expected.size());
      assertThat(p.maxContributorValue()).isLessThanOrEqualTo(p.sum());
    }
    // Unique contributors per 5-minute period, counted independently.
    Map<Long, Set<List<String>>> perPeriod = new java.util.TreeMap<>();
    for (CloudTrailOracle.Rec rec : CloudTrailOracle.samples().records()) {
      List<String> k = new ArrayList<>();
      for (String[] p : keys) {
        k.add(s(rec.node(), p));
      }
      if (!k.contains(null) && filter.apply(rec.node()) && rec.millis() != null) {
        perPeriod
            .computeIfAbsent(
                Math.floorDiv(rec.millis(), 300_000L) * 300_000L, x -> new java.util.HashSet<>())
            .add(k);
      }
    }
    Map<Long, Long> unique = new java.util.TreeMap<>();
    perPeriod.forEach((t, set) -> unique.put(t, (long) set.size()));
    Map<Long, Long> actualUnique = new java.util.TreeMap<>();
    fromSeries
        .metricDatapoints()
        .forEach(p -> actualUnique.put(p.timestampMillis(), p.uniqueContributors()));
    assertThat(actualUnique).isEqualTo(unique);
    assertThat(
            report.metricDatapoints().stream()
                .mapToDouble(InsightReport.MetricDatapoint::sum)
                .sum())
        .isEqualTo(report.aggregateValue());
  }

  @Test
  void topApiCallsWithoutAssumeRole() {
    check(
        "top-api-calls",
        r -> !"AssumeRole".equals(s(r, "eventName")),
        List.<String[]>of(new String[] {"eventName"}));
  }

  @Test
  void apiThrottling() {
    check(
        "api-throttling",
        r -> "Client.RequestLimitExceeded".equals(s(r, "errorCode")),
        List.of(new String[] {"eventName"}, new String[] {"userIdentity", "arn"}));
  }

  @Test
  void accessDeniedByIdentity() {
    ContributorRule rule = WatchPack.get().rule("access-denied-by-identity").orElseThrow().rule();
    check(
        "access-denied-by-identity",
        r -> {
          String c = s(r, "errorCode");
          return c != null && Set.of("AccessDenied", "UnauthorizedOperation").contains(c);
        },
        List.of(new String[] {"userIdentity", "arn"}, new String[] {"eventName"}));
    assertThat(engine(rule)).as("the samples have AccessDenied events").isNotEmpty();
  }

  @Test
  void compiledQueryText() {
    ContributorRule rule = WatchPack.get().rule("access-denied-by-identity").orElseThrow().rule();
    assertThat(RuleCompiler.topContributors(rule, 10))
        .isEqualTo(
            "filter ispresent(userIdentity.arn) and ispresent(eventName) and errorCode in"
                + " [\"AccessDenied\", \"UnauthorizedOperation\"]\n"
                + "| stats count(*) as value by userIdentity.arn, eventName\n"
                + "| sort value desc\n"
                + "| limit 10");
  }
}
