package dev.trailquery.metricfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.trailquery.lang.QueryException;
import org.junit.jupiter.api.Test;

/** The parser's limits exactly at their edge, and patterns cut off anywhere. */
class PatternLimitsTest {
  static QueryException fails(String pattern) {
    Throwable t = catchThrowable(() -> MetricPattern.compile(pattern));
    assertThat(t).as(pattern).isInstanceOf(QueryException.class);
    return (QueryException) t;
  }

  @Test
  void aPatternOfExactlyTheMaximumLengthIsAccepted() {
    String head = "{ $.a = \"";
    String tail = "\" }";
    String max = head + "x".repeat(PatternParser.MAX_LENGTH - head.length() - tail.length()) + tail;
    assertThat(max).hasSize(1024);
    assertThat(MetricPattern.compile(max).text()).isEqualTo(max);
    String over = head + "x".repeat(max.length() - head.length() - tail.length() + 1) + tail;
    assertThat(fails(over).error().code()).isEqualTo("TQ4009");
  }

  @Test
  void ninetyNineParenthesesAreTheDeepestNesting() {
    // the pattern's own expression is level 1, each '(' one more: 99 of them are level 100
    String ok = "{ " + "(".repeat(99) + "$.a = 1" + ")".repeat(99) + " }";
    assertThat(MetricPattern.compile(ok).text()).isEqualTo(ok);
    String deep = "{ " + "(".repeat(100) + "$.a = 1" + ")".repeat(100) + " }";
    assertThat(fails(deep).error().message()).isEqualTo("pattern nested too deeply");
  }

  static final String FULL =
      "{ ($.a.b[12].c = \"x\\\"y*\" || $.d IS TRUE) && $.e != %a\\.b% && $['f.g'] NOT EXISTS"
          + " && $.n >= -1.5e3 }";

  @Test
  void everyCutOffPatternIsASyntaxErrorInsideIt() {
    assertThat(MetricPattern.compile(FULL).selectors()).hasSize(5);
    for (int len = 1; len < FULL.length(); len++) {
      String cut = FULL.substring(0, len);
      if (cut.isBlank()) {
        continue;
      }
      QueryException e = fails(cut);
      assertThat(e.error().code()).as(cut).startsWith("TQ40");
      assertThat(e.error().span().start()).as(cut).isBetween(0, len);
      assertThat(e.error().span().end()).as(cut).isBetween(e.error().span().start(), len);
    }
  }

  @Test
  void theEndOfThePatternIsNamedAsSuch() {
    QueryException value = fails("{ $.a =");
    assertThat(value.error().message())
        .isEqualTo("unexpected end of pattern, expected a value after '='");
    assertThat(value.error().span().start()).isEqualTo(7);
    QueryException dot = fails("{ $.a.");
    assertThat(dot.error().message())
        .isEqualTo("unexpected end of pattern, expected a property name after '.'");
    QueryException paren = fails("{ ($.a = 1");
    assertThat(paren.error().message())
        .isEqualTo("unexpected end of pattern, expected ')' to close the '(' at column 3");
    assertThat(paren.error().span().start()).isEqualTo(10);
    assertThat(paren.error().span().end()).isEqualTo(10);
    QueryException brace = fails("{ ($.a = 1 }");
    assertThat(brace.error().message()).startsWith("unexpected '}', expected ')'");
    assertThat(brace.error().span().end()).isEqualTo(12);
  }

  @Test
  void regexErrorsSpanTheWholeRegex() {
    QueryException empty = fails("{ $.a = %% }");
    assertThat(empty.error().message()).isEqualTo("empty regex");
    assertThat(empty.error().span().start()).isEqualTo(8);
    assertThat(empty.error().span().end()).isEqualTo(10);
    String three = "{ $.a = %a% || $.b = %b% || $.c = %cd% }";
    QueryException third = fails(three);
    assertThat(third.error().message()).isEqualTo("a pattern may have at most 2 regexes");
    assertThat(third.error().span().start()).isEqualTo(three.indexOf("%cd%"));
    assertThat(third.error().span().end()).isEqualTo(three.indexOf("%cd%") + 4);
    QueryException bad = fails("{ $.a = %a**% }");
    assertThat(bad.error().message()).startsWith("bad regex: ");
    assertThat(bad.error().span().start()).isEqualTo(8);
    assertThat(bad.error().span().end()).isEqualTo(13);
    // the first character past ASCII is named as non-ASCII too
    assertThat(fails("{ $.a = %\u0080% }").error().message())
        .isEqualTo("non-ASCII characters are not supported in metric-filter regexes");
  }

  @Test
  void aBracketedNameMayStartWithABracket() {
    assertThat(MetricPattern.compile("{ $[']x'] = 1 }").matches("{\"]x\":1}")).isTrue();
    assertThat(MetricPattern.compile("{ $[']x'] = 1 }").matches("{\"x\":1}")).isFalse();
  }
}
