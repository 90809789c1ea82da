package dev.trailquery.functions.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.aws.S3ObjectSource;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.store.ObjectRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The end-to-end test: real CloudTrail files (the repository's samples, under CloudTrail
 * keys) and corrupt ones in S3Proxy, every notification delivered twice, shuffled, by 8 concurrent
 * invokers through the SQS-shaped event, one invocation killed midway through its writes and its
 * batch redelivered; then every subscription's results equal the engine's one pass over the same
 * good objects, and the corrupt objects are counted as skipped. Then late objects, then a backfill
 * racing redeliveries.
 */
class IngestEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "trail-e2e";
  private static final String PREFIX = "AWSLogs/111122223333/CloudTrail/us-east-1/";

  static S3Client s3;
  static DynamoDbClient db;
  static String subsTable;
  static String resultsTable;
  static final PrintStream LOG = new PrintStream(new ByteArrayOutputStream());

  @BeforeAll
  static void start() {
    s3 = Emulators.s3();
    db = Emulators.dynamo();
    String run = UUID.randomUUID().toString().substring(0, 8);
    subsTable = "subs-" + run;
    resultsTable = "results-" + run;
    Tables.createIfMissing(db, Tables.subscriptions(subsTable));
    Tables.createIfMissing(db, Tables.results(resultsTable));
    s3.createBucket(b -> b.bucket(BUCKET));
  }

  /** Small parts, so that bundles span several items and a crash can fall between them. */
  static IngestConfig config(long cacheMillis) {
    return IngestConfig.defaults(subsTable, resultsTable, LOG)
        .withPartBytes(600)
        .withCacheMillis(cacheMillis);
  }

  static List<Path> sampleFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (ObjectRef r : new LocalFileSource(Path.of("..", "samples", "cloudtrail")).list()) {
      files.add(Path.of(r.key()));
    }
    return files;
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  /** A CloudTrail-like key for the i-th object of a wave, delivered on the wave's day. */
  static String key(int wave, int i) {
    String day = String.format("2025/03/%02d", 10 + wave);
    String stamp = String.format("202503%02dT%02d%02dZ", 10 + wave, i / 60 % 24, i % 60);
    return PREFIX
        + day
        + "/111122223333_CloudTrail_us-east-1_"
        + stamp
        + "_"
        + String.format("%04dabcd", i)
        + ".json.gz";
  }

  static String put(String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    return key;
  }

  static List<Subscription> subscriptions(long now) {
    return List.of(
        Subscription.create(
            "by-source",
            "stats count(*) as n by eventSource, bin(1h)",
            null,
            null,
            null,
            now,
            null),
        Subscription.create(
            "top-callers",
            "stats count(*) as calls, count_distinct(eventName) as apis, min(@timestamp) as first"
                + " by userIdentity.arn | sort calls desc, userIdentity.arn | limit 10",
            "1d",
            null,
            null,
            now,
            null),
        Subscription.create(
            "errors",
            "filter ispresent(errorCode) | fields @timestamp, eventSource, eventName, errorCode",
            "1h",
            50,
            null,
            now,
            null),
        Subscription.create(
            "cis-root",
            QueryPack.find("cis-3.3-root-account-usage").orElseThrow().query(),
            null,
            null,
            null,
            now,
            null),
        Subscription.create(
            "regions",
            "stats count(*) as n, sum(readOnly = 1) as reads by awsRegion | sort n desc",
            "1w",
            null,
            null,
            now,
            null));
  }

  /** An SQS event of S3 notifications, as Lambda's event source mapping delivers it. */
  record Message(String id, String body) {}

  static Message message(List<String> keys, Map<String, Long> sizes) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (String k : keys) {
      ObjectNode r = records.addObject();
      r.put("eventVersion", "2.1");
      r.put("eventSource", "aws:s3");
      r.put("eventName", "ObjectCreated:Put");
      ObjectNode s3n = r.putObject("s3");
      s3n.putObject("bucket").put("name", BUCKET);
      s3n.putObject("object")
          .put(
              "key",
              java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8)
                  .replace("%2F", "/"))
          .put("size", sizes.get(k));
    }
    return new Message(UUID.randomUUID().toString(), event.toString());
  }

  static JsonNode sqsEvent(List<Message> batch) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message m : batch) {
      records
          .addObject()
          .put("messageId", m.id())
          .put("eventSource", "aws:sqs")
          .put("body", m.body());
    }
    return event;
  }

  /**
   * Delivers every message twice, shuffled, from 8 concurrent invokers (each its own handler, as
   * Lambda containers are), redelivering failed messages; {@code crashAt} makes the first
   * invocation of invoker 0 die at that write (its whole batch is then redelivered).
   */
  static void deliver(List<Message> messages, int crashAt, long cacheMillis, long seed)
      throws Exception {
    List<Message> all = new ArrayList<>(messages);
    all.addAll(
        messages.stream().map(m -> new Message(UUID.randomUUID().toString(), m.body())).toList());
    Collections.shuffle(all, new Random(seed));
    ConcurrentLinkedDeque<Message> queue = new ConcurrentLinkedDeque<>(all);
    AtomicInteger outstanding = new AtomicInteger(all.size());
    AtomicInteger crashes = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        int worker = w;
        futures.add(
            pool.submit(
                () -> {
                  FaultyDynamoDb faulty =
                      worker == 0 && crashAt > 0 ? new FaultyDynamoDb(db, crashAt) : null;
                  IngestHandler handler =
                      new IngestHandler(config(cacheMillis), s3, faulty != null ? faulty : db);
                  while (outstanding.get() > 0) {
                    List<Message> batch = new ArrayList<>();
                    for (Message m; batch.size() < 5 && (m = queue.pollFirst()) != null; ) {
                      batch.add(m);
                    }
                    if (batch.isEmpty()) {
                      Thread.sleep(5);
                      continue;
                    }
                    try {
                      JsonNode response = handler.handle(sqsEvent(batch));
                      int failed = 0;
                      for (JsonNode f : response.path("batchItemFailures")) {
                        String id = f.path("itemIdentifier").asText();
                        for (Message m : batch) {
                          if (m.id().equals(id)) {
                            queue.addLast(m);
                            failed++;
                          }
                        }
                      }
                      outstanding.addAndGet(failed - batch.size());
                    } catch (FaultyDynamoDb.Crash crash) {
                      crashes.incrementAndGet();
                      batch.forEach(queue::addLast); // the visibility timeout ends: all again
                      handler = new IngestHandler(config(cacheMillis), s3, db); // a new container
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
    if (crashAt > 0) {
      assertThat(crashes.get()).as("the injected crash happened").isEqualTo(1);
    }
  }

  static Result reference(Subscription s, List<String> goodKeys) {
    S3ObjectSource source = new S3ObjectSource(s3, BUCKET, PREFIX);
    List<Scan.Input> inputs = new ArrayList<>();
    for (String k : goodKeys.stream().sorted().toList()) {
      inputs.add(new Scan.Input(source, new ObjectRef(BUCKET, k, -1)));
    }
    return Trailquery.runInputs(s.plan(), inputs, 4, Scan.Listener.NONE);
  }

  /** The keys the engine itself does not read whole (they are skipped by ingest too). */
  static List<String> bad(Subscription s, List<String> keys) {
    List<String> out = new ArrayList<>();
    for (var skipped : reference(s, keys).skipped()) {
      if (skipped.status() != dev.trailquery.read.ObjectResult.Status.EMPTY) {
        out.add(skipped.key());
      }
    }
    return out;
  }

  static void assertSameAsReference(List<Subscription> subs, List<String> goodKeys)
      throws IOException {
    Results results = new Results(new ResultStore(db, resultsTable, 600));
    for (Subscription s : subs) {
      Result expected = reference(s, goodKeys);
      Result actual = results.merged(s, Long.MIN_VALUE, Long.MAX_VALUE);
      assertThat(actual.fields()).as(s.name()).isEqualTo(expected.fields());
      assertThat(actual.rowMaps()).as(s.name()).isEqualTo(expected.rowMaps());
      assertThat(actual.statistics().recordsMatched())
          .as(s.name() + " matched")
          .isEqualTo(expected.statistics().recordsMatched());
      assertThat(actual.statistics().recordsScanned())
          .as(s.name() + " scanned")
          .isEqualTo(expected.statistics().recordsScanned());
      assertThat(actual.statistics().objectsScanned()).as(s.name() + " objects").isPositive();
    }
  }

  @Test
  void everySubscriptionEqualsOnePassDespiteDuplicatesCrashesLateObjectsAndBackfill()
      throws Exception {
    long now = System.currentTimeMillis();
    SubscriptionStore store = new SubscriptionStore(db, subsTable, 0);
    List<Subscription> subs = subscriptions(now);
    for (Subscription s : subs) {
      assertThat(store.put(s, false)).isTrue();
    }

    List<Path> files = sampleFiles();
    assertThat(files).hasSizeGreaterThan(100);
    // Wave 1: two thirds of the samples, plus corrupt and ignorable objects.
    List<String> good = new ArrayList<>();
    List<String> wave1 = new ArrayList<>();
    Map<String, Long> sizes = new java.util.HashMap<>();
    List<Path> first = files.subList(0, files.size() * 2 / 3);
    List<Path> late = files.subList(files.size() * 2 / 3, files.size() * 5 / 6);
    List<Path> backfilled = files.subList(files.size() * 5 / 6, files.size());
    int i = 0;
    for (Path f : first) {
      byte[] raw = Files.readAllBytes(f);
      String k = put(key(1, i++), i % 2 == 0 ? gzip(raw) : raw);
      wave1.add(k);
      sizes.put(k, (long) raw.length);
    }
    byte[] sample = gzip(Files.readAllBytes(first.get(3)));
    List<String> corrupt =
        List.of(
            put(key(1, 900), java.util.Arrays.copyOf(sample, sample.length / 2)), // truncated gzip
            put(
                key(1, 901),
                ("{\"Records\":[{\"eventVersion\":\"1.08\",\"eventTime\":\"2025-03-11T10:00:00Z\","
                        + "\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"CreateUser\"},"
                        + "{\"eventVersion\":\"1.08\",\"eventTi")
                    .getBytes()), // invalid JSON mid-file: the first record must not count
            put(key(1, 902), new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 1, 2, 3}), // zstd
            put(key(1, 903), "{\"hello\":\"world\"}".getBytes())); // not CloudTrail
    List<String> ignored =
        List.of(
            put(
                "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/03/11/"
                    + "111122223333_CloudTrail-Digest_us-east-1_x_us-east-1_20250311T100000Z.json.gz",
                gzip("{\"digestStartTime\":\"2025-03-11T09:00:00Z\"}".getBytes())),
            put(
                "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2025/03/11/x.json.gz",
                gzip("{\"Records\":[]}".getBytes())),
            put(PREFIX + "2025/03/11/placeholder", new byte[0]));
    for (String k : corrupt) {
      sizes.put(k, 10L);
    }
    // Some samples are themselves not whole CloudTrail files: the engine says which.
    List<String> badSamples = bad(subs.getFirst(), wave1);
    wave1.removeAll(badSamples);
    sizes.put(ignored.get(0), 10L);
    sizes.put(ignored.get(1), 10L);
    sizes.put(ignored.get(2), 0L);
    good.addAll(wave1);
    List<String> keys = new ArrayList<>(wave1);
    keys.addAll(badSamples);
    keys.addAll(corrupt);
    keys.addAll(ignored);
    List<Message> messages = new ArrayList<>();
    for (int m = 0; m < keys.size(); m += 3) {
      messages.add(message(keys.subList(m, Math.min(keys.size(), m + 3)), sizes));
    }
    deliver(messages, 7, 60_000, 42);
    assertSameAsReference(subs, good);
    ResultStore results = new ResultStore(db, resultsTable, 600);
    List<ResultStore.Skipped> skipped = results.skipped("2025-03-11");
    List<String> expectedSkips = new ArrayList<>(corrupt);
    expectedSkips.addAll(badSamples);
    assertThat(skipped)
        .extracting(ResultStore.Skipped::key)
        .containsExactlyInAnyOrderElementsOf(expectedSkips);
    assertThat(skipped)
        .filteredOn(s -> corrupt.contains(s.key()))
        .extracting(ResultStore.Skipped::status)
        .containsExactlyInAnyOrder("CORRUPT", "CORRUPT", "FOREIGN", "FOREIGN");

    // Wave 2: late objects (their events are years older than the bins already written).
    List<Message> lateMessages = new ArrayList<>();
    List<String> lateKeys = new ArrayList<>();
    for (Path f : late) {
      byte[] raw = Files.readAllBytes(f);
      String k = put(key(2, i++), gzip(raw));
      sizes.put(k, (long) raw.length);
      good.add(k);
      lateKeys.add(k);
      lateMessages.add(message(List.of(k), sizes));
    }
    List<String> badLate = bad(subs.getFirst(), lateKeys);
    good.removeAll(badLate);
    expectedSkips.addAll(badLate);
    deliver(lateMessages, 0, 60_000, 7);
    assertSameAsReference(subs, good);

    // Wave 3: objects already in the bucket when a subscription with backfillFrom is created; the
    // backfill races redeliveries of every notification by Lambdas that know the new subscription.
    List<Message> wave3 = new ArrayList<>();
    List<String> wave3Keys = new ArrayList<>();
    for (Path f : backfilled) {
      byte[] raw = Files.readAllBytes(f);
      String k = put(key(3, i++), gzip(raw));
      sizes.put(k, (long) raw.length);
      good.add(k);
      wave3Keys.add(k);
      wave3.add(message(List.of(k), sizes));
    }
    List<String> bad3 = bad(subs.getFirst(), wave3Keys);
    good.removeAll(bad3);
    expectedSkips.addAll(bad3);
    deliver(wave3, 0, 60_000, 9);
    Subscription added =
        Subscription.create(
            "added-later",
            "filter eventName like /^(Get|List|Describe)/ | stats count(*) as n by eventName"
                + " | sort n desc, eventName | limit 20",
            "1h",
            null,
            null,
            now + 1,
            java.time.Instant.parse("2025-03-01T00:00:00Z").toEpochMilli());
    assertThat(store.put(added, false)).isTrue();
    Ingestor backfiller = new IngestHandler(config(60_000), s3, db).ingestor();
    List<Message> redelivery = new ArrayList<>(messages);
    redelivery.addAll(lateMessages);
    redelivery.addAll(wave3);
    try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
      Future<Backfill.Report> bf =
          pool.submit(
              () ->
                  Backfill.run(
                      backfiller,
                      s3,
                      BUCKET,
                      "", // the trail's key prefix: none
                      List.of(added),
                      added.backfillFromMillis(),
                      0,
                      4));
      deliver(redelivery, 0, 0, 11);
      Backfill.Report report = bf.get();
      assertThat(report.processed()).isEqualTo(good.size());
      assertThat(report.skipped()).isEqualTo(expectedSkips.size());
    }
    List<Subscription> all = new ArrayList<>(subs);
    all.add(added);
    assertSameAsReference(all, good);
  }
}
