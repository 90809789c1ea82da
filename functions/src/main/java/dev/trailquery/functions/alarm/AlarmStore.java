package dev.trailquery.functions.alarm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.contract.Keys;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.json.Mappers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Alarms in the results table (docs/INGEST.md, "Alarms"):
 *
 * <ul>
 *   <li>definition: {@code pk = "ALARMS"}, {@code sk = subscription name}; one Query lists every
 *       alarm (what the ingest Lambda caches);
 *   <li>state: {@code pk = "alarm#" + name}, {@code sk = "state"}: {@code state}, {@code bin}
 *       (start millis), {@code objects} (objects in that bin when decided), {@code created} (the
 *       alarm's creation it belongs to), {@code updated}, {@code evaluations}, {@code rows} (JSON);
 *   <li>breaching bin: {@code pk = "alarm#" + name}, {@code sk = "x#" + created + "#" + bin start}
 *       (zero-padded): {@code notify} (this bin starts an episode), {@code sent}, {@code lease}.
 * </ul>
 */
public final class AlarmStore {
  static final String INDEX = Keys.ALARMS;
  private static final ObjectMapper JSON = Mappers.MAPPER;

  private final DynamoDbClient db;
  private final String table;
  private final long cacheMillis;
  private final LongSupplier clock;
  private volatile Map<String, Alarm> cached;
  private volatile long cachedAt;

  public AlarmStore(DynamoDbClient db, String table, long cacheMillis, LongSupplier clock) {
    this.db = db;
    this.table = table;
    this.cacheMillis = cacheMillis;
    this.clock = clock;
  }

  public AlarmStore(DynamoDbClient db, String table) {
    this(db, table, 0, System::currentTimeMillis);
  }

  static String pk(String subscription) {
    return Keys.ALARM + subscription;
  }

  static String binKey(long created, long binStart) {
    return Keys.ALARM_BREACH + created + "#" + String.format("%020d", binStart);
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(Tables.PK, AttributeValue.fromS(pk), Tables.SK, AttributeValue.fromS(sk));
  }

  // ---- definitions ----

  public void put(Alarm a) {
    Map<String, AttributeValue> item = new HashMap<>(key(INDEX, a.subscription()));
    item.put("column", AttributeValue.fromS(a.column()));
    item.put("comparison", AttributeValue.fromS(a.comparison().symbol()));
    item.put("threshold", AttributeValue.fromN(Double.toString(a.threshold())));
    if (a.description() != null) {
      item.put("description", AttributeValue.fromS(a.description()));
    }
    item.put("notifyOk", AttributeValue.fromBool(a.notifyOk()));
    item.put("created", AttributeValue.fromN(Long.toString(a.createdMillis())));
    db.putItem(b -> b.tableName(table).item(item));
    cached = null;
  }

  public Optional<Alarm> get(String subscription) {
    var r = db.getItem(b -> b.tableName(table).key(key(INDEX, subscription)).consistentRead(true));
    return r.hasItem() && !r.item().isEmpty() ? Optional.of(fromItem(r.item())) : Optional.empty();
  }

  /** Deletes the definition and the state (breaching-bin records stay; they are per creation). */
  public boolean delete(String subscription) {
    var r =
        db.deleteItem(
            b ->
                b.tableName(table).key(key(INDEX, subscription)).returnValues(ReturnValue.ALL_OLD));
    db.deleteItem(b -> b.tableName(table).key(key(pk(subscription), Keys.ALARM_STATE)));
    cached = null;
    return r.hasAttributes() && !r.attributes().isEmpty();
  }

  /** Every alarm, by subscription name, read now (one Query). */
  public List<Alarm> list() {
    List<Alarm> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder req =
          QueryRequest.builder()
              .tableName(table)
              .keyConditionExpression("#pk = :pk")
              .expressionAttributeNames(Map.of("#pk", Tables.PK))
              .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(INDEX)))
              .consistentRead(true);
      if (start != null) {
        req.exclusiveStartKey(start);
      }
      QueryResponse r = db.query(req.build());
      r.items().forEach(i -> out.add(fromItem(i)));
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return List.copyOf(out);
  }

  /** How old the cached alarm definitions may be. */
  public long cacheMillis() {
    return cacheMillis;
  }

  /** Every alarm by subscription name, from a cache at most {@code cacheMillis} old. */
  public Map<String, Alarm> cached() {
    long now = clock.getAsLong();
    Map<String, Alarm> c = cached;
    if (c == null || now - cachedAt >= cacheMillis) {
      Map<String, Alarm> m = new LinkedHashMap<>();
      for (Alarm a : list()) {
        m.put(a.subscription(), a);
      }
      c = Map.copyOf(m);
      cached = c;
      cachedAt = now;
    }
    return c;
  }

  static Alarm fromItem(Map<String, AttributeValue> i) {
    return new Alarm(
        i.get(Tables.SK).s(),
        i.get("column").s(),
        Alarm.Comparison.parse(i.get("comparison").s()),
        Double.parseDouble(i.get("threshold").n()),
        i.containsKey("description") ? i.get("description").s() : null,
        i.containsKey("notifyOk") && Boolean.TRUE.equals(i.get("notifyOk").bool()),
        Long.parseLong(i.get("created").n()));
  }

  // ---- state ----

  /**
   * The state of an alarm: the decision on the newest bin evaluated.
   *
   * @param bin the start of that bin, or null before any bin was evaluated
   * @param objects the objects that bin had when it was decided
   * @param evaluations how many evaluations moved or confirmed the state
   */
  public record State(
      Alarm.State state,
      Long bin,
      long objects,
      long created,
      long updatedMillis,
      long evaluations,
      List<Map<String, String>> rows) {
    static final State INITIAL =
        new State(Alarm.State.INSUFFICIENT_DATA, null, 0, 0, 0, 0, List.of());
  }

  /** The current state of the alarm (INSUFFICIENT_DATA when none was decided for this alarm). */
  public State state(Alarm a) {
    var r =
        db.getItem(
            b ->
                b.tableName(table)
                    .key(key(pk(a.subscription()), Keys.ALARM_STATE))
                    .consistentRead(true));
    if (!r.hasItem() || r.item().isEmpty()) {
      return State.INITIAL;
    }
    State s = stateOf(r.item());
    return s.created() == a.createdMillis() ? s : State.INITIAL;
  }

  private static State stateOf(Map<String, AttributeValue> i) {
    List<Map<String, String>> rows = List.of();
    if (i.containsKey("rows")) {
      try {
        rows = JSON.readValue(i.get("rows").s(), new TypeReference<>() {});
      } catch (JsonProcessingException e) {
        rows = List.of();
      }
    }
    return new State(
        Alarm.State.parse(i.get("state").s()),
        Long.parseLong(i.get("bin").n()),
        Long.parseLong(i.get("objects").n()),
        Long.parseLong(i.get("created").n()),
        Long.parseLong(i.get("updated").n()),
        i.containsKey("evaluations") ? Long.parseLong(i.get("evaluations").n()) : 0,
        rows);
  }

  /**
   * Moves the state to the decision on bin {@code bin} (with {@code objects} objects), only
   * forward: when no state exists or it belongs to an older definition of the alarm (a Lambda still
   * caching an older definition cannot overwrite a newer one's state), the stored bin is older, or
   * it is the same bin decided on no more objects. Returns the state it replaced (INITIAL when
   * there was none of this alarm), or empty when the stored state is newer (this decision is stale
   * and changes nothing).
   */
  public Optional<State> advance(
      Alarm a, long bin, long objects, Alarm.State state, List<Map<String, String>> rows) {
    String rowsJson;
    try {
      rowsJson = JSON.writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    Map<String, String> names = new HashMap<>();
    names.put("#s", "state");
    names.put("#b", "bin");
    names.put("#o", "objects");
    names.put("#c", "created");
    names.put("#u", "updated");
    names.put("#e", "evaluations");
    names.put("#r", "rows");
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":s", AttributeValue.fromS(state.name()));
    values.put(":b", AttributeValue.fromN(Long.toString(bin)));
    values.put(":o", AttributeValue.fromN(Long.toString(objects)));
    values.put(":c", AttributeValue.fromN(Long.toString(a.createdMillis())));
    values.put(":u", AttributeValue.fromN(Long.toString(clock.getAsLong())));
    values.put(":r", AttributeValue.fromS(rowsJson));
    values.put(":one", AttributeValue.fromN("1"));
    try {
      UpdateItemResponse r =
          db.updateItem(
              b ->
                  b.tableName(table)
                      .key(key(pk(a.subscription()), Keys.ALARM_STATE))
                      .updateExpression(
                          "SET #s = :s, #b = :b, #o = :o, #c = :c, #u = :u, #r = :r ADD #e :one")
                      .conditionExpression(
                          "attribute_not_exists(#s) OR #c < :c"
                              + " OR (#c = :c AND (#b < :b OR (#b = :b AND #o <= :o)))")
                      .expressionAttributeNames(names)
                      .expressionAttributeValues(values)
                      .returnValues(ReturnValue.ALL_OLD));
      if (!r.hasAttributes() || r.attributes().isEmpty()) {
        return Optional.of(State.INITIAL);
      }
      State old = stateOf(r.attributes());
      return Optional.of(old.created() == a.createdMillis() ? old : State.INITIAL);
    } catch (ConditionalCheckFailedException newer) {
      return Optional.empty();
    }
  }

  // ---- breaching bins (exactly-once notifications) ----

  /** A breaching bin's record. */
  public record Breach(boolean notifies, boolean sent, long leaseUntil) {}

  public Optional<Breach> breach(Alarm a, long bin) {
    var r =
        db.getItem(
            b ->
                b.tableName(table)
                    .key(key(pk(a.subscription()), binKey(a.createdMillis(), bin)))
                    .consistentRead(true));
    if (!r.hasItem() || r.item().isEmpty()) {
      return Optional.empty();
    }
    Map<String, AttributeValue> i = r.item();
    return Optional.of(
        new Breach(
            Boolean.TRUE.equals(i.get("notify").bool()),
            Boolean.TRUE.equals(i.get("sent").bool()),
            Long.parseLong(i.get("lease").n())));
  }

  /**
   * Records that the bin breaches, unless it already is: true when this call created the record
   * (and so owns its notification, leased until {@code leaseUntil}).
   */
  public boolean recordBreach(Alarm a, long bin, boolean notify, long leaseUntil, Long ttl) {
    Map<String, AttributeValue> item =
        new HashMap<>(key(pk(a.subscription()), binKey(a.createdMillis(), bin)));
    item.put("notify", AttributeValue.fromBool(notify));
    item.put("sent", AttributeValue.fromBool(!notify));
    item.put("lease", AttributeValue.fromN(Long.toString(notify ? leaseUntil : 0)));
    if (ttl != null) {
      item.put(Tables.TTL, AttributeValue.fromN(Long.toString(ttl)));
    }
    return Tables.putIfAbsent(db, table, item);
  }

  /**
   * Takes over an unsent notification whose lease ran out (its sender crashed or failed): true when
   * this call now owns it until {@code leaseUntil}.
   */
  public boolean takeOver(Alarm a, long bin, long now, long leaseUntil) {
    try {
      db.updateItem(
          b ->
              b.tableName(table)
                  .key(key(pk(a.subscription()), binKey(a.createdMillis(), bin)))
                  .updateExpression("SET #l = :until")
                  .conditionExpression("#s = :false AND #l < :now")
                  .expressionAttributeNames(Map.of("#l", "lease", "#s", "sent"))
                  .expressionAttributeValues(
                      Map.of(
                          ":until", AttributeValue.fromN(Long.toString(leaseUntil)),
                          ":now", AttributeValue.fromN(Long.toString(now)),
                          ":false", AttributeValue.fromBool(false))));
      return true;
    } catch (ConditionalCheckFailedException taken) {
      return false;
    }
  }

  /** The notification of the bin was published. */
  public void markSent(Alarm a, long bin) {
    db.updateItem(
        b ->
            b.tableName(table)
                .key(key(pk(a.subscription()), binKey(a.createdMillis(), bin)))
                .updateExpression("SET #s = :true")
                .expressionAttributeNames(Map.of("#s", "sent"))
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true))));
  }

  /** Publishing failed: lets the next evaluation of the bin try again at once. */
  public void releaseLease(Alarm a, long bin) {
    db.updateItem(
        b ->
            b.tableName(table)
                .key(key(pk(a.subscription()), binKey(a.createdMillis(), bin)))
                .updateExpression("SET #l = :zero")
                .conditionExpression("#s = :false")
                .expressionAttributeNames(Map.of("#l", "lease", "#s", "sent"))
                .expressionAttributeValues(
                    Map.of(
                        ":zero", AttributeValue.fromN("0"),
                        ":false", AttributeValue.fromBool(false))));
  }
}
