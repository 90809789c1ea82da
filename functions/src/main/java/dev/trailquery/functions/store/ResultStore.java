package dev.trailquery.functions.store;

import dev.trailquery.contract.Keys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The results table: per-object bundles written idempotently, read back and chosen so that every
 * object counts exactly once per subscription (docs/INGEST.md).
 *
 * <p>Items:
 *
 * <ul>
 *   <li>bundle part: {@code pk = Keys.NATURAL_BUNDLE + slot + "#" + shard} or {@code
 *       Keys.LATE_BUNDLE + natural slot} (the sealing package names them), {@code sk = objectId "#"
 *       setId "#" part}; {@code b} the part's bytes of the bundle image, {@code g} the image's
 *       hash; part 0 also {@code n} (parts), {@code k} (the object key) and, in a late bundle,
 *       {@code c} (the slot of its first write). A redelivery writes the same items with the same
 *       bytes. A bundle counts only when part 0 and parts 1..n-1 carry the same {@code g}.
 *   <li>skipped object: {@code pk = "SKIP#" + day}, {@code sk = objectId}; key, status, error.
 * </ul>
 */
public final class ResultStore {
  /** Largest bundle bytes per item: leaves room under DynamoDB's 400 KB for keys and attributes. */
  public static final int DEFAULT_PART_BYTES = 350_000;

  private final DynamoDbClient db;
  private final String table;
  private final int partBytes;

  public ResultStore(DynamoDbClient db, String table, int partBytes) {
    this.db = db;
    this.table = table;
    this.partBytes = partBytes;
  }

  public String table() {
    return table;
  }

  /** The identity of an object: a hash of its bucket and key. */
  public static String objectId(String bucket, String key) {
    return Subscription.hash(bucket + "/" + key).substring(0, 20);
  }

  /** The identity of a set of subscription ids (order does not matter). */
  public static String setId(Collection<String> subscriptionIds) {
    return Subscription.hash(String.join(",", new java.util.TreeSet<>(subscriptionIds)))
        .substring(0, 8);
  }

  /**
   * Stores one object's bundle for one day. Idempotent: the same object and subscription set always
   * write the same items. Returns the write units used (1 per started KB per item).
   */
  public long writeBundle(
      String pk,
      String objectId,
      String setId,
      String key,
      byte[] image,
      Long ttlSeconds,
      Long lateSlot) {
    long units = 0;
    String gen = sha256Hex(image).substring(0, 12);
    int n = Math.max(1, (image.length + partBytes - 1) / partBytes);
    List<Map<String, AttributeValue>> items = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(Tables.PK, AttributeValue.fromS(pk));
      item.put(Tables.SK, AttributeValue.fromS(partKey(objectId, setId, p)));
      int from = p * partBytes;
      int to = Math.min(image.length, from + partBytes);
      item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(slice(image, from, to))));
      item.put("g", AttributeValue.fromS(gen));
      if (p == 0) {
        item.put("n", AttributeValue.fromN(Integer.toString(n)));
        item.put("k", AttributeValue.fromS(key));
        if (lateSlot != null) {
          item.put("c", AttributeValue.fromN(Long.toString(lateSlot)));
        }
      }
      if (ttlSeconds != null) {
        item.put(Tables.TTL, AttributeValue.fromN(Long.toString(ttlSeconds)));
      }
      items.add(item);
      units += writeUnits(item);
    }
    if (n == 1) {
      if (lateSlot == null) {
        put(items.getFirst());
      } else {
        putPartZero(items.getFirst(), true);
      }
      return units;
    }
    long perAttempt = units;
    // Parts 1..n-1 first, part 0 last: until part 0 carries the new hash, readers keep using
    // (or ignoring) what was there; then check that the whole bundle is ours (concurrent writers
    // of another subscription set may interleave) and write again if not.
    for (int attempt = 0; ; attempt++) {
      batchPut(items.subList(1, n));
      putPartZero(items.getFirst(), lateSlot != null);
      if (complete(pk, objectId, setId, gen, n)) {
        return units;
      }
      if (attempt == 3) {
        throw new IllegalStateException(
            "bundle of " + key + " in " + pk + " kept being overwritten; retry later");
      }
      units += perAttempt;
    }
  }

  /**
   * Part 0 of a bundle. A late bundle's part 0 is written once (the first write's slot {@code c}
   * stays: docs/INGEST.md, "Sealing"); a second delivery finds it and changes nothing.
   */
  private void putPartZero(Map<String, AttributeValue> item, boolean once) {
    if (!once) {
      db.putItem(b -> b.tableName(table).item(item));
      return;
    }
    Tables.putIfAbsent(db, table, item); // a second delivery leaves it: its first slot stands
  }

  private boolean complete(String pk, String objectId, String setId, String gen, int n) {
    Map<Integer, Map<String, AttributeValue>> parts =
        queryParts(pk, objectId + "#" + setId + "#", true);
    for (int p = 0; p < n; p++) {
      Map<String, AttributeValue> item = parts.get(p);
      if (item == null || !gen.equals(item.get("g").s())) {
        return false;
      }
    }
    return true;
  }

  private Map<Integer, Map<String, AttributeValue>> queryParts(
      String pk, String prefix, boolean consistent) {
    Map<Integer, Map<String, AttributeValue>> parts = new TreeMap<>();
    for (Map<String, AttributeValue> item : query(pk, prefix, consistent)) {
      String sk = item.get(Tables.SK).s();
      parts.put(Integer.parseInt(sk.substring(sk.lastIndexOf('#') + 1)), item);
    }
    return parts;
  }

  private void batchPut(List<Map<String, AttributeValue>> items) {
    for (int i = 0; i < items.size(); i += 25) {
      List<WriteRequest> reqs = new ArrayList<>();
      for (Map<String, AttributeValue> item : items.subList(i, Math.min(items.size(), i + 25))) {
        reqs.add(
            WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
      }
      Map<String, List<WriteRequest>> pending = Map.of(table, reqs);
      for (int tries = 0; !pending.isEmpty(); tries++) {
        if (tries > 8) {
          throw new IllegalStateException("DynamoDB kept returning unprocessed items");
        }
        if (tries > 0) {
          sleep(50L << Math.min(tries, 5));
        }
        Map<String, List<WriteRequest>> req = pending;
        BatchWriteItemResponse r = db.batchWriteItem(b -> b.requestItems(req));
        pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
        pending =
            pending.isEmpty() || pending.values().stream().allMatch(List::isEmpty)
                ? Map.of()
                : pending;
      }
    }
  }

  /**
   * Records a skipped object. Returns true the first time (so it is logged once), false when it was
   * already recorded.
   */
  public boolean recordSkipped(
      String day, String objectId, String key, String status, String error, Long ttlSeconds) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(Tables.PK, AttributeValue.fromS(Keys.SKIPPED + day));
    item.put(Tables.SK, AttributeValue.fromS(objectId));
    item.put("k", AttributeValue.fromS(key));
    item.put("status", AttributeValue.fromS(status));
    if (error != null) {
      item.put(
          "error", AttributeValue.fromS(error.length() > 1000 ? error.substring(0, 1000) : error));
    }
    if (ttlSeconds != null) {
      item.put(Tables.TTL, AttributeValue.fromN(Long.toString(ttlSeconds)));
    }
    if (!Tables.putIfAbsent(db, table, item)) {
      return false;
    }
    Map<String, AttributeValue> marker = new HashMap<>();
    marker.put(Tables.PK, AttributeValue.fromS(Keys.SKIP_DAYS));
    marker.put(Tables.SK, AttributeValue.fromS(day));
    db.putItem(b -> b.tableName(table).item(marker));
    return true;
  }

  /** The delivery days that have skipped objects, ascending. */
  public List<String> skipDays() {
    List<String> out = new ArrayList<>();
    for (Map<String, AttributeValue> i : query(Keys.SKIP_DAYS, null, false)) {
      out.add(i.get(Tables.SK).s());
    }
    return out;
  }

  /** A skipped object as recorded. */
  public record Skipped(String day, String key, String status, String error) {}

  public List<Skipped> skipped(String day) {
    List<Skipped> out = new ArrayList<>();
    for (Map<String, AttributeValue> i : query(Keys.SKIPPED + day, null, false)) {
      out.add(
          new Skipped(
              day,
              i.get("k").s(),
              i.get("status").s(),
              i.containsKey("error") ? i.get("error").s() : null));
    }
    return out;
  }

  /** One object's complete bundle for one day and subscription set. */
  public record StoredBundle(
      String objectId, String setId, String key, Bundle bundle, Long lateSlot) {}

  /**
   * Every complete bundle of a partition, grouped by object: objectId → setId → bundle. Incomplete
   * ones (a writer stopped between parts) are left out.
   */
  public Map<String, Map<String, StoredBundle>> bundles(String pk) throws IOException {
    return bundles(pk, null, false);
  }

  /** The complete bundles of one object in a partition (consistent read): setId → bundle. */
  public Map<String, StoredBundle> objectBundles(String pk, String objectId) throws IOException {
    return bundles(pk, objectId + "#", true).getOrDefault(objectId, Map.of());
  }

  private Map<String, Map<String, StoredBundle>> bundles(
      String pk, String prefix, boolean consistent) throws IOException {
    Map<String, Map<String, Map<Integer, Map<String, AttributeValue>>>> parts =
        new LinkedHashMap<>();
    for (Map<String, AttributeValue> item : query(pk, prefix, consistent)) {
      String sk = item.get(Tables.SK).s();
      String[] f = sk.split("#");
      parts
          .computeIfAbsent(f[0], k -> new TreeMap<>())
          .computeIfAbsent(f[1], k -> new TreeMap<>())
          .put(Integer.parseInt(f[2]), item);
    }
    Map<String, Map<String, StoredBundle>> out = new LinkedHashMap<>();
    for (var obj : parts.entrySet()) {
      for (var set : obj.getValue().entrySet()) {
        Map<Integer, Map<String, AttributeValue>> ps = set.getValue();
        Map<String, AttributeValue> p0 = ps.get(0);
        if (p0 == null || !p0.containsKey("n")) {
          continue;
        }
        int n = Integer.parseInt(p0.get("n").n());
        String gen = p0.get("g").s();
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        boolean ok = true;
        for (int p = 0; p < n && ok; p++) {
          Map<String, AttributeValue> item = ps.get(p);
          ok = item != null && gen.equals(item.get("g").s());
          if (ok) {
            image.writeBytes(item.get("b").b().asByteArrayUnsafe());
          }
        }
        if (ok) {
          out.computeIfAbsent(obj.getKey(), k -> new TreeMap<>())
              .put(
                  set.getKey(),
                  new StoredBundle(
                      obj.getKey(),
                      set.getKey(),
                      p0.get("k").s(),
                      Bundle.decode(image.toByteArray()),
                      p0.containsKey("c") ? Long.valueOf(p0.get("c").n()) : null));
        }
      }
    }
    return out;
  }

  private final ThreadLocal<Map<String, Map<String, AttributeValue>>> buffer = new ThreadLocal<>();

  /**
   * From now on this thread's plain puts (one-item natural bundles) are kept and written together
   * by {@link #flush} (BatchWriteItem: 25 items per request instead of one request each).
   * Conditional and multi-part writes are still written at once.
   */
  public void buffer() {
    buffer.set(new LinkedHashMap<>());
  }

  /** Writes what this thread buffered (throws when it cannot) and stops buffering. */
  public void flush() {
    Map<String, Map<String, AttributeValue>> items = buffer.get();
    buffer.remove();
    if (items != null && !items.isEmpty()) {
      batchPut(new ArrayList<>(items.values()));
    }
  }

  /** Drops what this thread buffered (after a failure: the messages are delivered again). */
  public void discard() {
    buffer.remove();
  }

  private void put(Map<String, AttributeValue> item) {
    Map<String, Map<String, AttributeValue>> b = buffer.get();
    if (b == null) {
      db.putItem(r -> r.tableName(table).item(item));
    } else {
      // one write per key in a batch (a duplicate in the same batch has the same bytes)
      b.put(item.get(Tables.PK).s() + "\u0000" + item.get(Tables.SK).s(), item);
    }
  }

  /** The client (the sealing classes share it). */
  public DynamoDbClient db() {
    return db;
  }

  public int partBytes() {
    return partBytes;
  }

  /** Every item of a partition (optionally those whose sort key starts with a prefix). */
  public List<Map<String, AttributeValue>> query(String pk, String skPrefix, boolean consistent) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":pk", AttributeValue.fromS(pk));
      String cond = "#pk = :pk";
      Map<String, String> names = new HashMap<>();
      names.put("#pk", Tables.PK);
      if (skPrefix != null) {
        cond += " and begins_with(#sk, :sk)";
        names.put("#sk", Tables.SK);
        values.put(":sk", AttributeValue.fromS(skPrefix));
      }
      QueryRequest.Builder req =
          QueryRequest.builder()
              .tableName(table)
              .keyConditionExpression(cond)
              .expressionAttributeNames(names)
              .expressionAttributeValues(values)
              .consistentRead(consistent);
      if (start != null) {
        req.exclusiveStartKey(start);
      }
      QueryResponse r = db.query(req.build());
      out.addAll(r.items());
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  static String partKey(String objectId, String setId, int part) {
    return objectId + "#" + setId + "#" + String.format("%03d", part);
  }

  private static byte[] slice(byte[] a, int from, int to) {
    return from == 0 && to == a.length ? a : java.util.Arrays.copyOfRange(a, from, to);
  }

  /** DynamoDB's size of an item: attribute names plus values (UTF-8 strings, bytes, numbers). */
  public static long itemBytes(Map<String, AttributeValue> item) {
    long size = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      size += e.getKey().getBytes(StandardCharsets.UTF_8).length;
      AttributeValue v = e.getValue();
      if (v.s() != null) {
        size += v.s().getBytes(StandardCharsets.UTF_8).length;
      } else if (v.b() != null) {
        size += v.b().asByteArrayUnsafe().length;
      } else if (v.n() != null) {
        size += (v.n().length() + 1) / 2 + 1;
      }
    }
    return size;
  }

  /** Write units of one standard write: one per started KB. */
  public static long writeUnits(Map<String, AttributeValue> item) {
    return Math.max(1, (itemBytes(item) + 1023) / 1024);
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The day partition of a time: {@code yyyy-MM-dd} (UTC). */
  public static String day(long millis) {
    return java.time.Instant.ofEpochMilli(millis)
        .atZone(java.time.ZoneOffset.UTC)
        .toLocalDate()
        .toString();
  }
}
