package dev.trailquery.metricfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.trailquery.lang.QueryException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad patterns: code, line, column (counted by hand) and message. */
class PatternErrorTest {

  static QueryException fails(String pattern) {
    QueryException e =
        catchThrowableOfType(QueryException.class, () -> MetricPattern.compile(pattern));
    assertThat(e).as(pattern).isNotNull();
    return e;
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        arguments("ERROR ARGUMENTS", 1, 1, "TQ4001", "not a JSON pattern"),
        arguments("[ip, user]", 1, 1, "TQ4001", "space-delimited"),
        arguments("{ }", 1, 3, "TQ4002", "empty pattern"),
        arguments("{ $.a = 1", 1, 10, "TQ4002", "expected '}'"),
        arguments("{ $.a = 1 ) }", 1, 11, "TQ4002", "unbalanced ')'"),
        arguments("{ ($.a = 1 }", 1, 12, "TQ4002", "expected ')' to close the '(' at column 3"),
        arguments("{ $.a = }", 1, 9, "TQ4002", "expected a value after '='"),
        arguments("{ $.a }", 1, 7, "TQ4002", "expected an operator"),
        arguments("{ $.a == 1 }", 1, 7, "TQ4002", "use '='"),
        arguments("{ a = 1 }", 1, 3, "TQ4002", "expected a selector"),
        arguments("{ $ = 1 }", 1, 3, "TQ4003", "needs a property"),
        arguments("{ $.a. = 1 }", 1, 7, "TQ4003", "expected a property name"),
        arguments("{ $.[\"a.b\"] = 1 }", 1, 6, "TQ4003", "single quotes"),
        arguments("{ $.a[x] = 1 }", 1, 7, "TQ4003", "expected an index"),
        arguments("{ $.a = \"abc }", 1, 9, "TQ4004", "unterminated string"),
        arguments("{ $.a = \"abc\\", 1, 9, "TQ4004", "unterminated string"), // ends in a backslash
        arguments("{ $.a = %abc }", 1, 9, "TQ4004", "unterminated regex"),
        arguments("{ $.a = %(a|b)% }", 1, 10, "TQ4006", "groups"),
        // an escaped % does not end the regex, and is then refused as a character
        arguments("{ $.a = %50\\%% }", 1, 13, "TQ4006", "'%' is not supported"),
        arguments("{ $.a = %é% }", 1, 10, "TQ4006", "non-ASCII"),
        arguments("{ $.a = %a% || $.b = %b% || $.c = %c% }", 1, 35, "TQ4009", "at most 2 regexes"),
        arguments("{ $.a > abc }", 1, 9, "TQ4007", "compares numbers"),
        arguments("{ $.a < \"1\" }", 1, 9, "TQ4007", "compares numbers"),
        arguments("{ $.a IS NOT NULL }", 1, 7, "TQ4008", "'IS NOT' is not supported"),
        arguments("{ $.a EXISTS }", 1, 7, "TQ4008", "'EXISTS' is not supported"),
        arguments("{ $.a IS EMPTY }", 1, 10, "TQ4002", "expected NULL, TRUE or FALSE"),
        arguments("{ $.a NOT THERE }", 1, 11, "TQ4002", "expected EXISTS"),
        arguments("{ $.a[*].b[*] = 1 }", 1, 3, "TQ4009", "at most one wildcard"),
        arguments(
            "{ $.a[*] = 1 && $.b[*] = 1 && $.c.* = 1 && $.d[*] = 1 }",
            1,
            44,
            "TQ4009",
            "at most 3 selectors with wildcards"),
        arguments("{ $.a = 1 && }", 1, 14, "TQ4002", "expected a selector"),
        arguments("{ && $.a = 1 }", 1, 3, "TQ4002", "before '&&'"),
        arguments("{ $.a = a\"b }", 1, 10, "TQ4005", "quote the value"),
        arguments("{ $.a = 1 } x", 1, 13, "TQ4002", "end of the pattern"),
        arguments("{\n  $.a = 1 &&\n  $.b = )\n}", 3, 9, "TQ4002", "expected a value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void reportsPosition(String pattern, int line, int column, String code, String message) {
    QueryException e = fails(pattern);
    assertThat(e.error().code()).as(e.render()).isEqualTo(code);
    assertThat(e.error().line(pattern)).as(e.render()).isEqualTo(line);
    assertThat(e.error().column(pattern)).as(e.render()).isEqualTo(column);
    assertThat(e.error().message()).as(e.render()).contains(message);
  }

  @Test
  void rendersWithCaret() {
    QueryException e = fails("{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed\" }");
    assertThat(e.render())
        .isEqualTo(
            "error: line 1, column 62: unexpected '}', expected ')' to close the '(' at column 35"
                + " [TQ4002]\n"
                + "  | { ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed\" }\n"
                + "  |                                                              ^");
  }

  @Test
  void tooLong() {
    String p = "{ $.a = \"" + "x".repeat(1100) + "\" }";
    assertThat(fails(p).error().code()).isEqualTo("TQ4009");
  }

  @Test
  void nestingDepthCountsNestingNotSiblings() {
    // 110 sibling groups are 1 level deep; 101 nested ones are over the limit of 100
    String siblings =
        "{ " + String.join("||", java.util.Collections.nCopies(110, "($.a=1)")) + " }";
    org.assertj.core.api.Assertions.assertThat(MetricPattern.compile(siblings).text())
        .isEqualTo(siblings);
    String nested = "{ " + "(".repeat(101) + "$.a = 1" + ")".repeat(101) + " }";
    QueryException e =
        catchThrowableOfType(QueryException.class, () -> MetricPattern.compile(nested));
    org.assertj.core.api.Assertions.assertThat(e.error().message())
        .isEqualTo("pattern nested too deeply");
    String deepest = "{ " + "(".repeat(98) + "$.a = 1" + ")".repeat(98) + " }";
    org.assertj.core.api.Assertions.assertThat(MetricPattern.compile(deepest).text())
        .isEqualTo(deepest);
  }
}
