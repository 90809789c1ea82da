package dev.trailquery.functions.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.store.Bundle;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.store.sealing.Slots;
import dev.trailquery.functions.testing.Emulators;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The ingest handler's own behaviour on small hand-written objects (emulators, time fixed by hand):
 * which records of an event name objects, what an invocation counts and logs (its summary, its
 * one-line-per-object log and its EMF document, the delay from the newest event to the clock), how
 * an SQS batch reports its failed messages, and what a backfill event for a missing subscription
 * answers.
 */
class IngestHandlerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "trail-handler";
  private static final String PREFIX = "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/10/";
  private static final long NOW = Instant.parse("2025-03-10T10:20:00Z").toEpochMilli();

  static S3Client s3;
  static DynamoDbClient db;
  static int objects;

  @BeforeAll
  static void start() {
    s3 = Emulators.s3();
    db = Emulators.dynamo();
    s3.createBucket(b -> b.bucket(BUCKET));
    String run = UUID.randomUUID().toString().substring(0, 8);
    subsTable = "h-subs-" + run;
    resultsTable = "h-results-" + run;
    Tables.createIfMissing(db, Tables.subscriptions(subsTable));
    Tables.createIfMissing(db, Tables.results(resultsTable));
    new SubscriptionStore(db, subsTable, 0).put(byName(), false);
  }

  static String subsTable;
  static String resultsTable;

  /**
   * A handler on the class's tables (one subscription, {@link #byName}), its log in {@code log}.
   */
  static IngestHandler handler(ByteArrayOutputStream log) {
    IngestConfig config =
        IngestConfig.defaults(
                subsTable, resultsTable, new PrintStream(log, true, StandardCharsets.UTF_8))
            .withCacheMillis(0);
    return new IngestHandler(config, s3, db, null, () -> NOW);
  }

  static Subscription byName() {
    return Subscription.create(
        "by-name", "stats count(*) as n by eventName", "5m", null, null, 0L, null);
  }

  static List<JsonNode> lines(ByteArrayOutputStream log) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : log.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!l.isBlank()) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  static JsonNode emf(ByteArrayOutputStream log) throws IOException {
    List<JsonNode> emf = lines(log).stream().filter(l -> l.has("_aws")).toList();
    assertThat(emf).hasSize(1);
    return emf.get(0);
  }

  static ObjectNode record(String time, String name) {
    ObjectNode r = JSON.createObjectNode();
    r.put("eventVersion", "1.08");
    r.putObject("userIdentity").put("type", "IAMUser").put("accountId", "111122223333");
    r.put("eventTime", time);
    r.put("eventSource", "iam.amazonaws.com");
    r.put("eventName", name);
    r.put("awsRegion", "us-east-1");
    r.put("eventID", UUID.randomUUID().toString());
    return r;
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  static synchronized String key() {
    int i = objects++;
    return PREFIX
        + "111122223333_CloudTrail_us-east-1_20250310T10"
        + String.format("%02dZ_%04dhndl.json.gz", i % 60, i);
  }

  static String put(byte[] bytes) {
    String k = key();
    s3.putObject(b -> b.bucket(BUCKET).key(k), RequestBody.fromBytes(bytes));
    return k;
  }

  static String object(ObjectNode... records) throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    ArrayNode rs = doc.putArray("Records");
    for (ObjectNode r : records) {
      rs.add(r);
    }
    return put(gzip(JSON.writeValueAsBytes(doc)));
  }

  static ObjectNode s3Record(String eventName, String bucket, String key, Long size) {
    ObjectNode r = JSON.createObjectNode();
    r.put("eventName", eventName);
    ObjectNode s = r.putObject("s3");
    s.putObject("bucket").put("name", bucket);
    ObjectNode o = s.putObject("object").put("key", key);
    if (size != null) {
      o.put("size", size);
    }
    return r;
  }

  static ObjectNode s3Event(ObjectNode... records) {
    ObjectNode e = JSON.createObjectNode();
    ArrayNode rs = e.putArray("Records");
    for (ObjectNode r : records) {
      rs.add(r);
    }
    return e;
  }

  @Test
  void noticesComeFromCreatedRecordsWithDecodedKeysAndFromEventBridge() {
    ObjectNode event =
        s3Event(
            s3Record("ObjectCreated:Put", "b", "AWSLogs/a+b%3D.json.gz", 12L),
            s3Record("ObjectRemoved:Delete", "b", "gone", 3L),
            s3Record("ObjectCreated:Copy", "b", "bad%zzkey", 4L),
            s3Record("ObjectCreated:Post", "c", "k", null));
    List<String> malformed = new ArrayList<>();
    assertThat(IngestHandler.notices(event, malformed))
        .containsExactly(
            new IngestHandler.Notice("b", "AWSLogs/a b=.json.gz", 12),
            new IngestHandler.Notice("c", "k", -1));
    assertThat(malformed).containsExactly("bad%zzkey");
    assertThat(IngestHandler.notices(event)).hasSize(2);

    ObjectNode eb = JSON.createObjectNode().put("detail-type", "Object Created");
    ObjectNode detail = eb.putObject("detail");
    detail.putObject("bucket").put("name", "eb-bucket");
    detail.putObject("object").put("key", "a+b").put("size", 5);
    assertThat(IngestHandler.notices(eb))
        .containsExactly(new IngestHandler.Notice("eb-bucket", "a+b", 5));
    ((ObjectNode) detail.get("object")).remove("size");
    assertThat(IngestHandler.notices(eb))
        .containsExactly(new IngestHandler.Notice("eb-bucket", "a+b", -1));
    assertThat(IngestHandler.notices(JSON.createObjectNode().put("Event", "s3:TestEvent")))
        .isEmpty();
  }

  @Test
  void aDirectEventCountsEachKindOfObjectAndLogsTheDelayFromTheNewestEvent() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    IngestHandler h = handler(log);
    // 3 records; the newest event 10:04:30, the clock 10:20:00 → a delay of 15 min 30 s
    String good =
        object(
            record("2025-03-10T10:01:00Z", "GetUser"),
            record("2025-03-10T10:04:30Z", "GetUser"),
            record("2025-03-10T10:02:00Z", "ListUsers"));
    String corrupt = put("not gzip at all".getBytes(StandardCharsets.UTF_8));
    String empty = key();
    String malformed = "%zz" + "x".repeat(250);
    ObjectNode event =
        s3Event(
            s3Record("ObjectCreated:Put", BUCKET, good, 100L),
            s3Record("ObjectCreated:Put", BUCKET, corrupt, 15L),
            s3Record("ObjectCreated:Put", BUCKET, empty, 0L),
            s3Record("ObjectCreated:Put", BUCKET, "notes/readme.txt", 10L),
            s3Record("ObjectCreated:Put", BUCKET, malformed, 10L));

    JsonNode summary = h.handle(event);
    assertThat(summary.path("objects").asLong()).isEqualTo(1);
    assertThat(summary.path("records").asLong()).isEqualTo(3);
    assertThat(summary.path("skipped").asLong()).isEqualTo(2); // corrupt, malformed key
    assertThat(summary.path("ignored").asLong()).isEqualTo(2); // empty, not a log key
    long units = summary.path("writeUnits").asLong();
    assertThat(units).isPositive();

    List<JsonNode> lines = lines(log);
    JsonNode ok = lines.stream().filter(l -> good.equals(l.path("key").asText())).findFirst().get();
    assertThat(ok.path("level").asText()).isEqualTo("INFO");
    assertThat(ok.path("message").asText()).isEqualTo("object ok");
    assertThat(ok.path("status").asText()).isEqualTo("OK");
    assertThat(ok.path("bucket").asText()).isEqualTo(BUCKET);
    assertThat(ok.path("records").asLong()).isEqualTo(3);
    assertThat(ok.path("subscriptionsUpdated").asInt()).isEqualTo(1);
    assertThat(ok.path("writeUnits").asLong()).isEqualTo(units);
    assertThat(ok.path("delayMs").asLong()).isEqualTo(930_000);
    assertThat(ok.path("bytes").asLong()).isPositive();
    assertThat(ok.has("reason")).isFalse();
    JsonNode bad =
        lines.stream().filter(l -> corrupt.equals(l.path("key").asText())).findFirst().get();
    assertThat(bad.path("level").asText()).isEqualTo("WARN");
    assertThat(bad.path("message").asText()).isEqualTo("object skipped");
    assertThat(bad.path("reason").asText()).startsWith("FOREIGN: not JSON");
    assertThat(bad.path("subscriptionsUpdated").asInt()).isZero();
    assertThat(bad.path("writeUnits").asLong()).isEqualTo(1);
    assertThat(bad.has("delayMs")).isFalse();
    assertThat(lines)
        .noneMatch(l -> empty.equals(l.path("key").asText()))
        .anyMatch(
            l ->
                l.path("level").asText().equals("WARN")
                    && l.path("message")
                        .asText()
                        .equals(
                            "the event names an S3 key that is not URL-encoded; skipped: "
                                + malformed.substring(0, 200)
                                + "..."));

    JsonNode doc = emf(log);
    assertThat(doc.path("Function").asText()).isEqualTo("ingest");
    assertThat(doc.path("Objects").asLong()).isEqualTo(1);
    assertThat(doc.path("Records").asLong()).isEqualTo(3);
    assertThat(doc.path("Skipped").asLong()).isEqualTo(2);
    assertThat(doc.path("Errors").asLong()).isZero();
    assertThat(doc.path("WriteUnits").asLong()).isEqualTo(units);
    assertThat(doc.path("AlarmNotifications").asLong()).isZero();
    assertThat(doc.path("AlarmErrors").asLong()).isZero();
    assertThat(doc.path("DelayMs").toString()).isEqualTo("[930000]");
    JsonNode directive = doc.path("_aws").path("CloudWatchMetrics").get(0);
    assertThat(directive.path("Namespace").asText()).isEqualTo("trailquery");
    assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Function\"]]");
    List<String> names = new ArrayList<>();
    directive.path("Metrics").forEach(m -> names.add(m.path("Name").asText()));
    assertThat(names)
        .containsExactly(
            "Objects",
            "Records",
            "Skipped",
            "Errors",
            "WriteUnits",
            "AlarmNotifications",
            "AlarmErrors",
            "DelayMs");
    assertThat(directive.path("Metrics").get(7).path("Unit").asText()).isEqualTo("Milliseconds");

    // delivered again: the corrupt object is counted again but logged once; no delays this time
    log.reset();
    JsonNode again = h.handle(s3Event(s3Record("ObjectCreated:Put", BUCKET, corrupt, 15L)));
    assertThat(again.path("skipped").asLong()).isEqualTo(1);
    assertThat(again.path("objects").asLong()).isZero();
    assertThat(lines(log)).noneMatch(l -> corrupt.equals(l.path("key").asText()));
    JsonNode quiet = emf(log);
    assertThat(quiet.has("DelayMs")).isFalse();
    assertThat(quiet.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")).hasSize(7);
  }

  @Test
  void anSqsBatchFailsOnlyTheMessagesThatFailedAndDropsBodiesThatAreNotJson() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    IngestHandler h = handler(log);
    String good = object(record("2025-03-10T10:01:00Z", "GetUser"));
    ObjectNode batch = JSON.createObjectNode();
    ArrayNode records = batch.putArray("Records");
    records.addObject().put("eventSource", "aws:sqs").put("messageId", "m1").put("body", "{not");
    records
        .addObject()
        .put("eventSource", "aws:sqs")
        .put("messageId", "m2")
        .put(
            "body",
            s3Event(s3Record("ObjectCreated:Put", "no-such-bucket-" + objects, good, 10L))
                .toString());
    records
        .addObject()
        .put("eventSource", "aws:sqs")
        .put("messageId", "m3")
        .put("body", s3Event(s3Record("ObjectCreated:Put", BUCKET, good, 10L)).toString());
    records
        .addObject()
        .put("eventSource", "aws:sqs")
        .put("messageId", "m4")
        .put("body", s3Event(s3Record("ObjectCreated:Put", BUCKET, "%zz", 10L)).toString());

    JsonNode response = h.handle(batch);
    assertThat(response.toString())
        .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m2\"}]}");
    List<JsonNode> lines = lines(log);
    assertThat(lines)
        .anyMatch(l -> l.path("message").asText().equals("message m1 is not JSON; dropped"))
        .anyMatch(
            l ->
                l.path("level").asText().equals("ERROR")
                    && l.path("message")
                        .asText()
                        .startsWith("message m2 failed, SQS will retry it: "))
        .anyMatch(
            l ->
                l.path("message")
                    .asText()
                    .equals("message m4 names an S3 key that is not URL-encoded; skipped: %zz"));
    JsonNode doc = emf(log);
    assertThat(doc.path("Errors").asLong()).isEqualTo(1);
    assertThat(doc.path("Objects").asLong()).isEqualTo(1);
    assertThat(doc.path("Skipped").asLong()).isEqualTo(1);
    assertThat(doc.path("Records").asLong()).isEqualTo(1);
  }

  @Test
  void aDirectEventThatFailsThrowsAndCountsTheError() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    IngestHandler h = handler(log);
    String k = key();
    assertThatThrownBy(
            () -> h.handle(s3Event(s3Record("ObjectCreated:Put", "no-such-bucket-x", k, 10L))))
        .isInstanceOf(RuntimeException.class);
    assertThat(lines(log))
        .anyMatch(
            l ->
                l.path("level").asText().equals("ERROR")
                    && l.path("message")
                        .asText()
                        .startsWith("s3://no-such-bucket-x/" + k + " failed: "));
    assertThat(emf(log).path("Errors").asLong()).isEqualTo(1);
  }

  @Test
  void objectsThatAreNotCountedSayWhy() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    IngestHandler h = handler(log);
    Ingestor ingestor = h.ingestor();
    List<Subscription> subs = List.of(byName());
    String k = key();
    assertThat(ingestor.process(BUCKET, k, 0, subs).reason()).isEqualTo("empty");
    assertThat(ingestor.process(BUCKET, "x/readme.txt", 5, subs).reason())
        .isEqualTo("not a CloudTrail log key");
    Ingestor.Report none = ingestor.process(BUCKET, k, 5, List.of());
    assertThat(none.status()).isEqualTo(Ingestor.Status.NO_SUBSCRIPTIONS);
    Ingestor.Report missing = ingestor.process(BUCKET, k, 5, subs);
    assertThat(missing.status()).isEqualTo(Ingestor.Status.SKIPPED);
    assertThat(missing.reason()).isEqualTo("MISSING: the object no longer exists");
    assertThat(missing.subscriptions()).isEqualTo(1);
    assertThat(missing.writeUnits()).isEqualTo(1);
    String nothing = put(gzip(new byte[0]));
    Ingestor.Report empty = ingestor.process(BUCKET, nothing, 20, subs);
    assertThat(empty.status()).isEqualTo(Ingestor.Status.IGNORED);
    assertThat(empty.reason()).isEqualTo("empty");
    byte[] whole =
        gzip(
            JSON.writeValueAsBytes(
                JSON.createObjectNode()
                    .set(
                        "Records",
                        JSON.createArrayNode().add(record("2025-03-10T10:01:00Z", "GetUser")))));
    String truncated = put(java.util.Arrays.copyOf(whole, whole.length / 2));
    Ingestor.Report t = ingestor.process(BUCKET, truncated, 14, subs);
    assertThat(t.status()).isEqualTo(Ingestor.Status.SKIPPED);
    assertThat(t.reason()).startsWith("CORRUPT");
  }

  @Test
  void aBackfillOfAMissingOrReplacedSubscriptionDoesNothing() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Subscription s = byName();
    IngestHandler h = handler(log);
    JsonNode gone =
        h.handle(
            IngestHandler.backfillEvent(
                Subscription.create("other", "stats count(*)", "5m", null, null, 0L, null),
                BUCKET,
                null));
    assertThat(gone.toString())
        .isEqualTo(
            "{\"backfill\":\"other\",\"error\":\"the subscription is gone or was replaced;"
                + " nothing to backfill\"}");
    Subscription replaced =
        Subscription.create("by-name", "stats count(*) as n", "5m", null, null, 5L, null);
    assertThat(h.handle(IngestHandler.backfillEvent(replaced, BUCKET, "p")).path("error").asText())
        .startsWith("the subscription is gone or was replaced");
    assertThat(h.handle(IngestHandler.backfillEvent(s, BUCKET, "p")).toString())
        .isEqualTo("{\"backfill\":\"by-name\",\"error\":\"the subscription has no backfillFrom\"}");
    JsonNode event = IngestHandler.backfillEvent(s, BUCKET, null);
    assertThat(event.path("backfill").path("prefix").asText("?")).isEmpty();
    assertThat(event.path("backfill").path("id").asText()).isEqualTo(s.id());
  }

  @Test
  void oneObjectsBundlesOfSeveralDaysMergeIntoOne() {
    Bundle d1 = new Bundle();
    d1.records = 2;
    d1.bytes = 500;
    d1.histograms.put("5m", new TreeMap<>(Map.of(0L, 2L)));
    d1.states.put("id", new TreeMap<>(Map.of(0L, new byte[] {1})));
    Bundle d2 = new Bundle();
    d2.records = 3;
    d2.bytes = 500;
    d2.histograms.put("5m", new TreeMap<>(Map.of(86_400_000L, 3L)));
    d2.states.put("id", new TreeMap<>(Map.of(86_400_000L, new byte[] {2})));
    assertThat(Ingestor.merge(List.of(d1))).isSameAs(d1);
    Bundle m = Ingestor.merge(List.of(d1, d2));
    assertThat(m.records).isEqualTo(5);
    assertThat(m.bytes).isEqualTo(500);
    assertThat(m.histograms).isEqualTo(Map.of("5m", Map.of(0L, 2L, 86_400_000L, 3L)));
    assertThat(m.states.get("id")).containsOnlyKeys(0L, 86_400_000L);
    assertThat(m.states.get("id").get(86_400_000L)).containsExactly(2);
  }

  @Test
  void theConfigurationComesFromTheEnvironment() {
    Map<String, String> env =
        Map.of(
            "TRAILQUERY_SUBSCRIPTIONS_TABLE", "subs",
            "TRAILQUERY_RESULTS_TABLE", "results",
            "TRAILQUERY_SUBSCRIPTION_CACHE_SECONDS", "7",
            "TRAILQUERY_PART_BYTES", "1234",
            "TRAILQUERY_MAX_OBJECT_BYTES", "99");
    IngestConfig c = IngestConfig.fromEnv(env::get, System.out);
    assertThat(c).isEqualTo(new IngestConfig("subs", "results", 7000, 1234, 99, System.out));
    assertThat(c.withPartBytes(5).partBytes()).isEqualTo(5);
    assertThat(c.withPartBytes(5).cacheMillis()).isEqualTo(7000);
    assertThat(c.withCacheMillis(3).cacheMillis()).isEqualTo(3);
    assertThat(c.withCacheMillis(3).maxDecodedBytes()).isEqualTo(99);
    assertThatThrownBy(
            () ->
                IngestConfig.fromEnv(
                    k -> k.equals("TRAILQUERY_PART_BYTES") ? "lots" : env.get(k), System.out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TRAILQUERY_PART_BYTES must be a number: lots");
  }

  /** The items of the bundle of {@code key} (part 0 names the key). */
  static Map<String, AttributeValue> bundleItem(String table, String key) {
    String objectId = ResultStore.objectId(BUCKET, key);
    long natural = Slots.naturalSlot(key);
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    for (String pk :
        List.of(Slots.naturalPk(natural, Slots.shard(objectId)), Slots.latePk(natural))) {
      db
          .query(
              q ->
                  q.tableName(table)
                      .keyConditionExpression("#pk = :pk")
                      .expressionAttributeNames(Map.of("#pk", Tables.PK))
                      .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))))
          .items()
          .stream()
          .filter(i -> i.containsKey("k") && key.equals(i.get("k").s()))
          .forEach(found::add);
    }
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  static long seconds(String instant) {
    return Instant.parse(instant).getEpochSecond();
  }

  @Test
  void bundlesExpireAfterTheLongestRetentionAndLateOnesNameTheirSlot() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String table = "h-ttl-" + run;
    Tables.createIfMissing(db, Tables.results(table));
    IngestConfig config =
        IngestConfig.defaults(subsTable, table, new PrintStream(new ByteArrayOutputStream()))
            .withCacheMillis(0);
    Ingestor ingestor =
        new Ingestor(
            s3,
            new SubscriptionStore(db, subsTable, 0),
            new ResultStore(db, table, config.partBytes()),
            config,
            () -> NOW);
    Subscription day = Subscription.create("keep-1d", "stats count(*)", "5m", null, 1, 0L, null);
    Subscription month =
        Subscription.create("keep-30d", "stats count(*) by eventName", "5m", null, 30, 0L, null);
    Subscription forever =
        Subscription.create("keep", "stats count(*) by eventSource", "5m", null, null, 0L, null);
    // the clock is 10:20: a key of 10:16 (slot 10:15-10:30) is written naturally; one of 10:01
    // (slot 10:00, closed at 10:20) late, in the current slot 10:15
    String natural1 = put(keyAt(16), record("2025-03-10T10:14:00Z", "GetUser"));
    String natural2 = put(keyAt(17), record("2025-03-10T10:14:00Z", "GetUser"));
    String natural3 = put(keyAt(18), record("2025-03-10T10:14:00Z", "GetUser"));
    String twoDays =
        put(
            keyAt(19),
            record("2025-03-10T23:58:00Z", "GetUser"),
            record("2025-03-11T00:01:00Z", "GetUser"));
    String late1 = put(keyAt(1), record("2025-03-10T09:59:00Z", "GetUser"));
    String late2 = put(keyAt(2), record("2025-03-10T09:59:00Z", "GetUser"));

    // kept 1 day after the day's end (2025-03-11T00:00) = 03-12, sooner than the 21 days after
    // the slot's end (10:30) that natural deltas are kept
    assertThat(ingestor.process(BUCKET, natural1, 9, List.of(day)).status())
        .isEqualTo(Ingestor.Status.OK);
    Map<String, AttributeValue> a = bundleItem(table, natural1);
    assertThat(a.get(Tables.TTL).n()).isEqualTo(Long.toString(seconds("2025-03-12T00:00:00Z")));
    assertThat(a).doesNotContainKey("c");
    // 30 days would outlive the deltas: 10:30 + 21 days
    ingestor.process(BUCKET, natural2, 9, List.of(day, month));
    assertThat(bundleItem(table, natural2).get(Tables.TTL).n())
        .isEqualTo(Long.toString(seconds("2025-03-31T10:30:00Z")));
    ingestor.process(BUCKET, natural3, 9, List.of(forever));
    assertThat(bundleItem(table, natural3).get(Tables.TTL).n())
        .isEqualTo(Long.toString(seconds("2025-03-31T10:30:00Z")));
    // events of two days: the later day's end (03-12) plus one day
    Ingestor.Report both = ingestor.process(BUCKET, twoDays, 9, List.of(day));
    assertThat(both.records()).isEqualTo(2);
    assertThat(bundleItem(table, twoDays).get(Tables.TTL).n())
        .isEqualTo(Long.toString(seconds("2025-03-13T00:00:00Z")));
    // late: kept as long as the retention says, and marked with the slot it was written in
    ingestor.process(BUCKET, late1, 9, List.of(day));
    Map<String, AttributeValue> l1 = bundleItem(table, late1);
    assertThat(l1.get(Tables.TTL).n()).isEqualTo(Long.toString(seconds("2025-03-12T00:00:00Z")));
    assertThat(l1.get("c").n())
        .isEqualTo(Long.toString(Instant.parse("2025-03-10T10:15:00Z").toEpochMilli()));
    ingestor.process(BUCKET, late2, 9, List.of(day, forever));
    assertThat(bundleItem(table, late2)).doesNotContainKey(Tables.TTL);
  }

  static String keyAt(int minute) {
    return PREFIX
        + "111122223333_CloudTrail_us-east-1_20250310T10"
        + String.format("%02dZ_%04dttl.json.gz", minute, objects++);
  }

  static String put(String key, ObjectNode... records) throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    ArrayNode rs = doc.putArray("Records");
    for (ObjectNode r : records) {
      rs.add(r);
    }
    byte[] bytes = gzip(JSON.writeValueAsBytes(doc));
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    return key;
  }

  @Test
  void aBackfillCountsWhatItListedFromItsStartDayOn() throws Exception {
    String bucket = "trail-handler-bf";
    s3.createBucket(b -> b.bucket(bucket));
    String day10 = "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/10/";
    String day09 = "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/09/";
    byte[] two =
        gzip(
            JSON.writeValueAsBytes(
                JSON.createObjectNode()
                    .set(
                        "Records",
                        JSON.createArrayNode()
                            .add(record("2025-03-10T10:01:00Z", "GetUser"))
                            .add(record("2025-03-10T10:02:00Z", "GetUser")))));
    Map<String, byte[]> objects =
        Map.of(
            day10 + "111122223333_CloudTrail_us-east-1_20250310T1000Z_good.json.gz",
            two,
            day10 + "111122223333_CloudTrail_us-east-1_20250310T1005Z_bad.json.gz",
            java.util.Arrays.copyOf(two, two.length / 2),
            day09 + "111122223333_CloudTrail_us-east-1_20250309T1000Z_before.json.gz",
            two,
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/03/10/digest.json.gz",
            two);
    objects.forEach((k, v) -> s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromBytes(v)));
    long from = Instant.parse("2025-03-10T00:00:00Z").toEpochMilli();
    Subscription s =
        Subscription.create("bf-" + objects.size(), "stats count(*)", "5m", null, null, NOW, from);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    IngestHandler h = handler(log);
    assertThat(h.backfill(s, bucket, "").toString())
        .isEqualTo(
            "{\"backfill\":\"bf-4\",\"listed\":2,\"processed\":1,\"skipped\":1,\"records\":2}");
    assertThat(lines(log))
        .anyMatch(
            l ->
                l.path("level").asText().equals("INFO")
                    && l.path("message").asText().startsWith("backfill of bf-4: {"));

    JsonNode failed = h.backfill(s, "no-such-bucket-bf", "");
    assertThat(failed.path("error").asText()).contains("NoSuchBucket");
    assertThat(lines(log))
        .anyMatch(
            l ->
                l.path("level").asText().equals("ERROR")
                    && l.path("message").asText().startsWith("backfill of bf-4 failed: "));

    // a backfill first waits out the subscription cache; interrupted, it says so and stays so
    IngestConfig waiting =
        IngestConfig.defaults(
                subsTable, resultsTable, new PrintStream(log, true, StandardCharsets.UTF_8))
            .withCacheMillis(60_000);
    IngestHandler slow = new IngestHandler(waiting, s3, db, null, () -> NOW);
    Thread.currentThread().interrupt();
    JsonNode interrupted = slow.backfill(s, bucket, "");
    assertThat(Thread.interrupted()).isTrue();
    assertThat(interrupted.path("error").asText()).isEqualTo("interrupted");
  }

  @Test
  void oneScanReadsTheUnionOfTheFieldsItsPlansRead() {
    Subscription a =
        Subscription.create("a", "stats count(*) by eventName", "5m", null, null, 0L, null);
    Subscription b =
        Subscription.create(
            "b",
            "filter eventSource = 'x' | stats count(*) by eventName",
            "1h",
            null,
            null,
            0L,
            null);
    MultiScan scan =
        new MultiScan(List.of(MultiScan.Target.of(a), MultiScan.Target.of(b)), 1 << 20);
    assertThat(scan.targets()).extracting(t -> t.sub().name()).containsExactly("a", "b");
    assertThat(scan.paths()).contains("eventName", "eventSource").doesNotHaveDuplicates();
  }

  @Test
  void theEnvironmentFormsReadTheProcessEnvironment() {
    PrintStream log = new PrintStream(new ByteArrayOutputStream());
    assertThat(IngestConfig.fromEnv(log)).isEqualTo(IngestConfig.fromEnv(System::getenv, log));
    assertThat(IngestConfig.fromEnv()).isEqualTo(IngestConfig.fromEnv(System::getenv, System.out));
  }
}
