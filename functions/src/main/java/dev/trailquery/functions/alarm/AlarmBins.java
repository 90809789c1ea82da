package dev.trailquery.functions.alarm;

import dev.trailquery.contract.Keys;
import dev.trailquery.exec.PartialState;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.plan.Plan;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The running merged state of each alarmed subscription's bin, with every object folded in exactly
 * once (docs/INGEST.md, "Alarms"). Judging a bin then costs one small read per SQS batch, whatever
 * the number of objects in the bin or the fraction that match.
 *
 * <p>One partition per bin, {@code Keys.ALARM_BIN + subscription id + "#" + bin start}:
 *
 * <ul>
 *   <li>{@code agg} ({@link Keys#ALARM_BIN_STATE}): {@code v} version, {@code t} the token of the
 *       fold that wrote it, {@code s} the merged state image (absent when {@code big}), {@code r}
 *       records, {@code o} objects;
 *   <li>{@code o#objectId} ({@link Keys#ALARM_BIN_OBJECT}): the object's claim, {@code u} the
 *       version it was claimed for and {@code t} the claiming fold's token;
 *   <li>{@code c#version} ({@link Keys#ALARM_BIN_COMMIT}, 12 digits): {@code t} the token of the
 *       fold that committed that version (written by the next fold, before it commits).
 * </ul>
 *
 * <p>A fold reads {@code agg} (version v, token T), claims each new object for version v+1 with its
 * own fresh token (a conditional put: only the first claim of an object succeeds), then writes
 * {@code agg} version v+1 if it is still at v. An object is counted iff its claim {@code (u, t)}
 * names a committed version and the token that committed it: {@code t} = the token of {@code agg}
 * when {@code u} = v, else {@code t} = the token recorded in {@code c#u}. A claim whose fold lost
 * the race or crashed is therefore not counted, and is claimed again by the next delivery of the
 * object; a claim that counted is never counted again. No transaction is needed.
 */
public final class AlarmBins {
  /**
   * Largest merged state kept in a bin's item. A bin whose state grows past it is marked {@code
   * big} and judged from the results (sealed bins plus unsealed deltas) instead.
   */
  public static final int MAX_STATE_BYTES = 65_536;

  private static final int ATTEMPTS = 24;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One object's contribution to one bin: its partial state image and its records in the bin. */
  public record Contribution(String objectId, byte[] state, long records) {}

  /**
   * A bin's merged state as committed: version, state image (null when {@code big} or no version),
   * records and objects folded in.
   */
  public record Folded(
      long start, long version, byte[] state, long records, long objects, boolean big) {}

  private final DynamoDbClient db;
  private final String table;
  private final int maxStateBytes;

  public AlarmBins(DynamoDbClient db, String table) {
    this(db, table, MAX_STATE_BYTES);
  }

  AlarmBins(DynamoDbClient db, String table, int maxStateBytes) {
    this.db = db;
    this.table = table;
    this.maxStateBytes = maxStateBytes;
  }

  static String pk(String subscriptionId, long binStart) {
    return Keys.ALARM_BIN + subscriptionId + "#" + binStart;
  }

  static String objectSk(String objectId) {
    return Keys.ALARM_BIN_OBJECT + objectId;
  }

  static String commitSk(long version) {
    return Keys.ALARM_BIN_COMMIT + String.format("%012d", version);
  }

  /** The bin as committed now (consistent read; version 0 when nothing was folded). */
  public Folded read(String subscriptionId, long binStart) {
    return agg(pk(subscriptionId, binStart), binStart).folded();
  }

  /**
   * Folds the objects' contributions into the bin, each object exactly once however often it is
   * given (duplicates, redeliveries, concurrent folds), and returns the bin as committed after it.
   * Throws on a DynamoDB error or when the bin kept changing: nothing half-done is counted, and the
   * caller's retry folds what is missing.
   */
  public Folded fold(
      String subscriptionId,
      long binStart,
      Map<String, Contribution> objects,
      Long ttlSeconds,
      Plan plan)
      throws IOException {
    String pk = pk(subscriptionId, binStart);
    Map<String, Contribution> todo = new TreeMap<>(objects);
    Agg agg = null;
    int deferrals = 0;
    // this call's own claims not committed yet: taken over directly on the next attempt (no reads)
    Map<String, Claim> mine = new HashMap<>();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) {
        pause(attempt);
      }
      agg = agg(pk, binStart);
      if (todo.isEmpty()) {
        return agg.folded();
      }
      String token = token();
      long next = agg.version + 1;
      List<Contribution> include = new ArrayList<>();
      boolean deferred = false;
      boolean moved = false;
      for (var it = todo.values().iterator(); it.hasNext(); ) {
        Contribution c = it.next();
        Claim own = mine.remove(c.objectId());
        if (own != null && reclaim(pk, c.objectId(), own, next, token)) {
          mine.put(c.objectId(), new Claim(next, token));
          include.add(c);
          continue;
        }
        if (own == null && claim(pk, c.objectId(), next, token, ttlSeconds)) {
          mine.put(c.objectId(), new Claim(next, token));
          include.add(c);
          continue;
        }
        Claim m = claimOf(pk, c.objectId());
        if (m == null || m.version > next) {
          moved = true; // the bin moved on since it was read (or the claim expired): read again
          break;
        }
        if (m.version == next) {
          deferred = true; // another fold claimed it for the same version: see who commits
          continue;
        }
        String committer = m.version == agg.version ? agg.token : commitToken(pk, m.version);
        if (m.token.equals(committer)) {
          it.remove(); // counted in version m.version
          continue;
        }
        // its fold lost or crashed: claim it again for this fold
        if (reclaim(pk, c.objectId(), m, next, token)) {
          mine.put(c.objectId(), new Claim(next, token));
          include.add(c);
        } else {
          deferred = true;
        }
      }
      if (moved) {
        continue;
      }
      if (include.isEmpty()) {
        if (!deferred) {
          return agg.folded(); // everything was counted already
        }
        if (++deferrals < 3) {
          continue; // a concurrent fold is about to commit: let it
        }
        // the claim for version `next` stays unresolved (its fold died): commit `next` without it,
        // so that the claim names a version committed by another token and can be taken
      }
      Agg written = commit(pk, agg, next, token, include, ttlSeconds, plan);
      if (written != null) {
        deferrals = 0;
        for (Contribution c : include) {
          todo.remove(c.objectId());
          mine.remove(c.objectId());
        }
        agg = written;
        if (todo.isEmpty()) {
          return written.folded();
        }
      }
    }
    throw new IllegalStateException(
        "alarm bin " + pk + " kept changing while folding " + todo.size() + " objects; retry");
  }

  // ---- items ----

  private record Agg(
      long start,
      long version,
      String token,
      byte[] state,
      long records,
      long objects,
      boolean big) {
    Folded folded() {
      return new Folded(start, version, state, records, objects, big);
    }
  }

  private record Claim(long version, String token) {}

  private Agg agg(String pk, long binStart) {
    Map<String, AttributeValue> i =
        db.getItem(b -> b.tableName(table).key(key(pk, Keys.ALARM_BIN_STATE)).consistentRead(true))
            .item();
    if (i == null || i.isEmpty()) {
      return new Agg(binStart, 0, "", null, 0, 0, false);
    }
    return new Agg(
        binStart,
        Long.parseLong(i.get("v").n()),
        i.get("t").s(),
        i.containsKey("s") ? i.get("s").b().asByteArray() : null,
        Long.parseLong(i.get("r").n()),
        Long.parseLong(i.get("o").n()),
        i.containsKey("big") && Boolean.TRUE.equals(i.get("big").bool()));
  }

  private boolean claim(String pk, String objectId, long version, String token, Long ttl) {
    Map<String, AttributeValue> item = new HashMap<>(key(pk, objectSk(objectId)));
    item.put("u", AttributeValue.fromN(Long.toString(version)));
    item.put("t", AttributeValue.fromS(token));
    if (ttl != null) {
      item.put(Tables.TTL, AttributeValue.fromN(Long.toString(ttl)));
    }
    return Tables.putIfAbsent(db, table, item);
  }

  private Claim claimOf(String pk, String objectId) {
    Map<String, AttributeValue> i =
        db.getItem(b -> b.tableName(table).key(key(pk, objectSk(objectId))).consistentRead(true))
            .item();
    if (i == null || i.isEmpty()) {
      return null;
    }
    return new Claim(Long.parseLong(i.get("u").n()), i.get("t").s());
  }

  private boolean reclaim(String pk, String objectId, Claim old, long version, String token) {
    try {
      db.updateItem(
          b ->
              b.tableName(table)
                  .key(key(pk, objectSk(objectId)))
                  .updateExpression("SET #u = :u, #t = :t")
                  .conditionExpression("#u = :oldu AND #t = :oldt")
                  .expressionAttributeNames(Map.of("#u", "u", "#t", "t"))
                  .expressionAttributeValues(
                      Map.of(
                          ":u", AttributeValue.fromN(Long.toString(version)),
                          ":t", AttributeValue.fromS(token),
                          ":oldu", AttributeValue.fromN(Long.toString(old.version)),
                          ":oldt", AttributeValue.fromS(old.token))));
      return true;
    } catch (ConditionalCheckFailedException changed) {
      return false;
    }
  }

  /** The token that committed an older version (its record is written before the next commit). */
  private String commitToken(String pk, long version) {
    Map<String, AttributeValue> i =
        db.getItem(b -> b.tableName(table).key(key(pk, commitSk(version))).consistentRead(true))
            .item();
    return i == null || i.isEmpty() ? null : i.get("t").s();
  }

  /** Writes version {@code next}; null when another fold wrote a version first. */
  private Agg commit(
      String pk, Agg old, long next, String token, List<Contribution> include, Long ttl, Plan plan)
      throws IOException {
    if (old.version > 0) {
      // who committed the current version, for claims that outlive it in `agg`
      Map<String, AttributeValue> rec = new HashMap<>(key(pk, commitSk(old.version)));
      rec.put("t", AttributeValue.fromS(old.token));
      if (ttl != null) {
        rec.put(Tables.TTL, AttributeValue.fromN(Long.toString(ttl)));
      }
      db.putItem(b -> b.tableName(table).item(rec));
    }
    long records = old.records;
    long objects = old.objects + include.size();
    boolean big = old.big;
    byte[] state = old.state;
    if (!big && !include.isEmpty()) {
      PartialState merged =
          old.state == null ? new PartialState(plan) : PartialState.fromBytes(plan, old.state);
      for (Contribution c : include) {
        if (c.state() != null) {
          merged.merge(PartialState.fromBytes(plan, c.state()));
        }
      }
      state = merged.toBytes();
      if (state.length > maxStateBytes) {
        big = true;
        state = null;
      }
    }
    for (Contribution c : include) {
      records += c.records();
    }
    Map<String, AttributeValue> item = new HashMap<>(key(pk, Keys.ALARM_BIN_STATE));
    item.put("v", AttributeValue.fromN(Long.toString(next)));
    item.put("t", AttributeValue.fromS(token));
    item.put("r", AttributeValue.fromN(Long.toString(records)));
    item.put("o", AttributeValue.fromN(Long.toString(objects)));
    if (big) {
      item.put("big", AttributeValue.fromBool(true));
    } else if (state != null) {
      item.put("s", AttributeValue.fromB(SdkBytes.fromByteArray(state)));
    }
    if (ttl != null) {
      item.put(Tables.TTL, AttributeValue.fromN(Long.toString(ttl)));
    }
    if (old.version == 0) {
      if (!Tables.putIfAbsent(db, table, item)) {
        return null;
      }
    } else {
      try {
        db.putItem(
            b ->
                b.tableName(table)
                    .item(item)
                    .conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#v", "v"))
                    .expressionAttributeValues(
                        Map.of(":v", AttributeValue.fromN(Long.toString(old.version)))));
      } catch (ConditionalCheckFailedException lost) {
        return null;
      }
    }
    return new Agg(old.start, next, token, state, records, objects, big);
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(Tables.PK, AttributeValue.fromS(pk), Tables.SK, AttributeValue.fromS(sk));
  }

  private static String token() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(200, 2L << Math.min(attempt, 7)) + RANDOM.nextInt(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
