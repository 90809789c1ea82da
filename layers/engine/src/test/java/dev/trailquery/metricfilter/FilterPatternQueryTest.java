package dev.trailquery.metricfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.Trailquery;
import dev.trailquery.e2e.CloudTrailOracle;
import dev.trailquery.exec.Result;
import dev.trailquery.lang.QueryException;
import dev.trailquery.pack.WatchPack;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.value.Timestamp;
import dev.trailquery.value.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Metric filters compiled into the engine: {@code filterPattern} inside queries, and {@link
 * MetricFilter#toQuery}, checked against hand-written expectations and independent Jackson walks.
 */
class FilterPatternQueryTest {
  @TempDir static Path dir;

  static Result run(String query, Path input) throws IOException {
    return Trailquery.run(
        Trailquery.compile(query, Planner.Options.defaults()),
        List.of(new LocalFileSource(input)),
        1,
        dev.trailquery.exec.Scan.Listener.NONE);
  }

  static long count(String query, Path input) throws IOException {
    Result r = run(query + " | stats count(*) as n", input);
    return r.rows().isEmpty() ? 0 : Values.toNumber(r.rows().getFirst()[0]).longValue();
  }

  static Path event() throws IOException {
    Path f = dir.resolve("event.json");
    if (!Files.exists(f)) {
      Files.writeString(f, "{\"Records\":[" + PatternMatchTest.EVENT + "]}");
    }
    return f;
  }

  /**
   * Where the engine differs from the JSON-tree matcher, on purpose (documented in LANGUAGE.md): a
   * selector without wildcard that reaches an object or array reads as its JSON text.
   */
  static final Map<String, Boolean> DOCUMENTED =
      Map.of(
          "{ $.userIdentity = \"*\" }", true,
          "{ $.resources = \"*\" }", true,
          "{ $.requestParameters.nested != 1 }", true);

  @ParameterizedTest
  @MethodSource("dev.trailquery.metricfilter.PatternMatchTest#cases")
  void everyOperatorAndWildcardCaseInAQuery(String pattern, boolean expected) throws IOException {
    boolean want = DOCUMENTED.getOrDefault(pattern, expected);
    String q = "filter filterPattern(" + MetricFilter.literal(pattern) + ")";
    assertThat(count(q, event())).as(pattern).isEqualTo(want ? 1 : 0);
    // The boolean form and the value form agree.
    String v = "filter ispresent(filterPattern(" + MetricFilter.literal(pattern) + ", '1'))";
    assertThat(count(v, event())).as(pattern).isEqualTo(want ? 1 : 0);
  }

  @Test
  void packFiltersOnTheSamplesAgreeWithIndependentPredicates() throws IOException {
    Path samples = CloudTrailOracle.samples().dir();
    List<JsonNode> records = PackOnSamplesTest.records();
    int nonZero = 0;
    for (Map.Entry<String, Predicate<JsonNode>> e : PackOnSamplesTest.ORACLE.entrySet()) {
      String pattern =
          WatchPack.get().metricFilter(e.getKey()).orElseThrow().filter().pattern().text();
      long expected = records.stream().filter(e.getValue()).count();
      long actual = count("filter filterPattern(" + MetricFilter.literal(pattern) + ")", samples);
      assertThat(actual).as(e.getKey()).isEqualTo(expected);
      nonZero += expected > 0 ? 1 : 0;
    }
    assertThat(nonZero).isGreaterThanOrEqualTo(5);
  }

  @Test
  void nullsAndMissingMembersAreTold() throws IOException {
    Path f = dir.resolve("nulls.json");
    Files.writeString(
        f,
        """
        {"eventName":"A","userIdentity":{"type":"Root","invokedBy":null},"errorCode":null}
        {"eventName":"B","userIdentity":{"type":"Root"}}
        {"eventName":"C","userIdentity":{"type":"Root","invokedBy":"x.amazonaws.com"}}
        {"eventName":"D","errorCode":"AccessDenied","resources":[{"ARN":"a"},{"ARN":null}]}
        {"eventName":"E","cluster.name":"prod","tags":{"env":"dev"}}
        """);
    assertThat(names("{ $.userIdentity.invokedBy NOT EXISTS }", f)).containsExactly("B", "D", "E");
    assertThat(names("{ $.userIdentity.invokedBy IS NULL }", f)).containsExactly("A");
    assertThat(names("{ $.errorCode IS NULL }", f)).containsExactly("A");
    assertThat(names("{ $.errorCode NOT EXISTS }", f)).containsExactly("B", "C", "E");
    assertThat(names("{ $.resources[*].ARN IS NULL }", f)).containsExactly("D");
    assertThat(names("{ $.resources[1].ARN NOT EXISTS }", f)).containsExactly("A", "B", "C", "E");
    assertThat(names("{ $.['cluster.name'] = prod }", f)).containsExactly("E");
    assertThat(names("{ $.* = AccessDenied }", f)).containsExactly("D");
    assertThat(names("{ $.tags.* = dev }", f)).containsExactly("E");
  }

  static List<String> names(String pattern, Path f) throws IOException {
    Result r =
        run(
            "filter filterPattern("
                + MetricFilter.literal(pattern)
                + ") | fields eventName | sort eventName asc",
            f);
    return r.rows().stream().map(row -> (String) row[0]).toList();
  }

  @Test
  void patternErrorsPointIntoTheQuery() {
    String q = "filter filterPattern('{ $.eventName = }')";
    assertThatThrownBy(() -> Trailquery.compile(q, Planner.Options.defaults()))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> {
              assertThat(e.error().code()).startsWith("TQ40");
              assertThat(e.error().message()).startsWith("filterPattern: ");
              int at = e.error().span().start();
              assertThat(at).isBetween(q.indexOf('{'), q.lastIndexOf('\''));
            });
    assertThatThrownBy(
            () -> Trailquery.compile("filter filterPattern(eventName)", Planner.Options.defaults()))
        .isInstanceOfSatisfying(
            QueryException.class, e -> assertThat(e.error().code()).isEqualTo("TQ2203"));
    assertThatThrownBy(
            () ->
                Trailquery.compile(
                    "fields filterPattern('{ $.a = 1 }', 'x.y') as v", Planner.Options.defaults()))
        .isInstanceOfSatisfying(
            QueryException.class, e -> assertThat(e.error().code()).isEqualTo("TQ4011"));
  }

  @Test
  void escapedPatternPositions() {
    // The \" escapes shift raw positions: the error is at the bad token in the raw text.
    String q = "filter filterPattern(\"{ $.a = \\\"x\\\" && }\")";
    assertThatThrownBy(() -> Trailquery.compile(q, Planner.Options.defaults()))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> assertThat(e.error().span().start()).isBetween(q.indexOf("&&"), q.length() - 2));
  }

  /** The metric query against {@link MetricSeries} (the JSON-tree implementation) per bin. */
  @Test
  void metricQueryEqualsMetricSeriesWithDefaultValue() throws IOException {
    MetricFilter f = WatchPack.get().metricFilter("assume-role-duration").orElseThrow().filter();
    assertSeriesAgree(f, 60_000L, "1m");
    assertSeriesAgree(f, 300_000L, "5m");
  }

  @Test
  void metricQueryWithDimensionsEqualsMetricSeries() throws IOException {
    MetricFilter f =
        MetricFilter.of(
            "by-source",
            "{ $.errorCode = \"*\" }",
            "Errors",
            "test",
            "1",
            null,
            new java.util.LinkedHashMap<>(
                Map.of("Source", "$.eventSource", "User Type", "$.userIdentity.type")),
            null);
    assertSeriesAgree(f, 3_600_000L, "1h");
  }

  static void assertSeriesAgree(MetricFilter f, long binMillis, String bin) throws IOException {
    MetricSeries series = new MetricSeries(f, binMillis);
    for (CloudTrailOracle.Rec rec : CloudTrailOracle.samples().records()) {
      Long t = rec.millis();
      series.add(rec.node(), t == null ? Long.MIN_VALUE : t);
    }
    TreeMap<String, List<Double>> expected = new TreeMap<>();
    for (MetricSeries.Datapoint dp : series.datapoints()) {
      expected.put(
          dp.binStartMillis() + " " + dp.dimensions(),
          List.of(dp.sum(), (double) dp.sampleCount(), dp.minimum(), dp.maximum()));
    }
    Result r = run(f.toQuery(bin), CloudTrailOracle.samples().dir());
    int dims = f.dimensions().size();
    assertThat(r.fields().subList(dims + 1, r.fields().size()))
        .containsExactly("sum", "sampleCount", "minimum", "maximum", "average");
    TreeMap<String, List<Double>> actual = new TreeMap<>();
    for (Object[] row : r.rows()) {
      List<String> dv = new java.util.ArrayList<>();
      for (int i = 1; i <= dims; i++) {
        dv.add(Values.toText(row[i]));
      }
      double sum = Values.toNumber(row[dims + 1]);
      double n = Values.toNumber(row[dims + 2]);
      assertThat(Values.toNumber(row[dims + 5])).isEqualTo(sum / n);
      actual.put(
          ((Timestamp) row[0]).millis() + " " + dv,
          List.of(sum, n, Values.toNumber(row[dims + 3]), Values.toNumber(row[dims + 4])));
    }
    assertThat(expected).isNotEmpty();
    assertThat(actual).isEqualTo(expected);
    assertThat(Set.copyOf(r.fields())).contains("bin");
  }
}
