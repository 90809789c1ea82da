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

  /** S3 key prefix (in the results bucket) of lookup tables: {@code lookup-tables/NAME.csv}. */
  public static final String LOOKUP_TABLES_PREFIX = "lookup-tables/";

  /** Results table: a day's per-object bundle parts, {@code "B#" + day}. */
  public static final String BUNDLE = "B#";

  /** Results table: a day's skipped objects, {@code "SKIP#" + day}. */
  public static final String SKIPPED = "SKIP#";

  /** Results table: one alarm's state and breaching bins, {@code "alarm#" + subscription}. */
  public static final String ALARM = "alarm#";

  /** Results table: the partition listing every alarm definition (sort key: subscription). */
  public static final String ALARMS = "ALARMS";
}
