package dev.trailquery.infra;

import dev.trailquery.contract.Env;
import dev.trailquery.contract.Keys;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.cloudtrail.CfnTrail;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The trailquery stack, in five parts:
 *
 * <ol>
 *   <li>{@link TrailSource}: the trail's bucket (existing, or a demo trail and its bucket);
 *   <li>{@link Storage}: the subscriptions, aggregates and queries tables, the query results
 *       bucket;
 *   <li>{@link IngestPipeline}: S3 ObjectCreated → SQS (with a DLQ) → the ingest function, which
 *       keeps subscriptions' aggregates in DynamoDB;
 *   <li>{@link QueryApi}: a REST API (IAM auth) whose function starts queries that a coordinator
 *       function fans out over worker functions;
 *   <li>{@link Monitoring}: the alarm topic and the stack's alarms.
 * </ol>
 *
 * Every function ({@link Lambdas}) has its own role holding only what it calls, on only the
 * resources it calls it on (docs/DEPLOY.md lists them), and exactly the environment the contract
 * ({@code dev.trailquery.contract.LambdaFunction}) lists for it. The parts are plain classes
 * building into this stack's scope, not nested constructs: a construct level would change every
 * logical ID, and CloudFormation would replace the deployed tables.
 */
public final class TrailqueryStack extends Stack {
  /**
   * The code: the {@code functions} module's Lambda zip and the engine layer zip.
   *
   * @param functionsZip {@code functions/target/trailquery-functions.zip}
   * @param layerZip {@code layers/layer/target/trailquery-layer.zip}
   */
  public record Assets(String functionsZip, String layerZip) {}

  /**
   * JVM options of the CPU-bound functions (scan, merge): full tiered compilation up to C2.
   * Measured (docs/DEPLOY.md): C2 halves the CPU time of a heavy scan; C1-only saves ~15% on light
   * ones.
   */
  public static final String JVM_SCAN = "-XX:+TieredCompilation -XX:TieredStopAtLevel=4";

  /** JVM options of the API function: short requests waiting on DynamoDB; C1 only. */
  public static final String JVM_API = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

  public static final Duration INGEST_TIMEOUT = Duration.minutes(2);
  public static final Duration API_TIMEOUT = Duration.seconds(29);
  public static final Duration COORDINATOR_TIMEOUT = Duration.minutes(15);
  public static final Duration WORKER_TIMEOUT = Duration.minutes(5);

  /** The coordinator ends a query with status Timeout this long before its Lambda would die. */
  public static final int QUERY_TIMEOUT_SECONDS = 840;

  /** The lowest TLS version the stack's buckets accept ({@code s3:TlsVersion}). */
  public static final double MINIMUM_TLS = 1.2;

  /** Keys CloudTrail writes under {@code [prefix/]AWSLogs/} (also {@code o-ORG/ACCOUNT/...}). */
  public static final String CLOUDTRAIL_KEYS = "*/CloudTrail/*";

  /**
   * The API's access log line: who called ({@code userArn}, {@code caller}, {@code accountId}, as
   * IAM authenticated them), what, and how it went; JSON, one line per request.
   */
  public static final String ACCESS_LOG_FORMAT =
      "{\"requestId\":\"$context.requestId\","
          + "\"extendedRequestId\":\"$context.extendedRequestId\","
          + "\"requestTime\":\"$context.requestTime\",\"ip\":\"$context.identity.sourceIp\","
          + "\"userArn\":\"$context.identity.userArn\",\"caller\":\"$context.identity.caller\","
          + "\"accountId\":\"$context.identity.accountId\","
          + "\"userAgent\":\"$context.identity.userAgent\","
          + "\"httpMethod\":\"$context.httpMethod\",\"resourcePath\":\"$context.resourcePath\","
          + "\"path\":\"$context.path\",\"protocol\":\"$context.protocol\","
          + "\"status\":\"$context.status\",\"responseLength\":\"$context.responseLength\","
          + "\"responseLatency\":\"$context.responseLatency\","
          + "\"integrationStatus\":\"$context.integration.status\","
          + "\"errorMessage\":\"$context.error.message\"}";

  private static void reserve(Fn fn, int concurrency) {
    if (concurrency > 0) {
      ((software.amazon.awscdk.services.lambda.CfnFunction)
              fn.function().getNode().getDefaultChild())
          .setReservedConcurrentExecutions(concurrency);
    }
  }

  /** S3 notification delivery attempts through SQS before a message goes to the DLQ. */
  public static final int MAX_RECEIVE_COUNT = 5;

  /** One function with its role, log group, published version and alias. */
  public record Fn(Function function, Role role, LogGroup logGroup, Alias alias) {}

  private final TrailqueryConfig config;
  private final TrailSource trail;
  private final Storage storage;
  private final Lambdas lambdas;
  private final Monitoring monitoring;
  private final IngestPipeline ingest;
  private final Sealing sealing;
  private final QueryApi queryApi;

  public TrailqueryStack(
      Construct scope, String id, StackProps props, TrailqueryConfig config, Assets assets) {
    super(scope, id, props);
    this.config = config;
    trail = new TrailSource(this, config);
    storage = new Storage(this);
    lambdas = new Lambdas(this, config, assets);
    monitoring = new Monitoring(this, config);

    // The environment's values; each function gets the variables the contract lists for it.
    Map<Env, String> env = new EnumMap<>(Env.class);
    env.put(Env.TRAIL_BUCKET, trail.bucket.getBucketName());
    env.put(Env.TRAIL_PREFIX, config.trailPrefix());
    env.put(Env.SUBSCRIPTIONS_TABLE, storage.subscriptions.getTableName());
    env.put(Env.RESULTS_TABLE, storage.aggregates.getTableName());
    env.put(Env.DEFAULT_RETENTION_DAYS, Integer.toString(config.aggregateRetentionDays()));
    env.put(Env.ALARM_TOPIC_ARN, monitoring.topic.getTopicArn());
    env.put(Env.QUERIES_TABLE, storage.queries.getTableName());
    env.put(Env.RESULTS_BUCKET, storage.results.getBucketName());
    env.put(Env.RESULTS_PREFIX, Keys.QUERY_RESULTS_PREFIX);
    env.put(Env.QUERY_TIMEOUT_SECONDS, Integer.toString(QUERY_TIMEOUT_SECONDS));
    env.put(Env.MAX_WORKERS, Integer.toString(config.maxFanout()));
    SecuritySettings sec = config.security();
    env.put(Env.CALLER_ACCOUNTS, sec.callerAccounts() == null ? "" : sec.callerAccounts());
    env.put(Env.MAX_RUNNING_QUERIES_PER_CALLER, Integer.toString(sec.maxRunningQueriesPerCaller()));
    env.put(Env.MAX_RUNNING_QUERIES, Integer.toString(sec.maxRunningQueries()));
    env.put(Env.MAX_QUERY_RANGE_DAYS, Integer.toString(sec.maxQueryRangeDays()));

    ingest = new IngestPipeline(this, config, trail, storage, lambdas, env);
    sealing = new Sealing(this, storage, lambdas, env);
    queryApi =
        new QueryApi(this, config, trail, storage, lambdas, ingest, env, monitoring.asyncFailures);
    // A backfill (an asynchronous invocation of ingest) may run again: it writes each object's
    // results under the object's key. One that fails for good goes to the async-failure queue.
    ingest
        .function
        .alias()
        .configureAsyncInvoke(
            software.amazon.awscdk.services.lambda.EventInvokeConfigOptions.builder()
                .retryAttempts(1)
                .maxEventAge(Duration.hours(1))
                .onFailure(
                    new software.amazon.awscdk.services.lambda.destinations.SqsDestination(
                        monitoring.asyncFailures))
                .build());
    // What a burst of queries may take from the account's Lambda concurrency.
    reserve(fn("Ingest"), config.security().ingestReservedConcurrency());
    reserve(fn("Coordinator"), config.security().coordinatorReservedConcurrency());
    reserve(fn("Worker"), config.security().workerReservedConcurrency());
    reserve(fn("Api"), config.security().apiReservedConcurrency());
    monitoring.watch(ingest, lambdas.all);

    CfnOutput.Builder.create(this, "AlarmTopicArn").value(monitoring.topic.getTopicArn()).build();
    CfnOutput.Builder.create(this, "DeadLetterQueueUrl")
        .value(ingest.deadLetterQueue.getQueueUrl())
        .build();
    CfnOutput.Builder.create(this, "TrailBucketName").value(trail.bucket.getBucketName()).build();
    CfnOutput.Builder.create(this, "AsyncFailureQueueUrl")
        .value(monitoring.asyncFailures.getQueueUrl())
        .build();

    NagRules.suppress(this);
  }

  public TrailqueryConfig config() {
    return config;
  }

  public IBucket trailBucket() {
    return trail.bucket;
  }

  /** The demo trail's bucket, or null with an existing trail. */
  public Bucket demoTrailBucket() {
    return trail.demoBucket;
  }

  /** The demo trail, or null with an existing trail. */
  public CfnTrail demoTrail() {
    return trail.demoTrail;
  }

  public Bucket resultsBucket() {
    return storage.results;
  }

  public Queue ingestQueue() {
    return ingest.queue;
  }

  public Queue deadLetterQueue() {
    return ingest.deadLetterQueue;
  }

  public Table subscriptionsTable() {
    return storage.subscriptions;
  }

  public Table aggregatesTable() {
    return storage.aggregates;
  }

  public Table queriesTable() {
    return storage.queries;
  }

  public LayerVersion layer() {
    return lambdas.layer;
  }

  /** The schedule that runs the seal function. */
  public software.amazon.awscdk.services.events.Rule sealSchedule() {
    return sealing.schedule;
  }

  /** Ingest, Seal, Worker, Coordinator, Api. */
  public Map<String, Fn> functions() {
    return lambdas.all;
  }

  public Fn fn(String id) {
    return lambdas.all.get(id);
  }

  public RestApi api() {
    return queryApi.restApi;
  }

  public LogGroup apiAccessLogs() {
    return queryApi.accessLogs;
  }

  /** The log group of CDK's bucket-notifications handler (deploy time only). */
  public LogGroup notificationsHandlerLogs() {
    return ingest.notificationsHandlerLogs;
  }

  public Topic alarmTopic() {
    return monitoring.topic;
  }

  public List<Alarm> alarms() {
    return monitoring.alarms;
  }

  /** Where failed asynchronous invocations (coordinator, backfills) go. */
  public Queue asyncFailureQueue() {
    return monitoring.asyncFailures;
  }

  /** API Gateway's execution log group (errors), created by the stack with retention. */
  public LogGroup apiExecutionLogs() {
    return queryApi.executionLogs;
  }

  /** The reader and admin policies on the API's method ARNs. */
  public List<software.amazon.awscdk.services.iam.ManagedPolicy> rolePolicies() {
    return queryApi.rolePolicies;
  }

  /** The EventBridge rule that forwards ObjectCreated (with {@code eventBridge}), or null. */
  public software.amazon.awscdk.services.events.Rule objectCreatedRule() {
    return ingest.objectCreatedRule;
  }
}
