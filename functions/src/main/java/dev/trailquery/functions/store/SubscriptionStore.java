package dev.trailquery.functions.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Subscriptions in DynamoDB (one item per name), with a short-lived cache for the ingest Lambda. A
 * subscription's lookup tables are pinned in the results table ({@link PinnedTables}); the item
 * names them with their versions ({@code lookupTables}).
 */
public final class SubscriptionStore {
  private final DynamoDbClient db;
  private final String table;
  private final long cacheMillis;
  private final LongSupplier clock;
  private final String createdBy;
  private final PinnedTables pins;
  private volatile List<Subscription> cached;
  private volatile long cachedAt;

  public SubscriptionStore(DynamoDbClient db, String table, long cacheMillis) {
    this(db, table, cacheMillis, System::currentTimeMillis);
  }

  public SubscriptionStore(DynamoDbClient db, String table, long cacheMillis, LongSupplier clock) {
    this(db, table, cacheMillis, clock, null, null);
  }

  /**
   * @param pins where subscriptions' lookup tables are pinned (the results table); without them a
   *     subscription with lookup tables can be listed but not stored or evaluated
   */
  public SubscriptionStore(
      DynamoDbClient db, String table, long cacheMillis, LongSupplier clock, PinnedTables pins) {
    this(db, table, cacheMillis, clock, null, pins);
  }

  /** The subscriptions table {@code table}, lookup tables pinned in the results table. */
  public SubscriptionStore(DynamoDbClient db, String table, String resultsTable, long cacheMillis) {
    this(
        db,
        table,
        cacheMillis,
        System::currentTimeMillis,
        null,
        new PinnedTables(db, resultsTable));
  }

  private SubscriptionStore(
      DynamoDbClient db,
      String table,
      long cacheMillis,
      LongSupplier clock,
      String createdBy,
      PinnedTables pins) {
    this.db = db;
    this.table = table;
    this.cacheMillis = cacheMillis;
    this.clock = clock;
    this.createdBy = createdBy;
    this.pins = pins;
  }

  /** Who this view records as creator ({@link #as}), or null. */
  public String createdBy() {
    return createdBy;
  }

  /** A subscription and the ARN of the caller who stored it (null when unknown). */
  public record Owned(Subscription subscription, String createdBy) {}

  /**
   * The same table, recording {@code callerArn} as {@code createdBy} with every subscription it
   * puts (the API: who subscribed); null records nobody.
   */
  public SubscriptionStore as(String callerArn) {
    return new SubscriptionStore(db, table, cacheMillis, clock, callerArn, pins);
  }

  public String table() {
    return table;
  }

  /** Saves a new subscription; false if the name is taken (and {@code replace} is false). */
  public boolean put(Subscription s, boolean replace) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(Tables.SUB_NAME, AttributeValue.fromS(s.name()));
    item.put("id", AttributeValue.fromS(s.id()));
    item.put("query", AttributeValue.fromS(s.query()));
    item.put("bin", AttributeValue.fromS(s.bin()));
    item.put("topN", AttributeValue.fromN(Integer.toString(s.topN())));
    item.put("retentionDays", AttributeValue.fromN(Integer.toString(s.retentionDays())));
    item.put("createdMillis", AttributeValue.fromN(Long.toString(s.createdMillis())));
    if (s.backfillFromMillis() != null) {
      item.put("backfillFromMillis", AttributeValue.fromN(Long.toString(s.backfillFromMillis())));
    }
    item.put("type", AttributeValue.fromS(s.type()));
    if (s.definition() != null) {
      item.put("definition", AttributeValue.fromS(s.definition()));
    }
    if (createdBy != null) {
      item.put("createdBy", AttributeValue.fromS(createdBy));
    }
    if (!s.lookups().isEmpty()) {
      if (pins == null) {
        throw new IllegalStateException(
            "this store cannot pin lookup tables (no results table): " + s.name());
      }
      List<AttributeValue> refs = new ArrayList<>();
      for (Subscription.LookupPin p : s.lookups()) {
        pins.pin(p.table()); // before the definition, so no reader finds it without its tables
        refs.add(
            AttributeValue.fromM(
                Map.of(
                    "name", AttributeValue.fromS(p.name()),
                    "version", AttributeValue.fromS(p.version()))));
      }
      item.put("lookupTables", AttributeValue.fromL(refs));
    }
    try {
      db.putItem(
          b -> {
            b.tableName(table).item(item);
            if (!replace) {
              b.conditionExpression("attribute_not_exists(#n)")
                  .expressionAttributeNames(Map.of("#n", Tables.SUB_NAME));
            }
          });
    } catch (ConditionalCheckFailedException taken) {
      return false;
    }
    cached = null;
    return true;
  }

  public Optional<Subscription> get(String name) {
    return getOwned(name).map(Owned::subscription);
  }

  /** The subscription with who stored it. */
  public Optional<Owned> getOwned(String name) {
    GetItemResponse r =
        db.getItem(
            b ->
                b.tableName(table)
                    .key(Map.of(Tables.SUB_NAME, AttributeValue.fromS(name)))
                    .consistentRead(true));
    return r.hasItem() && !r.item().isEmpty() ? Optional.of(owned(r.item())) : Optional.empty();
  }

  public boolean delete(String name) {
    var r =
        db.deleteItem(
            b ->
                b.tableName(table)
                    .key(Map.of(Tables.SUB_NAME, AttributeValue.fromS(name)))
                    .returnValues("ALL_OLD"));
    cached = null;
    return r.hasAttributes() && !r.attributes().isEmpty();
  }

  /** Every subscription, by name, read now. */
  public List<Subscription> list() {
    return listOwned().stream().map(Owned::subscription).toList();
  }

  /** Every subscription with who stored it, by name, read now. */
  public List<Owned> listOwned() {
    List<Owned> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      ScanRequest.Builder req = ScanRequest.builder().tableName(table).consistentRead(true);
      if (start != null) {
        req.exclusiveStartKey(start);
      }
      ScanResponse r = db.scan(req.build());
      r.items().forEach(i -> out.add(owned(i)));
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    out.sort(Comparator.comparing(o -> o.subscription().name()));
    return List.copyOf(out);
  }

  /** Every subscription, from a cache at most {@code cacheMillis} old. */
  public List<Subscription> cachedList() {
    long now = clock.getAsLong();
    List<Subscription> c = cached;
    if (c == null || now - cachedAt >= cacheMillis) {
      c = list();
      cached = c;
      cachedAt = now;
    }
    return c;
  }

  private Owned owned(Map<String, AttributeValue> i) {
    return new Owned(fromItem(i), i.containsKey("createdBy") ? i.get("createdBy").s() : null);
  }

  private Subscription fromItem(Map<String, AttributeValue> i) {
    List<Subscription.LookupPin> lookups = new ArrayList<>();
    if (i.containsKey("lookupTables")) {
      for (AttributeValue ref : i.get("lookupTables").l()) {
        String name = ref.m().get("name").s();
        String version = ref.m().get("version").s();
        lookups.add(
            new Subscription.LookupPin(
                name, version, pins == null ? null : pins.load(name, version)));
      }
    }
    return new Subscription(
        i.get(Tables.SUB_NAME).s(),
        i.get("id").s(),
        i.get("query").s(),
        i.get("bin").s(),
        Integer.parseInt(i.get("topN").n()),
        i.containsKey("retentionDays") ? Integer.parseInt(i.get("retentionDays").n()) : 0,
        Long.parseLong(i.get("createdMillis").n()),
        i.containsKey("backfillFromMillis")
            ? Long.parseLong(i.get("backfillFromMillis").n())
            : null,
        i.containsKey("type") ? i.get("type").s() : Subscription.QUERY,
        i.containsKey("definition") ? i.get("definition").s() : null,
        lookups);
  }
}
