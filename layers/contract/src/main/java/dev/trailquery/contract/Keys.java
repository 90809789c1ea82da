package dev.trailquery.contract;

/** Key prefixes: where things live in S3 and in the DynamoDB tables' partition keys. */
public final class Keys {
  private Keys() {}

  /** CloudTrail writes under {@code [prefix/]AWSLogs/}. */
  public static final String AWS_LOGS = "AWSLogs/";

  /** CloudTrail log objects end with this (digests too, which ingest skips). */
  public static final String LOG_SUFFIX = ".json.gz";

  /** S3 key prefix (in the results bucket) of query results too big for a DynamoDB item. */
  public static final String QUERY_RESULTS_PREFIX = "query-results/";

  /** Where compacted trail blocks live in the stack's bucket (never the trail's prefix). */
  public static final String BLOCKS_PREFIX = "blocks/";

  /** S3 key prefix (in the results bucket) of lookup tables: {@code lookup-tables/NAME.csv}. */
  public static final String LOOKUP_TABLES_PREFIX = "lookup-tables/";

  // ---- Results table: partition key prefixes (docs/INGEST.md, "Items") ----
  // Each partition key starts with exactly one of these, and none is a prefix of another
  // (KeysTest), so partitions of different kinds never collide.

  /**
   * Natural bundle parts of a delivery slot, {@code "D#" + slot (15 digits) + "#" + shard}: what
   * each object processed while its slot was open gives every subscription.
   */
  public static final String NATURAL_BUNDLE = "D#";

  /** Late bundle parts of a natural slot, {@code "L#" + natural slot (15 digits)}. */
  public static final String LATE_BUNDLE = "L#";

  /** The slot index (sort key: slot, or {@code slot + "#L#" + natural slot}). */
  public static final String SLOTS = "SLOTS";

  /**
   * Sealed bin parts of one subscription and UTC day, {@code "S#" + subscription id + "#" + day}.
   */
  public static final String SEALED = "S#";

  /**
   * The days a subscription has sealed bins on, {@code "SD#" + subscription id} (sort key: day).
   */
  public static final String SEALED_DAYS = "SD#";

  /** Sealing progress and lease: partition {@code "SEAL"}, sort key {@link #SEAL_PROGRESS}. */
  public static final String SEAL = "SEAL";

  /** The sort key of the sealing progress item. */
  public static final String SEAL_PROGRESS = "progress";

  /** A delivery day's skipped objects, {@code "SKIP#" + day} (sort key: object id). */
  public static final String SKIPPED = "SKIP#";

  /** The days that have skipped objects: partition {@code "SKIPDAYS"} (sort key: day). */
  public static final String SKIP_DAYS = "SKIPDAYS";

  /**
   * One alarmed subscription's bin, {@code "A#" + subscription id + "#" + bin start}: the bin's
   * running merged state (sort key {@link #ALARM_BIN_STATE}), one claim per object (sort key {@link
   * #ALARM_BIN_OBJECT} + object id) and one commit record per version (sort key {@link
   * #ALARM_BIN_COMMIT} + version, 12 digits). docs/INGEST.md, "Alarms".
   */
  public static final String ALARM_BIN = "A#";

  /** Sort key of an alarm bin's running merged state. */
  public static final String ALARM_BIN_STATE = "agg";

  /** Sort key prefix of an object's claim in an alarm bin. */
  public static final String ALARM_BIN_OBJECT = "o#";

  /** Sort key prefix of a committed version's record in an alarm bin. */
  public static final String ALARM_BIN_COMMIT = "c#";

  /**
   * One alarm's state and breaching bins, {@code "alarm#" + subscription name} (sort keys {@link
   * #ALARM_STATE} and {@link #ALARM_BREACH} + ...).
   */
  public static final String ALARM = "alarm#";

  /** Sort key of an alarm's state item. */
  public static final String ALARM_STATE = "state";

  /** Sort key prefix of a breaching bin's record: {@code "x#" + created + "#" + bin start}. */
  public static final String ALARM_BREACH = "x#";

  /** The partition listing every alarm definition (sort key: subscription name). */
  public static final String ALARMS = "ALARMS";

  /**
   * A lookup table's content as a subscription pinned it, {@code "LT#" + name + "@" + version}
   * (sort key: part number, 5 digits): the gzip CSV in parts, written once, never changed.
   */
  public static final String LOOKUP_PIN = "LT#";

  /** Every partition key prefix of the results table (the fixed partitions included). */
  public static final java.util.List<String> RESULTS_PARTITIONS =
      java.util.List.of(
          NATURAL_BUNDLE,
          LATE_BUNDLE,
          SLOTS,
          SEALED,
          SEALED_DAYS,
          SEAL,
          SKIPPED,
          SKIP_DAYS,
          ALARM_BIN,
          ALARM,
          ALARMS,
          LOOKUP_PIN);
}
