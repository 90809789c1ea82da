package dev.trailquery.functions.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.contract.Keys;
import dev.trailquery.exec.Finisher;
import dev.trailquery.exec.PartialState;
import dev.trailquery.functions.ingest.MultiScan;
import dev.trailquery.functions.store.Bundle;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.plan.Plan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The running alarm bin states ({@link AlarmBins}) on dynalite: every object folded in exactly once
 * whatever the duplicates, concurrent folds and crashes, at one bin read per fold however many
 * objects the bin holds. Objects are hand-written; each expectation is counted by hand: object i
 * has i % 3 + 1 console logins from 10.0.0.(i % 2), all in the bin 10:00-10:05.
 */
class AlarmBinsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long BIN = Instant.parse("2025-05-01T10:00:00Z").toEpochMilli();
  private static final int OBJECTS = 12;

  static DynamoDbClient db;
  static String table;
  static Subscription sub;
  static Plan plan;
  static List<AlarmBins.Contribution> all;

  @BeforeAll
  static void start() throws IOException {
    db = Emulators.dynamo();
    table = "alarmbins-" + UUID.randomUUID().toString().substring(0, 8);
    Tables.createIfMissing(db, Tables.results(table));
    sub =
        Subscription.create(
            "logins",
            "filter eventName = 'ConsoleLogin' | stats count(*) as n by sourceIPAddress",
            "5m",
            null,
            null,
            0,
            null);
    plan = sub.plan();
    all = new ArrayList<>();
    MultiScan scan = new MultiScan(List.of(MultiScan.Target.of(sub)), 1 << 26);
    for (int i = 0; i < OBJECTS; i++) {
      ObjectNode doc = JSON.createObjectNode();
      ArrayNode rs = doc.putArray("Records");
      for (int k = 0; k < i % 3 + 1; k++) {
        ObjectNode r = rs.addObject();
        r.put("eventTime", "2025-05-01T10:0" + k + ":00Z");
        r.put("eventSource", "signin.amazonaws.com");
        r.put("eventName", "ConsoleLogin");
        r.put("sourceIPAddress", "10.0.0." + (i % 2));
        r.put("eventID", "e" + i + "-" + k);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(JSON.writeValueAsBytes(doc));
      }
      String key = "AWSLogs/1/CloudTrail/us-east-1/2025/05/01/o" + i + ".json.gz";
      MultiScan.Outcome o = scan.scan(new ByteArrayInputStream(out.toByteArray()), "bucket", key);
      Bundle b = o.days().get("2025-05-01");
      byte[] state = b.states.get(sub.id()).get(BIN);
      long records = b.histograms.get(sub.bin()).get(BIN);
      all.add(new AlarmBins.Contribution("obj" + i, state, records));
    }
  }

  /** A bin of its own per test (the subscription id part of the key is the test's). */
  static String bin(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  static Map<String, AlarmBins.Contribution> objects(int... indexes) {
    Map<String, AlarmBins.Contribution> m = new LinkedHashMap<>();
    for (int i : indexes) {
      m.put(all.get(i).objectId(), all.get(i));
    }
    return m;
  }

  static int[] range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).toArray();
  }

  /** Rows of the bin's merged state: source IP → n. */
  static Map<String, Long> rows(AlarmBins.Folded f) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    for (Map<String, Object> row :
        Finisher.finish(PartialState.fromBytes(plan, f.state())).rowMaps()) {
      out.put((String) row.get("sourceIPAddress"), ((Number) row.get("n")).longValue());
    }
    return out;
  }

  /** By hand: 24 logins from 12 objects, 12 from each address. */
  static void assertWhole(AlarmBins.Folded f) throws IOException {
    assertThat(f.objects()).isEqualTo(12);
    assertThat(f.records()).isEqualTo(24);
    assertThat(rows(f)).isEqualTo(Map.of("10.0.0.0", 12L, "10.0.0.1", 12L));
  }

  @Test
  void duplicatesAndRedeliveriesAreFoldedOnce() throws IOException {
    AlarmBins bins = new AlarmBins(db, table);
    String id = bin("dup");
    AlarmBins.Folded f = bins.fold(id, BIN, objects(0, 1, 2, 3, 4), null, plan);
    // objects 0..4: 1+2+3+1+2 = 9 logins; 0, 2, 4 from .0 (1+3+2 = 6), 1, 3 from .1 (2+1 = 3)
    assertThat(f.objects()).isEqualTo(5);
    assertThat(f.records()).isEqualTo(9);
    assertThat(rows(f)).isEqualTo(Map.of("10.0.0.0", 6L, "10.0.0.1", 3L));
    bins.fold(id, BIN, objects(3, 4, 5, 6, 7, 8), null, plan);
    bins.fold(id, BIN, objects(8, 9, 10, 11), null, plan);
    AlarmBins.Folded again = bins.fold(id, BIN, objects(range(0, 12)), null, plan);
    assertWhole(again);
    assertThat(again.version()).isEqualTo(3); // the last fold found nothing new: no version
    assertWhole(bins.read(id, BIN));
  }

  @Test
  void concurrentFoldsOfOverlappingBatchesCountEachObjectOnce() throws Exception {
    AlarmBins bins = new AlarmBins(db, table);
    String id = bin("concurrent");
    List<Integer> deliveries = new ArrayList<>();
    for (int copy = 0; copy < 3; copy++) {
      for (int i = 0; i < OBJECTS; i++) {
        deliveries.add(i);
      }
    }
    Collections.shuffle(deliveries, new Random(11));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < deliveries.size(); i += 3) {
        int[] batch =
            deliveries.subList(i, i + 3).stream().mapToInt(Integer::intValue).distinct().toArray();
        done.add(pool.submit(() -> bins.fold(id, BIN, objects(batch), null, plan)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertWhole(bins.read(id, BIN));
  }

  @Test
  void aFoldKilledAtAnyWriteIsCompletedOnceByTheRetry() throws IOException {
    // every write of the fold in turn: the process dies just before it, or just after it
    for (boolean after : new boolean[] {false, true}) {
      for (int crashAt = 1; ; crashAt++) {
        String id = bin("crash");
        new AlarmBins(db, table).fold(id, BIN, objects(0, 1, 2), null, plan);
        Crashing faulty = new Crashing(db, crashAt, after);
        try {
          new AlarmBins(faulty, table).fold(id, BIN, objects(range(0, 12)), null, plan);
        } catch (Crashing.Crash expected) {
          // the Lambda died; SQS delivers the batch again
        }
        assertWhole(new AlarmBins(db, table).fold(id, BIN, objects(range(0, 12)), null, plan));
        if (!faulty.crashed()) {
          // 12 claims (3 find their object counted already), the commit record, the state
          assertThat(crashAt).isEqualTo(15);
          break;
        }
      }
    }
  }

  @Test
  void aClaimLeftByAFoldThatDiedBeforeCommittingIsTakenOver() throws IOException {
    AlarmBins bins = new AlarmBins(db, table);
    String id = bin("stale");
    bins.fold(id, BIN, objects(0), null, plan); // version 1
    // a fold that claimed object 5 for version 2, then died
    db.putItem(
        b ->
            b.tableName(table)
                .item(
                    Map.of(
                        Tables.PK,
                        AttributeValue.fromS(AlarmBins.pk(id, BIN)),
                        Tables.SK,
                        AttributeValue.fromS(AlarmBins.objectSk("obj5")),
                        "u",
                        AttributeValue.fromN("2"),
                        "t",
                        AttributeValue.fromS("dead00000000"))));
    AlarmBins.Folded f = bins.fold(id, BIN, objects(5), null, plan);
    // objects 0 and 5: 1 login from 10.0.0.0 (0 is even), 3 from 10.0.0.1 (5 is odd)
    assertThat(f.objects()).isEqualTo(2);
    assertThat(f.records()).isEqualTo(4);
    assertThat(rows(f)).isEqualTo(Map.of("10.0.0.0", 1L, "10.0.0.1", 3L));
    assertThat(bins.fold(id, BIN, objects(0, 5), null, plan).objects()).isEqualTo(2);
  }

  @Test
  void eachFoldReadsTheBinOnceHoweverManyObjectsItHolds() throws IOException {
    Counting counting = new Counting(db);
    AlarmBins bins = new AlarmBins(counting, table);
    String id = bin("reads");
    List<Integer> reads = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      // the same 12 objects under new ids each round: the bin grows by 12 objects a fold
      Map<String, AlarmBins.Contribution> batch = new LinkedHashMap<>();
      for (AlarmBins.Contribution c : all) {
        String oid = c.objectId() + "-r" + round;
        batch.put(oid, new AlarmBins.Contribution(oid, c.state(), c.records()));
      }
      int before = counting.gets.get();
      AlarmBins.Folded f = bins.fold(id, BIN, batch, null, plan);
      reads.add(counting.gets.get() - before);
      assertThat(f.objects()).isEqualTo(12L * (round + 1));
      assertThat(f.records()).isEqualTo(24L * (round + 1));
    }
    assertThat(reads).containsOnly(1);
    assertThat(counting.queries.get()).isZero();
    // redelivered: one bin read, plus the object's claim and the commit record it names
    int before = counting.gets.get();
    Map<String, AlarmBins.Contribution> one = new LinkedHashMap<>();
    one.put("obj0-r0", new AlarmBins.Contribution("obj0-r0", all.get(0).state(), 1));
    assertThat(bins.fold(id, BIN, one, null, plan).objects()).isEqualTo(48);
    assertThat(counting.gets.get() - before).isEqualTo(3);
  }

  @Test
  void aStateTooLargeForTheItemIsMarkedBigAndStillCounted() throws IOException {
    AlarmBins bins = new AlarmBins(db, table, 10);
    String id = bin("big");
    AlarmBins.Folded f = bins.fold(id, BIN, objects(0, 1), null, plan);
    assertThat(f.big()).isTrue();
    assertThat(f.state()).isNull();
    assertThat(bins.fold(id, BIN, objects(1, 2), null, plan).objects()).isEqualTo(3);
  }

  /**
   * The stored layout, pinned: items written by hand as this version documents them
   * (docs/INGEST.md, "Items"), read and folded into by the code. Version 2 was committed by token
   * "tok2", version 1 by "tok1" (its commit record); obj0 was claimed by the fold of version 2 and
   * obj1 by that of version 1 (both counted), obj2 by a fold of version 1 that lost (not counted),
   * obj3 never.
   */
  @Test
  void itemsWrittenInTheDocumentedLayoutAreReadAndFolded() throws IOException {
    String id = bin("layout");
    String pk = AlarmBins.pk(id, BIN);
    put(pk, "agg", Map.of("v", n(2), "t", str("tok2"), "r", n(100), "o", n(50), "big", bool()));
    put(pk, "c#000000000001", Map.of("t", str("tok1")));
    put(pk, "o#obj0", Map.of("u", n(2), "t", str("tok2")));
    put(pk, "o#obj1", Map.of("u", n(1), "t", str("tok1")));
    put(pk, "o#obj2", Map.of("u", n(1), "t", str("lost")));
    AlarmBins bins = new AlarmBins(db, table);
    assertThat(bins.read(id, BIN)).isEqualTo(new AlarmBins.Folded(BIN, 2, null, 100, 50, true));
    AlarmBins.Folded f = bins.fold(id, BIN, objects(0, 1, 2, 3), null, plan);
    // obj2 and obj3 are new: 3 and 1 logins
    assertThat(f).isEqualTo(new AlarmBins.Folded(BIN, 3, null, 104, 52, true));
    var item =
        db.getItem(
                g ->
                    g.tableName(table)
                        .key(
                            Map.of(
                                Tables.PK, AttributeValue.fromS(pk),
                                Tables.SK, AttributeValue.fromS(Keys.ALARM_BIN_STATE))))
            .item();
    assertThat(item.keySet()).containsExactlyInAnyOrder("pk", "sk", "v", "t", "r", "o", "big");
    assertThat(item.get("v").n()).isEqualTo("3");
    assertThat(item.get("t").s()).hasSize(12).isNotIn("tok2", "tok1");
    var commit =
        db.getItem(
                g ->
                    g.tableName(table)
                        .key(
                            Map.of(
                                Tables.PK, AttributeValue.fromS(pk),
                                Tables.SK, AttributeValue.fromS("c#000000000002"))))
            .item();
    assertThat(commit.get("t").s()).isEqualTo("tok2");
  }

  static void put(String pk, String sk, Map<String, AttributeValue> attributes) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(attributes);
    item.put(Tables.PK, AttributeValue.fromS(pk));
    item.put(Tables.SK, AttributeValue.fromS(sk));
    db.putItem(b -> b.tableName(table).item(item));
  }

  static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  static AttributeValue str(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue bool() {
    return AttributeValue.fromBool(true);
  }

  @Test
  void keysAreTheContractsPrefixes() {
    assertThat(AlarmBins.pk("sub", 5)).isEqualTo(Keys.ALARM_BIN + "sub#5");
    assertThat(AlarmBins.objectSk("x")).isEqualTo(Keys.ALARM_BIN_OBJECT + "x");
    assertThat(AlarmBins.commitSk(7)).isEqualTo(Keys.ALARM_BIN_COMMIT + "000000000007");
    assertThatThrownBy(() -> new AlarmBins(db, "no-such-table").read("s", 0))
        .isInstanceOf(RuntimeException.class);
  }

  /** Counts the reads a fold makes. */
  static final class Counting extends Delegating {
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger queries = new AtomicInteger();

    Counting(DynamoDbClient real) {
      super(real);
    }

    @Override
    public GetItemResponse getItem(GetItemRequest r) {
      gets.incrementAndGet();
      return real.getItem(r);
    }

    @Override
    public QueryResponse query(QueryRequest r) {
      queries.incrementAndGet();
      return real.query(r);
    }
  }

  /** Dies like a killed Lambda at the n-th write: before it, or just after it reached DynamoDB. */
  static final class Crashing extends Delegating {
    static final class Crash extends Error {
      Crash() {
        super("simulated crash mid-fold");
      }
    }

    private final AtomicInteger left;
    private final boolean after;

    Crashing(DynamoDbClient real, int at, boolean after) {
      super(real);
      this.left = new AtomicInteger(at);
      this.after = after;
    }

    boolean crashed() {
      return left.get() <= 0;
    }

    private <T> T write(java.util.function.Supplier<T> w) {
      boolean crash = left.decrementAndGet() == 0;
      if (crash && !after) {
        throw new Crash();
      }
      T out = w.get();
      if (crash) {
        throw new Crash();
      }
      return out;
    }

    @Override
    public PutItemResponse putItem(PutItemRequest r) {
      return write(() -> real.putItem(r));
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest r) {
      return write(() -> real.updateItem(r));
    }
  }

  abstract static class Delegating implements DynamoDbClient {
    final DynamoDbClient real;

    Delegating(DynamoDbClient real) {
      this.real = real;
    }

    @Override
    public GetItemResponse getItem(GetItemRequest r) {
      return real.getItem(r);
    }

    @Override
    public PutItemResponse putItem(PutItemRequest r) {
      return real.putItem(r);
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest r) {
      return real.updateItem(r);
    }

    @Override
    public QueryResponse query(QueryRequest r) {
      return real.query(r);
    }

    @Override
    public String serviceName() {
      return real.serviceName();
    }

    @Override
    public void close() {}
  }
}
