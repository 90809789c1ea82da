package dev.trailquery.functions.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.aws.S3ObjectSource;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.store.sealing.SealedStore;
import dev.trailquery.functions.store.sealing.Sealer;
import dev.trailquery.functions.store.sealing.Slots;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.store.ObjectRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Sealed bins keep every object counted exactly once (docs/INGEST.md, "Sealing"): each case is
 * checked against the engine's one pass over the same objects — duplicates and concurrent
 * deliveries, a redelivery after the slot closed, an object first delivered after its slot was
 * sealed (twice, in two different late slots), a crash in the middle of sealing, two sealers at
 * once, reads during sealing, and a backfill after sealing.
 */
class SealingTest {
  private static final String BUCKET = "trail-sealing";
  private static final String PREFIX = "AWSLogs/111122223333/CloudTrail/us-east-1/";
  private static final long T0 = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
  private static final long MIN = 60_000;
  private static final PrintStream LOG = new PrintStream(new ByteArrayOutputStream());

  static S3Client s3;
  static DynamoDbClient db;
  static List<Path> files;

  @BeforeAll
  static void start() throws IOException {
    s3 = Emulators.s3();
    db = Emulators.dynamo();
    s3.createBucket(b -> b.bucket(BUCKET));
    files = new ArrayList<>();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    for (Path f : IngestEndToEndTest.sampleFiles()) {
      if (files.size() < 48) {
        try {
          if (json.readTree(f.toFile()).path("Records").size() > 0) {
            files.add(f);
          }
        } catch (IOException notCloudTrail) {
          // a foreign sample: not used here
        }
      }
    }
  }

  /** Fresh tables and subscriptions for one test. */
  record World(
      String subsTable, String resultsTable, SubscriptionStore subs, List<Subscription> list) {
    ResultStore store() {
      return new ResultStore(db, resultsTable, 600);
    }

    Ingestor ingestor(AtomicLong clock) {
      IngestConfig config = IngestConfig.defaults(subsTable, resultsTable, LOG).withPartBytes(600);
      return new Ingestor(s3, subs, store(), config.withCacheMillis(0), clock::get);
    }

    Sealer sealer(DynamoDbClient client) {
      return new Sealer(
          new SealedStore(new ResultStore(client, resultsTable, 600)), () -> subs.list(), () -> T0);
    }
  }

  static World world() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String subsTable = "seal-subs-" + run;
    String resultsTable = "seal-results-" + run;
    Tables.createIfMissing(db, Tables.subscriptions(subsTable));
    Tables.createIfMissing(db, Tables.results(resultsTable));
    SubscriptionStore subs = new SubscriptionStore(db, subsTable, 0);
    List<Subscription> list =
        List.of(
            Subscription.create(
                "by-source",
                "stats count(*) as n by eventSource, bin(1h)",
                null,
                null,
                null,
                1,
                null),
            Subscription.create(
                "errors",
                "filter ispresent(errorCode) | fields @timestamp, eventSource, errorCode"
                    + " | sort @timestamp desc, eventSource",
                "1h",
                5,
                null,
                2,
                null),
            Subscription.create(
                "callers",
                "stats count(*) as calls by userIdentity.arn | sort calls desc, userIdentity.arn"
                    + " | limit 5",
                "1d",
                null,
                null,
                3,
                null));
    for (Subscription s : list) {
      subs.put(s, false);
    }
    return new World(subsTable, resultsTable, subs, list);
  }

  /** The key of the i-th object, delivered {@code minute} minutes after T0. */
  static String key(String run, int i, int minute) {
    String stamp =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'")
            .withZone(java.time.ZoneOffset.UTC)
            .format(Instant.ofEpochMilli(T0 + minute * MIN));
    return prefix(run)
        + "2026/12/01/111122223333_CloudTrail_us-east-1_"
        + stamp
        + "_"
        + run
        + String.format("%04d", i)
        + ".json.gz";
  }

  /** Each test's objects under their own trail prefix, so a backfill lists only them. */
  static String trailPrefix(String run) {
    return "trail" + Math.abs((long) run.hashCode());
  }

  static String prefix(String run) {
    return trailPrefix(run) + "/AWSLogs/111122223333/CloudTrail/us-east-1/";
  }

  /** Puts the sample objects under keys of minutes 0..29 after T0 (two slots). */
  static List<String> putObjects(String run, int from, int to) throws IOException {
    List<String> keys = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String k = key(run, i, i % 30);
      byte[] gz = IngestEndToEndTest.gzip(Files.readAllBytes(files.get(i % files.size())));
      s3.putObject(b -> b.bucket(BUCKET).key(k), RequestBody.fromBytes(gz));
      keys.add(k);
    }
    return keys;
  }

  static void deliver(Ingestor ingestor, List<String> keys) {
    for (String k : keys) {
      assertThat(ingestor.process(BUCKET, k, 1).status()).isEqualTo(Ingestor.Status.OK);
    }
  }

  /** Every key twice, from 4 concurrent containers. */
  static void deliverTwiceConcurrently(World w, AtomicLong clock, List<String> keys)
      throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int worker = t;
        futures.add(
            pool.submit(
                () -> {
                  Ingestor ingestor = w.ingestor(clock);
                  for (int i = 0; i < keys.size(); i++) {
                    if (i % 2 == worker % 2) {
                      deliver(ingestor, List.of(keys.get(worker < 2 ? i : keys.size() - 1 - i)));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
  }

  static Result reference(Subscription s, List<String> keys) {
    S3ObjectSource source = new S3ObjectSource(s3, BUCKET, PREFIX);
    List<Scan.Input> inputs = new ArrayList<>();
    for (String k : keys.stream().sorted().toList()) {
      inputs.add(new Scan.Input(source, new ObjectRef(BUCKET, k, -1)));
    }
    return Trailquery.runInputs(s.plan(), inputs, 2, Scan.Listener.NONE);
  }

  static void assertOnePass(World w, List<String> keys, String when) throws IOException {
    Results results = new Results(w.store());
    for (Subscription s : w.list()) {
      Result expected = reference(s, keys);
      Result actual = results.merged(s, Long.MIN_VALUE, Long.MAX_VALUE);
      String as = s.name() + " " + when;
      assertThat(actual.rowMaps()).as(as).isEqualTo(expected.rowMaps());
      assertThat(actual.statistics().recordsMatched())
          .as(as + " matched")
          .isEqualTo(expected.statistics().recordsMatched());
      assertThat(actual.statistics().recordsScanned())
          .as(as + " scanned")
          .isEqualTo(expected.statistics().recordsScanned());
      assertThat(actual.statistics().objectsScanned()).as(as + " objects").isEqualTo(keys.size());
    }
  }

  @Test
  void duplicatesRedeliveriesAndLateObjectsCountOnceBeforeDuringAndAfterSealing() throws Exception {
    World w = world();
    String run = "a" + UUID.randomUUID().toString().substring(0, 6);
    List<String> keys = putObjects(run, 0, 40);
    AtomicLong clock = new AtomicLong(T0 + 16 * MIN); // both slots (10:00, 10:15) open
    deliverTwiceConcurrently(w, clock, keys);
    assertOnePass(w, keys, "unsealed, duplicates");

    // 10:50: slot 10:00 closed. Redeliveries of counted objects go to the late path.
    clock.set(T0 + 50 * MIN);
    deliver(w.ingestor(clock), keys.subList(0, 10));
    // Objects of slot 10:00 first delivered now, and again (a duplicate) in the next slot.
    List<String> late = putObjects(run, 40, 46);
    List<String> lateOfSlot0 = late.stream().filter(k -> Slots.naturalSlot(k) == T0).toList();
    assertThat(lateOfSlot0).isNotEmpty();
    deliver(w.ingestor(clock), late);
    List<String> all = new ArrayList<>(keys);
    all.addAll(late);
    assertOnePass(w, all, "late, unsealed");

    // Seal what is closed at 10:50: the slots 10:00 and 10:15, not the late slot 10:45.
    Sealer.Report r = w.sealer(db).seal(Slots.sealable(T0 + 50 * MIN));
    assertThat(r.throughSlot()).isEqualTo(T0 + 15 * MIN);
    assertThat(r.binsWritten()).isPositive();
    assertOnePass(w, all, "two slots sealed, late slot not");

    clock.set(T0 + 70 * MIN); // the duplicates of the late objects, in slot 11:00
    deliver(w.ingestor(clock), late);
    assertOnePass(w, all, "late duplicates in another slot");

    w.sealer(db).seal(Slots.sealable(T0 + 200 * MIN));
    SealedStore sealed = new SealedStore(w.store());
    long progress = sealed.progress();
    assertThat(sealed.entries(progress, Long.MAX_VALUE / 2)).as("nothing left unsealed").isEmpty();
    assertOnePass(w, all, "all sealed");

    // After sealing: redeliveries of everything and a new object of an old, sealed slot.
    clock.set(T0 + 210 * MIN);
    List<String> veryLate = putObjects(run, 46, 48);
    deliver(w.ingestor(clock), all.subList(0, 20));
    deliver(w.ingestor(clock), veryLate);
    all.addAll(veryLate);
    assertOnePass(w, all, "redelivered after sealing");
    w.sealer(db).seal(Slots.sealable(T0 + 300 * MIN));
    assertOnePass(w, all, "sealed again");
    // Sealing again changes nothing.
    w.sealer(db).seal(Slots.sealable(T0 + 300 * MIN));
    assertOnePass(w, all, "sealed twice");
  }

  @Test
  void crashMidSealTwoSealersAndReadsDuringSealing() throws Exception {
    World w = world();
    String run = "b" + UUID.randomUUID().toString().substring(0, 6);
    List<String> keys = putObjects(run, 0, 30);
    AtomicLong clock = new AtomicLong(T0 + 16 * MIN);
    deliver(w.ingestor(clock), keys);
    clock.set(T0 + 40 * MIN);
    deliver(w.ingestor(clock), keys.subList(0, 5)); // late redeliveries
    long through = Slots.sealable(T0 + 200 * MIN);

    // A sealer killed at its 4th write (lease, then sealed items): half of the bins are sealed.
    FaultyDynamoDb faulty = new FaultyDynamoDb(db, 4);
    assertThatThrownBy(() -> w.sealer(faulty).seal(through))
        .isInstanceOf(FaultyDynamoDb.Crash.class);
    assertOnePass(w, keys, "after a crash mid-seal");

    // Two sealers at once (no lease: both really work) while a reader reads.
    AtomicBoolean sealing = new AtomicBoolean(true);
    List<Throwable> readerFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                while (sealing.get()) {
                  assertOnePass(w, keys, "during sealing");
                }
              } catch (Throwable t) {
                readerFailures.add(t);
              }
            });
    reader.start();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Future<Sealer.Report> a = pool.submit(() -> w.sealer(db).withoutLease().seal(through));
      Future<Sealer.Report> b = pool.submit(() -> w.sealer(db).withoutLease().seal(through));
      a.get();
      b.get();
    } finally {
      sealing.set(false);
      reader.join();
    }
    assertThat(readerFailures).isEmpty();
    assertOnePass(w, keys, "after two sealers");
    // With the lease, a second sealer at work finds it held and does nothing.
    SealedStore sealed = new SealedStore(w.store());
    assertThat(sealed.lease("someone", T0, T0 + 60 * MIN)).isTrue();
    assertThat(w.sealer(db).seal(through).busy()).isTrue();
  }

  @Test
  void backfillAfterSealingCountsEachObjectOnceForTheNewSubscription() throws Exception {
    World w = world();
    String run = "c" + UUID.randomUUID().toString().substring(0, 6);
    List<String> keys = putObjects(run, 0, 24);
    AtomicLong clock = new AtomicLong(T0 + 16 * MIN);
    Ingestor ingestor = w.ingestor(clock);
    deliver(ingestor, keys.subList(0, 12));
    w.sealer(db).seal(Slots.sealable(T0 + 100 * MIN));
    // A new subscription, live for the next objects, backfilled over all of them.
    Subscription added =
        Subscription.create(
            "regions", "stats count(*) as n by awsRegion, eventName", "1h", null, null, 4, null);
    w.subs().put(added, false);
    List<Subscription> withAdded = new ArrayList<>(w.list());
    withAdded.add(added);
    World w2 = new World(w.subsTable(), w.resultsTable(), w.subs(), withAdded);
    clock.set(T0 + 20 * MIN); // still open for natural writes? 10:15 yes, 10:00 no
    deliver(w2.ingestor(clock), keys.subList(12, 24));
    Backfill.Report r =
        Backfill.run(w2.ingestor(clock), s3, BUCKET, trailPrefix(run), List.of(added), 0, 0, 4);
    assertThat(r.processed()).isEqualTo(keys.size());
    assertOnePass(w2, keys, "backfilled");
    w2.sealer(db).seal(Slots.sealable(T0 + 300 * MIN));
    assertOnePass(w2, keys, "backfilled and sealed");
    clock.set(T0 + 400 * MIN); // the backfill again (a retry): nothing changes
    Backfill.run(w2.ingestor(clock), s3, BUCKET, trailPrefix(run), List.of(added), 0, 0, 4);
    assertOnePass(w2, keys, "backfilled twice");
    w2.sealer(db).seal(Slots.sealable(T0 + 600 * MIN));
    assertOnePass(w2, keys, "backfilled twice, sealed");
  }
}
