package dev.trailquery.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.aws.S3ObjectSource;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.query.ResultField;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.plan.Planner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code /subscriptions} routes through {@link ApiHandler} with the API Gateway events of
 * {@code events/api}, wired by {@link AwsApi} to dynalite and S3Proxy (the ingest path's tables),
 * with the ingest handler fed S3 notifications and a backfill started by the API: the results equal
 * the engine's one pass over the same objects.
 */
class SubscriptionRoutesTest {
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String BUCKET = "subs-api-" + RUN;
  static final Path EVENTS = ApiGatewayEventsTest.EVENTS;
  static final String CONSOLE_LOGINS =
      "filter eventName = \"ConsoleLogin\" | stats count(*) by sourceIPAddress";
  static final String ALARM_BODY = "{\"column\":\"n\",\"comparison\":\">\",\"threshold\":1}";
  static final String DAILY_SOURCES =
      "stats count(*) as n, count_distinct(sourceIPAddress) as ips by eventSource"
          + " | sort n desc, eventSource";
  static final long START = Instant.parse("2025-03-01T00:00:00Z").toEpochMilli();
  static final long END = Instant.parse("2025-03-07T00:00:00Z").toEpochMilli() + 1;

  static S3Client s3;
  static DynamoDbClient db;
  static Map<String, String> env;
  static ApiHandler handler;
  static final List<String> keys = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    s3 = Emulators.s3();
    db = Emulators.dynamo();
    env = new HashMap<>(Emulators.env());
    env.put("TRAILQUERY_QUERIES_TABLE", "api-queries-" + RUN);
    env.put("TRAILQUERY_SUBSCRIPTIONS_TABLE", "api-subs-" + RUN);
    env.put("TRAILQUERY_RESULTS_TABLE", "api-results-" + RUN);
    env.put("TRAILQUERY_TRAIL_BUCKET", BUCKET);
    env.put("TRAILQUERY_SUBSCRIPTION_CACHE_SECONDS", "0");
    Tables.createIfMissing(db, Tables.queries(env.get("TRAILQUERY_QUERIES_TABLE")));
    Tables.createIfMissing(db, Tables.subscriptions(env.get("TRAILQUERY_SUBSCRIPTIONS_TABLE")));
    Tables.createIfMissing(db, Tables.results(env.get("TRAILQUERY_RESULTS_TABLE")));
    s3.createBucket(b -> b.bucket(BUCKET));
    upload();
    handler = new ApiHandler(AwsApi.from(env, s3, db).api());
  }

  /**
   * The two real cloud-snitch objects (one under an organization trail) under their own keys, and
   * generated ones on 2025-03-02..05 holding console logins from a few addresses.
   */
  static void upload() throws Exception {
    Path samples = Path.of("..", "samples", "cloudtrail", "cloud-snitch", "aws-cloudtrail-logs");
    try (Stream<Path> s = Files.walk(samples)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        String key = samples.relativize(p).toString().replace('\\', '/');
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(p));
        keys.add(key);
      }
    }
    for (int i = 0; i < 12; i++) {
      int day = 2 + i % 4;
      int hour = (i * 5) % 24;
      StringBuilder records = new StringBuilder();
      for (int j = 0; j < 3 + i % 3; j++) {
        if (j > 0) {
          records.append(',');
        }
        String name = j % 2 == 0 ? "ConsoleLogin" : "GetCallerIdentity";
        String source = j % 2 == 0 ? "signin.amazonaws.com" : "sts.amazonaws.com";
        records.append(
            String.format(
                "{\"eventVersion\":\"1.08\",\"eventTime\":\"2025-03-%02dT%02d:%02d:00Z\","
                    + "\"eventSource\":\"%s\",\"eventName\":\"%s\",\"awsRegion\":\"us-east-1\","
                    + "\"sourceIPAddress\":\"203.0.113.%d\",\"eventID\":\"%d-%d\"}",
                day, hour, j, source, name, (i + j) % 5, i, j));
      }
      String key =
          String.format(
              "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/%02d/"
                  + "111122223333_CloudTrail_us-east-1_202503%02dT%02d05Z_gen%04d.json",
              day, day, hour, i);
      s3.putObject(
          b -> b.bucket(BUCKET).key(key),
          RequestBody.fromString("{\"Records\":[" + records + "]}"));
      keys.add(key);
    }
  }

  static APIGatewayProxyResponseEvent send(String file) throws Exception {
    APIGatewayProxyRequestEvent event =
        Json.MAPPER.readValue(EVENTS.resolve(file).toFile(), APIGatewayProxyRequestEvent.class);
    return handler.handleRequest(event, null);
  }

  static JsonNode ok(String file) throws Exception {
    APIGatewayProxyResponseEvent r = send(file);
    assertThat(r.getStatusCode()).as(file + ": " + r.getBody()).isEqualTo(200);
    return Json.MAPPER.readTree(r.getBody());
  }

  /** The engine's one pass over every object of the bucket, records in [START, END). */
  static Result reference(String query) throws Exception {
    return Trailquery.run(
        Trailquery.compile(query, new Planner.Options(START, END, START, null)),
        List.of(new S3ObjectSource(s3, BUCKET, "AWSLogs/")),
        4,
        Scan.Listener.NONE);
  }

  /** Rows as GetQueryResults gives them, to compare with the route's {@code results}. */
  static JsonNode rows(Result r) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (List<ResultField> row : ResultField.rows(r)) {
      ArrayNode cells = out.addArray();
      row.forEach(f -> cells.addObject().put("field", f.field()).put("value", f.value()));
    }
    return out;
  }

  /** Delivers every object to the ingest handler as one direct S3 event. */
  static JsonNode ingestAll() {
    ObjectNode event = Json.MAPPER.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (String k : keys) {
      ObjectNode r = records.addObject();
      r.put("eventSource", "aws:s3");
      r.put("eventName", "ObjectCreated:Put");
      ObjectNode n = r.putObject("s3");
      n.putObject("bucket").put("name", BUCKET);
      n.putObject("object")
          .put("key", k)
          .put("size", s3.headObject(b -> b.bucket(BUCKET).key(k)).contentLength());
    }
    PrintStream log = new PrintStream(new ByteArrayOutputStream());
    return new IngestHandler(IngestConfig.fromEnv(env::get, log), s3, db).handle(event);
  }

  @Test
  void subscriptionRoutesOverTheIngestTables() throws Exception {
    // A saved query, then a subscription to it with a backfill the API starts in this process.
    ok("put-saved-query.json");
    JsonNode put = ok("put-subscription.json");
    assertThat(put.get("name").asText()).isEqualTo("console-logins");
    assertThat(put.get("savedQuery").asText()).isEqualTo("security/console-logins");
    assertThat(put.get("queryString").asText()).isEqualTo(CONSOLE_LOGINS);
    assertThat(put.get("bin").asText()).isEqualTo("1h");
    assertThat(put.get("kind").asText()).isEqualTo("stats");
    assertThat(put.get("backfillFrom").asLong())
        .isEqualTo(Instant.parse("2025-03-01T00:00:00Z").getEpochSecond());
    assertThat(put.get("backfill").asText()).contains("started");

    // The backfill runs on its own thread: wait for it to have read every object.
    JsonNode series = null;
    for (int i = 0; i < 300; i++) {
      series = ok("get-subscription-results.json");
      if (series.at("/statistics/objectsScanned").asInt() == keys.size()) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(series.at("/statistics/objectsScanned").asInt()).isEqualTo(keys.size());
    assertThat(series.get("granularity").asText()).isEqualTo("bin");
    assertThat(series.get("fields").toString()).isEqualTo("[\"sourceIPAddress\",\"count(*)\"]");
    // Per bin, the one pass's counts by address and hour.
    Result byHour =
        reference(
            "filter eventName = \"ConsoleLogin\" | stats count(*) as n by sourceIPAddress,"
                + " bin(1h) as hour");
    Map<String, String> expected = new HashMap<>();
    for (Object[] row : byHour.rows()) {
      expected.put(
          dev.trailquery.value.Values.toText(row[1])
              + " "
              + dev.trailquery.value.Values.toText(row[0]),
          dev.trailquery.value.Values.toText(row[2]));
    }
    Map<String, String> got = new HashMap<>();
    long previous = Long.MAX_VALUE;
    for (JsonNode bin : series.get("bins")) {
      assertThat(bin.get("startTime").asLong()).as("newest first").isLessThan(previous);
      previous = bin.get("startTime").asLong();
      for (JsonNode row : bin.get("results")) {
        got.put(
            bin.get("bin").asText() + " " + row.get(0).get("value").asText(),
            row.get(1).get("value").asText());
      }
    }
    assertThat(got).isNotEmpty().isEqualTo(expected);

    // A subscription by query string, no backfill; the ingest Lambda then gets every object.
    JsonNode daily = ok("put-subscription-query.json");
    assertThat(daily.get("created").asBoolean()).isTrue();
    assertThat(daily.get("bin").asText()).isEqualTo("1d");
    JsonNode ingested = ingestAll();
    assertThat(ingested.get("objects").asInt()).as(ingested.toString()).isEqualTo(keys.size());

    JsonNode total = ok("get-subscription-results-total.json");
    Result one = reference(DAILY_SOURCES);
    assertThat(total.get("granularity").asText()).isEqualTo("total");
    assertThat(total.get("fields").toString()).isEqualTo("[\"eventSource\",\"n\",\"ips\"]");
    assertThat(total.get("results")).isEqualTo(rows(one));
    assertThat(total.at("/statistics/recordsScanned").asLong())
        .isEqualTo(one.statistics().recordsScanned());
    assertThat(total.at("/statistics/objectsScanned").asLong()).isEqualTo(keys.size());

    // console-logins now has two bundles per object (backfill + ingest): still counted once.
    JsonNode again = ok("get-subscription-results.json");
    assertThat(again.get("bins")).isEqualTo(series.get("bins"));

    // The same definition again changes nothing.
    JsonNode same = ok("put-subscription-query.json");
    assertThat(same.get("created").asBoolean()).isFalse();
    assertThat(same.get("id").asText()).isEqualTo(daily.get("id").asText());

    JsonNode got1 = ok("get-subscription.json");
    assertThat(got1.get("name").asText()).isEqualTo("console-logins");
    assertThat(got1.get("queryString").asText()).isEqualTo(CONSOLE_LOGINS);
    JsonNode list = ok("list-subscriptions.json");
    assertThat(list.get("subscriptions").findValuesAsText("name"))
        .containsExactly("console-logins", "daily-sources");

    APIGatewayProxyResponseEvent malformed = send("put-subscription-malformed.json");
    assertThat(malformed.getStatusCode()).isEqualTo(400);
    JsonNode err = Json.MAPPER.readTree(malformed.getBody());
    assertThat(err.at("/error/code").asText()).isEqualTo("MalformedQuery");
    assertThat(err.at("/error/line").asInt()).isEqualTo(2);
    assertThat(err.at("/error/column").asInt()).isPositive();

    // An alarm on it: count(*) > 3 per bin.
    JsonNode alarm = ok("put-subscription-alarm.json");
    assertThat(alarm.get("subscription").asText()).isEqualTo("console-logins");
    assertThat(alarm.get("condition").asText()).isEqualTo("count(*) > 3");
    assertThat(alarm.get("notifyOk").asBoolean()).isTrue();
    assertThat(alarm.get("created").asBoolean()).isTrue();
    assertThat(alarm.at("/state/value").asText()).isEqualTo("INSUFFICIENT_DATA");
    JsonNode again2 = ok("put-subscription-alarm.json");
    assertThat(again2.get("created").asBoolean()).isFalse();
    assertThat(again2.get("changed").asBoolean()).isFalse();
    assertThat(again2.get("createTime").asLong()).isEqualTo(alarm.get("createTime").asLong());
    assertThat(ok("get-subscription-alarm.json").get("threshold").asDouble()).isEqualTo(3.0);
    assertThat(ok("list-alarms.json").get("alarms").findValuesAsText("subscription"))
        .containsExactly("console-logins");
    Api api = AwsApi.from(env, s3, db).api();
    ApiResponse badColumn =
        api.handle(
            new ApiRequest(
                "PUT",
                "/subscriptions/console-logins/alarm",
                null,
                "{\"column\":\"sum\",\"comparison\":\">\",\"threshold\":1}"));
    assertThat(badColumn.status()).isEqualTo(400);
    assertThat(badColumn.body()).contains("no column 'sum'").contains("count(*)");
    ApiResponse badComparison =
        api.handle(
            new ApiRequest(
                "PUT",
                "/subscriptions/console-logins/alarm",
                null,
                "{\"column\":\"count(*)\",\"comparison\":\"~\",\"threshold\":1}"));
    assertThat(badComparison.status()).isEqualTo(400);
    ok("delete-subscription-alarm.json");
    assertThat(send("get-subscription-alarm.json").getStatusCode()).isEqualTo(404);
    assertThat(send("delete-subscription-alarm.json").getStatusCode()).isEqualTo(404);
    ok("put-subscription-alarm.json");

    ok("delete-subscription.json");
    // the subscription's alarm goes with it
    assertThat(send("get-subscription-alarm.json").getStatusCode()).isEqualTo(404);
    assertThat(send("get-subscription.json").getStatusCode()).isEqualTo(404);
    assertThat(send("get-subscription-results.json").getStatusCode()).isEqualTo(404);
    assertThat(send("delete-subscription.json").getStatusCode()).isEqualTo(404);
    assertThat(ok("list-subscriptions.json").get("subscriptions").findValuesAsText("name"))
        .containsExactly("daily-sources");
  }

  /** Every record of the bucket's CloudTrail objects, by a plain Jackson walk. */
  static List<JsonNode> allRecords() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String k : keys) {
      byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(k)).asByteArray();
      if (bytes.length > 1 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
        bytes =
            new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))
                .readAllBytes();
      }
      JsonNode root = Json.MAPPER.readTree(bytes);
      (root.isArray() ? root : root.path("Records")).forEach(out::add);
    }
    return out;
  }

  @Test
  void metricFilterAndRuleSubscriptionsThroughTheRoutes() throws Exception {
    try {
      JsonNode mf = ok("put-subscription-metric-filter.json");
      assertThat(mf.get("type").asText()).isEqualTo("metricFilter");
      assertThat(mf.get("queryString").asText()).startsWith("fields filterPattern(");
      JsonNode rule = ok("put-subscription-rule.json");
      assertThat(rule.get("type").asText()).isEqualTo("contributorRule");
      assertThat(rule.get("bin").asText()).isEqualTo("1h");
      // The same definition again: unchanged.
      assertThat(ok("put-subscription-rule.json").get("created").asBoolean()).isFalse();
      ingestAll();

      long from = Instant.parse("2025-03-01T00:00:00Z").toEpochMilli();
      long to = Instant.parse("2025-03-07T00:00:00Z").toEpochMilli();
      Map<String, Long> byAddress = new HashMap<>();
      for (JsonNode r : allRecords()) {
        long t = Instant.parse(r.path("eventTime").asText()).toEpochMilli();
        if (t >= from
            && t < to
            && r.path("eventName").asText().equals("ConsoleLogin")
            && r.path("sourceIPAddress").isTextual()) {
          byAddress.merge(r.get("sourceIPAddress").asText(), 1L, Long::sum);
        }
      }
      assertThat(byAddress).hasSizeGreaterThan(3);
      JsonNode report = ok("get-subscription-report.json").get("report");
      assertThat(report.get("approximateUniqueCount").asLong()).isEqualTo(byAddress.size());
      assertThat(report.get("aggregateValue").asLong())
          .isEqualTo(byAddress.values().stream().mapToLong(Long::longValue).sum());
      List<Long> top3 =
          byAddress.values().stream().sorted(java.util.Comparator.reverseOrder()).limit(3).toList();
      assertThat(report.get("contributors").findValuesAsText("approximateAggregateValue"))
          .map(Double::parseDouble)
          .map(Double::longValue)
          .containsExactlyElementsOf(top3);
      for (JsonNode c : report.get("contributors")) {
        assertThat(c.get("approximateAggregateValue").asLong())
            .isEqualTo(byAddress.get(c.at("/keys/0").asText()));
      }

      APIGatewayProxyResponseEvent bad = send("put-subscription-metric-filter-malformed.json");
      assertThat(bad.getStatusCode()).isEqualTo(400);
      JsonNode err = Json.MAPPER.readTree(bad.getBody());
      assertThat(err.at("/error/code").asText()).isEqualTo("MalformedFilterPattern");
      assertThat(err.at("/error/line").asInt()).isEqualTo(2);
      assertThat(err.at("/error/column").asInt()).isEqualTo(20);
      Api api = AwsApi.from(env, s3, db).api();
      ApiResponse notRule =
          api.handle(
              new ApiRequest(
                  "GET",
                  "/subscriptions/console-login-failures/results",
                  Map.of("granularity", "report"),
                  null));
      assertThat(notRule.status()).isEqualTo(400);
      ApiResponse badRule =
          api.handle(
              new ApiRequest(
                  "PUT",
                  "/subscriptions/r",
                  null,
                  "{\"contributorRule\":{\"Schema\":{\"Name\":\"CloudWatchLogRule\",\"Version\":1},"
                      + "\"AggregateOn\":\"Max\"}}"));
      assertThat(badRule.status()).isEqualTo(400);
      assertThat(badRule.body()).contains("MalformedRule");
    } finally {
      Api api = AwsApi.from(env, s3, db).api();
      for (String n : List.of("console-login-failures", "logins-by-address")) {
        api.handle(new ApiRequest("DELETE", "/subscriptions/" + n, null, null));
      }
    }
  }

  @Test
  void badRequestsAreFourHundreds() {
    Api api = AwsApi.from(env, s3, db).api();
    record Case(String method, String path, Map<String, String> query, String body, int status) {}
    for (Case c :
        List.of(
            new Case("PUT", "/subscriptions/x", null, "{}", 400),
            new Case(
                "PUT",
                "/subscriptions/x",
                null,
                "{\"queryString\":\"stats count(*)\"," + "\"savedQuery\":\"a\"}",
                400),
            new Case("PUT", "/subscriptions/x", null, "{\"savedQuery\":\"no-such\"}", 400),
            new Case(
                "PUT",
                "/subscriptions/x",
                null,
                "{\"queryString\":\"stats count(*)\"," + "\"bin\":\"fortnight\"}",
                400),
            new Case(
                "PUT",
                "/subscriptions/x",
                null,
                "{\"queryString\":\"stats count(*)\"," + "\"colour\":\"red\"}",
                400),
            new Case(
                "PUT", "/subscriptions/b%20d", null, "{\"queryString\":\"stats count(*)\"}", 400),
            new Case("POST", "/subscriptions", null, null, 405),
            new Case("GET", "/subscriptions/nope/results", null, null, 404),
            new Case("GET", "/subscriptions/nope/other", null, null, 404),
            new Case("PUT", "/subscriptions/nope/alarm", null, ALARM_BODY, 404),
            new Case("GET", "/subscriptions/nope/alarm", null, null, 404),
            new Case("POST", "/subscriptions/nope/alarm", null, null, 405),
            new Case("POST", "/alarms", null, null, 405),
            new Case("GET", "/alarms/x", null, null, 404))) {
      ApiResponse r = api.handle(new ApiRequest(c.method(), c.path(), c.query(), c.body()));
      assertThat(r.status()).as(c + " → " + r.body()).isEqualTo(c.status());
      assertThat(r.body()).contains("\"error\"");
    }
    ApiResponse put =
        api.handle(
            new ApiRequest(
                "PUT", "/subscriptions/g", null, "{\"queryString\":\"stats count(*)\"}"));
    assertThat(put.status()).isEqualTo(200);
    ApiResponse badGranularity =
        api.handle(
            new ApiRequest("GET", "/subscriptions/g/results", Map.of("granularity", "hour"), null));
    assertThat(badGranularity.status()).isEqualTo(400);
    ApiResponse empty = api.handle(new ApiRequest("GET", "/subscriptions/g/results", null, null));
    assertThat(empty.status()).as(empty.body()).isEqualTo(200);
    assertThat(api.handle(new ApiRequest("DELETE", "/subscriptions/g", null, null)).status())
        .isEqualTo(200);
  }

  @Test
  void theIngestFunctionRunsABackfillEventLikeTheApiSendsIt() throws Exception {
    PrintStream log = new PrintStream(new ByteArrayOutputStream());
    IngestConfig config = IngestConfig.fromEnv(env::get, log);
    IngestHandler ingest = new IngestHandler(config, s3, db);
    dev.trailquery.functions.store.Subscription sub =
        dev.trailquery.functions.store.Subscription.create(
            "by-event-" + RUN,
            "stats count(*) as n by eventName",
            "1d",
            null,
            null,
            System.currentTimeMillis(),
            START);
    ingest.ingestor().subscriptions().put(sub, false);
    JsonNode r = ingest.handle(IngestHandler.backfillEvent(sub, BUCKET, ""));
    assertThat(r.get("processed").asInt()).as(r.toString()).isEqualTo(keys.size());
    Result merged =
        new dev.trailquery.functions.store.Results(
                new dev.trailquery.functions.store.ResultStore(
                    db, config.resultsTable(), config.partBytes()))
            .merged(sub, Long.MIN_VALUE, Long.MAX_VALUE);
    Result one = reference("stats count(*) as n by eventName");
    assertThat(rows(merged)).isEqualTo(rows(one));
    // A replaced (or deleted) subscription is not backfilled under its old id.
    dev.trailquery.functions.store.Subscription replaced =
        dev.trailquery.functions.store.Subscription.create(
            sub.name(),
            "stats count(*) as n by eventName",
            "1h",
            null,
            null,
            System.currentTimeMillis() + 1,
            START);
    ingest.ingestor().subscriptions().put(replaced, true);
    JsonNode stale = ingest.handle(IngestHandler.backfillEvent(sub, BUCKET, ""));
    assertThat(stale.get("error").asText()).contains("replaced");
    ingest.ingestor().subscriptions().delete(sub.name());
  }
}
