package dev.trailquery.functions.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.functions.testing.Emulators;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The results table's items on dynalite, call by call: a bundle's parts and what a reader makes of
 * them, late bundles' first slot, buffered writes, skipped objects, and the item sizes that write
 * units are counted from (worked out by hand).
 */
class ResultStoreTest {
  static DynamoDbClient db;
  static String table;

  @BeforeAll
  static void start() {
    db = Emulators.dynamo();
    table = "result-store-" + UUID.randomUUID().toString().substring(0, 8);
    Tables.createIfMissing(db, Tables.results(table));
  }

  static String pk() {
    return "test#" + UUID.randomUUID();
  }

  static Bundle bundle(long records, int stateBytes) {
    Bundle b = new Bundle();
    b.records = records;
    b.bytes = 4321;
    b.histograms.put("5m", new TreeMap<>(Map.of(0L, records)));
    byte[] state = new byte[stateBytes];
    new Random(records).nextBytes(state); // incompressible
    b.states.put("sub", new TreeMap<>(Map.of(0L, state)));
    return b;
  }

  static List<Map<String, AttributeValue>> items(ResultStore store, String pk) {
    return store.query(pk, null, true);
  }

  @Test
  void itemSizesAndWriteUnitsAreDynamoDbs() {
    // names pk(2) + n(1) + b(1); values "abc"(3), the number 12345 ((5+1)/2+1 = 4), 10 bytes
    Map<String, AttributeValue> item =
        Map.of(
            "pk", AttributeValue.fromS("abc"),
            "n", AttributeValue.fromN("12345"),
            "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[10])));
    assertThat(ResultStore.itemBytes(item)).isEqualTo(21);
    assertThat(ResultStore.writeUnits(item)).isEqualTo(1);
    assertThat(ResultStore.itemBytes(Map.of("é", AttributeValue.fromS("ü")))).isEqualTo(4);
    assertThat(ResultStore.itemBytes(Map.of("x", AttributeValue.fromBool(true)))).isEqualTo(1);
    // "b" + 1023 bytes = 1024: one unit; one byte more: two
    assertThat(
            ResultStore.writeUnits(
                Map.of("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[1023])))))
        .isEqualTo(1);
    assertThat(
            ResultStore.writeUnits(
                Map.of("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[1024])))))
        .isEqualTo(2);
    assertThat(ResultStore.writeUnits(Map.of())).isEqualTo(1);
  }

  @Test
  void keysAndIdentities() {
    assertThat(ResultStore.partKey("obj", "set", 7)).isEqualTo("obj#set#007");
    assertThat(ResultStore.sha256Hex("abc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(ResultStore.day(0)).isEqualTo("1970-01-01");
    assertThat(ResultStore.day(86_399_999)).isEqualTo("1970-01-01");
    assertThat(ResultStore.day(86_400_000)).isEqualTo("1970-01-02");
    assertThat(ResultStore.setId(List.of("a", "b")))
        .hasSize(8)
        .isEqualTo(ResultStore.setId(List.of("b", "a")))
        .isNotEqualTo(ResultStore.setId(List.of("a")));
    assertThat(ResultStore.objectId("bucket", "key"))
        .hasSize(20)
        .isEqualTo(Subscription.hash("bucket/key").substring(0, 20))
        .isNotEqualTo(ResultStore.objectId("bucket", "key2"));
  }

  @Test
  void aBundleIsSplitIntoPartsAndReadBackWhole() throws Exception {
    ResultStore store = new ResultStore(db, table, 400);
    assertThat(store.partBytes()).isEqualTo(400);
    assertThat(store.db()).isSameAs(db);
    String pk = pk();
    byte[] image = bundle(11, 1000).encode();
    int parts = (image.length + 399) / 400;
    assertThat(parts).isGreaterThanOrEqualTo(3);
    long units = store.writeBundle(pk, "obj", "set", "the/key", image, 99L, null);
    List<Map<String, AttributeValue>> items = items(store, pk);
    assertThat(items).hasSize(parts);
    long expectedUnits = 0;
    for (int p = 0; p < parts; p++) {
      Map<String, AttributeValue> item = items.get(p);
      assertThat(item.get(Tables.SK).s()).isEqualTo(String.format("obj#set#%03d", p));
      assertThat(item.get("b").b().asByteArray())
          .hasSize(p < parts - 1 ? 400 : image.length - 400 * (parts - 1));
      assertThat(item.get(Tables.TTL).n()).isEqualTo("99");
      assertThat(item.containsKey("n")).isEqualTo(p == 0);
      assertThat(item.containsKey("k")).isEqualTo(p == 0);
      assertThat(item).doesNotContainKey("c");
      expectedUnits += ResultStore.writeUnits(item);
    }
    assertThat(items.get(0).get("n").n()).isEqualTo(Integer.toString(parts));
    assertThat(units).isEqualTo(expectedUnits);

    ResultStore.StoredBundle read = store.bundles(pk).get("obj").get("set");
    assertThat(read.key()).isEqualTo("the/key");
    assertThat(read.objectId()).isEqualTo("obj");
    assertThat(read.setId()).isEqualTo("set");
    assertThat(read.lateSlot()).isNull();
    assertThat(read.bundle().records).isEqualTo(11);
    assertThat(read.bundle().bytes).isEqualTo(4321);
    assertThat(store.objectBundles(pk, "obj")).containsOnlyKeys("set");
    assertThat(store.objectBundles(pk, "other")).isEmpty();

    // a single-part bundle and one without TTL
    String small = pk();
    long one = store.writeBundle(small, "o", "s", "k", bundle(2, 10).encode(), null, null);
    assertThat(one).isEqualTo(1);
    assertThat(items(store, small).get(0)).doesNotContainKey(Tables.TTL);
    assertThat(store.bundles(small).get("o").get("s").bundle().records).isEqualTo(2);
  }

  @Test
  void aBundleMissingAPartOrItsCountIsLeftOut() throws Exception {
    ResultStore store = new ResultStore(db, table, 400);
    String pk = pk();
    byte[] image = bundle(5, 1000).encode();
    store.writeBundle(pk, "whole", "set", "k1", image, null, null);
    store.writeBundle(pk, "holed", "set", "k2", image, null, null);
    store.writeBundle(pk, "headless", "set", "k3", image, null, null);
    delete(pk, "holed#set#001");
    Map<String, AttributeValue> p0 = new java.util.HashMap<>(get(pk, "headless#set#000"));
    p0.remove("n");
    db.putItem(b -> b.tableName(table).item(p0));
    assertThat(store.bundles(pk)).containsOnlyKeys("whole");
    assertThat(store.objectBundles(pk, "holed")).isEmpty();
  }

  static void delete(String pk, String sk) {
    db.deleteItem(
        b ->
            b.tableName(table)
                .key(
                    Map.of(
                        Tables.PK, AttributeValue.fromS(pk), Tables.SK, AttributeValue.fromS(sk))));
  }

  static Map<String, AttributeValue> get(String pk, String sk) {
    return Emulators.item(db, table, pk, sk);
  }

  @Test
  void aLateBundleKeepsTheSlotOfItsFirstWrite() throws Exception {
    ResultStore store = new ResultStore(db, table, 400);
    String pk = pk();
    byte[] small = bundle(3, 10).encode();
    store.writeBundle(pk, "o", "s", "k", small, null, 1000L);
    store.writeBundle(pk, "o", "s", "k", small, null, 2000L);
    assertThat(store.bundles(pk).get("o").get("s").lateSlot()).isEqualTo(1000L);
    byte[] big = bundle(4, 1000).encode();
    store.writeBundle(pk, "big", "s", "k", big, null, 3000L);
    store.writeBundle(pk, "big", "s", "k", big, null, 4000L);
    ResultStore.StoredBundle b = store.bundles(pk).get("big").get("s");
    assertThat(b.lateSlot()).isEqualTo(3000L);
    assertThat(b.bundle().records).isEqualTo(4);
  }

  @Test
  void bufferedPutsAreWrittenByFlushAndDroppedByDiscard() throws Exception {
    ResultStore store = new ResultStore(db, table, 400);
    String pk = pk();
    store.buffer();
    for (int i = 0; i < 30; i++) {
      store.writeBundle(pk, "o" + i, "s", "k" + i, bundle(i + 1, 10).encode(), null, null);
    }
    store.writeBundle(pk, "o0", "s", "k0", bundle(1, 10).encode(), null, null); // a duplicate
    // a late bundle (conditional) and a multi-part one are written at once
    store.writeBundle(pk, "late", "s", "k", bundle(1, 10).encode(), null, 5L);
    store.writeBundle(pk, "parts", "s", "k", bundle(1, 1000).encode(), null, null);
    assertThat(store.bundles(pk)).containsOnlyKeys("late", "parts");
    store.flush();
    assertThat(store.bundles(pk)).hasSize(32);
    assertThat(store.bundles(pk).get("o29").get("s").bundle().records).isEqualTo(30);
    store.flush(); // nothing buffered: nothing happens
    store.writeBundle(pk, "direct", "s", "k", bundle(1, 10).encode(), null, null);
    assertThat(store.bundles(pk)).containsKey("direct");

    store.buffer();
    store.writeBundle(pk, "dropped", "s", "k", bundle(1, 10).encode(), null, null);
    store.discard();
    store.flush();
    assertThat(store.bundles(pk)).doesNotContainKey("dropped");
  }

  @Test
  void skippedObjectsAreRecordedOncePerDay() {
    ResultStore store = new ResultStore(db, table, 400);
    String day2 = "2099-0" + (1 + new Random().nextInt(8)) + "-02";
    String day1 = day2.substring(0, 8) + "01";
    String longError = "e".repeat(1200);
    assertThat(store.recordSkipped(day2, "obj1", "key1", "CORRUPT", longError, 77L)).isTrue();
    assertThat(store.recordSkipped(day2, "obj1", "key1", "CORRUPT", "again", null)).isFalse();
    assertThat(store.recordSkipped(day2, "obj2", "key2", "MISSING", null, null)).isTrue();
    assertThat(store.recordSkipped(day1, "obj3", "key3", "FOREIGN", "x", null)).isTrue();
    assertThat(store.skipped(day2))
        .containsExactly(
            new ResultStore.Skipped(day2, "key1", "CORRUPT", "e".repeat(1000)),
            new ResultStore.Skipped(day2, "key2", "MISSING", null));
    assertThat(get(dev.trailquery.contract.Keys.SKIPPED + day2, "obj1").get(Tables.TTL).n())
        .isEqualTo("77");
    assertThat(get(dev.trailquery.contract.Keys.SKIPPED + day2, "obj2"))
        .doesNotContainKey(Tables.TTL);
    List<String> days = store.skipDays();
    assertThat(days).contains(day1, day2);
    assertThat(days.indexOf(day1)).isLessThan(days.indexOf(day2));
  }
}
