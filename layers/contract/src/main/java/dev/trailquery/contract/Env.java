package dev.trailquery.contract;

import java.util.function.Function;

/**
 * The environment variables the handlers read, with their defaults: the stack sets them (see {@link
 * LambdaFunction#env()}), {@code ./trailquery local-init} prints them, the handlers read them
 * through {@link #get}. A test checks that every variable the synthesized stack sets is one its
 * function's code reads.
 */
public enum Env {
  /** The bucket CloudTrail writes to. Required by the query functions. */
  TRAIL_BUCKET("TRAILQUERY_TRAIL_BUCKET", null),
  /** The trail's prefix in its bucket (before {@code AWSLogs/}); empty: none. */
  TRAIL_PREFIX("TRAILQUERY_TRAIL_PREFIX", ""),
  /** The query API's table: queries and saved queries. */
  QUERIES_TABLE("TRAILQUERY_QUERIES_TABLE", "trailquery-queries"),
  /** Bucket for query results too big for a DynamoDB item; unset: such results fail. */
  RESULTS_BUCKET("TRAILQUERY_RESULTS_BUCKET", null),
  /** Key prefix of those results in {@link #RESULTS_BUCKET}. */
  RESULTS_PREFIX("TRAILQUERY_RESULTS_PREFIX", Keys.QUERY_RESULTS_PREFIX),
  /** The worker function (ARN or name) the coordinator invokes; unset: threads in-process. */
  WORKER_FUNCTION("TRAILQUERY_WORKER_FUNCTION", null),
  /** The coordinator function the API starts queries with; unset: a thread in-process. */
  COORDINATOR_FUNCTION("TRAILQUERY_COORDINATOR_FUNCTION", null),
  /** The ingest function the API hands backfills to (subscriptions with backfillFrom). */
  INGEST_FUNCTION("TRAILQUERY_INGEST_FUNCTION", null),
  /** Most worker invocations one query runs at once. */
  MAX_WORKERS("TRAILQUERY_MAX_WORKERS", "64"),
  /** S3 GETs one worker keeps in flight. */
  WORKER_PARALLELISM("TRAILQUERY_WORKER_PARALLELISM", "32"),
  /** A query ends with status Timeout after this many seconds. */
  QUERY_TIMEOUT_SECONDS("TRAILQUERY_QUERY_TIMEOUT_SECONDS", "900"),
  /** How late CloudTrail may deliver an object after its events (widens the listed range). */
  DELIVERY_DELAY_MINUTES("TRAILQUERY_DELIVERY_DELAY_MINUTES", "60"),
  /**
   * The ingest path's subscriptions table; unset in the API: the subscription routes answer 501.
   */
  SUBSCRIPTIONS_TABLE("TRAILQUERY_SUBSCRIPTIONS_TABLE", "trailquery-subscriptions"),
  /** The ingest path's per-object partial results, day index and alarms ("aggregates"). */
  RESULTS_TABLE("TRAILQUERY_RESULTS_TABLE", "trailquery-results"),
  /** Retention (days) of a subscription created without {@code retentionDays}; 0: kept. */
  DEFAULT_RETENTION_DAYS("TRAILQUERY_DEFAULT_RETENTION_DAYS", "0"),
  /** How long ingest caches the subscriptions it evaluates. */
  SUBSCRIPTION_CACHE_SECONDS("TRAILQUERY_SUBSCRIPTION_CACHE_SECONDS", "60"),
  /** Bundle bytes per DynamoDB item. */
  PART_BYTES("TRAILQUERY_PART_BYTES", "350000"),
  /** Cap on the decompressed bytes of one CloudTrail object (1 GiB). */
  MAX_OBJECT_BYTES("TRAILQUERY_MAX_OBJECT_BYTES", "1073741824"),
  /** The SNS topic subscription alarms publish to; unset: notifications are log lines. */
  ALARM_TOPIC_ARN("TRAILQUERY_ALARM_TOPIC_ARN", null),
  /** A file alarm notifications are appended to as JSON lines (local runs). */
  ALARM_FILE("TRAILQUERY_ALARM_FILE", null),
  /** The JVM's options variable: tiered compilation is chosen per function (docs/DEPLOY.md). */
  JAVA_TOOL_OPTIONS("JAVA_TOOL_OPTIONS", null),
  /**
   * The per-principal account allow-list: JSON from principal ARN patterns to the accounts they may
   * query ({@code "*"}: all); empty: no allow-list. The API checks it and the coordinator enforces
   * it.
   */
  CALLER_ACCOUNTS("TRAILQUERY_CALLER_ACCOUNTS", ""),
  /** Queries one principal may have running at once (429 past it); 0: no cap. */
  MAX_RUNNING_QUERIES_PER_CALLER("TRAILQUERY_MAX_RUNNING_QUERIES_PER_CALLER", "5"),
  /** Queries all callers may have running at once (429 past it); 0: no cap. */
  MAX_RUNNING_QUERIES("TRAILQUERY_MAX_RUNNING_QUERIES", "0"),
  /** The longest time range one query may cover, in days; 0: no cap. */
  MAX_QUERY_RANGE_DAYS("TRAILQUERY_MAX_QUERY_RANGE_DAYS", "0"),
  /** The AWS SDK's S3 endpoint (an S3-compatible server; path-style addressing is then used). */
  ENDPOINT_S3("AWS_ENDPOINT_URL_S3", null),
  /** The AWS SDK's DynamoDB endpoint. */
  ENDPOINT_DYNAMODB("AWS_ENDPOINT_URL_DYNAMODB", null),
  /** The AWS SDK's SNS endpoint (alarm notifications). */
  ENDPOINT_SNS("AWS_ENDPOINT_URL_SNS", null);

  /**
   * The endpoints a local run points at S3-, DynamoDB- and SNS-compatible servers with: read by the
   * AWS SDK, set only for local runs ({@code ./trailquery local-init}, {@code sam local}).
   */
  public static final java.util.List<Env> LOCAL_ENDPOINTS =
      java.util.List.of(ENDPOINT_S3, ENDPOINT_DYNAMODB, ENDPOINT_SNS);

  private final String var;
  private final String dflt;

  Env(String var, String dflt) {
    this.var = var;
    this.dflt = dflt;
  }

  /** The variable's name, e.g. {@code TRAILQUERY_TRAIL_BUCKET}. */
  public String var() {
    return var;
  }

  /** The value when the variable is unset or blank; null: none. */
  public String defaultValue() {
    return dflt;
  }

  /** The value in {@code env} (e.g. {@code System::getenv}), else the default. */
  public String get(Function<String, String> env) {
    String v = env.apply(var);
    return v == null || v.isBlank() ? dflt : v;
  }

  /** The value as a whole number; an unparsable one is an error naming the variable. */
  public long getLong(Function<String, String> env) {
    String v = get(env);
    if (v == null) {
      throw new IllegalStateException(var + " is not set");
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(var + " must be a whole number, got '" + v + "'");
    }
  }

  /** The value, which must be set. */
  public String require(Function<String, String> env) {
    String v = get(env);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(var + " is not set");
    }
    return v;
  }
}
