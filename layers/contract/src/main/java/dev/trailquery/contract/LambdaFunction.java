package dev.trailquery.contract;

import java.util.List;

/**
 * The stack's Lambda functions: the handler each runs (in the {@code functions} artifact) and the
 * environment variables the stack gives it — exactly those its handler reads (a test checks both
 * sides: the synthesized template against this list, the handlers' reads against it).
 */
public enum LambdaFunction {
  /** S3 ObjectCreated notifications through SQS (also direct S3 and EventBridge events). */
  INGEST(
      "Ingest",
      "dev.trailquery.functions.ingest.IngestHandler::handleRequest",
      List.of(
          Env.SUBSCRIPTIONS_TABLE, Env.RESULTS_TABLE, Env.ALARM_TOPIC_ARN, Env.JAVA_TOOL_OPTIONS)),
  /** Run by an EventBridge schedule every 5 minutes: seals the closed delivery slots. */
  SEAL(
      "Seal",
      "dev.trailquery.functions.seal.SealHandler::handleRequest",
      List.of(Env.SUBSCRIPTIONS_TABLE, Env.RESULTS_TABLE, Env.JAVA_TOOL_OPTIONS)),
  /**
   * Invoked request/response by the coordinator with a batch of S3 objects; a partial state over
   * the inline bound is spilled under {@code <RESULTS_PREFIX>spill/} of the results bucket.
   */
  WORKER(
      "Worker",
      "dev.trailquery.functions.fanout.WorkerHandler::handleRequest",
      List.of(
          Env.BLOCKS_BUCKET,
          Env.BLOCKS_PREFIX,
          Env.RESULTS_BUCKET,
          Env.RESULTS_PREFIX,
          Env.JAVA_TOOL_OPTIONS)),
  /** Invoked asynchronously by the API with {@code {"queryId": id}}; runs one query's fan-out. */
  COORDINATOR(
      "Coordinator",
      "dev.trailquery.functions.fanout.CoordinatorHandler::handleRequest",
      List.of(
          Env.TRAIL_BUCKET,
          Env.TRAIL_PREFIX,
          Env.QUERIES_TABLE,
          Env.RESULTS_BUCKET,
          Env.RESULTS_PREFIX,
          Env.QUERY_TIMEOUT_SECONDS,
          Env.WORKER_FUNCTION,
          Env.MAX_WORKERS,
          Env.CALLER_ACCOUNTS,
          Env.BLOCKS_BUCKET,
          Env.BLOCKS_PREFIX,
          Env.JAVA_TOOL_OPTIONS)),
  /**
   * Hourly (EventBridge schedule) and asynchronously by {@code compact-trail}: rolls the trail's
   * objects into compacted blocks in the stack's bucket.
   */
  COMPACTOR(
      "Compactor",
      "dev.trailquery.functions.blocks.CompactorHandler::handleRequest",
      List.of(
          Env.TRAIL_BUCKET,
          Env.TRAIL_PREFIX,
          Env.BLOCKS_BUCKET,
          Env.BLOCKS_PREFIX,
          Env.JAVA_TOOL_OPTIONS)),
  /** API Gateway REST proxy events for every {@link Route}. */
  API(
      "Api",
      "dev.trailquery.functions.api.ApiHandler::handleRequest",
      List.of(
          Env.TRAIL_BUCKET,
          Env.TRAIL_PREFIX,
          Env.QUERIES_TABLE,
          Env.RESULTS_BUCKET,
          Env.RESULTS_PREFIX,
          Env.QUERY_TIMEOUT_SECONDS,
          Env.COORDINATOR_FUNCTION,
          Env.INGEST_FUNCTION,
          Env.SUBSCRIPTIONS_TABLE,
          Env.RESULTS_TABLE,
          Env.DEFAULT_RETENTION_DAYS,
          Env.CALLER_ACCOUNTS,
          Env.MAX_RUNNING_QUERIES_PER_CALLER,
          Env.MAX_RUNNING_QUERIES,
          Env.MAX_QUERY_RANGE_DAYS,
          Env.JAVA_TOOL_OPTIONS));

  /** The alias every caller (API Gateway, SQS, the API, the coordinator) invokes. */
  public static final String ALIAS = "live";

  private final String id;
  private final String handler;
  private final List<Env> env;

  LambdaFunction(String id, String handler, List<Env> env) {
    this.id = id;
    this.handler = handler;
    this.env = env;
  }

  /** The construct id ({@code Ingest}: {@code IngestFunction}, {@code IngestRole}, ...). */
  public String id() {
    return id;
  }

  /** The function's logical ID in the template ({@code IngestFunction}, ...). */
  public String logicalId() {
    return id + "Function";
  }

  /** {@code class::method}, as Lambda's handler setting takes it. */
  public String handler() {
    return handler;
  }

  /** The handler's class name. */
  public String handlerClass() {
    return handler.substring(0, handler.indexOf("::"));
  }

  /** The variables the stack sets on this function. */
  public List<Env> env() {
    return env;
  }
}
