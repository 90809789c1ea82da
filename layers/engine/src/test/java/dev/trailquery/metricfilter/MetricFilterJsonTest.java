package dev.trailquery.metricfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.lang.QueryException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Metric filters in CloudWatch's JSON shapes: one PutMetricFilter object, an array, the output of
 * {@code aws logs describe-metric-filters}; CloudWatch's defaults where a field is left out; every
 * shape error named; {@code toJson} reads back as the same filter.
 */
class MetricFilterJsonTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static final String FULL =
      """
      {"filterName": "unauthorized", "filterPattern": "{ $.errorCode = \\"AccessDenied\\" }",
       "logGroupName": "trail", "creationTime": 1,
       "metricTransformations": [{"metricName": "Unauthorized", "metricNamespace": "CIS",
         "metricValue": "$.requestParameters.n", "dimensions": {"event": "$.eventName"},
         "unit": "Count"}]}
      """;

  @Test
  void aFullFilterKeepsEveryField() {
    MetricFilter f = MetricFilterJson.parse(json(FULL));
    assertThat(f.name()).isEqualTo("unauthorized");
    assertThat(f.pattern().text()).isEqualTo("{ $.errorCode = \"AccessDenied\" }");
    assertThat(f.metricName()).isEqualTo("Unauthorized");
    assertThat(f.metricNamespace()).isEqualTo("CIS");
    assertThat(f.metricValue()).isEqualTo("$.requestParameters.n");
    assertThat(f.defaultValue()).isNull();
    assertThat(f.dimensions()).isEqualTo(Map.of("event", "$.eventName"));
    assertThat(f.unit()).isEqualTo("Count");
  }

  @Test
  void leftOutFieldsTakeCloudWatchDefaults() {
    MetricFilter f = MetricFilterJson.parse(json("{\"filterPattern\": \"{ $.a = 1 }\"}"));
    assertThat(f.name()).isEqualTo("metric-filter");
    assertThat(f.metricName()).isEqualTo("metric-filter"); // the filter's name
    assertThat(f.metricNamespace()).isEqualTo("trailquery");
    assertThat(f.metricValue()).isEqualTo("1");
    assertThat(f.defaultValue()).isNull();
    assertThat(f.dimensions()).isEmpty();
    assertThat(f.unit()).isNull();
    // blank or null texts are left out too; a named filter names its metric
    MetricFilter g =
        MetricFilterJson.parse(
            json(
                "{\"filterName\": \"n\", \"filterPattern\": \"{ $.a = 1 }\", \"metricTransformations\":"
                    + " [{\"metricName\": \" \", \"metricNamespace\": null, \"metricValue\": null,"
                    + " \"defaultValue\": 0, \"dimensions\": null, \"unit\": \"\"}]}"));
    assertThat(g.metricName()).isEqualTo("n");
    assertThat(g.metricNamespace()).isEqualTo("trailquery");
    assertThat(g.metricValue()).isEqualTo("1");
    assertThat(g.defaultValue()).isEqualTo(0.0);
    assertThat(g.unit()).isNull();
    assertThat(
            MetricFilterJson.parse(
                    json("{\"filterPattern\":\"{ $.a = 1 }\",\"metricTransformations\":null}"))
                .metricValue())
        .isEqualTo("1");
  }

  @Test
  void allThreeShapesOfAList() {
    String one = "{\"filterName\": \"a\", \"filterPattern\": \"{ $.a = 1 }\"}";
    String two = "{\"filterName\": \"b\", \"filterPattern\": \"{ $.b = 2 }\"}";
    assertThat(names(MetricFilterJson.parseAll(json(one)))).containsExactly("a");
    assertThat(names(MetricFilterJson.parseAll(json("[" + one + "," + two + "]"))))
        .containsExactly("a", "b");
    assertThat(
            names(
                MetricFilterJson.parseAll(json("{\"metricFilters\": [" + two + "," + one + "]}"))))
        .containsExactly("b", "a");
    assertThatThrownBy(() -> MetricFilterJson.parseAll(json("[]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no metric filter in the JSON");
    assertThatThrownBy(() -> MetricFilterJson.parseAll(json("{\"metricFilters\": []}")))
        .hasMessage("no metric filter in the JSON");
  }

  static List<String> names(List<MetricFilter> fs) {
    return fs.stream().map(MetricFilter::name).toList();
  }

  @Test
  void shapeErrorsAreNamed() {
    assertError("[1]", "a metric filter must be a JSON object");
    assertError(
        "{\"filterPattern\": \"{ $.a = 1 }\", \"typo\": 1}", "unknown metric filter field 'typo'");
    assertError("{\"filterName\": \"x\"}", "filterPattern (a string) is required");
    assertError("{\"filterPattern\": 5}", "filterPattern (a string) is required");
    assertError(
        "{\"filterPattern\": \"{ $.a = 1 }\", \"metricTransformations\": []}",
        "metricTransformations must be an array of exactly one object");
    assertError(
        "{\"filterPattern\": \"{ $.a = 1 }\", \"metricTransformations\": [{}, {}]}",
        "metricTransformations must be an array of exactly one object");
    assertError(
        "{\"filterPattern\": \"{ $.a = 1 }\", \"metricTransformations\": [1]}",
        "metricTransformations must be an array of exactly one object");
    assertError(
        "{\"filterPattern\": \"{ $.a = 1 }\", \"metricTransformations\": {\"metricName\": \"m\"}}",
        "metricTransformations must be an array of exactly one object");
    assertError(
        "{\"filterPattern\": \"{ $.a = 1 }\", \"metricTransformations\": [{\"metricNames\": \"m\"}]}",
        "unknown metric transformation field 'metricNames'");
    assertError(
        "{\"filterPattern\": \"{ $.a = 1 }\", \"metricTransformations\": [{\"dimensions\": [1]}]}",
        "dimensions must be an object of name to selector");
    assertError(
        "{\"filterPattern\": \"{ $.a = 1 }\", \"metricTransformations\": [{\"defaultValue\": \"0\"}]}",
        "defaultValue must be a number");
    // the pattern's and the transformation's own errors are QueryExceptions
    assertThatThrownBy(() -> MetricFilterJson.parse(json("{\"filterPattern\": \"{ $.a = }\"}")))
        .isInstanceOf(QueryException.class);
    assertThatThrownBy(
            () ->
                MetricFilterJson.parse(
                    json(
                        "{\"filterPattern\": \"{ $.a = 1 }\", \"metricTransformations\": [{\"metricValue\":"
                            + " \"not a selector\"}]}")))
        .isInstanceOf(QueryException.class);
  }

  /** Equal filters (the compiled pattern compares by its text). */
  static void assertSame(MetricFilter a, MetricFilter b) {
    assertThat(a.pattern().text()).isEqualTo(b.pattern().text());
    assertThat(a).usingRecursiveComparison().ignoringFields("pattern").isEqualTo(b);
  }

  static void assertError(String text, String message) {
    assertThatThrownBy(() -> MetricFilterJson.parseAll(json(text)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void toJsonReadsBackAsTheSameFilter() {
    MetricFilter full = MetricFilterJson.parse(json(FULL));
    JsonNode out = MetricFilterJson.toJson(full);
    assertThat(out)
        .isEqualTo(
            json(
                """
                {"filterName": "unauthorized", "filterPattern": "{ $.errorCode = \\"AccessDenied\\" }",
                 "metricTransformations": [{"metricName": "Unauthorized", "metricNamespace": "CIS",
                   "metricValue": "$.requestParameters.n", "dimensions": {"event": "$.eventName"},
                   "unit": "Count"}]}
                """));
    assertSame(MetricFilterJson.parse(out), full);
    MetricFilter withDefault =
        MetricFilterJson.parse(
            json(
                "{\"filterName\":\"d\",\"filterPattern\":\"{ $.a = 1 }\",\"metricTransformations\":"
                    + "[{\"defaultValue\": 2.5}]}"));
    JsonNode d = MetricFilterJson.toJson(withDefault);
    assertThat(d.at("/metricTransformations/0/defaultValue").asDouble()).isEqualTo(2.5);
    assertThat(d.at("/metricTransformations/0").has("dimensions")).isFalse();
    assertThat(d.at("/metricTransformations/0").has("unit")).isFalse();
    assertSame(MetricFilterJson.parse(d), withDefault);
  }
}
