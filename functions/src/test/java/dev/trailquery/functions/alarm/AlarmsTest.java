package dev.trailquery.functions.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.functions.testing.FakeSns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Alarms end to end: hand-written CloudTrail objects in S3Proxy, the ingest handler with DynamoDB
 * on dynalite, and the real SDK SNS client publishing to a loopback SNS ({@link FakeSns}). Every
 * expectation is counted by hand from the records written here.
 */
class AlarmsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "trail-alarms";
  private static final String PREFIX = "AWSLogs/111122223333/CloudTrail/us-east-1/";
  private static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:trailquery-alarms";

  /** Failed console logins of one user (each test has its own, so tests never see each other). */
  static String failedLogins(String user) {
    return "filter eventName = 'ConsoleLogin' and responseElements.ConsoleLogin = 'Failure'"
        + " and userIdentity.userName = '"
        + user
        + "' | stats count(*) as failures by sourceIPAddress";
  }

  static S3Client s3;
  static DynamoDbClient db;
  static FakeSns sns;
  static String subsTable;
  static String resultsTable;
  static int objects;

  @BeforeAll
  static void start() throws IOException {
    s3 = Emulators.s3();
    db = Emulators.dynamo();
    sns = new FakeSns();
    String run = UUID.randomUUID().toString().substring(0, 8);
    subsTable = "subs-" + run;
    resultsTable = "results-" + run;
    Tables.createIfMissing(db, Tables.subscriptions(subsTable));
    Tables.createIfMissing(db, Tables.results(resultsTable));
    s3.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stop() {
    sns.close();
  }

  static IngestHandler handler(PrintStream log) {
    IngestConfig config = IngestConfig.defaults(subsTable, resultsTable, log).withCacheMillis(0);
    return new IngestHandler(config, s3, db, new SnsNotifier(sns.client(), TOPIC));
  }

  static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  static Subscription subscribe(String name, String query, String bin) {
    Subscription s =
        Subscription.create(name, query, bin, null, null, System.currentTimeMillis(), null);
    new SubscriptionStore(db, subsTable, 0).put(s, true);
    return s;
  }

  /**
   * An alarm set long before the test's bins (created at 0), so its bins are judged from their
   * running states ({@link AlarmBins}); {@link #runningBinStatesEqualTheResultsReadFromTheBundles}
   * checks them against the results, and the CLI tests judge bins set after their alarm from the
   * results.
   */
  static Alarm alarm(String sub, String column, String cmp, double threshold, boolean notifyOk) {
    Alarm a =
        new Alarm(sub, column, Alarm.Comparison.parse(cmp), threshold, "test alarm", notifyOk, 0L);
    new AlarmStore(db, resultsTable).put(a);
    return a;
  }

  /** A failed console login from {@code ip} at {@code time}. */
  static ObjectNode failedLogin(String user, String time, String ip) {
    ObjectNode r = record(time, "signin.amazonaws.com", "ConsoleLogin", ip, "IAMUser");
    ((ObjectNode) r.get("userIdentity")).put("userName", user);
    r.putObject("responseElements").put("ConsoleLogin", "Failure");
    return r;
  }

  static ObjectNode record(String time, String source, String name, String ip, String type) {
    ObjectNode r = JSON.createObjectNode();
    r.put("eventVersion", "1.08");
    r.putObject("userIdentity").put("type", type).put("accountId", "111122223333");
    r.put("eventTime", time);
    r.put("eventSource", source);
    r.put("eventName", name);
    r.put("awsRegion", "us-east-1");
    r.put("sourceIPAddress", ip);
    r.put("eventID", UUID.randomUUID().toString());
    r.put("recipientAccountId", "111122223333");
    return r;
  }

  /** Stores an object with the records under a fresh CloudTrail key; returns the key. */
  static synchronized String object(ObjectNode... records) throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    ArrayNode rs = doc.putArray("Records");
    for (ObjectNode r : records) {
      rs.add(r);
    }
    int i = objects++;
    String key =
        PREFIX
            + "2025/03/10/111122223333_CloudTrail_us-east-1_20250310T"
            + String.format("%02d%02dZ_%04dalrm.json.gz", i / 60 % 24, i % 60, i);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(JSON.writeValueAsBytes(doc));
    }
    byte[] bytes = out.toByteArray();
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    return key;
  }

  static void ingest(IngestHandler h, String key) {
    h.ingestor().process(BUCKET, key, 1);
  }

  static List<JsonNode> messages(String subscription) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (FakeSns.Published p : sns.published()) {
      JsonNode m = JSON.readTree(p.message());
      if (m.path("subscription").asText().equals(subscription)) {
        assertThat(p.topicArn()).isEqualTo(TOPIC);
        assertThat(p.subject()).hasSizeLessThanOrEqualTo(100).startsWith(m.get("state").asText());
        out.add(m);
      }
    }
    return out;
  }

  static AlarmStore.State state(Alarm a) {
    return new AlarmStore(db, resultsTable).state(a);
  }

  @Test
  void thresholdCrossingNotifiesOnceWithTheTriggeringRows() throws IOException {
    subscribe("failed-logins", failedLogins("failed-logins"), "5m");
    Alarm a = alarm("failed-logins", "failures", ">", 3, false);
    IngestHandler h = handler(quiet());
    // bin 10:00-10:05: .5 fails 3 times → 3 is not > 3
    ingest(
        h,
        object(
            failedLogin("failed-logins", "2025-03-10T10:01:00Z", "203.0.113.5"),
            failedLogin("failed-logins", "2025-03-10T10:01:10Z", "203.0.113.5"),
            failedLogin("failed-logins", "2025-03-10T10:01:20Z", "203.0.113.5")));
    assertThat(messages("failed-logins")).isEmpty();
    assertThat(state(a).state()).isEqualTo(Alarm.State.OK);
    // .5 once more (4 > 3), .9 twice (2): only .5's row triggers
    String second =
        object(
            failedLogin("failed-logins", "2025-03-10T10:03:00Z", "203.0.113.5"),
            failedLogin("failed-logins", "2025-03-10T10:03:10Z", "203.0.113.9"),
            failedLogin("failed-logins", "2025-03-10T10:03:20Z", "203.0.113.9"),
            record("2025-03-10T10:03:30Z", "s3.amazonaws.com", "GetObject", "10.0.0.1", "Role"));
    ingest(h, second);
    List<JsonNode> m = messages("failed-logins");
    assertThat(m).hasSize(1);
    JsonNode n = m.getFirst();
    assertThat(n.get("state").asText()).isEqualTo("ALARM");
    assertThat(n.get("previousState").asText()).isEqualTo("OK");
    assertThat(n.get("binStart").asText()).isEqualTo("2025-03-10T10:00:00Z");
    assertThat(n.get("binEnd").asText()).isEqualTo("2025-03-10T10:05:00Z");
    assertThat(n.get("column").asText()).isEqualTo("failures");
    assertThat(n.get("comparison").asText()).isEqualTo(">");
    assertThat(n.get("threshold").asDouble()).isEqualTo(3.0);
    assertThat(n.get("description").asText()).isEqualTo("test alarm");
    assertThat(n.get("queryString").asText()).isEqualTo(failedLogins("failed-logins"));
    assertThat(n.get("late").asBoolean()).isFalse();
    assertThat(n.get("objects").asLong()).isEqualTo(2);
    assertThat(n.get("recordsScanned").asLong()).isEqualTo(7);
    assertThat(n.get("triggeringRows").toString())
        .isEqualTo("[{\"sourceIPAddress\":\"203.0.113.5\",\"failures\":\"4\"}]");
    // a fifth failure in the same bin, and the second object delivered again: no repeat
    ingest(h, object(failedLogin("failed-logins", "2025-03-10T10:04:00Z", "203.0.113.5")));
    ingest(h, second);
    assertThat(messages("failed-logins")).hasSize(1);
    AlarmStore.State st = state(a);
    assertThat(st.state()).isEqualTo(Alarm.State.ALARM);
    assertThat(st.bin()).isEqualTo(Instant.parse("2025-03-10T10:00:00Z").toEpochMilli());
    assertThat(st.objects()).isEqualTo(3);
    assertThat(st.rows())
        .containsExactly(java.util.Map.of("sourceIPAddress", "203.0.113.5", "failures", "5"));
  }

  @Test
  void consecutiveBinsNotifyOnceAndOkAlarmOkAlarmTwiceWithOkNotifications() throws IOException {
    subscribe("flapping", failedLogins("flapping"), "5m");
    Alarm a = alarm("flapping", "failures", ">=", 2, true);
    IngestHandler h = handler(quiet());
    String ip = "198.51.100.7";
    // 11:00 2 (ALARM, notify), 11:05 2 (ALARM, held), 11:10 1 (OK, notify OK), 11:15 3 (ALARM)
    ingest(
        h,
        object(
            failedLogin("flapping", "2025-03-10T11:01:00Z", ip),
            failedLogin("flapping", "2025-03-10T11:02:00Z", ip)));
    ingest(
        h,
        object(
            failedLogin("flapping", "2025-03-10T11:06:00Z", ip),
            failedLogin("flapping", "2025-03-10T11:07:00Z", ip)));
    assertThat(messages("flapping")).hasSize(1);
    ingest(h, object(failedLogin("flapping", "2025-03-10T11:11:00Z", ip)));
    ingest(
        h,
        object(
            failedLogin("flapping", "2025-03-10T11:16:00Z", ip),
            failedLogin("flapping", "2025-03-10T11:17:00Z", ip),
            failedLogin("flapping", "2025-03-10T11:18:00Z", ip)));
    List<JsonNode> m = messages("flapping");
    assertThat(m).extracting(n -> n.get("state").asText()).containsExactly("ALARM", "OK", "ALARM");
    assertThat(m)
        .extracting(n -> n.get("binStart").asText())
        .containsExactly("2025-03-10T11:00:00Z", "2025-03-10T11:10:00Z", "2025-03-10T11:15:00Z");
    assertThat(m.get(1).get("previousState").asText()).isEqualTo("ALARM");
    assertThat(m.get(1).get("triggeringRows")).isEmpty();
    assertThat(m.get(2).get("triggeringRows").get(0).get("failures").asText()).isEqualTo("3");
    assertThat(state(a).state()).isEqualTo(Alarm.State.ALARM);
    assertThat(state(a).evaluations()).isEqualTo(4);
  }

  @Test
  void aLateObjectForAnOldBinNotifiesUnlessTheBinBeforeItWasBreaching() throws IOException {
    subscribe("root-usage", "filter userIdentity.type = 'Root' | stats count(*) as uses", "5m");
    Alarm a = alarm("root-usage", "uses", ">", 0, false);
    IngestHandler h = handler(quiet());
    ingest(
        h,
        object(
            record("2025-03-10T12:21:00Z", "iam.amazonaws.com", "ListUsers", "1.2.3.4", "Root")));
    // late: 12:05 (the bin before, 12:00, had no root use) notifies; 12:10 (after 12:05) does not
    ingest(
        h,
        object(
            record("2025-03-10T12:06:00Z", "s3.amazonaws.com", "ListBuckets", "1.2.3.4", "Root")));
    ingest(
        h,
        object(
            record("2025-03-10T12:12:00Z", "s3.amazonaws.com", "ListBuckets", "1.2.3.4", "Root")));
    // not root: matches nothing, changes nothing
    ingest(
        h,
        object(
            record(
                "2025-03-10T12:31:00Z", "s3.amazonaws.com", "ListBuckets", "1.2.3.4", "IAMUser")));
    List<JsonNode> m = messages("root-usage");
    assertThat(m)
        .extracting(n -> n.get("binStart").asText())
        .containsExactly("2025-03-10T12:20:00Z", "2025-03-10T12:05:00Z");
    assertThat(m).extracting(n -> n.get("late").asBoolean()).containsExactly(false, true);
    AlarmStore.State st = state(a);
    assertThat(st.state()).isEqualTo(Alarm.State.ALARM);
    assertThat(st.bin()).isEqualTo(Instant.parse("2025-03-10T12:20:00Z").toEpochMilli());
  }

  @Test
  void duplicateAndConcurrentDeliveriesNotifyExactlyOnce() throws Exception {
    subscribe("brute-force", failedLogins("brute-force"), "5m");
    Alarm a = alarm("brute-force", "failures", ">", 3, false);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      keys.add(object(failedLogin("brute-force", "2025-03-10T13:0" + i + ":00Z", "192.0.2.66")));
    }
    List<String> deliveries = new ArrayList<>();
    for (int copy = 0; copy < 3; copy++) {
      deliveries.addAll(keys);
    }
    Collections.shuffle(deliveries, new Random(7));
    // each thread is a Lambda container of its own (own caches and clients' state)
    List<IngestHandler> lambdas = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      lambdas.add(handler(quiet()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < deliveries.size(); i++) {
        IngestHandler h = lambdas.get(i % lambdas.size());
        String key = deliveries.get(i);
        done.add(pool.submit(() -> ingest(h, key)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    // 13:00-13:05 has 13:00..13:04 (5 failures), 13:05 is the next bin (1 failure)
    List<JsonNode> m = messages("brute-force");
    assertThat(m).hasSize(1);
    assertThat(m.getFirst().get("binStart").asText()).isEqualTo("2025-03-10T13:00:00Z");
    assertThat(m.getFirst().get("triggeringRows").get(0).get("failures").asInt()).isBetween(4, 5);
    AlarmStore.State st = state(a);
    // the newest bin evaluated is 13:05 (1 failure: OK)
    assertThat(st.state()).isEqualTo(Alarm.State.OK);
    assertThat(st.bin()).isEqualTo(Instant.parse("2025-03-10T13:05:00Z").toEpochMilli());
  }

  @Test
  void aRedeliveryAfterTheLeaseRunsOutDoesNotRepeatASentNotification() throws IOException {
    subscribe("leased", failedLogins("leased"), "5m");
    alarm("leased", "failures", ">", 0, false);
    java.util.concurrent.atomic.AtomicLong now =
        new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());
    IngestConfig config =
        IngestConfig.defaults(subsTable, resultsTable, quiet()).withCacheMillis(0);
    IngestHandler h =
        new IngestHandler(config, s3, db, new SnsNotifier(sns.client(), TOPIC), now::get);
    String key = object(failedLogin("leased", "2025-03-10T15:01:00Z", "203.0.113.78"));
    ingest(h, key);
    assertThat(messages("leased")).hasSize(1);
    // Past the sender's lease, the same object again (an SQS redelivery): the breach is marked
    // sent, so no evaluation takes it over and sends it a second time.
    now.addAndGet(AlarmEvaluator.LEASE_MILLIS + 60_000);
    ingest(h, key);
    assertThat(messages("leased")).hasSize(1);
    now.addAndGet(AlarmEvaluator.LEASE_MILLIS * 10);
    ingest(h, key);
    assertThat(messages("leased")).hasSize(1);
  }

  @Test
  void aFailingNotificationNeitherFailsTheIngestNorIsLost() throws IOException {
    subscribe("unlucky", failedLogins("unlucky"), "5m");
    alarm("unlucky", "failures", ">", 0, false);
    ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    IngestHandler h = handler(new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    String key = object(failedLogin("unlucky", "2025-03-10T14:01:00Z", "203.0.113.77"));
    sns.failing(true);
    JsonNode response;
    try {
      response = h.handle(JSON.readTree(sqsEvent(key)));
    } finally {
      sns.failing(false);
    }
    assertThat(response.get("batchItemFailures")).isEmpty();
    String log = logBytes.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("\"AlarmErrors\":1").contains("the object's ingest stands");
    assertThat(messages("unlucky")).isEmpty();
    Subscription s = new SubscriptionStore(db, subsTable, 0).get("unlucky").orElseThrow();
    Results results = new Results(new ResultStore(db, resultsTable, 350_000));
    assertThat(results.merged(s, Long.MIN_VALUE, Long.MAX_VALUE).rows()).hasSize(1);
    // the next evaluation of the bin (here: the same object redelivered) sends it, once
    h.handle(JSON.readTree(sqsEvent(key)));
    h.handle(JSON.readTree(sqsEvent(key)));
    assertThat(messages("unlucky")).hasSize(1);
  }

  @Test
  void anSqsBatchIsEvaluatedOnceAtItsEnd() throws IOException {
    subscribe("batched", failedLogins("batched"), "5m");
    alarm("batched", "failures", ">=", 3, false);
    IngestHandler h = handler(quiet());
    String ip = "192.0.2.200";
    String k1 = object(failedLogin("batched", "2025-03-10T15:01:00Z", ip));
    String k2 = object(failedLogin("batched", "2025-03-10T15:02:00Z", ip));
    String k3 = object(failedLogin("batched", "2025-03-10T15:03:00Z", ip));
    // one invocation, the third object twice: the bin reaches 3 within the batch, one notification
    JsonNode response = h.handle(JSON.readTree(sqsEvent(k1, k2, k3, k3)));
    assertThat(response.get("batchItemFailures")).isEmpty();
    List<JsonNode> m = messages("batched");
    assertThat(m).hasSize(1);
    assertThat(m.getFirst().get("objects").asInt()).isEqualTo(3);
    assertThat(m.getFirst().at("/triggeringRows/0/failures").asText()).isEqualTo("3");
    h.handle(JSON.readTree(sqsEvent(k2, k1)));
    assertThat(messages("batched")).hasSize(1);
  }

  @Test
  void aFailedFoldFailsTheBatchAndItsRedeliveryNotifiesOnce() throws IOException {
    subscribe("refold", failedLogins("refold"), "5m");
    alarm("refold", "failures", ">=", 3, false);
    // the first write of a bin's running state fails (throttled): the batch must be redelivered
    java.util.concurrent.atomic.AtomicBoolean failed =
        new java.util.concurrent.atomic.AtomicBoolean();
    DynamoDbClient flaky =
        (DynamoDbClient)
            java.lang.reflect.Proxy.newProxyInstance(
                DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                  if (args != null
                      && args.length == 1
                      && args[0] instanceof java.util.function.Consumer<?>) {
                    // builder forms: through the proxy's own request methods
                    return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                  }
                  if (method.getName().equals("putItem")
                      && args[0]
                          instanceof software.amazon.awssdk.services.dynamodb.model.PutItemRequest r
                      && dev.trailquery.contract.Keys.ALARM_BIN_STATE.equals(
                          r.item().get(Tables.SK).s())
                      && failed.compareAndSet(false, true)) {
                    throw software.amazon.awssdk.services.dynamodb.model
                        .ProvisionedThroughputExceededException.builder()
                        .message("throttled")
                        .build();
                  }
                  try {
                    return method.invoke(db, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    IngestConfig config =
        IngestConfig.defaults(
                subsTable, resultsTable, new PrintStream(logBytes, true, StandardCharsets.UTF_8))
            .withCacheMillis(0);
    IngestHandler h = new IngestHandler(config, s3, flaky, new SnsNotifier(sns.client(), TOPIC));
    String ip = "192.0.2.201";
    String k1 = object(failedLogin("refold", "2025-03-10T16:01:00Z", ip));
    String k2 = object(failedLogin("refold", "2025-03-10T16:02:00Z", ip));
    String k3 = object(failedLogin("refold", "2025-03-10T16:03:00Z", ip));
    String event = sqsEvent(k1, k2, k3);
    JsonNode first = h.handle(JSON.readTree(event));
    assertThat(first.get("batchItemFailures")).hasSize(3);
    assertThat(messages("refold")).isEmpty();
    JsonNode again = h.handle(JSON.readTree(event));
    assertThat(again.get("batchItemFailures"))
        .as(logBytes.toString(StandardCharsets.UTF_8))
        .isEmpty();
    h.handle(JSON.readTree(event));
    List<JsonNode> m = messages("refold");
    assertThat(m).hasSize(1);
    assertThat(m.getFirst().get("objects").asInt()).isEqualTo(3);
    assertThat(m.getFirst().at("/triggeringRows/0/failures").asText()).isEqualTo("3");
  }

  static String sqsEvent(String... keys) throws IOException {
    ObjectNode sqs = JSON.createObjectNode();
    ArrayNode records = sqs.putArray("Records");
    for (String key : keys) {
      JsonNode one = JSON.readTree(sqsEvent(key));
      records.add(one.get("Records").get(0));
    }
    return JSON.writeValueAsString(sqs);
  }

  static String sqsEvent(String key) throws IOException {
    ObjectNode s3event = JSON.createObjectNode();
    ObjectNode r = s3event.putArray("Records").addObject();
    r.put("eventName", "ObjectCreated:Put");
    r.putObject("s3").putObject("bucket").put("name", BUCKET);
    ((ObjectNode) r.get("s3")).putObject("object").put("key", key).put("size", 100);
    ObjectNode sqs = JSON.createObjectNode();
    ObjectNode m = sqs.putArray("Records").addObject();
    m.put("eventSource", "aws:sqs");
    m.put("messageId", UUID.randomUUID().toString());
    m.put("body", JSON.writeValueAsString(s3event));
    return JSON.writeValueAsString(sqs);
  }

  @Test
  void runningBinStatesEqualTheResultsReadFromTheBundles() throws IOException {
    Subscription s =
        subscribe(
            "indexed",
            "filter eventName = 'ConsoleLogin' and userIdentity.userName = 'indexed'"
                + " | stats count(*) as n, count_distinct(sourceIPAddress) as ips"
                + " by sourceIPAddress | sort n desc",
            "5m");
    alarm("indexed", "n", ">=", 1, false);
    IngestHandler h = handler(quiet());
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      keys.add(
          object(
              failedLogin("indexed", "2025-04-01T10:0" + i + ":00Z", "203.0.113." + (i % 3)),
              failedLogin("indexed", "2025-04-01T10:0" + (9 - i) + ":30Z", "198.51.100." + i),
              record("2025-04-01T10:04:00Z", "s3.amazonaws.com", "GetObject", "10.0.0.1", "Role")));
    }
    for (String k : keys) {
      ingest(h, k);
      ingest(h, k); // duplicates
    }
    var results =
        new dev.trailquery.functions.store.Results(
            new dev.trailquery.functions.store.ResultStore(db, resultsTable, 350_000));
    List<Long> bins =
        List.of(
            Instant.parse("2025-04-01T10:00:00Z").toEpochMilli(),
            Instant.parse("2025-04-01T10:05:00Z").toEpochMilli());
    var fromDays = results.bins(s, bins);
    assertThat(fromDays).hasSize(2);
    AlarmBins running = new AlarmBins(db, resultsTable);
    for (long bin : bins) {
      var indexed = indexed(running, s, bin);
      assertThat(indexed.result().rowMaps()).isEqualTo(fromDays.get(bin).result().rowMaps());
      assertThat(indexed.result().rows()).isNotEmpty();
    }
    // By hand: object i has logins at 10:0i and 10:0(9-i):30 and a GetObject at 10:04; every one
    // of the 6 objects has a login in each bin. Records of those objects: 10:00 holds 2 per object
    // (12), 10:05 holds 1 (6).
    assertThat(indexed(running, s, bins.get(0)).objects()).isEqualTo(6);
    assertThat(indexed(running, s, bins.get(1)).objects()).isEqualTo(6);
    assertThat(indexed(running, s, bins.get(0)).result().statistics().recordsScanned())
        .isEqualTo(12);
    assertThat(indexed(running, s, bins.get(1)).result().statistics().recordsScanned())
        .isEqualTo(6);
    // Hand count: six objects with two logins each, every login in one of the two bins.
    long total = 0;
    for (long bin : bins) {
      for (var row : indexed(running, s, bin).result().rowMaps()) {
        total += ((Number) row.get("n")).longValue();
      }
    }
    assertThat(total).isEqualTo(12);
  }

  static Results.BinResult indexed(AlarmBins running, Subscription s, long bin) throws IOException {
    AlarmBins.Folded f = running.read(s.id(), bin);
    return Results.binResult(
        bin,
        dev.trailquery.exec.PartialState.fromBytes(s.plan(), f.state()),
        f.records(),
        f.objects());
  }

  @Test
  void definitionsAreValidatedAndListed() {
    assertThatThrownBy(() -> Alarm.Comparison.parse("~"))
        .hasMessageContaining("one of >, >=, <, <=, =, !=");
    assertThatThrownBy(() -> new Alarm("x", " ", Alarm.Comparison.GT, 1, null, false, 0))
        .hasMessageContaining("needs a column");
    assertThatThrownBy(() -> new Alarm("x", "n", Alarm.Comparison.GT, Double.NaN, null, false, 0))
        .hasMessageContaining("finite");
    Subscription s = subscribe("listed", failedLogins("listed"), "1h");
    Alarm bad = new Alarm("listed", "count(*)", Alarm.Comparison.GT, 1, null, false, 1);
    assertThatThrownBy(() -> bad.checkColumn(Results.fields(s)))
        .hasMessageContaining("no column 'count(*)'")
        .hasMessageContaining("sourceIPAddress, failures");
    Alarm a = alarm("listed", "failures", "<=", 2.5, true);
    AlarmStore store = new AlarmStore(db, resultsTable);
    assertThat(store.get("listed")).contains(a);
    assertThat(store.list()).contains(a);
    assertThat(store.state(a).state()).isEqualTo(Alarm.State.INSUFFICIENT_DATA);
    assertThat(store.delete("listed")).isTrue();
    assertThat(store.get("listed")).isEmpty();
    assertThat(store.delete("listed")).isFalse();
  }

  @Test
  void aRetainedSubscriptionsAlarmItemsExpireWithItsBins() throws IOException {
    Subscription s =
        Subscription.create("kept-logins", failedLogins("kept-logins"), "5m", null, 2, 0L, null);
    new SubscriptionStore(db, subsTable, 0).put(s, true);
    Alarm a = alarm("kept-logins", "failures", ">", 1, false);
    long now = Instant.parse("2025-03-10T10:20:00Z").toEpochMilli();
    IngestConfig config =
        IngestConfig.defaults(subsTable, resultsTable, quiet()).withCacheMillis(0);
    IngestHandler h =
        new IngestHandler(config, s3, db, new SnsNotifier(sns.client(), TOPIC), () -> now);
    ingest(
        h,
        object(
            failedLogin("kept-logins", "2025-03-10T10:01:00Z", "203.0.113.7"),
            failedLogin("kept-logins", "2025-03-10T10:02:00Z", "203.0.113.7")));
    assertThat(messages("kept-logins")).hasSize(1);
    long bin = Instant.parse("2025-03-10T10:00:00Z").toEpochMilli();
    // the breach record: the bin's end (10:05) plus the 2 days kept
    assertThat(item(AlarmStore.pk("kept-logins"), AlarmStore.binKey(0, bin)).get(Tables.TTL).n())
        .isEqualTo(Long.toString(Instant.parse("2025-03-12T10:05:00Z").getEpochSecond()));
    // the running bin state: as long as the day's bundles (the day's end plus 2 days)
    assertThat(item(AlarmBins.pk(s.id(), bin), "agg").get(Tables.TTL).n())
        .isEqualTo(Long.toString(Instant.parse("2025-03-13T00:00:00Z").getEpochSecond()));
  }

  static java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item(
      String pk, String sk) {
    return Emulators.item(db, resultsTable, pk, sk);
  }
}
