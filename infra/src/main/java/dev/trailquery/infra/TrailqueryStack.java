package dev.trailquery.infra;

import dev.trailquery.contract.Env;
import dev.trailquery.contract.Keys;
import dev.trailquery.contract.LambdaFunction;
import dev.trailquery.contract.Route;
import dev.trailquery.contract.Tables;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.IResource;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.cloudtrail.CfnTrail;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The trailquery stack: S3 ObjectCreated notifications of the trail's bucket → SQS (with a DLQ) →
 * the ingest function, which keeps subscriptions' aggregates in DynamoDB; a REST API (IAM auth)
 * whose function starts queries that a coordinator function fans out over worker functions; alarms
 * to an SNS topic. Every function has its own role holding only what it calls, on only the
 * resources it calls it on (docs/DEPLOY.md lists them).
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

  /** S3 notification delivery attempts through SQS before a message goes to the DLQ. */
  public static final int MAX_RECEIVE_COUNT = 5;

  private final TrailqueryConfig config;
  private final IBucket trailBucket;
  private final Bucket demoTrailBucket;
  private final CfnTrail demoTrail;
  private final Bucket resultsBucket;
  private final Queue ingestQueue;
  private final Queue deadLetterQueue;
  private final Table subscriptionsTable;
  private final Table aggregatesTable;
  private final Table queriesTable;
  private final LayerVersion layer;
  private final Map<String, Fn> functions = new LinkedHashMap<>();
  private final RestApi api;
  private final LogGroup apiAccessLogs;
  private final LogGroup notificationsHandlerLogs;
  private final Topic alarmTopic;
  private final List<Alarm> alarms = new ArrayList<>();

  /** One function with its role, log group, published version and alias. */
  public record Fn(Function function, Role role, LogGroup logGroup, Alias alias) {}

  public TrailqueryStack(
      Construct scope, String id, StackProps props, TrailqueryConfig config, Assets assets) {
    super(scope, id, props);
    this.config = config;

    // ---- Where the trail writes ----
    if (config.demoTrail()) {
      demoTrailBucket =
          Bucket.Builder.create(this, "DemoTrailBucket")
              .encryption(BucketEncryption.S3_MANAGED)
              .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
              .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
              .enforceSsl(true)
              .lifecycleRules(
                  List.of(
                      LifecycleRule.builder().id("expire").expiration(Duration.days(90)).build()))
              .removalPolicy(RemovalPolicy.RETAIN)
              .build();
      // CDK's Trail construct would write the bucket policy without aws:SourceArn (confused-deputy
      // protection); this one names the trail, so CloudTrail may write here for this trail only.
      String trailName = getStackName() + "-demo";
      String trailArn =
          formatArn(
              ArnComponents.builder()
                  .service("cloudtrail")
                  .resource("trail")
                  .resourceName(trailName)
                  .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                  .build());
      ServicePrincipal cloudtrail = new ServicePrincipal("cloudtrail.amazonaws.com");
      demoTrailBucket.addToResourcePolicy(
          PolicyStatement.Builder.create()
              .sid("CloudTrailAclCheck")
              .effect(Effect.ALLOW)
              .principals(List.of(cloudtrail))
              .actions(List.of("s3:GetBucketAcl"))
              .resources(List.of(demoTrailBucket.getBucketArn()))
              .conditions(Map.of("StringEquals", Map.of("aws:SourceArn", trailArn)))
              .build());
      demoTrailBucket.addToResourcePolicy(
          PolicyStatement.Builder.create()
              .sid("CloudTrailWrite")
              .effect(Effect.ALLOW)
              .principals(List.of(cloudtrail))
              .actions(List.of("s3:PutObject"))
              .resources(
                  List.of(demoTrailBucket.arnForObjects(Keys.AWS_LOGS + getAccount() + "/*")))
              .conditions(
                  Map.of(
                      "StringEquals",
                      Map.of(
                          "aws:SourceArn", trailArn, "s3:x-amz-acl", "bucket-owner-full-control")))
              .build());
      demoTrail =
          CfnTrail.Builder.create(this, "DemoTrail")
              .trailName(trailName)
              .s3BucketName(demoTrailBucket.getBucketName())
              .isLogging(true)
              .isMultiRegionTrail(false)
              .includeGlobalServiceEvents(true)
              .enableLogFileValidation(true)
              .build();
      demoTrail.getNode().addDependency(demoTrailBucket.getPolicy());
      trailBucket = demoTrailBucket;
    } else {
      demoTrailBucket = null;
      demoTrail = null;
      trailBucket = Bucket.fromBucketName(this, "TrailBucket", config.trailBucket());
    }

    // ---- Ingest: S3 → SQS (→ DLQ) ----
    deadLetterQueue =
        Queue.Builder.create(this, "IngestDeadLetterQueue")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(Duration.days(14))
            .build();
    ingestQueue =
        Queue.Builder.create(this, "IngestQueue")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            // AWS's advice for SQS event sources: six times the function timeout.
            .visibilityTimeout(Duration.seconds(6 * INGEST_TIMEOUT.toSeconds().intValue()))
            .retentionPeriod(Duration.days(4))
            .deadLetterQueue(
                DeadLetterQueue.builder()
                    .queue(deadLetterQueue)
                    .maxReceiveCount(MAX_RECEIVE_COUNT)
                    .build())
            .build();
    trailBucket.addEventNotification(
        EventType.OBJECT_CREATED,
        new QueueNotification(ingestQueue),
        NotificationKeyFilter.builder()
            .prefix(config.logsPrefix())
            .suffix(Keys.LOG_SUFFIX)
            .build());
    notificationsHandlerLogs = NotificationsHandler.tighten(this);

    // ---- State ----
    subscriptionsTable = table("SubscriptionsTable", Tables.SUBSCRIPTIONS);
    aggregatesTable = table("AggregatesTable", Tables.RESULTS);
    queriesTable = table("QueriesTable", Tables.QUERIES);
    resultsBucket =
        Bucket.Builder.create(this, "ResultsBucket")
            .encryption(BucketEncryption.S3_MANAGED)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
            .enforceSsl(true)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("expire-query-results")
                        .prefix(Keys.QUERY_RESULTS_PREFIX)
                        .expiration(Duration.days(7))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();

    // ---- Functions ----
    layer =
        LayerVersion.Builder.create(this, "EngineLayer")
            .code(Code.fromAsset(assets.layerZip()))
            .compatibleRuntimes(List.of(Runtime.JAVA_25))
            .compatibleArchitectures(List.of(Architecture.ARM_64))
            .description("trailquery engine and its dependencies (java/lib)")
            .build();
    Code code = Code.fromAsset(assets.functionsZip());

    // The topic of the stack's CloudWatch alarms and of the subscriptions' alarms (ingest
    // publishes)
    alarmTopic = Topic.Builder.create(this, "AlarmTopic").enforceSsl(true).build();

    // The environment's values; each function gets exactly the variables the contract lists for
    // it (LambdaFunction.env()), which are the ones its handler reads.
    Map<Env, String> env = new EnumMap<>(Env.class);
    env.put(Env.TRAIL_BUCKET, trailBucket.getBucketName());
    env.put(Env.TRAIL_PREFIX, config.trailPrefix());
    env.put(Env.SUBSCRIPTIONS_TABLE, subscriptionsTable.getTableName());
    env.put(Env.RESULTS_TABLE, aggregatesTable.getTableName());
    env.put(Env.DEFAULT_RETENTION_DAYS, Integer.toString(config.aggregateRetentionDays()));
    env.put(Env.ALARM_TOPIC_ARN, alarmTopic.getTopicArn());
    env.put(Env.QUERIES_TABLE, queriesTable.getTableName());
    env.put(Env.RESULTS_BUCKET, resultsBucket.getBucketName());
    env.put(Env.RESULTS_PREFIX, Keys.QUERY_RESULTS_PREFIX);
    env.put(Env.QUERY_TIMEOUT_SECONDS, Integer.toString(QUERY_TIMEOUT_SECONDS));
    env.put(Env.MAX_WORKERS, Integer.toString(config.maxFanout()));

    Fn ingest =
        function(
            LambdaFunction.INGEST,
            config.ingestMemoryMb(),
            INGEST_TIMEOUT,
            env(LambdaFunction.INGEST, env, JVM_SCAN),
            code,
            "trailquery ingest: S3 notifications through SQS update subscriptions in DynamoDB");
    Fn worker =
        function(
            LambdaFunction.WORKER,
            config.workerMemoryMb(),
            WORKER_TIMEOUT,
            env(LambdaFunction.WORKER, env, JVM_SCAN),
            code,
            "trailquery worker: scans one batch of CloudTrail objects for a query");
    env.put(Env.WORKER_FUNCTION, worker.alias().getFunctionArn());
    Fn coordinator =
        function(
            LambdaFunction.COORDINATOR,
            config.coordinatorMemoryMb(),
            COORDINATOR_TIMEOUT,
            env(LambdaFunction.COORDINATOR, env, JVM_SCAN),
            code,
            "trailquery coordinator: fans one query out over worker invocations and merges");
    // A failed coordinator is not re-run: the query stays visible with its status, and a retry
    // would scan the whole range again.
    coordinator
        .alias()
        .configureAsyncInvoke(
            EventInvokeConfigOptions.builder()
                .retryAttempts(0)
                .maxEventAge(Duration.minutes(5))
                .build());
    env.put(Env.COORDINATOR_FUNCTION, coordinator.alias().getFunctionArn());
    env.put(Env.INGEST_FUNCTION, ingest.alias().getFunctionArn());
    Fn apiFn =
        function(
            LambdaFunction.API,
            config.apiMemoryMb(),
            API_TIMEOUT,
            env(LambdaFunction.API, env, JVM_API),
            code,
            "trailquery API: queries, saved queries and subscriptions (API Gateway proxy)");

    // ---- Least privilege, by hand: one statement per (service, resource set) ----
    String logsObjects = trailBucket.arnForObjects(config.logsPrefix() + "*");
    // ingest: read the trail's log objects, consume its queue, read subscriptions, write aggregates
    ingest.role().addToPrincipalPolicy(allow(List.of("s3:GetObject"), List.of(logsObjects)));
    ingest
        .role()
        .addToPrincipalPolicy(
            allow(
                List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
                List.of(ingestQueue.getQueueArn())));
    ingest
        .role()
        .addToPrincipalPolicy(
            allow(
                List.of("dynamodb:GetItem", "dynamodb:Scan"),
                List.of(subscriptionsTable.getTableArn())));
    // ingest also runs backfills: it lists the trail's prefix for the objects of the range
    ingest.role().addToPrincipalPolicy(listTrailPrefix(trailBucket, config));
    ingest
        .role()
        .addToPrincipalPolicy(
            allow(
                List.of(
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:BatchWriteItem",
                    "dynamodb:Query"),
                List.of(aggregatesTable.getTableArn())));
    // ingest: subscription alarms notify the stack's alarm topic, and only it
    ingest
        .role()
        .addToPrincipalPolicy(allow(List.of("sns:Publish"), List.of(alarmTopic.getTopicArn())));
    // worker: read the trail's log objects
    worker.role().addToPrincipalPolicy(allow(List.of("s3:GetObject"), List.of(logsObjects)));
    // coordinator: list the trail's prefixes, run the query's state, invoke workers
    coordinator.role().addToPrincipalPolicy(listTrailPrefix(trailBucket, config));
    coordinator
        .role()
        .addToPrincipalPolicy(
            allow(
                List.of("dynamodb:GetItem", "dynamodb:PutItem"),
                List.of(queriesTable.getTableArn())));
    String queryResults = resultsBucket.arnForObjects(Keys.QUERY_RESULTS_PREFIX + "*");
    coordinator
        .role()
        .addToPrincipalPolicy(
            allow(List.of("s3:GetObject", "s3:PutObject"), List.of(queryResults)));
    // partial states too large for a worker's 6 MB response: the worker puts them, the
    // coordinator takes (gets and deletes) them; the results prefix's lifecycle rule expires
    // any left behind
    String spilled = resultsBucket.arnForObjects(Keys.QUERY_RESULTS_PREFIX + "spill/*");
    worker.role().addToPrincipalPolicy(allow(List.of("s3:PutObject"), List.of(spilled)));
    coordinator.role().addToPrincipalPolicy(allow(List.of("s3:DeleteObject"), List.of(spilled)));
    coordinator
        .role()
        .addToPrincipalPolicy(
            allow(List.of("lambda:InvokeFunction"), List.of(worker.alias().getFunctionArn())));
    // api: queries and saved queries, start coordinators, subscriptions and their results
    apiFn
        .role()
        .addToPrincipalPolicy(
            allow(
                List.of(
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:Query"),
                List.of(queriesTable.getTableArn())));
    apiFn.role().addToPrincipalPolicy(allow(List.of("s3:GetObject"), List.of(queryResults)));
    apiFn
        .role()
        .addToPrincipalPolicy(
            allow(List.of("lambda:InvokeFunction"), List.of(coordinator.alias().getFunctionArn())));
    apiFn
        .role()
        .addToPrincipalPolicy(
            allow(List.of("lambda:InvokeFunction"), List.of(ingest.alias().getFunctionArn())));
    apiFn
        .role()
        .addToPrincipalPolicy(
            allow(
                List.of(
                    "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Scan"),
                List.of(subscriptionsTable.getTableArn())));
    apiFn
        .role()
        .addToPrincipalPolicy(
            allow(
                List.of(
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:Query"),
                List.of(aggregatesTable.getTableArn())));
    if (config.trailKmsKeyArn() != null) {
      // Only through S3 in this region: the key cannot be used directly with these roles.
      for (Fn reader : List.of(ingest, worker)) {
        reader
            .role()
            .addToPrincipalPolicy(
                PolicyStatement.Builder.create()
                    .effect(Effect.ALLOW)
                    .actions(List.of("kms:Decrypt"))
                    .resources(List.of(config.trailKmsKeyArn()))
                    .conditions(
                        Map.of(
                            "StringEquals",
                            Map.of("kms:ViaService", "s3." + getRegion() + ".amazonaws.com")))
                    .build());
      }
    }

    EventSourceMapping.Builder.create(this, "IngestEventSource")
        .target(ingest.alias())
        .eventSourceArn(ingestQueue.getQueueArn())
        .batchSize(10)
        .maxBatchingWindow(Duration.seconds(5))
        .reportBatchItemFailures(true)
        .maxConcurrency(config.ingestMaxConcurrency())
        .build();

    // ---- REST API (IAM / SigV4) ----
    apiAccessLogs =
        LogGroup.Builder.create(this, "ApiAccessLogs")
            .retention(Logs.RETENTION.get(config.logRetentionDays()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    api =
        RestApi.Builder.create(this, "Api")
            .restApiName("trailquery")
            .description("trailquery: Logs Insights queries over CloudTrail in S3 (SigV4)")
            .endpointTypes(List.of(EndpointType.REGIONAL))
            .cloudWatchRole(config.createApiGatewayLogsRole())
            .defaultMethodOptions(
                MethodOptions.builder().authorizationType(AuthorizationType.IAM).build())
            .deployOptions(
                StageOptions.builder()
                    .stageName("v1")
                    .throttlingRateLimit(config.apiRateLimit())
                    .throttlingBurstLimit(config.apiBurstLimit())
                    .loggingLevel(MethodLoggingLevel.ERROR)
                    .dataTraceEnabled(false)
                    .metricsEnabled(true)
                    .accessLogDestination(new LogGroupLogDestination(apiAccessLogs))
                    .accessLogFormat(AccessLogFormat.jsonWithStandardFields())
                    .build())
            .build();
    LambdaIntegration integration =
        LambdaIntegration.Builder.create(apiFn.alias()).allowTestInvoke(false).build();
    for (Route route : Route.values()) {
      IResource resource = api.getRoot().resourceForPath(route.path());
      resource.addMethod(route.method(), integration);
    }

    // ---- Alarms ----
    if (config.alarmEmail() != null) {
      alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail()));
    }
    alarm(
        "DeadLetterQueueAlarm",
        "CloudTrail objects that ingest gave up on (messages in the DLQ)",
        deadLetterQueue.metricApproximateNumberOfMessagesVisible(
            MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build()),
        1);
    alarm(
        "IngestQueueAgeAlarm",
        "ingest is falling behind (oldest notification older than 15 minutes)",
        ingestQueue.metricApproximateAgeOfOldestMessage(
            MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build()),
        900);
    for (var e : functions.entrySet()) {
      alarm(
          e.getKey() + "ErrorsAlarm",
          "the " + e.getKey().toLowerCase() + " function failed",
          e.getValue()
              .function()
              .metricErrors(
                  MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build()),
          1);
    }

    CfnOutput.Builder.create(this, "AlarmTopicArn").value(alarmTopic.getTopicArn()).build();
    CfnOutput.Builder.create(this, "DeadLetterQueueUrl")
        .value(deadLetterQueue.getQueueUrl())
        .build();
    CfnOutput.Builder.create(this, "TrailBucketName").value(trailBucket.getBucketName()).build();

    NagRules.suppress(this);
  }

  /**
   * The variables the contract lists for {@code fn}, with their values from {@code values} ({@code
   * JAVA_TOOL_OPTIONS}: {@code jvm}); a listed variable without a value is a bug in this stack.
   */
  private static Map<String, String> env(LambdaFunction fn, Map<Env, String> values, String jvm) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Env e : fn.env()) {
      String v = e == Env.JAVA_TOOL_OPTIONS ? jvm : values.get(e);
      if (v == null) {
        throw new IllegalStateException(fn + " needs " + e.var() + ", which has no value");
      }
      out.put(e.var(), v);
    }
    return out;
  }

  private static PolicyStatement allow(List<String> actions, List<String> resources) {
    return PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(actions)
        .resources(resources)
        .build();
  }

  private Table table(String id, Tables.Schema schema) {
    String partitionKey = schema.partitionKey();
    String sortKey = schema.sortKey();
    String ttl = schema.ttlAttribute();
    Table.Builder b =
        Table.Builder.create(this, id)
            .partitionKey(Attribute.builder().name(partitionKey).type(AttributeType.STRING).build())
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .encryption(TableEncryption.AWS_MANAGED)
            .deletionProtection(false)
            .removalPolicy(RemovalPolicy.RETAIN);
    if (sortKey != null) {
      b.sortKey(Attribute.builder().name(sortKey).type(AttributeType.STRING).build());
    }
    if (ttl != null) {
      b.timeToLiveAttribute(ttl);
    }
    return b.build();
  }

  private Fn function(
      LambdaFunction which,
      int memoryMb,
      Duration timeout,
      Map<String, String> env,
      Code code,
      String description) {
    String id = which.id();
    String handler = which.handler();
    String logicalId = id + "Function";
    LogGroup logs =
        LogGroup.Builder.create(this, id + "Logs")
            .retention(Logs.RETENTION.get(config.logRetentionDays()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    // No managed policy (AWSLambdaBasicExecutionRole would allow logs on every log group).
    Role role =
        Role.Builder.create(this, id + "Role")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .description("trailquery " + id.toLowerCase() + " function")
            .build();
    role.addToPrincipalPolicy(
        allow(
            List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(logs.getLogGroupArn())));
    Function fn =
        Function.Builder.create(this, id + "Function")
            .runtime(Runtime.JAVA_25)
            .architecture(Architecture.ARM_64)
            .handler(handler)
            .code(code)
            .layers(List.of(layer))
            .memorySize(memoryMb)
            .timeout(timeout)
            .role(role)
            .logGroup(logs)
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            .environment(env)
            .description(description)
            .build();
    ((software.amazon.awscdk.services.lambda.CfnFunction) fn.getNode().getDefaultChild())
        .overrideLogicalId(logicalId);
    Alias alias =
        Alias.Builder.create(this, id + "Alias")
            .aliasName(LambdaFunction.ALIAS)
            .version(fn.getCurrentVersion())
            .build();
    Fn f = new Fn(fn, role, logs, alias);
    functions.put(id, f);
    return f;
  }

  private void alarm(String id, String description, IMetric metric, double threshold) {
    Alarm a =
        Alarm.Builder.create(this, id)
            .alarmDescription("trailquery: " + description)
            .metric(metric)
            .threshold(threshold)
            .evaluationPeriods(1)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .build();
    a.addAlarmAction(new SnsAction(alarmTopic));
    alarms.add(a);
  }

  public TrailqueryConfig config() {
    return config;
  }

  public IBucket trailBucket() {
    return trailBucket;
  }

  /** The demo trail's bucket, or null with an existing trail. */
  public Bucket demoTrailBucket() {
    return demoTrailBucket;
  }

  /** The demo trail, or null with an existing trail. */
  public CfnTrail demoTrail() {
    return demoTrail;
  }

  public Bucket resultsBucket() {
    return resultsBucket;
  }

  public Queue ingestQueue() {
    return ingestQueue;
  }

  public Queue deadLetterQueue() {
    return deadLetterQueue;
  }

  public Table subscriptionsTable() {
    return subscriptionsTable;
  }

  public Table aggregatesTable() {
    return aggregatesTable;
  }

  public Table queriesTable() {
    return queriesTable;
  }

  public LayerVersion layer() {
    return layer;
  }

  /** Ingest, Worker, Coordinator, Api. */
  public Map<String, Fn> functions() {
    return functions;
  }

  public Fn fn(String id) {
    return functions.get(id);
  }

  public RestApi api() {
    return api;
  }

  public LogGroup apiAccessLogs() {
    return apiAccessLogs;
  }

  /** The log group of CDK's bucket-notifications handler (deploy time only). */
  public LogGroup notificationsHandlerLogs() {
    return notificationsHandlerLogs;
  }

  public Topic alarmTopic() {
    return alarmTopic;
  }

  public List<Alarm> alarms() {
    return alarms;
  }

  /** {@code s3:ListBucket} on the trail bucket, only for keys under the trail's log prefix. */
  private static PolicyStatement listTrailPrefix(IBucket trailBucket, TrailqueryConfig config) {
    return PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(List.of("s3:ListBucket"))
        .resources(List.of(trailBucket.getBucketArn()))
        .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(config.logsPrefix() + "*"))))
        .build();
  }
}
