package dev.trailquery.contract;

/**
 * The DynamoDB tables' key schemas (all string attributes): the stack creates them, {@code
 * ./trailquery local-init} creates them locally, the stores read and write them.
 */
public final class Tables {
  private Tables() {}

  /** One table's keys: partition key, sort key (or null), TTL attribute (or null). */
  public record Schema(String partitionKey, String sortKey, String ttlAttribute) {}

  /** Subscriptions: partition key {@code name}; no TTL. */
  public static final Schema SUBSCRIPTIONS = new Schema("name", null, null);

  /**
   * The ingest path's results ("aggregates"): per-object partial-state bundles ({@link
   * Keys#BUNDLE}), skipped objects ({@link Keys#SKIPPED}), alarms ({@link Keys#ALARM}).
   */
  public static final Schema RESULTS = new Schema("pk", "sk", "ttl");

  /** The query API's table: queries and saved queries. */
  public static final Schema QUERIES = new Schema("pk", "sk", "ttl");
}
