package dev.trailquery.functions.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.functions.testing.Emulators;
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
 * A multi-part bundle counts only when every part carries part 0's hash: a writer that crashed
 * between the parts of a new image (its parts 1..n-1 written, part 0 not) leaves a mix of two
 * images, which readers must leave out rather than decode as one.
 */
class BundlePartsTest {
  static DynamoDbClient db;
  static String table;

  @BeforeAll
  static void start() {
    db = Emulators.dynamo();
    table = "bundle-parts-" + UUID.randomUUID().toString().substring(0, 8);
    Tables.createIfMissing(db, Tables.results(table));
  }

  static Bundle bundle(long seed, long records) {
    Bundle b = new Bundle();
    b.records = records;
    b.bytes = 1000;
    byte[] state = new byte[1500];
    new Random(seed).nextBytes(state); // incompressible: several 400-byte parts
    b.states.put("sub", new TreeMap<>(Map.of(0L, state)));
    return b;
  }

  @Test
  void aBundleMixingTwoImagesIsLeftOut() throws Exception {
    ResultStore store = new ResultStore(db, table, 400);
    long slot = 1_741_600_800_000L; // 2025-03-10T10:00Z
    String pk = dev.trailquery.functions.store.sealing.Slots.naturalPk(slot, 0);
    byte[] a = bundle(1, 11).encode();
    byte[] b = bundle(2, 22).encode();
    assertThat(a.length).isGreaterThan(800);
    store.writeBundle(pk, "objA", "set1", "key-a", a, null, null);
    store.writeBundle(pk, "objB", "set1", "key-b", a, null, null);
    assertThat(store.bundles(pk)).containsOnlyKeys("objA", "objB");
    assertThat(store.bundles(pk).get("objA").get("set1").bundle().records).isEqualTo(11);

    // objB: a second writer with image b crashed after its parts 1..n-1, before part 0.
    String genB = ResultStore.sha256Hex(b).substring(0, 12);
    int parts = (b.length + 399) / 400;
    for (int p = 1; p < parts; p++) {
      int from = p * 400;
      int to = Math.min(b.length, from + 400);
      byte[] slice = java.util.Arrays.copyOfRange(b, from, to);
      String sk = "objB#set1#" + p;
      db.putItem(
          r ->
              r.tableName(table)
                  .item(
                      Map.of(
                          Tables.PK,
                          AttributeValue.fromS(pk),
                          Tables.SK,
                          AttributeValue.fromS(sk),
                          "b",
                          AttributeValue.fromB(SdkBytes.fromByteArray(slice)),
                          "g",
                          AttributeValue.fromS(genB))));
    }
    var read = store.bundles(pk);
    assertThat(read).containsOnlyKeys("objA");
    // Once the writer's retry finishes (part 0 last), the new image counts.
    store.writeBundle(pk, "objB", "set1", "key-b", b, null, null);
    assertThat(store.bundles(pk).get("objB").get("set1").bundle().records).isEqualTo(22);
  }
}
