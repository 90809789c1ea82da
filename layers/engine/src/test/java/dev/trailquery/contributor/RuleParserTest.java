package dev.trailquery.contributor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.trailquery.Trailquery;
import dev.trailquery.lang.QueryException;
import dev.trailquery.plan.Planner;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule JSON: every operator compiles to a valid query; bad rules name the JSON path and point at
 * it.
 */
class RuleParserTest {
  static final String HEAD =
      "{\"Schema\":{\"Name\":\"CloudWatchLogRule\",\"Version\":1},\"LogFormat\":\"JSON\",";

  static String rule(String aggregate, String contribution) {
    return HEAD + "\"AggregateOn\":\"" + aggregate + "\",\"Contribution\":" + contribution + "}";
  }

  @Test
  void everyOperatorCompilesAndRuns() {
    String text =
        rule(
            "Sum",
            "{\"Keys\":[\"$.userIdentity.arn\",\"$.eventName\",\"$.resources[0].ARN\",\"$.awsRegion\"],"
                + "\"ValueOf\":\"$.requestParameters.durationSeconds\",\"Filters\":["
                + "{\"Match\":\"$.eventSource\",\"StartsWith\":[\"sts\",\"iam\"]},"
                + "{\"Match\":\"$.requestParameters.durationSeconds\",\"GreaterThan\":10},"
                + "{\"Match\":\"$.errorCode\",\"IsPresent\":false},"
                + "{\"Match\":\"$.eventName\",\"NotIn\":[\"GetCallerIdentity\"]}]}");
    ContributorRule r = RuleParser.parse(text);
    assertThat(r.keys()).hasSize(4);
    assertThat(r.aggregateOn()).isEqualTo(ContributorRule.AggregateOn.SUM);
    String q = RuleCompiler.topContributors(r, 5);
    assertThat(q)
        .contains("(startsWith(eventSource, \"sts\") or startsWith(eventSource, \"iam\"))")
        .contains("toNumber(requestParameters.durationSeconds) > 10")
        .contains("not ispresent(errorCode)")
        .contains("(ispresent(eventName) and eventName not in [\"GetCallerIdentity\"])")
        .contains("ispresent(resources.0.ARN)")
        .contains("stats sum(toNumber(requestParameters.durationSeconds)) as value");
    Trailquery.compile(q, Planner.Options.defaults());
    Trailquery.compile(RuleCompiler.summary(r), Planner.Options.defaults());
    Trailquery.compile(RuleCompiler.series(r, 300), Planner.Options.defaults());
    for (String op : new String[] {"LessThan", "EqualTo", "NotEqualTo"}) {
      ContributorRule n =
          RuleParser.parse(
              rule(
                  "Count",
                  "{\"Keys\":[\"$.a\"],\"Filters\":[{\"Match\":\"$.n\",\"" + op + "\":2.5}]}"));
      Trailquery.compile(RuleCompiler.topContributors(n, 3), Planner.Options.defaults());
    }
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        arguments("{\"Schema\":", "TQ4501", "not valid JSON", 11),
        arguments("[1]", "TQ4503", "$: a rule is a JSON object", 1),
        arguments(
            "{\"Schema\":{\"Name\":\"X\",\"Version\":1}}", "TQ4503", "$.Schema.Name: expected", 19),
        arguments(
            rule("Count", "{\"Keys\":[]}"),
            "TQ4503",
            "$.Contribution.Keys: expected at least 1",
            116),
        arguments(
            rule("Count", "{\"Keys\":[\"$.a\",\"$.b\",\"$.c\",\"$.d\",\"$.e\"]}"),
            "TQ4505",
            "$.Contribution.Keys[4]: at most 4",
            141),
        arguments(
            rule("Count", "{\"Keys\":[\"$.a\",\"$.user-name\"]}"),
            "TQ4504",
            "$.Contribution.Keys[1]: bad property '$.user-name'",
            123),
        arguments(rule("Avg", "{\"Keys\":[\"$.a\"]}"), "TQ4503", "$.AggregateOn: expected", 85),
        arguments(
            rule("Sum", "{\"Keys\":[\"$.a\"]}"), "TQ4502", "$.AggregateOn: \"Sum\" needs", 85),
        arguments(
            rule("Count", "{\"Keys\":[\"$.a\"],\"ValueOf\":\"$.b\"}"),
            "TQ4503",
            "$.Contribution.ValueOf: ValueOf needs",
            134),
        arguments(
            rule(
                "Count",
                "{\"Keys\":[\"$.a\"],\"Filters\":[{\"Match\":\"$.a\",\"Contains\":[\"x\"]}]}"),
            "TQ4502",
            "$.Contribution.Filters[0].Contains: unknown filter operator 'Contains'",
            150),
        arguments(
            rule(
                "Count",
                "{\"Keys\":[\"$.a\"],\"Filters\":[{\"Match\":\"$.a\",\"GreaterThan\":\"5\"}]}"),
            "TQ4503",
            "$.Contribution.Filters[0].GreaterThan: expected a number",
            164),
        arguments(
            rule(
                "Count",
                "{\"Keys\":[\"$.a\"],\"Filters\":[{\"Match\":\"$.a\",\"In\":[\"x\"],\"NotIn\":[\"y\"]}]}"),
            "TQ4503",
            "$.Contribution.Filters[0].NotIn: a filter has one operator",
            161),
        arguments(
            HEAD.replace("\"JSON\"", "\"CLF\"")
                + "\"AggregateOn\":\"Count\",\"Contribution\":{\"Keys\":[\"$.a\"]}}",
            "TQ4506",
            "$.LogFormat: CLF rules are not supported",
            64),
        arguments(
            HEAD + "\"Aggregate\":\"Count\"}",
            "TQ4502",
            "$.Aggregate: unknown member 'Aggregate'",
            71));
  }

  @ParameterizedTest(name = "{1} {2}")
  @MethodSource("bad")
  void reportsPathAndPosition(String text, String code, String message, int column) {
    QueryException e = catchThrowableOfType(QueryException.class, () -> RuleParser.parse(text));
    assertThat(e).as(text).isNotNull();
    assertThat(e.error().code()).as(e.render()).isEqualTo(code);
    assertThat(e.error().message()).as(e.render()).startsWith(message);
    assertThat(e.error().column(text)).as(e.render()).isEqualTo(column);
  }
}
