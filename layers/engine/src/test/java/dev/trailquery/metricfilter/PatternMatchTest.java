package dev.trailquery.metricfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every operator and wildcard case of the JSON metric-filter syntax, on hand-made events. */
class PatternMatchTest {
  private static final ObjectMapper M = new ObjectMapper();

  static final String EVENT =
      """
      {"eventName":"ConsoleLogin","errorMessage":"Failed authentication",
       "errorCode":"Client.UnauthorizedOperation","sourceIPAddress":"123.123.4.5",
       "eventSource":"signin.amazonaws.com","readOnly":true,"managementEvent":false,
       "userAgent":null,"durationSeconds":3600,"ratio":"1.5e3","code":"400","empty":"",
       "userIdentity":{"type":"Root","arn":"arn:aws:iam::1:root"},
       "resources":[{"ARN":"arn:aws:s3:::a","type":"AWS::S3::Bucket"},
                    {"ARN":"arn:aws:s3:::b","type":"AWS::S3::Object"}],
       "coordinates":[[1,2],[3,4]],
       "cluster.name":"prod","tags":{"env":"dev","team":"sec"},
       "requestParameters":{"instanceType":"m5.8xlarge","nested":{"a":1}},
       "x-amz-id":"abc_1"}
      """;

  static JsonNode event() {
    try {
      return M.readTree(EVENT);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // equality, quoted and bare
        arguments("{ $.eventName = ConsoleLogin }", true),
        arguments("{ $.eventName = \"ConsoleLogin\" }", true),
        arguments("{$.eventName=consolelogin}", false), // case-sensitive
        arguments("{ $.eventName != ConsoleLogin }", false),
        arguments("{ $.eventName != \"AssumeRole\" }", true),
        arguments("{ $.errorMessage = \"Failed authentication\" }", true),
        // * wildcards anywhere (a literal in Logs Insights)
        arguments("{ $.errorCode = \"*UnauthorizedOperation\" }", true),
        arguments("{ $.errorCode = \"Client.*\" }", true),
        arguments("{ $.errorCode = \"*Unauthorized*\" }", true),
        arguments("{ $.errorCode = \"C*t.*Op*n\" }", true),
        arguments("{ $.errorCode = \"AccessDenied*\" }", false),
        arguments("{ $.errorCode != \"AccessDenied*\" }", true),
        arguments("{ $.sourceIPAddress = 123.123.* }", true),
        arguments("{ $.sourceIPAddress = 123.124.* }", false),
        arguments("{ $.requestParameters.instanceType = *.8xlarge }", true),
        arguments("{ $.requestParameters.instanceType = *.4xlarge }", false),
        arguments("{ $.eventName = \"*\" }", true),
        arguments("{ $.empty = \"*\" }", true),
        arguments("{ $.missing = \"*\" }", false),
        arguments("{ $.errorCode = \"Client\\*\" }", false), // escaped: literal star
        arguments("{ $.eventName = \"Console\" }", false), // whole value, not substring
        // regex: found anywhere
        arguments("{ $.eventSource = %signin% }", true),
        arguments("{ $.eventSource = %^signin\\.amazonaws\\.com$% }", true),
        arguments("{ $.eventSource = %^amazonaws% }", false),
        arguments("{ $.eventSource != %^amazonaws% }", true),
        arguments("{ $.resources[*].ARN = %:::b$% }", true),
        arguments("{ $.sourceIPAddress = %\\d{3}\\.\\d+% }", true),
        // numbers
        arguments("{ $.durationSeconds = 3600 }", true),
        arguments("{ $.durationSeconds = 3.6e3 }", true),
        arguments("{ $.durationSeconds = +3600.0 }", true),
        arguments("{ $.durationSeconds != 3600 }", false),
        arguments("{ $.durationSeconds > 3599 }", true),
        arguments("{ $.durationSeconds >= 3600 }", true),
        arguments("{ $.durationSeconds < 3600 }", false),
        arguments("{ $.durationSeconds <= 3600 }", true),
        arguments("{ $.durationSeconds > 3600 }", false), // equal is not greater
        arguments("{ $.durationSeconds >= 3601 }", false),
        arguments("{ $.durationSeconds < 3601 }", true),
        arguments("{ $.durationSeconds <= 3599 }", false),
        arguments("{ $.durationSeconds > -1e9 }", true),
        arguments("{ $.durationSeconds = 36* }", true), // numeric wildcard: text glob
        arguments("{ $.durationSeconds = \"3600\" }", true), // string vs JSON number: its text
        arguments("{ $.code = 400 }", true), // number vs numeric string
        arguments("{ $.code > 399.5 }", true),
        arguments("{ $.ratio = 1500 }", true),
        arguments("{ $.eventName > 0 }", false), // non-numeric string
        arguments("{ $.eventName != 0 }", true),
        arguments("{ $.missing != 0 }", false), // absent: no test matches but NOT EXISTS
        arguments("{ $.missing != \"x\" }", false),
        // IS NULL / TRUE / FALSE, NOT EXISTS
        arguments("{ $.userAgent IS NULL }", true),
        arguments("{ $.missing IS NULL }", false), // IS NULL is JSON null, not absence
        arguments("{ $.userAgent NOT EXISTS }", false), // null exists
        arguments("{ $.missing NOT EXISTS }", true),
        arguments("{ $.userIdentity.invokedBy NOT EXISTS }", true),
        arguments("{ $.readOnly IS TRUE }", true),
        arguments("{ $.readOnly IS FALSE }", false),
        arguments("{ $.managementEvent IS FALSE }", true),
        arguments("{ $.eventName IS TRUE }", false),
        arguments("{ $.userAgent = \"null\" }", false),
        arguments("{ $.readOnly = true }", true), // booleans compare as their text
        // selectors
        arguments("{ $.userIdentity.type = Root }", true),
        arguments("{ $.resources[0].ARN = \"arn:aws:s3:::a\" }", true),
        arguments("{ $.resources[1].ARN = \"arn:aws:s3:::a\" }", false),
        arguments("{ $.resources[2].ARN NOT EXISTS }", true),
        arguments("{ $.coordinates[1][0] = 3 }", true),
        arguments("{ $.coordinates[0][1] = 2 }", true),
        arguments("{ $.['cluster.name'] = prod }", true),
        arguments("{ $['cluster.name'] = prod }", true),
        arguments("{ $.cluster.name NOT EXISTS }", true),
        arguments("{ $.x-amz-id = abc_1 }", true),
        arguments("{ $.resources[*].type = \"AWS::S3::Object\" }", true),
        arguments("{ $.resources[*].type = \"AWS::EC2::*\" }", false),
        arguments("{ $.resources[*].type != \"AWS::S3::Object\" }", true), // any element differs
        arguments("{ $.tags.* = sec }", true),
        arguments("{ $.tags.* = ops }", false),
        arguments("{ $.* = ConsoleLogin }", true),
        arguments("{ $.userIdentity = \"*\" }", false), // object never matches
        arguments("{ $.resources = \"*\" }", false), // array never matches
        arguments("{ $.requestParameters.nested != 1 }", false),
        arguments("{ $.userIdentity NOT EXISTS }", false),
        // && binds tighter than ||, parentheses
        arguments("{ $.eventName = X || $.eventName = ConsoleLogin && $.readOnly IS TRUE }", true),
        arguments(
            "{ ($.eventName = X || $.eventName = ConsoleLogin) && $.readOnly IS FALSE }", false),
        arguments("{ $.eventName = ConsoleLogin || $.eventName = X && $.readOnly IS FALSE }", true),
        arguments(
            "{ ($.eventName = ConsoleLogin || $.eventName = X) && $.readOnly IS FALSE }", false),
        arguments("{ (($.eventName = ConsoleLogin)) }", true),
        arguments(
            "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }",
            true),
        arguments(
            "{$.userIdentity.type=\"Root\" && $.userIdentity.invokedBy NOT EXISTS &&"
                + " $.eventType !=\"AwsServiceEvent\"}",
            false), // eventType missing: != does not match absence
        // the empty pattern matches everything
        arguments("", true),
        arguments("   ", true),
        // keywords are case-insensitive in trailquery
        arguments("{ $.missing not exists }", true));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("cases")
  void matches(String pattern, boolean expected) {
    assertThat(MetricPattern.compile(pattern).matches(event())).as(pattern).isEqualTo(expected);
  }

  @Test
  void differsFromLogsInsights() {
    // Logs Insights: errorCode = "*UnauthorizedOperation" compares the literal text (matches
    // nothing on CloudTrail); a metric filter treats * as a wildcard.
    JsonNode literalStar = event().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) literalStar)
        .put("errorCode", "*UnauthorizedOperation");
    MetricPattern p = MetricPattern.compile("{ $.errorCode = \"*UnauthorizedOperation\" }");
    assertThat(p.matches(event())).isTrue();
    assertThat(p.matches(literalStar)).isTrue();
    // Logs Insights arrays are resources.0.ARN; here $.resources[0].ARN, and the reader path is
    // the Logs Insights form.
    assertThat(MetricPattern.compile("{ $.resources[0].ARN = x }").readerPaths())
        .containsExactly("resources.0.ARN");
    // Logs Insights: a comparison with a missing field is false, and so it is here; absence is
    // tested with NOT EXISTS, and IS NULL is a JSON null only.
    assertThat(MetricPattern.compile("{ $.userAgent IS NULL }").matches(event())).isTrue();
    assertThat(MetricPattern.compile("{ $.userAgent NOT EXISTS }").matches(event())).isFalse();
  }

  @Test
  void readerPathsStopAtWildcards() {
    MetricPattern p =
        MetricPattern.compile(
            "{ $.resources[*].ARN = x && $.tags.* = y && $.a.b = 1 && $.['c.d'] = 2 && $.a.b > 0 }");
    assertThat(p.readerPaths()).containsExactly("resources", "tags", "a.b", null);
  }

  @Test
  void escapedQuotesInStrings() {
    // \" in a quoted string is a quote (\% in a regex: PatternErrorTest)
    String json = "{\"said\":\"say \\\"hi\\\"\"}";
    assertThat(MetricPattern.compile("{ $.said = \"say \\\"hi\\\"\" }").matches(json)).isTrue();
    assertThat(MetricPattern.compile("{ $.said = \"say hi\" }").matches(json)).isFalse();
  }

  @Test
  void nonJsonTextNeverMatches() {
    assertThat(MetricPattern.compile("{ $.a = 1 }").matches("not json")).isFalse();
    assertThat(MetricPattern.compile("{ $.a = 1 }").matches("{\"a\":1}")).isTrue();
    assertThat(MetricPattern.compile("{ $.a = 1 }").matches("{\"a\":2}")).isFalse();
  }
}
