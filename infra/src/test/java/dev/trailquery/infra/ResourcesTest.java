package dev.trailquery.infra;

import static dev.trailquery.infra.Cfn.arn;
import static dev.trailquery.infra.Cfn.join;
import static dev.trailquery.infra.Cfn.ref;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.contract.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/** Every resource of the stack, with the properties the design asks for. */
class ResourcesTest {
  private final TrailqueryStack stack = TestStacks.stack(TestStacks.EXISTING);
  private final Template t = TestStacks.template(stack);

  private String id(IConstruct c) {
    return Cfn.id(stack, c);
  }

  private static Map<String, Integer> counts(Template t) {
    Map<String, Integer> out = new TreeMap<>();
    @SuppressWarnings("unchecked")
    var resources = (Map<String, Map<String, Object>>) t.toJSON().get("Resources");
    resources.values().forEach(r -> out.merge((String) r.get("Type"), 1, Integer::sum));
    return out;
  }

  private static Map<String, Integer> expectedCounts(boolean demo) {
    Map<String, Integer> m = new TreeMap<>();
    m.put("AWS::ApiGateway::Deployment", 1);
    m.put("AWS::ApiGateway::Method", 22); // one per route
    m.put("AWS::ApiGateway::Resource", 13); // queries, {id}, saved-queries, {name+}, alarms, ...
    m.put("AWS::ApiGateway::RestApi", 1);
    m.put("AWS::ApiGateway::Stage", 1);
    // DLQ depth, async failures, queue age, errors of 6 functions
    m.put("AWS::CloudWatch::Alarm", 9);
    m.put("AWS::DynamoDB::Table", 3); // subscriptions, aggregates, queries
    m.put("AWS::Events::Rule", 2); // the compactor's hourly schedule, the sealing schedule
    m.put("AWS::IAM::Policy", 7);
    m.put("AWS::IAM::ManagedPolicy", 2); // the reader and admin policies for callers
    m.put("AWS::IAM::Role", 7); // 6 functions + notifications handler
    m.put("AWS::Lambda::Alias", 6);
    // coordinator (no async retry) and ingest (backfills): on failure to a queue
    m.put("AWS::Lambda::EventInvokeConfig", 2);
    m.put("AWS::Lambda::EventSourceMapping", 1);
    m.put("AWS::Lambda::Function", 7); // 6 + notifications handler
    m.put("AWS::Lambda::LayerVersion", 1);
    m.put(
        "AWS::Lambda::Permission",
        24); // API Gateway → API alias per route; schedules → seal, compactor
    m.put("AWS::Lambda::Version", 6);
    // 6 functions, API access and execution, notifications handler
    m.put("AWS::Logs::LogGroup", 9);
    m.put("AWS::S3::Bucket", demo ? 2 : 1);
    m.put("AWS::S3::BucketPolicy", demo ? 2 : 1);
    m.put("AWS::SNS::Topic", 1);
    m.put("AWS::SNS::TopicPolicy", 1);
    m.put("AWS::SQS::Queue", 3); // ingest, its DLQ, failed async invocations
    m.put("AWS::SQS::QueuePolicy", 3);
    m.put("Custom::S3BucketNotifications", 1);
    if (demo) {
      m.put("AWS::CloudTrail::Trail", 1);
    }
    return m;
  }

  @Test
  void existingTrailStackHoldsExactlyTheseResources() {
    assertThat(counts(t)).isEqualTo(expectedCounts(false));
  }

  @Test
  void demoStackAddsItsTrailAndBucket() {
    TrailqueryStack s = TestStacks.stack(Map.of());
    Template demo = TestStacks.template(s);
    assertThat(counts(demo)).isEqualTo(expectedCounts(true));
    demo.hasResource(
        "AWS::CloudTrail::Trail",
        Map.of(
            "Properties",
            Map.of(
                "TrailName", "Trailquery-demo",
                "S3BucketName", ref(Cfn.id(s, s.demoTrailBucket())),
                "IsLogging", true,
                "IsMultiRegionTrail", false,
                "IncludeGlobalServiceEvents", true,
                "EnableLogFileValidation", true),
            "DependsOn",
            List.of(Cfn.id(s, s.demoTrailBucket().getPolicy()))));
    demo.hasResource(
        "AWS::S3::Bucket",
        Map.of(
            "Properties",
            Map.of(
                "BucketEncryption", sse(),
                "PublicAccessBlockConfiguration", blockAll(),
                "OwnershipControls", ownerEnforced(),
                "LifecycleConfiguration",
                    Map.of(
                        "Rules",
                        List.of(
                            Map.of("Id", "expire", "ExpirationInDays", 90, "Status", "Enabled")))),
            "DeletionPolicy",
            "Retain"));
    demo.hasResourceProperties(
        "Custom::S3BucketNotifications",
        Match.objectLike(
            Map.of("BucketName", ref(Cfn.id(s, s.demoTrailBucket())), "Managed", true)));
    demo.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Environment",
                Map.of(
                    "Variables",
                    Match.objectLike(
                        Map.of(
                            "TRAILQUERY_TRAIL_BUCKET",
                            ref(Cfn.id(s, s.demoTrailBucket())),
                            "TRAILQUERY_TRAIL_PREFIX",
                            ""))))));
  }

  private record FnSpec(
      String logicalId,
      String handler,
      int memory,
      int timeout,
      Map<String, Object> env,
      Integer reservedConcurrency) {}

  private List<FnSpec> functionSpecs() {
    Map<String, Object> trail = new LinkedHashMap<>();
    trail.put("TRAILQUERY_TRAIL_BUCKET", "acme-cloudtrail");
    trail.put("TRAILQUERY_TRAIL_PREFIX", "org/");
    // ingest and worker do not read the trail's bucket (events and requests name it)
    Map<String, Object> ingest = new LinkedHashMap<>();
    ingest.put("TRAILQUERY_SUBSCRIPTIONS_TABLE", ref(id(stack.subscriptionsTable())));
    ingest.put("TRAILQUERY_RESULTS_TABLE", ref(id(stack.aggregatesTable())));
    ingest.put("TRAILQUERY_ALARM_TOPIC_ARN", ref(id(stack.alarmTopic())));
    ingest.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=4");
    Map<String, Object> seal = new LinkedHashMap<>();
    seal.put("TRAILQUERY_SUBSCRIPTIONS_TABLE", ref(id(stack.subscriptionsTable())));
    seal.put("TRAILQUERY_RESULTS_TABLE", ref(id(stack.aggregatesTable())));
    seal.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=4");
    Map<String, Object> worker = new LinkedHashMap<>();
    worker.put("TRAILQUERY_BLOCKS_BUCKET", ref(id(stack.resultsBucket())));
    worker.put("TRAILQUERY_BLOCKS_PREFIX", "blocks/");
    // where a partial state too large for the worker's 6 MB response is spilled
    worker.put("TRAILQUERY_RESULTS_BUCKET", ref(id(stack.resultsBucket())));
    worker.put("TRAILQUERY_RESULTS_PREFIX", "query-results/");
    worker.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=4");
    Map<String, Object> compactor = new LinkedHashMap<>(trail);
    compactor.put("TRAILQUERY_BLOCKS_BUCKET", ref(id(stack.resultsBucket())));
    compactor.put("TRAILQUERY_BLOCKS_PREFIX", "blocks/");
    compactor.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=4");
    Map<String, Object> query = new LinkedHashMap<>(trail);
    query.put("TRAILQUERY_QUERIES_TABLE", ref(id(stack.queriesTable())));
    query.put("TRAILQUERY_RESULTS_BUCKET", ref(id(stack.resultsBucket())));
    query.put("TRAILQUERY_RESULTS_PREFIX", "query-results/");
    query.put("TRAILQUERY_QUERY_TIMEOUT_SECONDS", "840");
    Map<String, Object> coordinator = new LinkedHashMap<>(query);
    coordinator.put("TRAILQUERY_WORKER_FUNCTION", ref(id(stack.fn("Worker").alias())));
    coordinator.put("TRAILQUERY_MAX_WORKERS", "64");
    coordinator.put("TRAILQUERY_BLOCKS_BUCKET", ref(id(stack.resultsBucket())));
    coordinator.put("TRAILQUERY_BLOCKS_PREFIX", "blocks/");
    coordinator.put("TRAILQUERY_CALLER_ACCOUNTS", ""); // no allow-list
    coordinator.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=4");
    Map<String, Object> api = new LinkedHashMap<>(query);
    api.put("TRAILQUERY_COORDINATOR_FUNCTION", ref(id(stack.fn("Coordinator").alias())));
    api.put("TRAILQUERY_INGEST_FUNCTION", ref(id(stack.fn("Ingest").alias())));
    api.put("TRAILQUERY_SUBSCRIPTIONS_TABLE", ref(id(stack.subscriptionsTable())));
    api.put("TRAILQUERY_RESULTS_TABLE", ref(id(stack.aggregatesTable())));
    api.put("TRAILQUERY_DEFAULT_RETENTION_DAYS", "400");
    api.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    api.put("TRAILQUERY_CALLER_ACCOUNTS", "");
    api.put("TRAILQUERY_MAX_RUNNING_QUERIES_PER_CALLER", "5");
    api.put("TRAILQUERY_MAX_RUNNING_QUERIES", "10");
    api.put("TRAILQUERY_MAX_QUERY_RANGE_DAYS", "0");
    return List.of(
        new FnSpec(
            "IngestFunction",
            "dev.trailquery.functions.ingest.IngestHandler::handleRequest",
            1024,
            120,
            ingest,
            10), // = ingestMaxConcurrency
        new FnSpec(
            "SealFunction",
            "dev.trailquery.functions.seal.SealHandler::handleRequest",
            1024,
            300,
            seal,
            null), // one sealer at a time by its lease, not by a reservation
        new FnSpec(
            "WorkerFunction",
            "dev.trailquery.functions.fanout.WorkerHandler::handleRequest",
            1769,
            300,
            worker,
            128), // twice maxFanout: two queries' full fan-out
        new FnSpec(
            "CoordinatorFunction",
            "dev.trailquery.functions.fanout.CoordinatorHandler::handleRequest",
            1024,
            900,
            coordinator,
            10),
        new FnSpec(
            "ApiFunction",
            "dev.trailquery.functions.api.ApiHandler::handleRequest",
            512,
            29,
            api,
            null),
        new FnSpec(
            "CompactorFunction",
            "dev.trailquery.functions.blocks.CompactorHandler::handleRequest",
            3008,
            900,
            compactor,
            null));
  }

  @Test
  void functionsAreJava25Arm64SnapStartWithTheLayerTheirOwnLogsAndRoleAndExactEnvironment() {
    @SuppressWarnings("unchecked")
    var all = (Map<String, Map<String, Object>>) t.toJSON().get("Resources");
    for (FnSpec spec : functionSpecs()) {
      String name = spec.logicalId().replace("Function", "");
      TrailqueryStack.Fn fn = stack.fn(name);
      Map<String, Object> r = all.get(spec.logicalId());
      assertThat(r).as(spec.logicalId()).isNotNull();
      Map<String, Object> p = Cfn.props(r);
      assertThat(p.get("Runtime")).isEqualTo("java25");
      assertThat(p.get("Architectures")).isEqualTo(List.of("arm64"));
      assertThat(p.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
      assertThat(p.get("Handler")).isEqualTo(spec.handler());
      assertThat(p.get("MemorySize")).isEqualTo(spec.memory());
      assertThat(p.get("Timeout")).isEqualTo(spec.timeout());
      assertThat(p.get("Layers")).isEqualTo(List.of(ref(id(stack.layer()))));
      assertThat(p.get("Role")).isEqualTo(arn(id(fn.role())));
      assertThat(p.get("LoggingConfig")).isEqualTo(Map.of("LogGroup", ref(id(fn.logGroup()))));
      assertThat(p.get("Environment")).isEqualTo(Map.of("Variables", spec.env()));
      assertThat(p.get("ReservedConcurrentExecutions")).isEqualTo(spec.reservedConcurrency());
      assertThat(p).doesNotContainKeys("VpcConfig", "TracingConfig", "EphemeralStorage");
      // SAM finds the code through the asset metadata
      @SuppressWarnings("unchecked")
      var meta = (Map<String, Object>) r.get("Metadata");
      assertThat(meta.get("aws:asset:property")).isEqualTo("Code");
      assertThat((String) meta.get("aws:asset:path")).matches("asset\\.[0-9a-f]{64}\\.zip");
    }
  }

  @Test
  void eachFunctionHasAPublishedVersionBehindTheLiveAlias() {
    for (String name : List.of("Ingest", "Seal", "Worker", "Coordinator", "Api")) {
      String fn = name + "Function";
      t.hasResourceProperties("AWS::Lambda::Version", Map.of("FunctionName", ref(fn)));
      t.hasResourceProperties(
          "AWS::Lambda::Alias",
          Map.of(
              "Name",
              "live",
              "FunctionName",
              ref(fn),
              "FunctionVersion",
              Map.of(
                  "Fn::GetAtt",
                  List.of(Match.stringLikeRegexp(fn + "CurrentVersion.*"), "Version"))));
    }
    t.hasResourceProperties(
        "AWS::Lambda::EventInvokeConfig",
        Map.of(
            "FunctionName",
            ref("CoordinatorFunction"),
            "MaximumRetryAttempts",
            0,
            "MaximumEventAgeInSeconds",
            300,
            "Qualifier",
            Match.anyValue()));
  }

  @Test
  void anEventBridgeScheduleRunsTheSealAliasEveryFiveMinutesWithoutRetries() {
    t.hasResourceProperties(
        "AWS::Events::Rule",
        Match.objectLike(
            Map.of(
                "ScheduleExpression",
                "rate(5 minutes)",
                "State",
                "ENABLED",
                "Targets",
                List.of(
                    Match.objectLike(
                        Map.of(
                            "Arn",
                            ref(id(stack.fn("Seal").alias())),
                            "RetryPolicy",
                            Map.of("MaximumRetryAttempts", 0)))))));
    t.hasResourceProperties(
        "AWS::Lambda::Permission",
        Match.objectLike(
            Map.of(
                "Action",
                "lambda:InvokeFunction",
                "FunctionName",
                ref(id(stack.fn("Seal").alias())),
                "Principal",
                "events.amazonaws.com")));
  }

  @Test
  void layerIsTheEngineZipForJava25Arm64() {
    t.hasResource(
        "AWS::Lambda::LayerVersion",
        Map.of(
            "Properties",
            Match.objectLike(
                Map.of(
                    "CompatibleRuntimes", List.of("java25"),
                    "CompatibleArchitectures", List.of("arm64"))),
            "Metadata",
            Map.of(
                "aws:asset:path",
                Match.stringLikeRegexp("asset\\.[0-9a-f]{64}\\.zip"),
                "aws:asset:is-bundled",
                false,
                "aws:asset:property",
                "Content")));
  }

  @Test
  void logGroupsKeepLogsThirtyDays() {
    var groups = Cfn.resources(t, "AWS::Logs::LogGroup");
    assertThat(groups).hasSize(9);
    String execution = id(stack.apiExecutionLogs());
    groups.forEach(
        (k, g) -> {
          Map<String, Object> expected = new LinkedHashMap<>();
          expected.put("RetentionInDays", 30);
          if (k.equals(execution)) {
            // the name API Gateway writes its execution logs to: in the stack, not made on use
            expected.put(
                "LogGroupName",
                Cfn.join("API-Gateway-Execution-Logs_", ref(id(stack.api())), "/v1"));
          }
          assertThat(Cfn.props(g)).as(k).isEqualTo(expected);
        });
    TrailqueryStack year = TestStacks.stack(Map.of("logRetentionDays", "365"));
    assertThat(Cfn.resources(TestStacks.template(year), "AWS::Logs::LogGroup").values())
        .filteredOn(g -> Cfn.props(g).get("RetentionInDays").equals(365))
        .hasSize(8); // the notifications handler's (deploy-time only) stays at 30
  }

  @Test
  void notificationsGoFromTheTrailPrefixToTheQueueWhichRedrivesToTheDlq() {
    t.hasResourceProperties(
        "Custom::S3BucketNotifications",
        Map.of(
            "ServiceToken",
            Match.anyValue(),
            "BucketName",
            "acme-cloudtrail",
            "Managed",
            false, // an existing bucket: other notification rules are kept
            "SkipDestinationValidation",
            false,
            "NotificationConfiguration",
            Map.of(
                "QueueConfigurations",
                List.of(
                    Map.of(
                        "Events",
                        List.of("s3:ObjectCreated:*"),
                        "Filter",
                        Map.of(
                            "Key",
                            Map.of(
                                "FilterRules",
                                List.of(
                                    Map.of("Name", "suffix", "Value", ".json.gz"),
                                    Map.of("Name", "prefix", "Value", "org/AWSLogs/")))),
                        "QueueArn",
                        arn(id(stack.ingestQueue())))))));
    t.hasResourceProperties(
        "AWS::SQS::Queue",
        Map.of(
            "SqsManagedSseEnabled",
            true,
            "VisibilityTimeout",
            720,
            "MessageRetentionPeriod",
            345600,
            "RedrivePolicy",
            Map.of("deadLetterTargetArn", arn(id(stack.deadLetterQueue())), "maxReceiveCount", 5)));
    t.hasResourceProperties(
        "AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true, "MessageRetentionPeriod", 1209600));
    t.hasResourceProperties(
        "AWS::Lambda::EventSourceMapping",
        Map.of(
            "EventSourceArn", arn(id(stack.ingestQueue())),
            "FunctionName", Match.anyValue(),
            "BatchSize", 10,
            "MaximumBatchingWindowInSeconds", 5,
            "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
            "ScalingConfig", Map.of("MaximumConcurrency", 10)));
    // the mapping invokes the alias, not $LATEST
    @SuppressWarnings("unchecked")
    var esm =
        Cfn.props(Cfn.resources(t, "AWS::Lambda::EventSourceMapping").values().iterator().next());
    assertThat(esm.get("FunctionName").toString())
        .contains(":live")
        .contains(id(stack.fn("Ingest").alias()));
  }

  @Test
  void notificationsHandlerLogsToItsOwnGroup() {
    t.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Handler",
                "index.handler",
                "LoggingConfig",
                Map.of("LogGroup", ref(id(stack.notificationsHandlerLogs()))))));
  }

  @Test
  void tablesAreOnDemandWithPitrEncryptionAndTheHandlersKeySchemas() {
    t.hasResource("AWS::DynamoDB::Table", table(List.of("name"), null));
    t.hasResource("AWS::DynamoDB::Table", table(List.of("pk", "sk"), "ttl"));
    assertThat(Cfn.resources(t, "AWS::DynamoDB::Table").values())
        .filteredOn(r -> Cfn.props(r).containsKey("TimeToLiveSpecification"))
        .hasSize(2); // aggregates and queries
  }

  private static Map<String, Object> table(List<String> keys, String ttl) {
    List<Object> attrs = new ArrayList<>();
    List<Object> schema = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      attrs.add(Map.of("AttributeName", keys.get(i), "AttributeType", "S"));
      schema.add(Map.of("AttributeName", keys.get(i), "KeyType", i == 0 ? "HASH" : "RANGE"));
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("AttributeDefinitions", attrs);
    p.put("KeySchema", schema);
    p.put("BillingMode", "PAY_PER_REQUEST");
    p.put("DeletionProtectionEnabled", false);
    p.put("PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true));
    p.put("SSESpecification", Map.of("SSEEnabled", true));
    if (ttl != null) {
      p.put("TimeToLiveSpecification", Map.of("AttributeName", ttl, "Enabled", true));
    }
    return Map.of("Properties", p, "DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain");
  }

  @Test
  void resultsBucketIsPrivateEncryptedAndExpiresQueryResults() {
    t.hasResource(
        "AWS::S3::Bucket",
        Map.of(
            "Properties",
            Map.of(
                "BucketEncryption", sse(),
                "PublicAccessBlockConfiguration", blockAll(),
                "OwnershipControls", ownerEnforced(),
                "LifecycleConfiguration",
                    Map.of(
                        "Rules",
                        List.of(
                            Map.of(
                                "Id", "expire-query-results",
                                "Prefix", "query-results/",
                                "ExpirationInDays", 7,
                                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1),
                                "Status", "Enabled"),
                            // compacted blocks: kept as long as the aggregates
                            Map.of(
                                "Id", "expire-blocks",
                                "Prefix", "blocks/",
                                "ExpirationInDays", 400,
                                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1),
                                "Status", "Enabled")))),
            "DeletionPolicy",
            "Retain",
            "UpdateReplacePolicy",
            "Retain"));
  }

  @Test
  void everyRouteIsAnIamAuthorizedProxyToTheApiAlias() {
    var methods = Cfn.resources(t, "AWS::ApiGateway::Method");
    assertThat(methods).hasSize(Route.values().length);
    Object uri =
        join(
            "arn:",
            Cfn.partition(),
            ":apigateway:",
            Cfn.region(),
            ":lambda:path/2015-03-31/functions/",
            ref(id(stack.fn("Api").alias())),
            "/invocations");
    for (var m : methods.values()) {
      Map<String, Object> p = Cfn.props(m);
      assertThat(p.get("AuthorizationType")).isEqualTo("AWS_IAM");
      assertThat(p.get("Integration"))
          .isEqualTo(Map.of("IntegrationHttpMethod", "POST", "Type", "AWS_PROXY", "Uri", uri));
    }
    List<String> sourcePaths = new ArrayList<>();
    int scheduled = 0;
    for (var perm : Cfn.resources(t, "AWS::Lambda::Permission").values()) {
      Map<String, Object> p = Cfn.props(perm);
      if ("events.amazonaws.com".equals(p.get("Principal"))) {
        // the schedules may invoke the compactor and seal aliases, nothing else
        assertThat(p.get("FunctionName"))
            .isIn(ref(id(stack.fn("Compactor").alias())), ref(id(stack.fn("Seal").alias())));
        scheduled++;
        continue;
      }
      assertThat(p.get("Action")).isEqualTo("lambda:InvokeFunction");
      assertThat(p.get("Principal")).isEqualTo("apigateway.amazonaws.com");
      assertThat(p.get("FunctionName")).isEqualTo(ref(id(stack.fn("Api").alias())));
      @SuppressWarnings("unchecked")
      var parts =
          (List<Object>)
              ((List<Object>) ((Map<String, Object>) p.get("SourceArn")).get("Fn::Join")).get(1);
      sourcePaths.add((String) parts.getLast());
    }
    List<String> expected = new ArrayList<>();
    for (var r : Route.values()) {
      expected.add("/" + r.method() + r.path().replaceAll("\\{[a-z]+\\+?}", "*"));
    }
    assertThat(sourcePaths).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(scheduled).isEqualTo(2);
    t.hasResourceProperties(
        "AWS::ApiGateway::RestApi",
        Map.of(
            "Name",
            "trailquery",
            "Description",
            Match.anyValue(),
            "EndpointConfiguration",
            Map.of("Types", List.of("REGIONAL"))));
  }

  @Test
  @SuppressWarnings("unchecked")
  void stageIsThrottledAndLogsAccessAndErrors() {
    t.hasResourceProperties(
        "AWS::ApiGateway::Stage",
        Map.of(
            "StageName", "v1",
            "RestApiId", ref(id(stack.api())),
            "DeploymentId", Match.anyValue(),
            "AccessLogSetting",
                Map.of(
                    "DestinationArn",
                    arn(id(stack.apiAccessLogs())),
                    "Format",
                    Match.stringLikeRegexp(".*\\$context.identity.userArn.*")),
            "MethodSettings", Match.anyValue()));
    Map<String, Object> stage =
        Cfn.props(Cfn.resources(t, "AWS::ApiGateway::Stage").values().iterator().next());
    List<Object> expected = new java.util.ArrayList<>();
    expected.add(
        Map.of(
            "HttpMethod",
            "*",
            "ResourcePath",
            "/*",
            "ThrottlingRateLimit",
            20,
            "ThrottlingBurstLimit",
            40,
            "LoggingLevel",
            "ERROR",
            "DataTraceEnabled",
            false,
            "MetricsEnabled",
            true));
    // S4: starting a query and every write have their own, lower throttles
    expected.add(throttle("POST", "/~1queries", 2, 5));
    for (String path :
        List.of(
            "/~1saved-queries~1{name+}",
            "/~1subscriptions~1{name}",
            "/~1subscriptions~1{name}~1alarm")) {
      for (String method : List.of("PUT", "DELETE")) {
        expected.add(throttle(method, path, 5, 10));
      }
    }
    expected.add(throttle("PUT", "/~1packs~1{pack}", 5, 10));
    expected.add(throttle("PUT", "/~1lookup-tables~1{name}", 5, 10));
    expected.add(throttle("DELETE", "/~1lookup-tables~1{name}", 5, 10));
    assertThat((List<Object>) stage.get("MethodSettings"))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(Cfn.resources(t, "AWS::ApiGateway::Account")).isEmpty();
  }

  @Test
  void apiGatewayLogsRoleOnlyWhenAskedFor() {
    Template withRole =
        TestStacks.template(TestStacks.stack(Map.of("createApiGatewayLogsRole", "true")));
    withRole.resourceCountIs("AWS::ApiGateway::Account", 1);
    withRole.hasResourceProperties(
        "AWS::IAM::Role",
        Match.objectLike(
            Map.of(
                "AssumeRolePolicyDocument",
                Match.objectLike(
                    Map.of(
                        "Statement",
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Principal",
                                    Map.of("Service", "apigateway.amazonaws.com")))))))));
  }

  @Test
  void alarmsOnDlqDepthQueueAgeAndEachFunctionsErrorsGoToTheTopic() {
    Object topic = List.of(ref(id(stack.alarmTopic())));
    t.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "AlarmActions", topic,
                "Namespace", "AWS/SQS",
                "MetricName", "ApproximateNumberOfMessagesVisible",
                "Dimensions",
                    List.of(
                        Map.of(
                            "Name",
                            "QueueName",
                            "Value",
                            Map.of(
                                "Fn::GetAtt", List.of(id(stack.deadLetterQueue()), "QueueName")))),
                "Threshold", 1,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "TreatMissingData", "notBreaching")));
    t.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "AlarmActions",
                topic,
                "MetricName",
                "ApproximateAgeOfOldestMessage",
                "Threshold",
                900)));
    for (String fn :
        List.of(
            "IngestFunction",
            "SealFunction",
            "WorkerFunction",
            "CoordinatorFunction",
            "ApiFunction")) {
      t.hasResourceProperties(
          "AWS::CloudWatch::Alarm",
          Match.objectLike(
              Map.of(
                  "AlarmActions",
                  topic,
                  "Namespace",
                  "AWS/Lambda",
                  "MetricName",
                  "Errors",
                  "Statistic",
                  "Sum",
                  "Period",
                  300,
                  "Threshold",
                  1,
                  "Dimensions",
                  List.of(Map.of("Name", "FunctionName", "Value", ref(fn))))));
    }
    t.resourceCountIs("AWS::SNS::Subscription", 0);
    Template mail = TestStacks.template(TestStacks.stack(Map.of("alarmEmail", "ops@example.com")));
    mail.hasResourceProperties(
        "AWS::SNS::Subscription",
        Map.of("Protocol", "email", "Endpoint", "ops@example.com", "TopicArn", Match.anyValue()));
  }

  @Test
  void outputsNameTheApiTopicDlqAndBucket() {
    t.hasOutput("ApiEndpoint4F160690", Match.anyValue());
    t.hasOutput("AlarmTopicArn", Map.of("Value", ref(id(stack.alarmTopic()))));
    t.hasOutput("DeadLetterQueueUrl", Map.of("Value", ref(id(stack.deadLetterQueue()))));
    t.hasOutput("TrailBucketName", Map.of("Value", "acme-cloudtrail"));
  }

  private static Map<String, Object> throttle(String method, String path, int rate, int burst) {
    return Map.of(
        "HttpMethod", method,
        "ResourcePath", path,
        "ThrottlingRateLimit", rate,
        "ThrottlingBurstLimit", burst,
        "LoggingLevel", "ERROR",
        "DataTraceEnabled", false,
        "MetricsEnabled", true);
  }

  private static Map<String, Object> sse() {
    return Map.of(
        "ServerSideEncryptionConfiguration",
        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))));
  }

  private static Map<String, Object> blockAll() {
    return Map.of(
        "BlockPublicAcls", true,
        "BlockPublicPolicy", true,
        "IgnorePublicAcls", true,
        "RestrictPublicBuckets", true);
  }

  private static Map<String, Object> ownerEnforced() {
    return Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced")));
  }
}
