package dev.trailquery.metricfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.lang.QueryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MetricSeries} and the parts of {@link MetricFilter} it uses, on a handful of hand-made
 * records whose datapoints are counted by hand in each test.
 */
class MetricSeriesTest {
  private static final ObjectMapper M = new ObjectMapper();

  private static JsonNode rec(String json) {
    try {
      return M.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static final long MIN = 60_000L;

  /** Duration of AssumeRole calls, summed per minute, with or without a default value. */
  private static MetricFilter duration(Double dflt) {
    return MetricFilter.of(
        "d",
        "{ $.eventName = AssumeRole }",
        "Duration",
        "test",
        "$.requestParameters.durationSeconds",
        dflt,
        Map.of(),
        null);
  }

  private static JsonNode assume(Object seconds) {
    return rec(
        "{\"eventName\":\"AssumeRole\",\"requestParameters\":{\"durationSeconds\":"
            + (seconds instanceof String s ? "\"" + s + "\"" : String.valueOf(seconds))
            + "}}");
  }

  private static final JsonNode OTHER = rec("{\"eventName\":\"GetObject\"}");

  @Test
  void addSaysWhetherTheRecordAddedAValue() {
    MetricSeries s = new MetricSeries(duration(null));
    assertThat(s.add(assume(900), 0)).isTrue();
    assertThat(s.add(OTHER, 0)).isFalse(); // no match
    assertThat(s.add(assume("soon"), 0)).isFalse(); // not numeric
    assertThat(s.add(rec("{\"eventName\":\"AssumeRole\"}"), 0)).isFalse(); // value missing
    assertThat(s.add(assume(900), Long.MIN_VALUE)).isFalse(); // no time
    // one datapoint: the single value that was added
    assertThat(s.datapoints())
        .containsExactly(new MetricSeries.Datapoint(0, List.of(), 900, 1, 900, 900));
  }

  @Test
  void valuesOfOneBinAddUpAndTheirExtremesAreKept() {
    MetricSeries s = new MetricSeries(duration(null));
    // minute 0: 900, 3600 and "1200" (a numeric string) -> sum 5700, 3 samples, min 900, max 3600
    s.add(assume(3600), 5_000);
    s.add(assume(900), 59_999);
    s.add(assume("1200"), 30_000);
    // minute 2: 60 alone; minute 1 has no record, so no datapoint
    s.add(assume(60), 2 * MIN);
    assertThat(s.datapoints())
        .containsExactly(
            new MetricSeries.Datapoint(0, List.of(), 5700, 3, 900, 3600),
            new MetricSeries.Datapoint(2 * MIN, List.of(), 60, 1, 60, 60));
  }

  @Test
  void aBinReadWithoutMatchesGetsTheDefaultValueButARecordWithoutTimeReadsNoBin() {
    MetricSeries s = new MetricSeries(duration(0.0));
    s.add(OTHER, 10); // minute 0 read, nothing matched: default 0
    s.add(assume(100), MIN + 1); // minute 1: 100
    s.add(OTHER, MIN + 2); // minute 1 already has a value: no default added
    s.add(OTHER, Long.MIN_VALUE); // no time: no bin at all
    assertThat(s.datapoints())
        .containsExactly(
            new MetricSeries.Datapoint(0, List.of(), 0, 1, 0, 0),
            new MetricSeries.Datapoint(MIN, List.of(), 100, 1, 100, 100));
  }

  @Test
  void negativeTimesFallInTheBinBeforeZero() {
    MetricSeries s = new MetricSeries(duration(null));
    s.add(assume(7), -1); // floor: the minute starting at -60 s
    assertThat(s.datapoints().getFirst().binStartMillis()).isEqualTo(-MIN);
  }

  @Test
  void mergeEqualsOneSeriesOverAllRecords() {
    MetricFilter f = duration(5.0);
    MetricSeries a = new MetricSeries(f);
    MetricSeries b = new MetricSeries(f);
    a.add(assume(10), 0); // minute 0: 10 (a) and 40, 2 (b): sum 52, 3 samples, min 2, max 40
    b.add(assume(40), 1);
    b.add(assume(2), 2);
    a.add(OTHER, MIN); // minute 1 read by a only, nothing matched: the default 5
    b.add(OTHER, 3 * MIN); // minute 3 read by b only: the default 5
    a.merge(b);
    assertThat(a.datapoints())
        .containsExactly(
            new MetricSeries.Datapoint(0, List.of(), 52, 3, 2, 40),
            new MetricSeries.Datapoint(MIN, List.of(), 5, 1, 5, 5),
            new MetricSeries.Datapoint(3 * MIN, List.of(), 5, 1, 5, 5));
    // b is unchanged: minute 0 with 40 and 2, minute 3 with the default
    assertThat(b.datapoints())
        .containsExactly(
            new MetricSeries.Datapoint(0, List.of(), 42, 2, 2, 40),
            new MetricSeries.Datapoint(3 * MIN, List.of(), 5, 1, 5, 5));
  }

  @Test
  void seriesOfDifferentBinsDoNotMergeAndABinMustBePositive() {
    MetricFilter f = duration(null);
    assertThatThrownBy(() -> new MetricSeries(f, MIN).merge(new MetricSeries(f, 5 * MIN)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MetricSeries(f, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new MetricSeries(f, 1).add(assume(1), 3)).isTrue();
  }

  @Test
  void dimensionsSplitDatapointsAndARecordMissingOneAddsNothing() {
    Map<String, String> dims = new LinkedHashMap<>();
    dims.put("Type", "$.userIdentity.type");
    dims.put("Region", "$.awsRegion");
    MetricFilter f = MetricFilter.of("n", "", "Calls", "test", "1", null, dims, null);
    MetricSeries s = new MetricSeries(f);
    String root = "{\"userIdentity\":{\"type\":\"Root\"},\"awsRegion\":";
    assertThat(s.add(rec(root + "\"eu-west-1\"}"), 0)).isTrue();
    assertThat(s.add(rec(root + "\"eu-west-1\"}"), 1)).isTrue();
    assertThat(s.add(rec(root + "\"us-east-1\"}"), 2)).isTrue();
    assertThat(s.add(rec(root + "7}"), 3)).isTrue(); // a number: its text
    assertThat(s.add(rec(root + "null}"), 4)).isFalse(); // JSON null
    assertThat(s.add(rec(root + "{\"a\":1}}"), 5)).isFalse(); // an object
    assertThat(s.add(rec(root + "[1]}"), 6)).isFalse(); // an array
    assertThat(s.add(rec("{\"awsRegion\":\"eu-west-1\"}"), 7)).isFalse(); // first one missing
    // ordered by bin, then by the dimension values as text ("7" < "eu-west-1" < "us-east-1")
    assertThat(s.datapoints())
        .containsExactly(
            new MetricSeries.Datapoint(0, List.of("Root", "7"), 1, 1, 1, 1),
            new MetricSeries.Datapoint(0, List.of("Root", "eu-west-1"), 2, 2, 1, 1),
            new MetricSeries.Datapoint(0, List.of("Root", "us-east-1"), 1, 1, 1, 1));
    assertThat(f.dimensionValues(rec(root + "\"x\"}"))).containsExactly("Root", "x");
  }

  @Test
  void theMetricValueOfARecord() {
    MetricFilter f = duration(null);
    assertThat(f.value(assume(900))).isEqualTo(900.0);
    assertThat(f.value(assume(" 12.5 "))).isEqualTo(12.5); // numeric text, blanks stripped
    assertThat(f.value(assume(""))).isNull();
    assertThat(f.value(assume("12 apples"))).isNull();
    assertThat(f.value(assume(true))).isNull();
    assertThat(f.value(OTHER)).isNull(); // missing
    assertThat(f.valueOf(OTHER)).isNull(); // no match
    assertThat(f.valueOf(assume(60))).isEqualTo(60.0);
    MetricFilter constant =
        MetricFilter.of("c", "", "Calls", "test", " 2.5 ", null, Map.of(), null);
    assertThat(constant.valueOf(OTHER)).isEqualTo(2.5);
  }

  @Test
  void numbersAsTheFilterSeesThem() {
    assertThat(MetricPattern.number(rec("3"))).isEqualTo(3.0);
    assertThat(MetricPattern.number(M.getNodeFactory().textNode(" -4e2 "))).isEqualTo(-400.0);
    assertThat(MetricPattern.number(M.getNodeFactory().textNode(".5"))).isEqualTo(0.5);
    assertThat(MetricPattern.number(M.getNodeFactory().textNode("   "))).isNull();
    assertThat(MetricPattern.number(M.getNodeFactory().textNode("0x10"))).isNull();
    assertThat(MetricPattern.number(M.getNodeFactory().booleanNode(true))).isNull();
    assertThat(MetricPattern.number(M.getNodeFactory().nullNode())).isNull();
  }

  @Test
  void aCountingFilterCountsEveryMatch() {
    MetricFilter f = MetricFilter.counting("RootLogins", "{ $.userIdentity.type = Root }");
    assertThat(f.name()).isEqualTo("RootLogins");
    assertThat(f.metricName()).isEqualTo("RootLogins");
    assertThat(f.metricNamespace()).isEqualTo("trailquery");
    assertThat(f.metricValue()).isEqualTo("1");
    assertThat(f.defaultValue()).isNull();
    assertThat(f.dimensions()).isEmpty();
    assertThat(f.unit()).isNull();
    MetricSeries s = new MetricSeries(f);
    s.add(rec("{\"userIdentity\":{\"type\":\"Root\"}}"), 0);
    s.add(rec("{\"userIdentity\":{\"type\":\"IAMUser\"}}"), 0);
    s.add(rec("{\"userIdentity\":{\"type\":\"Root\"}}"), 0);
    assertThat(s.datapoints())
        .containsExactly(new MetricSeries.Datapoint(0, List.of(), 2, 2, 1, 1));
  }

  @Test
  void threeDimensionsAreAllowedFourAreNot() {
    Map<String, String> three = new LinkedHashMap<>();
    three.put("A", "$.a");
    three.put("B", "$.b");
    three.put("C", "$.c");
    assertThat(MetricFilter.of("t", "", "M", "n", "1", null, three, null).dimensions()).hasSize(3);
    Map<String, String> four = new LinkedHashMap<>(three);
    four.put("D", "$.d");
    assertThatThrownBy(() -> MetricFilter.of("t", "", "M", "n", "1", null, four, null))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("at most 3 dimensions, not 4");
  }

  @Test
  void aDefaultValueIsWrittenAsTheQueryShowsNumbers() {
    // whole numbers without a fraction, others as Java prints them, huge ones in exponent form
    assertThat(duration(0.0).toQuery("1m")).contains("if(valueCount > 0, valueSum, 0) as sum");
    assertThat(duration(-3.0).toQuery("1m")).contains("if(valueCount > 0, valueMin, -3) as");
    assertThat(duration(0.25).toQuery("1m")).contains("if(valueCount > 0, valueMax, 0.25) as");
    assertThat(duration(1e15).toQuery("1m")).contains("valueSum, 1.0E15) as sum");
    assertThat(duration(999_999_999_999_999.0).toQuery("1m"))
        .contains("valueSum, 999999999999999) as sum");
    assertThat(duration(null).toQuery("1m")).contains("valueSum as sum, valueCount as sampleCount");
  }

  @Test
  void patternsPrintAsTheirTextAndListTheirSelectors() {
    MetricPattern p = MetricPattern.compile("{ $.a = 1 && $.b[*].c = x }");
    assertThat(p).hasToString("{ $.a = 1 && $.b[*].c = x }");
    assertThat(p.selectors()).extracting(Selector::text).containsExactly("$.a", "$.b[*].c");
    assertThat(p.selectors()).extracting(Selector::hasWildcard).containsExactly(false, true);
    assertThat(p.selectors().getLast()).hasToString("$.b[*].c");
    assertThat(
            p.filter(
                List.of(
                    rec("{\"a\":1,\"b\":[{\"c\":\"y\"},{\"c\":\"x\"}]}"),
                    rec("{\"a\":2,\"b\":[{\"c\":\"x\"}]}"),
                    rec("{\"a\":\"1\",\"b\":[{\"c\":\"x\"}]}"))))
        .extracting(r -> r.get("a").asText())
        .containsExactly("1", "1");
  }
}
