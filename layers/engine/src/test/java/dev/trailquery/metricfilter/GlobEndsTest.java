package dev.trailquery.metricfilter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * A metric-filter glob matches the whole value: a leading {@code *} means "ends with" the rest, a
 * trailing one "starts with", and inner pieces must fit between the ends in order.
 */
class GlobEndsTest {
  static final ObjectMapper M = new ObjectMapper();

  static boolean matches(String pattern, String errorCode) {
    ObjectNode e = M.createObjectNode();
    e.put("errorCode", errorCode);
    return MetricPattern.compile("{ $.errorCode = \"" + pattern + "\" }").matches(e);
  }

  @Test
  void leadingStarMeansEndsWith() {
    assertThat(matches("*Unauthorized", "Client.Unauthorized")).isTrue();
    assertThat(matches("*Unauthorized", "Unauthorized")).isTrue();
    assertThat(matches("*Unauthorized", "Client.UnauthorizedOperation")).isFalse();
    assertThat(matches("*Unauthorized", "UnauthorizedX")).isFalse();
  }

  @Test
  void trailingStarMeansStartsWith() {
    assertThat(matches("Access*", "AccessDenied")).isTrue();
    assertThat(matches("Access*", "Access")).isTrue();
    assertThat(matches("Access*", "NoAccessDenied")).isFalse();
  }

  @Test
  void innerPiecesFitBetweenTheEndsInOrder() {
    assertThat(matches("A*b*C", "AxbyC")).isTrue();
    assertThat(matches("A*b*C", "AbC")).isTrue();
    assertThat(matches("A*b*C", "AxCb")).isFalse(); // b after the end piece
    assertThat(matches("A*b*C", "AC")).isFalse();
    assertThat(matches("Ab*bC", "AbC")).isFalse(); // the ends overlap
    assertThat(matches("A*b*c*D", "AcbD")).isFalse(); // pieces out of order
    assertThat(matches("A*b*c*D", "AbcD")).isTrue();
    assertThat(matches("*", "")).isTrue();
  }

  @Test
  void anInnerPieceMayNotReuseTheEndPiece() {
    // "A*C*C" needs two C's after the A: the one C of "AC" is the end piece, not the inner one
    assertThat(matches("A*C*C", "AC")).isFalse();
    assertThat(matches("A*C*C", "ACC")).isTrue();
    assertThat(matches("A*C*C", "AxCyC")).isTrue();
  }

  @Test
  void anInnerPieceMayStartTheValueWhenTheFirstPieceIsEmpty() {
    assertThat(matches("*b*C", "bC")).isTrue(); // the inner piece at index 0
    assertThat(matches("*C*C", "CC")).isTrue();
    assertThat(matches("*C*C", "C")).isFalse();
  }
}
