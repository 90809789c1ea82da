package dev.trailquery.functions.store.sealing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.Ingestor;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One sealer run after another on hand-written objects (emulators, clocks moved by hand): what each
 * run reports, the sealed bins it writes (records, objects and bytes at each object's first bin,
 * sealed-through slot), that a second run of the same slot does nothing, that a late object is
 * sealed into its own later slot without touching the bins sealed before, and the lease.
 */
class SealerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "trail-sealer";
  private static final String PREFIX = "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/10/";

  static S3Client s3 = Emulators.s3();
  static DynamoDbClient db = Emulators.dynamo();

  static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  static ObjectNode record(String time, String name) {
    ObjectNode r = JSON.createObjectNode();
    r.put("eventVersion", "1.08");
    r.put("eventTime", time);
    r.put("eventSource", "iam.amazonaws.com");
    r.put("eventName", name);
    return r;
  }

  /** Stores the object under a key of 10:{minute}; returns its decoded size. */
  static long put(String run, int minute, ObjectNode... records) throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    ArrayNode rs = doc.putArray("Records");
    for (ObjectNode r : records) {
      rs.add(r);
    }
    byte[] raw = JSON.writeValueAsBytes(doc);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    String key =
        PREFIX
            + String.format(
                "111122223333_CloudTrail_us-east-1_20250310T10%02dZ_%s.json.gz", minute, run);
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(out.toByteArray()));
    return raw.length;
  }

  static String key(String run, int minute) {
    return PREFIX
        + String.format(
            "111122223333_CloudTrail_us-east-1_20250310T10%02dZ_%s.json.gz", minute, run);
  }

  @Test
  void eachRunSealsTheClosedSlotsOnceAndALateObjectIntoItsOwnSlot() throws IOException {
    try {
      s3.createBucket(b -> b.bucket(BUCKET));
    } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException exists) {
      // a rerun in the same JVM
    }
    String run = UUID.randomUUID().toString().substring(0, 8);
    Tables.createIfMissing(db, Tables.subscriptions("sl-subs-" + run));
    Tables.createIfMissing(db, Tables.results("sl-results-" + run));
    ResultStore store = new ResultStore(db, "sl-results-" + run, ResultStore.DEFAULT_PART_BYTES);
    IngestConfig config =
        IngestConfig.defaults(
                "sl-subs-" + run, "sl-results-" + run, new PrintStream(new ByteArrayOutputStream()))
            .withCacheMillis(0);
    AtomicLong ingestClock = new AtomicLong(at("2025-03-10T10:20:00Z"));
    Ingestor ingestor =
        new Ingestor(
            s3, new SubscriptionStore(db, "sl-subs-" + run, 0), store, config, ingestClock::get);
    Subscription byName =
        Subscription.create("by-name", "stats count(*) as n by eventName", "5m", null, 3, 0L, null);
    Subscription total =
        Subscription.create("total", "stats count(*) as n", "5m", null, null, 0L, null);
    List<Subscription> subs = List.of(byName, total);

    // two objects of the slot 10:15-10:30, written naturally at 10:20: bins 10:00 (2 records, of
    // object 1) and 10:05 (1 of object 1, 1 of object 2)
    long bytes1 =
        put(
            run + "a",
            16,
            record("2025-03-10T10:01:00Z", "GetUser"),
            record("2025-03-10T10:02:00Z", "GetUser"),
            record("2025-03-10T10:07:00Z", "ListUsers"));
    long bytes2 = put(run + "b", 17, record("2025-03-10T10:06:00Z", "GetUser"));
    ingestor.process(BUCKET, key(run + "a", 16), 1, subs);
    ingestor.process(BUCKET, key(run + "b", 17), 1, subs);

    AtomicLong sealClock = new AtomicLong(at("2025-03-10T10:50:00Z"));
    SealedStore sealed = new SealedStore(store);
    Sealer sealer = new Sealer(sealed, () -> subs, sealClock::get);
    assertThat(sealed.progress()).isEqualTo(-1);

    // another sealer holds the lease until 10:51
    SealedStore other = new SealedStore(store);
    assertThat(other.lease("other", sealClock.get(), at("2025-03-10T10:51:00Z"))).isTrue();
    Sealer.Report busy = sealer.seal();
    assertThat(busy.busy()).isTrue();
    assertThat(busy.slots()).isZero();
    assertThat(sealed.progress()).isEqualTo(-1);
    sealClock.set(at("2025-03-10T10:51:00Z")); // not yet run out (the lease holds through 10:51)
    assertThat(sealer.seal().busy()).isTrue();

    // at 10:51:01 the slot 10:15 has been closed 20 minutes: sealable, the lease ran out
    sealClock.set(at("2025-03-10T10:51:01Z"));
    Sealer.Report first = sealer.seal();
    long slot1015 = at("2025-03-10T10:15:00Z");
    assertThat(first.busy()).isFalse();
    assertThat(first.fromSlot()).isEqualTo(-1);
    assertThat(first.throughSlot()).isEqualTo(slot1015);
    assertThat(first.slots()).isEqualTo(1);
    assertThat(first.contributions()).isEqualTo(4); // 2 objects × 2 subscriptions
    assertThat(first.binsWritten()).isEqualTo(4); // bins 10:00 and 10:05 of each
    assertThat(first.writeUnits()).isGreaterThanOrEqualTo(first.binsWritten());
    assertThat(sealed.progress()).isEqualTo(slot1015);
    // the lease was released: another sealer may start at once
    assertThat(other.lease("other", sealClock.get(), sealClock.get() + 1)).isTrue();
    other.release("other");

    SortedMap<Long, SealedStore.Stored> bins =
        sealed.read(byName.id(), "2025-03-10", 0, Long.MAX_VALUE / 2, true);
    assertThat(bins).containsOnlyKeys(at("2025-03-10T10:00:00Z"), at("2025-03-10T10:05:00Z"));
    SealedBin ten = bins.get(at("2025-03-10T10:00:00Z")).bin();
    assertThat(ten.records()).isEqualTo(2);
    assertThat(ten.objects()).isEqualTo(1);
    assertThat(ten.bytes()).isEqualTo(bytes1);
    assertThat(ten.sealedThrough()).isEqualTo(slot1015);
    SealedBin five = bins.get(at("2025-03-10T10:05:00Z")).bin();
    assertThat(five.records()).isEqualTo(2);
    assertThat(five.objects()).isEqualTo(1);
    assertThat(five.bytes()).isEqualTo(bytes2);
    assertThat(sealed.days(byName.id())).containsExactly("2025-03-10");

    // sealed again: nothing to do
    Sealer.Report again = sealer.seal();
    assertThat(again.slots()).isZero();
    assertThat(again.binsWritten()).isZero();
    assertThat(again.fromSlot()).isEqualTo(slot1015);
    assertThat(again.throughSlot()).isEqualTo(slot1015);

    // an object of the slot 10:00 first delivered at 10:40: late, into the slot 10:30
    long bytes3 = put(run + "c", 1, record("2025-03-10T09:58:00Z", "GetUser"));
    ingestClock.set(at("2025-03-10T10:40:00Z"));
    assertThat(ingestor.process(BUCKET, key(run + "c", 1), 1, subs).status())
        .isEqualTo(Ingestor.Status.OK);
    // and object 1 delivered again at 10:40, after its slot was sealed: a late bundle too, but its
    // natural bundle already counted it, so sealing leaves it out
    assertThat(ingestor.process(BUCKET, key(run + "a", 16), 1, subs).status())
        .isEqualTo(Ingestor.Status.OK);
    sealClock.set(at("2025-03-10T11:05:00Z")); // the slot 10:30 closed at 10:50, +20 minutes
    Sealer.Report late = sealer.seal();
    assertThat(late.fromSlot()).isEqualTo(slot1015);
    assertThat(late.throughSlot()).isEqualTo(at("2025-03-10T10:30:00Z"));
    assertThat(late.slots()).isEqualTo(1);
    assertThat(late.contributions()).isEqualTo(2); // object 3 only
    assertThat(late.binsWritten()).isEqualTo(2); // bin 09:55 of each subscription
    bins = sealed.read(byName.id(), "2025-03-10", 0, Long.MAX_VALUE / 2, true);
    assertThat(bins)
        .containsOnlyKeys(
            at("2025-03-10T09:55:00Z"), at("2025-03-10T10:00:00Z"), at("2025-03-10T10:05:00Z"));
    SealedBin early = bins.get(at("2025-03-10T09:55:00Z")).bin();
    assertThat(early.records()).isEqualTo(1);
    assertThat(early.bytes()).isEqualTo(bytes3);
    assertThat(early.sealedThrough()).isEqualTo(at("2025-03-10T10:30:00Z"));
    assertThat(bins.get(at("2025-03-10T10:00:00Z")).bin().sealedThrough()).isEqualTo(slot1015);

    // what the sealed bins give is what was ingested: 4 GetUser, 1 ListUsers, 3 objects
    var all =
        new Results(store, sealClock::get)
            .merged(total, at("2025-03-10T09:00:00Z"), at("2025-03-10T11:00:00Z"));
    assertThat(all.statistics().recordsScanned()).isEqualTo(5);
    assertThat(all.statistics().objectsScanned()).isEqualTo(3);
    assertThat(all.statistics().bytesScanned()).isEqualTo(bytes1 + bytes2 + bytes3);
  }
}
