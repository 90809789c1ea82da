package dev.trailquery.infra;

/**
 * What the stack and the handlers in {@code functions/} must agree on: handler classes, environment
 * variable names, table key schemas. Each is named once, here, so aligning the stack with the
 * handlers is one edit. Values marked "assumed" are not settled in the handler code yet.
 */
public final class Contract {
  private Contract() {}

  // ---- Handlers (the `functions` artifact) ----

  /** S3 ObjectCreated notifications through SQS (also direct S3 and EventBridge events). */
  public static final String INGEST_HANDLER =
      "dev.trailquery.functions.ingest.IngestHandler::handleRequest";

  /** API Gateway REST proxy events for every route. */
  public static final String API_HANDLER = "dev.trailquery.functions.api.ApiHandler::handleRequest";

  /** Invoked asynchronously by the API with {@code {"queryId": id}}; runs one query's fan-out. */
  public static final String COORDINATOR_HANDLER =
      "dev.trailquery.functions.api.CoordinatorHandler::handleRequest";

  /** Invoked request/response by the coordinator with a batch of S3 objects. */
  public static final String WORKER_HANDLER =
      "dev.trailquery.functions.api.WorkerHandler::handleRequest";

  /** Run by an EventBridge schedule every 5 minutes: seals the closed delivery slots. */
  public static final String SEAL_HANDLER =
      "dev.trailquery.functions.seal.SealHandler::handleRequest";

  /** The alias every caller (API Gateway, SQS, the API, the coordinator) invokes. */
  public static final String ALIAS = "live";

  // ---- Environment variables ----

  public static final String ENV_TRAIL_BUCKET = "TRAILQUERY_TRAIL_BUCKET";
  public static final String ENV_TRAIL_PREFIX = "TRAILQUERY_TRAIL_PREFIX";
  public static final String ENV_QUERIES_TABLE = "TRAILQUERY_QUERIES_TABLE";
  public static final String ENV_RESULTS_BUCKET = "TRAILQUERY_RESULTS_BUCKET";
  public static final String ENV_RESULTS_PREFIX = "TRAILQUERY_RESULTS_PREFIX";
  public static final String ENV_WORKER_FUNCTION = "TRAILQUERY_WORKER_FUNCTION";
  public static final String ENV_COORDINATOR_FUNCTION = "TRAILQUERY_COORDINATOR_FUNCTION";

  /** The ingest Lambda the API sends backfill requests to (subscriptions with backfillFrom). */
  public static final String ENV_INGEST_FUNCTION = "TRAILQUERY_INGEST_FUNCTION";

  public static final String ENV_MAX_WORKERS = "TRAILQUERY_MAX_WORKERS";
  public static final String ENV_QUERY_TIMEOUT_SECONDS = "TRAILQUERY_QUERY_TIMEOUT_SECONDS";
  public static final String ENV_SUBSCRIPTIONS_TABLE = "TRAILQUERY_SUBSCRIPTIONS_TABLE";

  /** The ingest path's per-object partial results ("aggregates"); not the query results bucket. */
  public static final String ENV_AGGREGATES_TABLE = "TRAILQUERY_RESULTS_TABLE";

  /** The SNS topic subscription alarms publish to (the stack's alarm topic). */
  public static final String ENV_ALARM_TOPIC_ARN = "TRAILQUERY_ALARM_TOPIC_ARN";

  /** Assumed: retention (days) of a subscription created without one. */
  public static final String ENV_DEFAULT_RETENTION_DAYS = "TRAILQUERY_DEFAULT_RETENTION_DAYS";

  /** Lambda's JVM options variable: tiered compilation is chosen per function (docs/DEPLOY.md). */
  public static final String ENV_JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

  /** Key prefix (under the results bucket) of query results too big for a DynamoDB item. */
  public static final String QUERY_RESULTS_PREFIX = "query-results/";

  // ---- DynamoDB key schemas (all string attributes) ----

  /** Subscriptions: partition key only; no TTL. */
  public static final String SUBSCRIPTIONS_PARTITION_KEY = "name";

  /** Aggregates (ingest results): partition and sort key, TTL attribute. */
  public static final String AGGREGATES_PARTITION_KEY = "pk";

  public static final String AGGREGATES_SORT_KEY = "sk";
  public static final String AGGREGATES_TTL = "ttl";

  /** Queries and saved queries (the API's state): partition and sort key, TTL attribute. */
  public static final String QUERIES_PARTITION_KEY = "pk";

  public static final String QUERIES_SORT_KEY = "sk";
  public static final String QUERIES_TTL = "ttl";

  // ---- CloudTrail layout ----

  /** CloudTrail writes under {@code [prefix/]AWSLogs/}. */
  public static final String AWS_LOGS = "AWSLogs/";

  /** CloudTrail log objects end with this (digests too, which the ingest handler skips). */
  public static final String LOG_SUFFIX = ".json.gz";
}
