package dev.trailquery.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.aws.S3ObjectSource;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.query.ResultField;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.plan.Planner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * Every event in {@code events/} and {@code events/api/}, read the way the Lambda Java runtime
 * reads it ({@code aws-lambda-java-serialization}), runs its handler against the emulators
 * (S3Proxy, dynalite).
 *
 * <ul>
 *   <li>{@link ApiHandler} is a {@code RequestHandler<APIGatewayProxyRequestEvent,
 *       APIGatewayProxyResponseEvent>}: the runtime deserializes the event with {@link
 *       LambdaEventSerializers#serializerFor} and serializes the response with it. The test does
 *       the same, then checks the status code and body of every route, in an order where each route
 *       has something to act on (a query that completes over S3Proxy, saved queries and
 *       subscriptions in DynamoDB tables).
 *   <li>{@link IngestHandler} is a {@code RequestStreamHandler}: the runtime hands it the event's
 *       bytes unchanged. The test reads each event into the runtime's own type ({@link SQSEvent}
 *       with its body as an {@link S3EventNotification}, {@link S3Event}, {@link ScheduledEvent}
 *       for EventBridge) and checks the object it names, then runs the handler twice with fresh
 *       tables: on the file's bytes, and on the bytes the runtime's serializer writes back from the
 *       typed event (so a field the runtime's model does not know, which the handler relied on,
 *       fails here). Each run must ingest the object: an SQS batch response with no failures, or
 *       one object with the engine's record count; the subscription's stored results equal the
 *       engine's one pass over the object.
 * </ul>
 *
 * Every {@code .json} file of both folders must have a case here, or the test fails.
 */
class LambdaSerializationEventsTest {
  static final Path EVENTS = Path.of("..", "events");
  static final Path API_EVENTS = EVENTS.resolve("api");
  static final ClassLoader LOADER = LambdaSerializationEventsTest.class.getClassLoader();
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  /** The bucket and object the ingest events name, holding a real sample CloudTrail object. */
  static final String INGEST_BUCKET = "trailquery-cloudtrail";

  static final String KEY =
      "AWSLogs/333333333333/CloudTrail/us-east-1/2025/03/06/"
          + "333333333333_CloudTrail_us-east-1_20250306T0320Z_ZgdYr0lP8M9fWEH8.json.gz";

  static final String SUBSCRIBED = "stats count(*) as n by eventName";

  /** The fixed query id the query events name. */
  static final String QUERY_ID = "0195a0c4-1f00-7000-8000-000000000000";

  /** The API's trail bucket: the two sample objects and generated console logins. */
  static final String API_BUCKET = "lambda-serde-" + RUN;

  enum Ingest {
    SQS,
    S3,
    EVENTBRIDGE
  }

  static final Map<String, Ingest> INGEST =
      Map.of(
          "sqs-s3-put.json", Ingest.SQS,
          "s3-put.json", Ingest.S3,
          "eventbridge-object-created.json", Ingest.EVENTBRIDGE);

  /** The API events in the order they run (later ones see what earlier ones did), with status. */
  static final Map<String, Integer> API = new LinkedHashMap<>();

  static {
    API.put("post-query-malformed.json", 400);
    API.put("post-query.json", 202);
    API.put("get-query.json", 200); // polled until Complete
    API.put("list-queries.json", 200);
    API.put("delete-query.json", 409); // it has already ended
    API.put("put-saved-query.json", 200);
    API.put("get-saved-query.json", 200);
    API.put("list-saved-queries.json", 200);
    API.put("put-subscription.json", 200); // of the saved query, with a backfill
    API.put("put-subscription-query.json", 200);
    API.put("put-subscription-malformed.json", 400);
    API.put("get-subscription.json", 200);
    API.put("list-subscriptions.json", 200);
    API.put("put-subscription-metric-filter.json", 200);
    API.put("put-subscription-metric-filter-malformed.json", 400);
    API.put("put-subscription-rule.json", 200);
    API.put("get-subscription-report.json", 200);
    API.put("get-subscription-results.json", 200); // polled until the backfill read everything
    API.put("get-subscription-results-total.json", 200);
    API.put("put-subscription-alarm.json", 200);
    API.put("get-subscription-alarm.json", 200);
    API.put("list-alarms.json", 200);
    API.put("delete-subscription-alarm.json", 200);
    API.put("delete-subscription.json", 200);
    API.put("delete-saved-query.json", 200);
    API.put("put-lookup-table.json", 200);
    API.put("get-lookup-table.json", 200);
    API.put("list-lookup-tables.json", 200);
    API.put("delete-lookup-table.json", 200);
    API.put("put-pack-cis.json", 200);
  }

  static S3Client s3;
  static DynamoDbClient db;
  static final List<String> apiKeys = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    s3 = Emulators.s3();
    db = Emulators.dynamo();
    createBucket(INGEST_BUCKET);
    s3.putObject(
        b -> b.bucket(INGEST_BUCKET).key(KEY),
        RequestBody.fromFile(
            Path.of("..", "samples", "cloudtrail", "cloud-snitch", "aws-cloudtrail-logs")
                .resolve(KEY)));
    createBucket(API_BUCKET);
    uploadApiObjects();
  }

  static void createBucket(String name) {
    try {
      s3.createBucket(b -> b.bucket(name));
    } catch (BucketAlreadyOwnedByYouException exists) {
      // another test class of this JVM made it
    }
  }

  static List<String> jsonFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .sorted()
          .toList();
    }
  }

  @Test
  void everyEventFileHasACase() throws IOException {
    assertThat(jsonFiles(EVENTS))
        .as("events/*.json without a case in INGEST")
        .containsExactlyInAnyOrderElementsOf(INGEST.keySet());
    assertThat(jsonFiles(API_EVENTS))
        .as("events/api/*.json without a case in API")
        .containsExactlyInAnyOrderElementsOf(API.keySet());
  }

  // ---- ingest ----

  static List<String> ingestEvents() throws IOException {
    return jsonFiles(EVENTS);
  }

  @ParameterizedTest
  @MethodSource("ingestEvents")
  void ingestEventReadByTheRuntimeSerializerIsIngested(String file) throws Exception {
    Ingest kind = INGEST.get(file);
    assertThat(kind).as("no case for events/" + file).isNotNull();
    byte[] raw = Files.readAllBytes(EVENTS.resolve(file));

    // The event as the runtime's types see it, and the bytes its serializer writes back.
    byte[] reserialized;
    switch (kind) {
      case SQS -> {
        PojoSerializer<SQSEvent> serializer = serializer(SQSEvent.class);
        SQSEvent event = serializer.fromJson(new ByteArrayInputStream(raw));
        assertThat(event.getRecords()).hasSize(1);
        SQSEvent.SQSMessage m = event.getRecords().get(0);
        assertThat(m.getEventSource()).isEqualTo("aws:sqs");
        assertThat(m.getMessageId()).isNotBlank();
        S3EventNotification body = serializer(S3EventNotification.class).fromJson(m.getBody());
        assertNamesTheObject(body);
        reserialized = write(serializer, event);
      }
      case S3 -> {
        PojoSerializer<S3Event> serializer = serializer(S3Event.class);
        S3Event event = serializer.fromJson(new ByteArrayInputStream(raw));
        assertNamesTheObject(event);
        reserialized = write(serializer, event);
      }
      case EVENTBRIDGE -> {
        PojoSerializer<ScheduledEvent> serializer = serializer(ScheduledEvent.class);
        ScheduledEvent event = serializer.fromJson(new ByteArrayInputStream(raw));
        assertThat(event.getDetailType()).isEqualTo("Object Created");
        assertThat(event.getSource()).isEqualTo("aws.s3");
        assertThat(event.getTime()).isNotNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> bucket = (Map<String, Object>) event.getDetail().get("bucket");
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) event.getDetail().get("object");
        assertThat(bucket.get("name")).isEqualTo(INGEST_BUCKET);
        assertThat(object.get("key")).isEqualTo(KEY);
        reserialized = write(serializer, event);
      }
      default -> throw new AssertionError(kind);
    }

    Result one =
        Trailquery.run(
            Trailquery.compile(SUBSCRIBED, Planner.Options.defaults()),
            List.of(new S3ObjectSource(s3, INGEST_BUCKET, KEY)),
            1,
            Scan.Listener.NONE);
    assertThat(one.statistics().recordsScanned()).isPositive();
    for (byte[] bytes : List.of(raw, reserialized)) {
      String run = UUID.randomUUID().toString().substring(0, 8);
      String subs = "serde-subs-" + run;
      String results = "serde-results-" + run;
      Tables.createIfMissing(db, Tables.subscriptions(subs));
      Tables.createIfMissing(db, Tables.results(results));
      Subscription sub =
          Subscription.create("n", SUBSCRIBED, "1h", null, null, System.currentTimeMillis(), null);
      new SubscriptionStore(db, subs, 0).put(sub, false);
      IngestConfig config =
          IngestConfig.defaults(subs, results, new PrintStream(new ByteArrayOutputStream()));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      // As the runtime calls a RequestStreamHandler: the payload's bytes in, the response out.
      new IngestHandler(config, s3, db).handleRequest(new ByteArrayInputStream(bytes), out, null);
      JsonNode response = Json.MAPPER.readTree(out.toByteArray());
      if (kind == Ingest.SQS) {
        assertThat(response.get("batchItemFailures")).as(response.toString()).isEmpty();
      } else {
        assertThat(response.get("objects").asInt()).as(response.toString()).isEqualTo(1);
        assertThat(response.get("records").asLong()).isEqualTo(one.statistics().recordsScanned());
      }
      Result stored =
          new Results(new ResultStore(db, results, config.partBytes()))
              .merged(sub, Long.MIN_VALUE, Long.MAX_VALUE);
      assertThat(stored.statistics().objectsScanned()).as(file + " object ingested").isEqualTo(1);
      assertThat(rows(stored)).isEqualTo(rows(one));
    }
  }

  static void assertNamesTheObject(S3EventNotification event) {
    assertThat(event.getRecords()).hasSize(1);
    S3EventNotification.S3EventNotificationRecord r = event.getRecords().get(0);
    assertThat(r.getEventName()).startsWith("ObjectCreated:");
    assertThat(r.getS3().getBucket().getName()).isEqualTo(INGEST_BUCKET);
    assertThat(r.getS3().getObject().getUrlDecodedKey()).isEqualTo(KEY);
    assertThat(r.getS3().getObject().getSizeAsLong()).isPositive();
  }

  static <T> PojoSerializer<T> serializer(Class<T> type) {
    return LambdaEventSerializers.serializerFor(type, LOADER);
  }

  static <T> byte[] write(PojoSerializer<T> serializer, T value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    serializer.toJson(value, out);
    return out.toByteArray();
  }

  // ---- API ----

  /**
   * The two sample objects under their own keys (one under an organization trail), and generated
   * objects on 2025-03-02..05 holding console logins from a few addresses.
   */
  static void uploadApiObjects() throws IOException {
    Path samples = Path.of("..", "samples", "cloudtrail", "cloud-snitch", "aws-cloudtrail-logs");
    try (Stream<Path> s = Files.walk(samples)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        String key = samples.relativize(p).toString().replace('\\', '/');
        s3.putObject(b -> b.bucket(API_BUCKET).key(key), RequestBody.fromFile(p));
        apiKeys.add(key);
      }
    }
    for (int i = 0; i < 8; i++) {
      int day = 2 + i % 4;
      int hour = (i * 7) % 24;
      StringBuilder records = new StringBuilder();
      for (int j = 0; j < 4; j++) {
        if (j > 0) {
          records.append(',');
        }
        records.append(
            String.format(
                "{\"eventVersion\":\"1.08\",\"eventTime\":\"2025-03-%02dT%02d:%02d:00Z\","
                    + "\"eventSource\":\"signin.amazonaws.com\",\"eventName\":\"ConsoleLogin\","
                    + "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"203.0.113.%d\"}",
                day, hour, j, (i + j) % 3));
      }
      String key =
          String.format(
              "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/%02d/"
                  + "111122223333_CloudTrail_us-east-1_202503%02dT%02d05Z_serde%02d.json",
              day, day, hour, i);
      s3.putObject(
          b -> b.bucket(API_BUCKET).key(key),
          RequestBody.fromString("{\"Records\":[" + records + "]}"));
      apiKeys.add(key);
    }
  }

  /** The engine's one pass over the API bucket, records in [start, end). */
  static Result reference(String query, long start, long end) throws Exception {
    return Trailquery.run(
        Trailquery.compile(query, new Planner.Options(start, end, end, null)),
        List.of(new S3ObjectSource(s3, API_BUCKET, "AWSLogs/")),
        4,
        Scan.Listener.NONE);
  }

  static JsonNode rows(Result r) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (List<ResultField> row : ResultField.rows(r)) {
      ArrayNode cells = out.addArray();
      row.forEach(f -> cells.addObject().put("field", f.field()).put("value", f.value()));
    }
    return out;
  }

  /**
   * Runs one API event as the runtime does: the request read with the runtime's serializer, the
   * response written with it; returns the response as the runtime would send it.
   */
  static JsonNode invoke(ApiHandler handler, String file) throws IOException {
    APIGatewayProxyRequestEvent event;
    try (var in = Files.newInputStream(API_EVENTS.resolve(file))) {
      event = serializer(APIGatewayProxyRequestEvent.class).fromJson(in);
    }
    APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
    return Json.MAPPER.readTree(write(serializer(APIGatewayProxyResponseEvent.class), response));
  }

  @Test
  void everyApiEventReadByTheRuntimeSerializerGetsItsAnswer() throws Exception {
    Map<String, String> env = new HashMap<>(Emulators.env());
    env.put("TRAILQUERY_QUERIES_TABLE", "serde-queries-" + RUN);
    env.put("TRAILQUERY_SUBSCRIPTIONS_TABLE", "serde-api-subs-" + RUN);
    env.put("TRAILQUERY_RESULTS_TABLE", "serde-api-results-" + RUN);
    env.put("TRAILQUERY_TRAIL_BUCKET", API_BUCKET);
    env.put("TRAILQUERY_SUBSCRIPTION_CACHE_SECONDS", "0");
    env.put("TRAILQUERY_MAX_WORKERS", "4");
    env.put("TRAILQUERY_WORKER_PARALLELISM", "8");
    Tables.createIfMissing(db, Tables.queries(env.get("TRAILQUERY_QUERIES_TABLE")));
    Tables.createIfMissing(db, Tables.subscriptions(env.get("TRAILQUERY_SUBSCRIPTIONS_TABLE")));
    Tables.createIfMissing(db, Tables.results(env.get("TRAILQUERY_RESULTS_TABLE")));
    ApiHandler handler = new ApiHandler(AwsApi.from(env, s3, db, () -> QUERY_ID).api());

    for (Map.Entry<String, Integer> e : API.entrySet()) {
      String file = e.getKey();
      JsonNode response = invoke(handler, file);
      JsonNode body = Json.MAPPER.readTree(response.get("body").asText());
      if (file.equals("get-query.json")) {
        for (int i = 0; i < 600 && !body.get("status").asText().equals("Complete"); i++) {
          assertThat(body.get("status").asText()).isIn("Scheduled", "Running");
          Thread.sleep(50);
          response = invoke(handler, file);
          body = Json.MAPPER.readTree(response.get("body").asText());
        }
      }
      if (file.equals("get-subscription-results.json")) {
        for (int i = 0;
            i < 300 && body.at("/statistics/objectsScanned").asInt() < apiKeys.size();
            i++) {
          Thread.sleep(100);
          response = invoke(handler, file);
          body = Json.MAPPER.readTree(response.get("body").asText());
        }
      }
      assertThat(response.get("statusCode").asInt())
          .as(file + " → " + response)
          .isEqualTo(e.getValue());
      assertThat(response.at("/headers/Content-Type").asText()).startsWith("application/json");
      if (e.getValue() >= 400) {
        assertThat(body.at("/error/code").asText()).as(file).isNotBlank();
      }
      switch (file) {
        case "post-query-malformed.json", "put-subscription-malformed.json" -> {
          assertThat(body.at("/error/code").asText()).isEqualTo("MalformedQuery");
          assertThat(body.at("/error/line").asInt()).isEqualTo(2);
          assertThat(body.at("/error/column").asInt()).isPositive();
        }
        case "put-subscription-metric-filter-malformed.json" -> {
          assertThat(body.at("/error/code").asText()).isEqualTo("MalformedFilterPattern");
          assertThat(body.at("/error/line").asInt()).isEqualTo(2);
          assertThat(body.at("/error/column").asInt()).isPositive();
        }
        case "put-subscription-metric-filter.json" -> {
          assertThat(body.get("type").asText()).isEqualTo("metricFilter");
          assertThat(body.get("bin").asText()).isEqualTo("5m");
          assertThat(body.at("/metricFilter/filterName").asText())
              .isEqualTo("ConsoleSignInFailures");
        }
        case "put-subscription-rule.json" -> {
          assertThat(body.get("type").asText()).isEqualTo("contributorRule");
          assertThat(body.at("/contributorRule/AggregateOn").asText()).isEqualTo("Count");
        }
        case "get-subscription-report.json" -> {
          assertThat(body.get("granularity").asText()).isEqualTo("report");
          assertThat(body.at("/report/keyLabels/0").asText()).isEqualTo("$.sourceIPAddress");
        }
        case "post-query.json" -> assertThat(body.get("queryId").asText()).isEqualTo(QUERY_ID);
        case "get-query.json" -> {
          // Both ends inclusive: [2025-03-01T00:00:00Z, 1741910400].
          Result one =
              reference(
                  "filter eventName = \"ConsoleLogin\" | stats count(*) as logins by"
                      + " sourceIPAddress | sort logins desc",
                  Instant.parse("2025-03-01T00:00:00Z").toEpochMilli(),
                  1741910400_000L + 1000);
          assertThat(body.get("status").asText()).isEqualTo("Complete");
          assertThat(body.get("results")).isNotEmpty().isEqualTo(rows(one));
          assertThat(body.at("/statistics/objectsScanned").asInt()).isEqualTo(apiKeys.size());
          assertThat(body.at("/statistics/recordsMatched").asLong())
              .isEqualTo(one.statistics().recordsMatched());
        }
        case "list-queries.json" ->
            assertThat(body.get("queries").findValuesAsText("queryId")).containsExactly(QUERY_ID);
        case "get-saved-query.json" -> {
          assertThat(body.get("name").asText()).isEqualTo("security/console-logins");
          assertThat(body.get("queryString").asText()).contains("ConsoleLogin");
        }
        case "list-saved-queries.json" ->
            assertThat(body.findValuesAsText("name")).contains("security/console-logins");
        case "put-lookup-table.json" -> {
          assertThat(body.get("rows").asInt()).isEqualTo(2);
          assertThat(body.get("columns").toString())
              .isEqualTo("[\"accountId\",\"name\",\"email\",\"status\"]");
        }
        case "get-lookup-table.json" ->
            assertThat(body.get("csv").asText()).contains("111122223333,prod");
        case "list-lookup-tables.json" ->
            assertThat(body.get("lookupTables").findValuesAsText("name"))
                .containsExactly("accounts");
        case "put-subscription.json" -> {
          assertThat(body.get("savedQuery").asText()).isEqualTo("security/console-logins");
          assertThat(body.get("backfill").asText()).contains("started");
        }
        case "put-subscription-query.json" -> {
          assertThat(body.get("name").asText()).isEqualTo("daily-sources");
          assertThat(body.get("bin").asText()).isEqualTo("1d");
        }
        case "get-subscription.json" ->
            assertThat(body.get("name").asText()).isEqualTo("console-logins");
        case "list-subscriptions.json" ->
            assertThat(body.get("subscriptions").findValuesAsText("name"))
                .containsExactlyInAnyOrder("console-logins", "daily-sources");
        case "get-subscription-results.json" -> {
          assertThat(body.at("/statistics/objectsScanned").asInt()).isEqualTo(apiKeys.size());
          assertThat(body.get("granularity").asText()).isEqualTo("bin");
          assertThat(body.get("bins")).isNotEmpty();
        }
        case "get-subscription-results-total.json" -> {
          // Nothing was ingested since it was created (no backfill): no rows, no objects.
          assertThat(body.get("granularity").asText()).isEqualTo("total");
          assertThat(body.at("/statistics/objectsScanned").asInt()).isZero();
        }
        case "put-subscription-alarm.json", "get-subscription-alarm.json" -> {
          assertThat(body.get("condition").asText()).isEqualTo("count(*) > 3");
          assertThat(body.at("/state/value").asText()).isNotBlank();
        }
        case "list-alarms.json" ->
            assertThat(body.get("alarms").findValuesAsText("subscription"))
                .containsExactly("console-logins");
        case "put-pack-cis.json" -> {
          // Seed 002's 21 metric filters and seed 001's 14 CIS queries; 21 + 2 alarms.
          assertThat(body.get("subscriptions")).hasSize(35);
          assertThat(body.get("created").asInt()).isEqualTo(35);
          assertThat(body.get("alarms").asInt()).isEqualTo(23);
          JsonNode again = Json.MAPPER.readTree(invoke(handler, file).get("body").asText());
          assertThat(again.get("unchanged").asInt()).isEqualTo(35);
        }
        default -> assertThat(body.isObject()).as(file).isTrue();
      }
    }
    // Gone once deleted.
    assertThat(invoke(handler, "get-subscription.json").get("statusCode").asInt()).isEqualTo(404);
    assertThat(invoke(handler, "get-saved-query.json").get("statusCode").asInt()).isEqualTo(404);
  }
}
