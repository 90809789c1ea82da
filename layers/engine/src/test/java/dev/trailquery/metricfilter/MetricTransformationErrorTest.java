package dev.trailquery.metricfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trailquery.lang.QueryException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad metric values and dimensions: code TQ4011, the whole message, and where it points. */
class MetricTransformationErrorTest {

  static QueryException fails(String value, Map<String, String> dims) {
    QueryException e =
        catchThrowableOfType(
            QueryException.class,
            () -> MetricFilter.of("f", "", "M", "ns", value, null, dims, null));
    assertThat(e).as(value + " " + dims).isNotNull();
    assertThat(e.error().code()).isEqualTo("TQ4011");
    return e;
  }

  @Test
  void aMissingMetricValue() {
    QueryException e = fails(null, Map.of());
    assertThat(e.error().message()).isEqualTo("missing metric value");
    assertThat(e.error().span().start()).isZero();
    assertThat(fails("  ", Map.of()).error().message()).isEqualTo("missing metric value");
    assertThat(fails("1", Map.of("A", " ")).error().message()).isEqualTo("missing dimension value");
  }

  @Test
  void neitherANumberNorASelector() {
    QueryException e = fails("abc", Map.of());
    assertThat(e.error().message())
        .isEqualTo("metric value must be a number or a selector such as $.eventName");
    assertThat(e.error().span().start()).isZero();
    assertThat(e.error().span().end()).isEqualTo(3);
    // a dimension is never a number
    assertThat(fails("1", Map.of("A", "eventName")).error().message())
        .isEqualTo("dimension value must be a selector such as $.eventName");
    assertThat(fails("1", Map.of("A", "7")).error().message())
        .isEqualTo("dimension value must be a selector such as $.eventName");
  }

  @Test
  void aWildcardSelectorIsRefusedAsItIs() {
    // the message is the filter's own, not wrapped as a selector syntax error
    assertThat(fails("1", Map.of("A", "$.a[*]")).error().message())
        .isEqualTo("dimension value must be a single property selector without wildcards");
    assertThat(fails("$.tags.*", Map.of()).error().message())
        .isEqualTo("metric value must be a single property selector without wildcards");
  }

  @Test
  void aSelectorSyntaxErrorPointsIntoTheValue() {
    // "$.a[x]": the bad index 'x' is the value's 5th character (offset 4)
    QueryException e = fails("$.a[x]", Map.of());
    assertThat(e.error().message()).startsWith("metric value: ").contains("expected an index");
    assertThat(e.error().span().start()).isEqualTo(4);
    assertThat(e.error().span().end()).isEqualTo(5);
  }
}
