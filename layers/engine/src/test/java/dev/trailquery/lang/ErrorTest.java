package dev.trailquery.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Where syntax errors are reported and what they say; positions are counted by hand. */
class ErrorTest {

  static QueryException fails(String query) {
    QueryException e = catchThrowableOfType(QueryException.class, () -> Parser.parse(query));
    assertThat(e).as(query).isNotNull();
    return e;
  }

  static Stream<Arguments> badQueries() {
    return Stream.of(
        arguments(
            "filter a = ", 1, 11, "TQ1003", "unexpected end of query, expected an expression"),
        arguments("filter a =  # comment\n", 1, 11, "TQ1003", "unexpected end of query"),
        arguments("filter \"abc", 1, 8, "TQ1004", "unterminated string"),
        arguments("fields a as ", 1, 12, "TQ1003", "expected a field name after 'as'"),
        arguments(
            "fields a as by", 1, 13, "TQ1003", "unexpected 'by', expected a field name after 'as'"),
        arguments(
            "xyz a",
            1,
            1,
            "TQ1002",
            "unknown command 'xyz'; expected one of fields, display, filter, stats, sort, limit,"
                + " parse, dedup"),
        arguments("fields a\n| limit 0", 2, 9, "TQ1010", "limit needs a positive integer"),
        arguments("filter a = 1 = 2", 1, 14, "TQ1003", "unexpected '='"),
        arguments(
            "filter x like abc",
            1,
            15,
            "TQ1003",
            "unexpected 'abc', expected a \"string\" or a /regex/ after 'like'"),
        arguments("filter x =~ \"abc\"", 1, 13, "TQ1003", "expected a /regex/ after '=~'"),
        arguments(
            "filter x in (\"a\")",
            1,
            13,
            "TQ1003",
            "unexpected '(', expected '[' to start the list after 'in'"),
        arguments(
            "filter eventSource in [s3.amazonaws.com]",
            1,
            24,
            "TQ1011",
            "'s3.amazonaws.com' is read as a field name, not a value"),
        arguments("fields 5x", 1, 8, "TQ1006", "invalid number '5x'"),
        arguments("filter a = 10.0.0.1", 1, 12, "TQ1006", "quote it: \"10.0.0.1\""),
        arguments("filter a && b", 1, 10, "TQ1005", "'&&'"),
        arguments("filter x like /(/", 1, 15, "TQ1007", "invalid regex"),
        arguments("filter x like /abc\n| limit 1", 1, 15, "TQ1004", "unterminated regex"),
        arguments("fields `abc", 1, 8, "TQ1004", "unterminated `name`"),
        arguments("fields a |", 1, 11, "TQ1003", "unexpected end of query, expected a command"),
        arguments("| fields a", 1, 1, "TQ1003", "unexpected '|', expected a command"),
        arguments("filter (a = 1", 1, 14, "TQ1003", "unexpected end of query, expected ')'"),
        arguments(
            "parse @message \"* *\" as a",
            1,
            25,
            "TQ1009",
            "the pattern has 2 '*' but 1 name follows 'as'"),
        arguments("parse @message /(\\w+)/", 1, 16, "TQ1009", "no named group"),
        arguments("parse @message as x", 1, 16, "TQ1003", "unexpected 'as'"),
        arguments(
            "limit -1",
            1,
            7,
            "TQ1003",
            "unexpected '-', expected a positive integer after 'limit'"),
        arguments("head 1.5", 1, 6, "TQ1010", "head needs a positive integer; found '1.5'"),
        arguments("dedup count(x)", 1, 12, "TQ1003", "unexpected '('"),
        arguments("stats count(*) by", 1, 18, "TQ1003", "expected an expression"),
        arguments("filter count(*, x)", 1, 14, "TQ1003", "unexpected '*', expected an expression"),
        arguments(
            "fields a b", 1, 10, "TQ1003", "unexpected 'b', expected '|' or the end of the query"),
        arguments("filter not", 1, 11, "TQ1003", "unexpected end of query, expected an expression"),
        arguments("sort x up", 1, 8, "TQ1003", "unexpected 'up'"),
        arguments("filter x = \"a\" )", 1, 16, "TQ1003", "unexpected ')'"),
        arguments(
            "fields a\n  | stats count(*) by bin(5x)", 2, 27, "TQ1006", "invalid number '5x'"));
  }

  @ParameterizedTest
  @MethodSource("badQueries")
  void errorPosition(String query, int line, int column, String code, String message) {
    QueryException e = fails(query);
    Diagnostic d = e.error();
    assertThat(d.severity()).isEqualTo(Severity.ERROR);
    assertThat(d.code()).isEqualTo(code);
    assertThat(d.message()).contains(message);
    assertThat(d.line(query)).isEqualTo(line);
    assertThat(d.column(query)).isEqualTo(column);
    assertThat(e.getMessage()).startsWith("line " + line + ", column " + column + ": ");
  }

  @Test
  void unexpectedTokenSpanIsThatToken() {
    String q = "filter x = \"a\" \"bcd\"";
    Diagnostic d = fails(q).error();
    assertThat(d.span()).isEqualTo(new Span(15, 20));
    assertThat(d.message())
        .isEqualTo("unexpected string \"bcd\", expected '|' or the end of the query");
  }

  @Test
  void errorAtEndIsJustAfterTheLastToken() {
    Diagnostic d = fails("filter a and   \n\n").error();
    assertThat(d.span()).isEqualTo(Span.at(12));
  }

  @Test
  void oneErrorPerCommandAfterResynchronisingAtPipes() {
    String q = "fields a as | filter ) | limit 0 | stats count(*)";
    QueryException e = fails(q);
    assertThat(e.diagnostics())
        .extracting(Diagnostic::code)
        .containsExactly("TQ1003", "TQ1003", "TQ1010");
    assertThat(e.diagnostics()).extracting(d -> d.column(q)).containsExactly(13, 22, 32);
    assertThat(e.diagnostics().get(0).message())
        .isEqualTo("unexpected '|', expected a field name after 'as'");
    assertThat(e.diagnostics().get(1).message())
        .isEqualTo("unexpected ')', expected an expression");
  }

  @Test
  void renderShowsTheLineAndACaret() {
    String q = "fields a\n| filter errorCode = \"x\" and (a or b";
    QueryException e = fails(q);
    assertThat(e.render())
        .isEqualTo(
            """
            error: line 2, column 37: unexpected end of query, expected ')' [TQ1003]
              | | filter errorCode = "x" and (a or b
              |                                     ^""");
  }

  @Test
  void queryLengthLimit() {
    String ok = "fields a" + " ".repeat(Parser.MAX_LENGTH - 8);
    assertThat(ok).hasSize(100_000);
    assertThat(Parser.parse(ok).commands()).hasSize(1);
    QueryException e = fails(ok + " ");
    assertThat(e.error().code()).isEqualTo("TQ1001");
    assertThat(e.error().message()).contains("100001").contains("100000");
  }
}
