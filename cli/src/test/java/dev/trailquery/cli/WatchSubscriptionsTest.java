package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.functions.testing.Emulators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Metric filters and Contributor Insights rules as subscriptions, end to end through the CLI: S3
 * objects in S3Proxy, ingest, DynamoDB on dynalite, results — against counts derived here by a
 * plain Jackson walk over the same files.
 */
class WatchSubscriptionsTest {
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String BUCKET = "cli-watch-" + RUN;
  static final String PREFIX = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/07/30/";

  static S3Client s3;
  static DynamoDbClient db;
  static final List<String> keys = new ArrayList<>();
  static final List<JsonNode> records = new ArrayList<>();
  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    s3 = Emulators.s3();
    db = Emulators.dynamo();
    s3.createBucket(b -> b.bucket(BUCKET));
    List<Path> files;
    try (Stream<Path> s =
        Files.list(Path.of("..", "samples", "cloudtrail", "stratus-red-team-detonation-logs"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    for (int i = 0; i < files.size(); i++) {
      byte[] bytes = Files.readAllBytes(files.get(i));
      String key =
          PREFIX
              + String.format(
                  "111122223333_CloudTrail_us-east-1_20240730T%02d00Z_%04d.json", i % 24, i);
      s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
      keys.add(key);
      JsonNode root = MainTest.JSON.readTree(bytes);
      JsonNode list = root.isArray() ? root : root.path("Records");
      list.forEach(records::add);
    }
  }

  /** This test's own tables (the trail's objects are shared and only read). */
  Context.Services services;

  @BeforeEach
  void tables() {
    String table = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>(Emulators.env());
    env.put("TRAILQUERY_SUBSCRIPTIONS_TABLE", "subs-" + table);
    env.put("TRAILQUERY_RESULTS_TABLE", "results-" + table);
    env.put("TRAILQUERY_QUERIES_TABLE", "queries-" + table);
    env.put("TRAILQUERY_TRAIL_BUCKET", BUCKET);
    env.put("TRAILQUERY_SUBSCRIPTION_CACHE_SECONDS", "0");
    services = new Context.Services(env, s3, db);
    ok("local-init");
  }

  MainTest.Run run(String... args) {
    return MainTest.run(services, args);
  }

  MainTest.Run ok(String... args) {
    MainTest.Run r = run(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
    return r;
  }

  static String text(JsonNode r, String... path) {
    JsonNode n = r;
    for (String p : path) {
      n = n.path(p);
    }
    return n.isValueNode() && !n.isNull() ? n.asText() : null;
  }

  static long hourBin(JsonNode r) {
    long t = Instant.parse(text(r, "eventTime")).toEpochMilli();
    return Math.floorDiv(t, 3_600_000L) * 3_600_000L;
  }

  /** Hour bin → number of records passing {@code p}. */
  static TreeMap<Long, Long> perHour(Predicate<JsonNode> p) {
    TreeMap<Long, Long> out = new TreeMap<>();
    for (JsonNode r : records) {
      if (p.test(r)) {
        out.merge(hourBin(r), 1L, Long::sum);
      }
    }
    return out;
  }

  static boolean denied(JsonNode r) {
    String c = text(r, "errorCode");
    return c != null && (c.endsWith("UnauthorizedOperation") || c.startsWith("AccessDenied"));
  }

  static final String RULE =
      """
      {"Schema":{"Name":"CloudWatchLogRule","Version":1},"AggregateOn":"Count",
       "Contribution":{"Keys":["$.userIdentity.arn","$.eventName"],
         "Filters":[{"Match":"$.errorCode","In":["AccessDenied","Client.UnauthorizedOperation"]}]},
       "LogFormat":"JSON","LogGroupNames":["CloudTrail"]}""";

  /** A metric filter, two from CloudWatch's JSON and a Contributor Insights rule. */
  void subscribedEveryKind() throws IOException {
    ok(
        "subscribe",
        "denied",
        "--filter-pattern",
        "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }",
        "--bin",
        "1h");
    Path filters = tmp.resolve("filters.json");
    Files.writeString(
        filters,
        """
        {"metricFilters":[
          {"filterName":"Denied by source","filterPattern":"{ $.errorCode = \\"*\\" }",
           "logGroupName":"CloudTrail","metricTransformations":[{"metricName":"Errors",
           "metricNamespace":"CloudTrailMetrics","metricValue":"1",
           "dimensions":{"Source":"$.eventSource"}}]},
          {"filterName":"assume-role","filterPattern":"{ $.eventName = \\"AssumeRole\\" }",
           "metricTransformations":[{"metricName":"AssumeRole","metricNamespace":"X",
           "metricValue":"1","defaultValue":0}]}]}
        """);
    ok("subscribe", "--metric-filter", filters.toString(), "--bin", "1h");
    ok("subscribe", "denied-by-identity", "--rule", RULE, "--bin", "1h");
  }

  /** Every kind subscribed, then the objects delivered once. */
  void subscribedAndIngested() throws IOException {
    subscribedEveryKind();
    ok("invoke", "ingest", s3Event().toString());
  }

  @Test
  void subscribeEveryKind() throws IOException {
    subscribedEveryKind();
    MainTest.Run list = ok("subscriptions");
    assertThat(list.out())
        .contains("Denied-by-source")
        .contains("assume-role")
        .contains("denied-by-identity\tbin 1h\tContributor Insights rule")
        .contains("denied\tbin 1h\tmetric filter");

    // Bad patterns and rules: usage errors with the position.
    MainTest.Run bad = run("subscribe", "bad", "--filter-pattern", "{ $.a = }");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("TQ40").contains("^");
    MainTest.Run badRule = run("subscribe", "bad", "--rule", RULE.replace("\"Count\"", "\"Max\""));
    assertThat(badRule.code()).isEqualTo(2);
    assertThat(badRule.err()).contains("TQ45");
  }

  @Test
  void ingestTwiceThenMetricFilterResultsAreTheHandCountedSeries() throws IOException {
    subscribedEveryKind();
    Path event = s3Event();
    ok("invoke", "ingest", event.toString());
    ok("invoke", "ingest", event.toString()); // duplicate delivery

    TreeMap<Long, Long> expected = perHour(WatchSubscriptionsTest::denied);
    assertThat(expected).isNotEmpty();
    JsonNode r = MainTest.JSON.readTree(ok("results", "denied", "--format", "json").out());
    TreeMap<Long, Long> actual = new TreeMap<>();
    for (JsonNode row : r.get("rows")) {
      long bin = Instant.parse(row.get("bin").asText().replace(' ', 'T') + "Z").toEpochMilli();
      actual.put(bin, row.get("sampleCount").asLong());
      assertThat(row.get("sum").asDouble()).isEqualTo(row.get("sampleCount").asDouble());
      assertThat(row.get("minimum").asDouble()).isEqualTo(1.0);
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void dimensionsAndDefaultValues() throws IOException {
    subscribedAndIngested();
    JsonNode r =
        MainTest.JSON.readTree(ok("results", "Denied-by-source", "--format", "json").out());
    Map<String, Long> expected = new TreeMap<>();
    for (JsonNode rec : records) {
      if (text(rec, "errorCode") != null && text(rec, "eventSource") != null) {
        expected.merge(hourBin(rec) + " " + text(rec, "eventSource"), 1L, Long::sum);
      }
    }
    Map<String, Long> actual = new TreeMap<>();
    for (JsonNode row : r.get("rows")) {
      long bin = Instant.parse(row.get("bin").asText().replace(' ', 'T') + "Z").toEpochMilli();
      actual.put(bin + " " + row.get("Source").asText(), row.get("sampleCount").asLong());
    }
    assertThat(actual).isNotEmpty().isEqualTo(expected);

    // Default value 0: every hour that had records has a datapoint; none matched AssumeRole here
    // unless the samples say so.
    TreeMap<Long, Long> read = perHour(x -> true);
    TreeMap<Long, Long> assume = perHour(x -> "AssumeRole".equals(text(x, "eventName")));
    JsonNode d = MainTest.JSON.readTree(ok("results", "assume-role", "--format", "json").out());
    Map<Long, Double> sums = new TreeMap<>();
    for (JsonNode row : d.get("rows")) {
      long bin = Instant.parse(row.get("bin").asText().replace(' ', 'T') + "Z").toEpochMilli();
      sums.put(bin, row.get("sum").asDouble());
    }
    Map<Long, Double> expectedSums = new TreeMap<>();
    for (long bin : read.keySet()) {
      expectedSums.put(bin, (double) assume.getOrDefault(bin, 0L));
    }
    assertThat(sums).isEqualTo(expectedSums);
  }

  @Test
  void ruleReportIsTheHandCountedTopContributors() throws IOException {
    subscribedAndIngested();
    Map<List<String>, Long> expected = new HashMap<>();
    for (JsonNode rec : records) {
      String c = text(rec, "errorCode");
      String arn = text(rec, "userIdentity", "arn");
      String name = text(rec, "eventName");
      if (arn != null
          && name != null
          && ("AccessDenied".equals(c) || "Client.UnauthorizedOperation".equals(c))) {
        expected.merge(List.of(arn, name), 1L, Long::sum);
      }
    }
    assertThat(expected).isNotEmpty();
    JsonNode report =
        MainTest.JSON.readTree(
            ok("results", "denied-by-identity", "--report", "--top", "100", "--format", "json")
                .out());
    assertThat(report.get("approximateUniqueCount").asLong()).isEqualTo(expected.size());
    assertThat(report.get("aggregateValue").asDouble())
        .isEqualTo((double) expected.values().stream().mapToLong(Long::longValue).sum());
    Map<List<String>, Long> actual = new HashMap<>();
    for (JsonNode c : report.get("contributors")) {
      actual.put(
          List.of(c.get("keys").get(0).asText(), c.get("keys").get(1).asText()),
          c.get("approximateAggregateValue").asLong());
    }
    assertThat(actual).isEqualTo(expected);
    MainTest.Run table = ok("results", "denied-by-identity", "--report");
    assertThat(table.out()).contains("unique contributors: " + expected.size());
    // Per period, the contributors come highest first, and add up to the hand count.
    JsonNode perBin =
        MainTest.JSON.readTree(
            ok("results", "denied-by-identity", "--per-bin", "--format", "json").out());
    String lastBin = null;
    double lastValue = Double.MAX_VALUE;
    long sum = 0;
    for (JsonNode row : perBin.get("rows")) {
      String bin = row.get("bin").asText();
      double value = row.get("value").asDouble();
      if (bin.equals(lastBin)) {
        assertThat(value).isLessThanOrEqualTo(lastValue);
      }
      lastBin = bin;
      lastValue = value;
      sum += (long) value;
    }
    assertThat(sum).isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
    MainTest.Run notRule = run("results", "denied", "--report");
    assertThat(notRule.code()).isEqualTo(2);
  }

  static Path s3Event() throws IOException {
    var event = MainTest.JSON.createObjectNode();
    var recs = event.putArray("Records");
    for (String k : keys) {
      var r = recs.addObject();
      r.put("eventVersion", "2.1");
      r.put("eventSource", "aws:s3");
      r.put("eventName", "ObjectCreated:Put");
      var s3n = r.putObject("s3");
      s3n.putObject("bucket").put("name", BUCKET);
      s3n.putObject("object").put("key", k).put("size", 1);
    }
    Path p = tmp.resolve("event.json");
    Files.writeString(p, event.toPrettyString());
    return p;
  }
}
