package dev.trailquery.lang;

import java.util.Optional;

/**
 * Every code trailquery reports for a query, a metric-filter pattern or a Contributor Insights
 * rule, with its kind and a one-line summary. Codes are stable (users script them): a code is never
 * reused for another meaning; new ones get new numbers. docs/LANGUAGE.md lists each (a test checks
 * it). Throw sites use the constants ({@code ErrorCode.UNEXPECTED_TOKEN.code()}), never a literal.
 */
public enum ErrorCode {
  // ---- TQ1xxx: syntax ----
  QUERY_TOO_LONG("TQ1001", Kind.SYNTAX, "the query is longer than the limit"),
  UNKNOWN_COMMAND("TQ1002", Kind.SYNTAX, "not a command (or one trailquery does not support)"),
  UNEXPECTED_TOKEN("TQ1003", Kind.SYNTAX, "unexpected token where something else was expected"),
  UNTERMINATED("TQ1004", Kind.SYNTAX, "unterminated string, regex or `name`"),
  BAD_CHARACTER(
      "TQ1005", Kind.SYNTAX, "a character that has no meaning here (&&, ||, curly quotes)"),
  BAD_NUMBER("TQ1006", Kind.SYNTAX, "not a number, or a number followed by something not a unit"),
  BAD_REGEX("TQ1007", Kind.SYNTAX, "invalid regular expression"),
  NESTED_TOO_DEEPLY("TQ1008", Kind.SYNTAX, "an expression nested too deeply"),
  PARSE_NAMES_MISMATCH("TQ1009", Kind.SYNTAX, "parse: the names do not fit the pattern's captures"),
  BAD_LIMIT("TQ1010", Kind.SYNTAX, "limit (or a count) is not a positive integer in range"),
  FIELD_IN_LIST("TQ1011", Kind.SYNTAX, "a field name in a list, where only values are allowed"),
  NESTED_SUBQUERY("TQ1012", Kind.SYNTAX, "a subquery inside a subquery"),
  BAD_SAVED_QUERY_CALL("TQ1013", Kind.SYNTAX, "a malformed $SavedQuery(name=value, ...) call"),

  // ---- TQ20xx: command placement ----
  SORT_OR_LIMIT_BEFORE_STATS("TQ2001", Kind.PLACEMENT, "sort or limit before the last stats"),
  COMMAND_AFTER_DEDUP("TQ2002", Kind.PLACEMENT, "a command other than limit after dedup"),
  TOO_MANY_STATS("TQ2003", Kind.PLACEMENT, "more stats commands than allowed"),
  EXPECTED_COMMAND("TQ2004", Kind.PLACEMENT, "an empty query: expected a command"),

  // ---- TQ21xx: names and expressions ----
  UNKNOWN_FUNCTION("TQ2102", Kind.EXPRESSION, "unknown function"),
  STAR_ARGUMENT("TQ2103", Kind.EXPRESSION, "(*) given to a function other than count"),
  PERIOD_OUT_OF_PLACE(
      "TQ2104", Kind.EXPRESSION, "a time period outside bin, datefloor or dateceil"),
  REGEX_OUT_OF_PLACE("TQ2105", Kind.EXPRESSION, "a regular expression outside like, =~ or parse"),
  LIST_OUT_OF_PLACE(
      "TQ2106", Kind.EXPRESSION, "a list outside in / not in, or a list item that is not a value"),
  AGGREGATE_OUTSIDE_STATS("TQ2107", Kind.EXPRESSION, "an aggregate function outside stats"),
  BAD_LIKE_PATTERN("TQ2108", Kind.EXPRESSION, "like needs a string or a /regex/"),
  INVALID_REGEX("TQ2109", Kind.EXPRESSION, "a regular expression that does not compile"),
  FIELD_GONE_AFTER_STATS("TQ2110", Kind.EXPRESSION, "a field that does not exist after stats"),
  PATTERN_NAMES_MISMATCH("TQ2111", Kind.EXPRESSION, "a pattern's '*' count does not fit its names"),
  NESTED_AGGREGATE("TQ2112", Kind.EXPRESSION, "an aggregate nested inside another aggregate"),
  MAP_OR_LIST_VALUE("TQ2113", Kind.EXPRESSION, "a map or list where a single value is needed"),
  UNKNOWN_LOOKUP_TABLE("TQ2114", Kind.EXPRESSION, "lookup: no such table"),
  UNKNOWN_LOOKUP_COLUMN("TQ2115", Kind.EXPRESSION, "lookup: the table has no such column"),
  SUBQUERY_NOT_AVAILABLE("TQ2116", Kind.EXPRESSION, "a subquery where none can run"),
  SUBQUERY_TOO_MANY_VALUES(
      "TQ2117", Kind.EXPRESSION, "a subquery gives more distinct values than allowed"),
  SUBQUERY_NOT_ALLOWED(
      "TQ2118", Kind.EXPRESSION, "a subquery in a subscription, metric filter or rule"),
  SUBQUERY_COLUMNS(
      "TQ2119", Kind.EXPRESSION, "a subquery gives several columns: say which with fields"),
  SAVED_QUERY_MISSING_PARAMETER(
      "TQ2121", Kind.EXPRESSION, "a saved query's parameter without a value"),
  SAVED_QUERY_UNKNOWN_PARAMETER(
      "TQ2122", Kind.EXPRESSION, "a value for a parameter the saved query does not have"),
  UNKNOWN_SAVED_QUERY("TQ2123", Kind.EXPRESSION, "no saved query of that name"),

  // ---- TQ22xx: function arguments ----
  FUNCTION_ARITY(
      "TQ2202", Kind.FUNCTION_ARGUMENT, "wrong number of arguments (or *) to a function"),
  NOT_A_LITERAL("TQ2203", Kind.FUNCTION_ARGUMENT, "an argument that must be a literal is not one"),
  BAD_LITERAL(
      "TQ2204",
      Kind.FUNCTION_ARGUMENT,
      "a malformed literal argument (regex, CIDR, date pattern, zone, period)"),

  // ---- TQ23xx: aggregate arguments ----
  UNKNOWN_AGGREGATE("TQ2301", Kind.AGGREGATE_ARGUMENT, "unknown aggregate function"),
  AGGREGATE_ARITY(
      "TQ2302", Kind.AGGREGATE_ARGUMENT, "wrong number of arguments (or *) to an aggregate"),
  AGGREGATE_PARAMETER(
      "TQ2303", Kind.AGGREGATE_ARGUMENT, "an aggregate's parameter out of range or not a literal"),
  AGGREGATE_IN_ARGUMENT(
      "TQ2304", Kind.AGGREGATE_ARGUMENT, "an aggregate inside an aggregate's argument"),

  // ---- TQ3xxx: warnings (the query runs) ----
  WILDCARD_IS_LITERAL(
      "TQ3001", Kind.WARNING, "= or != against a string with '*': literal here, not a wildcard"),
  DOTTED_NAME_IS_FIELD(
      "TQ3002", Kind.WARNING, "an unquoted dotted name that looks like a value is read as a field"),
  FIELD_NEVER_SEEN(
      "TQ3003", Kind.WARNING, "a field no scanned record had (a typo, or the wrong case)"),
  LIMIT_OVER_CAP("TQ3004", Kind.WARNING, "a limit over the 10000 rows a query returns"),

  // ---- TQ40xx: metric-filter patterns ----
  NOT_A_JSON_PATTERN("TQ4001", Kind.METRIC_FILTER, "not a JSON pattern: expected '{'"),
  PATTERN_SYNTAX("TQ4002", Kind.METRIC_FILTER, "unexpected character or end of the pattern"),
  BAD_SELECTOR("TQ4003", Kind.METRIC_FILTER, "a malformed $.selector"),
  PATTERN_UNTERMINATED("TQ4004", Kind.METRIC_FILTER, "unterminated string or %regex%"),
  BAD_UNQUOTED_VALUE("TQ4005", Kind.METRIC_FILTER, "a character not allowed in an unquoted value"),
  PATTERN_BAD_REGEX("TQ4006", Kind.METRIC_FILTER, "an empty, unsupported or invalid %regex%"),
  NOT_A_NUMBER("TQ4007", Kind.METRIC_FILTER, "a numeric comparison against something not a number"),
  UNSUPPORTED_OPERATOR(
      "TQ4008", Kind.METRIC_FILTER, "IS NOT or EXISTS, which metric filters do not have"),
  PATTERN_LIMIT("TQ4009", Kind.METRIC_FILTER, "a pattern over a limit (length, wildcards)"),
  PATTERN_TOO_DEEP("TQ4010", Kind.METRIC_FILTER, "a pattern nested too deeply"),
  BAD_METRIC_TRANSFORMATION(
      "TQ4011", Kind.METRIC_FILTER, "a bad metric value, default value or dimension"),

  // ---- TQ45xx: Contributor Insights rules ----
  RULE_NOT_JSON("TQ4501", Kind.CONTRIBUTOR_RULE, "the rule is not valid JSON"),
  RULE_MISSING("TQ4502", Kind.CONTRIBUTOR_RULE, "a required rule property is missing"),
  RULE_BAD_VALUE("TQ4503", Kind.CONTRIBUTOR_RULE, "a rule property has the wrong type or value"),
  RULE_BAD_SELECTOR("TQ4504", Kind.CONTRIBUTOR_RULE, "a bad property selector in the rule"),
  RULE_LIMIT("TQ4505", Kind.CONTRIBUTOR_RULE, "a rule over a limit (length, filters, keys)"),
  RULE_UNSUPPORTED(
      "TQ4506", Kind.CONTRIBUTOR_RULE, "a rule feature trailquery does not support (CLF)");

  /** What a code is about. */
  public enum Kind {
    SYNTAX,
    PLACEMENT,
    EXPRESSION,
    FUNCTION_ARGUMENT,
    AGGREGATE_ARGUMENT,
    WARNING,
    METRIC_FILTER,
    CONTRIBUTOR_RULE
  }

  private final String code;
  private final Kind kind;
  private final String summary;

  ErrorCode(String code, Kind kind, String summary) {
    this.code = code;
    this.kind = kind;
    this.summary = summary;
  }

  /** {@code TQnnnn}, as printed in {@code [TQ1003]} and in the API's messages. */
  public String code() {
    return code;
  }

  public Kind kind() {
    return kind;
  }

  /** One line: what the code means. */
  public String summary() {
    return summary;
  }

  /** The constant of a {@code TQnnnn} code. */
  public static Optional<ErrorCode> of(String code) {
    for (ErrorCode c : values()) {
      if (c.code.equals(code)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
