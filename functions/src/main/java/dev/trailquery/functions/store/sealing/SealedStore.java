package dev.trailquery.functions.store.sealing;

import dev.trailquery.contract.Keys;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Tables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The sealing items of the results table (docs/INGEST.md, "Sealing"):
 *
 * <ul>
 *   <li>sealed bin: {@code pk = "S#" subscriptionId "#" day}, {@code sk = binStart "#"
 *       sealedThrough "#" part} (fixed width), {@code b} the part's bytes of the {@link SealedBin}
 *       image, {@code g} the image's hash; part 0 also {@code n} (parts); {@code ttl}. Each sealing
 *       writes a new version beside the old one, then deletes the old: a reader takes the highest
 *       complete version.
 *   <li>slot index: {@code pk = "SLOTS"}, {@code sk = slot} (natural bundles written in the slot)
 *       or {@code slot "#L#" naturalSlot} (late bundles first written in the slot).
 *   <li>progress: {@code pk = "SEAL"}, {@code sk = "progress"}: {@code g} the newest sealed slot,
 *       {@code lease}/{@code owner} the sealer at work.
 * </ul>
 */
public final class SealedStore {
  static final String SLOTS = Keys.SLOTS;
  static final String SEAL = Keys.SEAL;
  static final String PROGRESS = Keys.SEAL_PROGRESS;

  private final ResultStore results;
  private final DynamoDbClient db;
  private final String table;
  private final Set<String> marked = ConcurrentHashMap.newKeySet();
  private volatile long knownProgress = Long.MIN_VALUE;
  private volatile long knownAt;

  public SealedStore(ResultStore results) {
    this.results = results;
    this.db = results.db();
    this.table = results.table();
  }

  public ResultStore results() {
    return results;
  }

  // ---- progress ----

  /** The newest sealed slot (-1: none), read consistently. */
  public long progress() {
    Map<String, AttributeValue> item =
        db.getItem(b -> b.tableName(table).key(key(SEAL, PROGRESS)).consistentRead(true)).item();
    long g = item == null || !item.containsKey("g") ? -1 : Long.parseLong(item.get("g").n());
    knownProgress = g;
    knownAt = System.currentTimeMillis();
    return g;
  }

  /**
   * The newest sealed slot as this container last saw it (read again after {@code maxAgeMillis}):
   * what the ingest path uses to send writes for a sealed slot to the late path.
   */
  public long cachedProgress(long maxAgeMillis) {
    if (knownProgress == Long.MIN_VALUE || System.currentTimeMillis() - knownAt > maxAgeMillis) {
      return progress();
    }
    return knownProgress;
  }

  /** Moves the progress forward to {@code slot} (never back). */
  public void advance(long slot) {
    try {
      db.updateItem(
          b ->
              b.tableName(table)
                  .key(key(SEAL, PROGRESS))
                  .updateExpression("SET g = :g")
                  .conditionExpression("attribute_not_exists(g) OR g < :g")
                  .expressionAttributeValues(
                      Map.of(":g", AttributeValue.fromN(Long.toString(slot)))));
    } catch (ConditionalCheckFailedException already) {
      // another sealer got there first
    }
    if (slot > knownProgress) {
      knownProgress = slot;
      knownAt = System.currentTimeMillis();
    }
  }

  /**
   * Takes (or renews) the sealing lease until {@code until}; false when another sealer holds it.
   */
  public boolean lease(String owner, long now, long until) {
    try {
      db.updateItem(
          b ->
              b.tableName(table)
                  .key(key(SEAL, PROGRESS))
                  .updateExpression("SET #lease = :until, #owner = :me")
                  .conditionExpression(
                      "attribute_not_exists(#lease) OR #lease < :now OR #owner = :me")
                  .expressionAttributeNames(Map.of("#lease", "lease", "#owner", "owner"))
                  .expressionAttributeValues(
                      Map.of(
                          ":until", AttributeValue.fromN(Long.toString(until)),
                          ":now", AttributeValue.fromN(Long.toString(now)),
                          ":me", AttributeValue.fromS(owner))));
      return true;
    } catch (ConditionalCheckFailedException held) {
      return false;
    }
  }

  /** Gives the lease up (only when {@code owner} holds it). */
  public void release(String owner) {
    try {
      db.updateItem(
          b ->
              b.tableName(table)
                  .key(key(SEAL, PROGRESS))
                  .updateExpression("REMOVE #lease, #owner")
                  .conditionExpression("#owner = :me")
                  .expressionAttributeNames(Map.of("#lease", "lease", "#owner", "owner"))
                  .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(owner))));
    } catch (ConditionalCheckFailedException notMine) {
      // taken over meanwhile
    }
  }

  // ---- slot index ----

  /** One entry of the slot index. {@code naturalSlot} is null for natural bundles of the slot. */
  public record Entry(long slot, Long naturalSlot) {}

  /** Records a slot (or a late pair) in the index once per container. Returns write units used. */
  public long mark(long slot, Long naturalSlot) {
    String sk =
        naturalSlot == null ? Slots.pad(slot) : Slots.pad(slot) + "#L#" + Slots.pad(naturalSlot);
    if (marked.contains(sk)) {
      return 0;
    }
    Map<String, AttributeValue> item = new HashMap<>(key(SLOTS, sk));
    item.put(
        Tables.TTL, AttributeValue.fromN(Long.toString(slot / 1000 + Slots.KEEP_DELTAS_SECONDS)));
    db.putItem(b -> b.tableName(table).item(item));
    if (marked.size() > 10_000) {
      marked.clear();
    }
    marked.add(sk);
    return 1;
  }

  /** The index entries of slots after {@code sealedThrough} up to {@code upTo}, oldest first. */
  public List<Entry> entries(long sealedThrough, long upTo) {
    List<Entry> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder q =
          QueryRequest.builder()
              .tableName(table)
              .consistentRead(true)
              .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
              .expressionAttributeNames(Map.of("#pk", Tables.PK, "#sk", Tables.SK))
              .expressionAttributeValues(
                  Map.of(
                      ":pk", AttributeValue.fromS(SLOTS),
                      ":from", AttributeValue.fromS(Slots.pad(sealedThrough + 1)),
                      ":to", AttributeValue.fromS(Slots.pad(upTo) + "#~")));
      if (start != null) {
        q.exclusiveStartKey(start);
      }
      QueryResponse r = db.query(q.build());
      for (Map<String, AttributeValue> item : r.items()) {
        String sk = item.get(Tables.SK).s();
        int hash = sk.indexOf("#L#");
        out.add(
            hash < 0
                ? new Entry(Long.parseLong(sk), null)
                : new Entry(
                    Long.parseLong(sk.substring(0, hash)), Long.parseLong(sk.substring(hash + 3))));
      }
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  // ---- sealed bins ----

  /** Records that a subscription has sealed bins on a day (once per container). */
  public long markDay(String subscriptionId, String day, Long ttlSeconds) {
    String k = Keys.SEALED_DAYS + subscriptionId + "#" + day;
    if (marked.contains(k)) {
      return 0;
    }
    Map<String, AttributeValue> item = new HashMap<>(key(Keys.SEALED_DAYS + subscriptionId, day));
    if (ttlSeconds != null) {
      item.put(Tables.TTL, AttributeValue.fromN(Long.toString(ttlSeconds)));
    }
    db.putItem(b -> b.tableName(table).item(item));
    marked.add(k);
    return 1;
  }

  /** The days a subscription has sealed bins on, ascending. */
  public List<String> days(String subscriptionId) {
    List<String> out = new ArrayList<>();
    for (Map<String, AttributeValue> i :
        results.query(Keys.SEALED_DAYS + subscriptionId, null, false)) {
      out.add(i.get(Tables.SK).s());
    }
    return out;
  }

  private static String binSk(long binStart, long through, int part) {
    return Slots.pad(binStart) + "#" + Slots.pad(through) + "#" + String.format("%03d", part);
  }

  /** A sealed bin as stored, with the sort keys of every version found (complete or not). */
  public record Stored(SealedBin bin, List<String> versionKeys) {}

  /**
   * The sealed bins of a subscription starting on one day within {@code [fromBin, toBin]}: for each
   * bin its highest complete version.
   */
  public SortedMap<Long, Stored> read(
      String subscriptionId, String day, long fromBin, long toBin, boolean consistent)
      throws IOException {
    String pk = Slots.sealedPk(subscriptionId, day);
    // bin → version → part → item
    SortedMap<Long, SortedMap<Long, Map<Integer, Map<String, AttributeValue>>>> found =
        new TreeMap<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder q =
          QueryRequest.builder()
              .tableName(table)
              .consistentRead(consistent)
              .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
              .expressionAttributeNames(Map.of("#pk", Tables.PK, "#sk", Tables.SK))
              .expressionAttributeValues(
                  Map.of(
                      ":pk", AttributeValue.fromS(pk),
                      ":from", AttributeValue.fromS(Slots.pad(Math.max(0, fromBin))),
                      ":to", AttributeValue.fromS(Slots.pad(Math.max(0, toBin)) + "#~")));
      if (start != null) {
        q.exclusiveStartKey(start);
      }
      QueryResponse r = db.query(q.build());
      for (Map<String, AttributeValue> item : r.items()) {
        String[] f = item.get(Tables.SK).s().split("#");
        found
            .computeIfAbsent(Long.parseLong(f[0]), k -> new TreeMap<>())
            .computeIfAbsent(Long.parseLong(f[1]), k -> new HashMap<>())
            .put(Integer.parseInt(f[2]), item);
      }
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    SortedMap<Long, Stored> out = new TreeMap<>();
    for (var bin : found.entrySet()) {
      List<String> keys = new ArrayList<>();
      for (var v : bin.getValue().entrySet()) {
        for (int p : v.getValue().keySet()) {
          keys.add(binSk(bin.getKey(), v.getKey(), p));
        }
      }
      for (var v : bin.getValue().reversed().entrySet()) {
        byte[] image = assemble(v.getValue());
        if (image != null) {
          out.put(bin.getKey(), new Stored(SealedBin.decode(image), keys));
          break;
        }
      }
    }
    return out;
  }

  private static byte[] assemble(Map<Integer, Map<String, AttributeValue>> parts) {
    Map<String, AttributeValue> p0 = parts.get(0);
    if (p0 == null || !p0.containsKey("n")) {
      return null;
    }
    int n = Integer.parseInt(p0.get("n").n());
    String gen = p0.get("g").s();
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    for (int p = 0; p < n; p++) {
      Map<String, AttributeValue> item = parts.get(p);
      if (item == null || !gen.equals(item.get("g").s())) {
        return null;
      }
      image.writeBytes(item.get("b").b().asByteArrayUnsafe());
    }
    return image.toByteArray();
  }

  /**
   * Writes a new version of a sealed bin (parts 1..n-1 first, part 0 last), then deletes the
   * versions it replaces. Returns the write units used.
   */
  public long write(SealedBin bin, String day, Long ttlSeconds, List<String> replaced) {
    byte[] image = bin.encode();
    String gen = sha256(image);
    int partBytes = results.partBytes();
    int n = Math.max(1, (image.length + partBytes - 1) / partBytes);
    String pk = Slots.sealedPk(bin.subscriptionId(), day);
    long units = 0;
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      Map<String, AttributeValue> item =
          new HashMap<>(key(pk, binSk(bin.binStart(), bin.sealedThrough(), p)));
      int from = p * partBytes;
      int to = Math.min(image.length, from + partBytes);
      item.put(
          "b",
          AttributeValue.fromB(
              SdkBytes.fromByteArray(java.util.Arrays.copyOfRange(image, from, to))));
      item.put("g", AttributeValue.fromS(gen));
      if (p == 0) {
        item.put("n", AttributeValue.fromN(Integer.toString(n)));
      }
      if (ttlSeconds != null) {
        item.put(Tables.TTL, AttributeValue.fromN(Long.toString(ttlSeconds)));
      }
      items.add(item);
      units += ResultStore.writeUnits(item);
    }
    for (int p = n - 1; p >= 0; p--) {
      Map<String, AttributeValue> item = items.get(p);
      db.putItem(b -> b.tableName(table).item(item));
    }
    for (String sk : replaced) {
      // only older versions: a newer one (a sealer that got further) is never touched
      if (Long.parseLong(sk.split("#")[1]) < bin.sealedThrough()) {
        db.deleteItem(b -> b.tableName(table).key(key(pk, sk)));
        units++;
      }
    }
    return units;
  }

  static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(Tables.PK, AttributeValue.fromS(pk), Tables.SK, AttributeValue.fromS(sk));
  }

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes))
          .substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
