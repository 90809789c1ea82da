package dev.trailquery.infra;

import dev.trailquery.contract.Env;
import dev.trailquery.contract.LambdaFunction;
import dev.trailquery.contract.Route;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodDeploymentOptions;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.logs.LogGroup;

/**
 * The query API: a REST API (IAM / SigV4, one method per contract {@link Route}) → the API
 * function, which starts a query by invoking the coordinator asynchronously; the coordinator fans
 * the query's objects out over worker invocations and merges their partial states.
 */
final class QueryApi {
  final TrailqueryStack.Fn worker;
  final TrailqueryStack.Fn coordinator;
  final TrailqueryStack.Fn api;
  final LogGroup accessLogs;
  final RestApi restApi;

  /** API Gateway's execution (error) log group, made by the stack with retention. */
  final LogGroup executionLogs;

  /** The reader and admin policies on the method ARNs ({@link ApiAccess}). */
  final List<software.amazon.awscdk.services.iam.ManagedPolicy> rolePolicies;

  QueryApi(
      Stack stack,
      TrailqueryConfig config,
      TrailSource trail,
      Storage storage,
      Lambdas lambdas,
      IngestPipeline ingest,
      Map<Env, String> env,
      software.amazon.awscdk.services.sqs.IQueue asyncFailures) {
    worker =
        lambdas.function(
            LambdaFunction.WORKER,
            config.workerMemoryMb(),
            TrailqueryStack.WORKER_TIMEOUT,
            env,
            TrailqueryStack.JVM_SCAN,
            "trailquery worker: scans one batch of CloudTrail objects for a query");
    env.put(Env.WORKER_FUNCTION, worker.alias().getFunctionArn());
    coordinator =
        lambdas.function(
            LambdaFunction.COORDINATOR,
            config.coordinatorMemoryMb(),
            TrailqueryStack.COORDINATOR_TIMEOUT,
            env,
            TrailqueryStack.JVM_SCAN,
            "trailquery coordinator: fans one query out over worker invocations and merges");
    // A failed coordinator is not re-run: the query stays visible with its status, and a retry
    // would scan the whole range again.
    coordinator
        .alias()
        .configureAsyncInvoke(
            EventInvokeConfigOptions.builder()
                .retryAttempts(0)
                .maxEventAge(Duration.minutes(5))
                .onFailure(
                    new software.amazon.awscdk.services.lambda.destinations.SqsDestination(
                        asyncFailures))
                .build());
    env.put(Env.COORDINATOR_FUNCTION, coordinator.alias().getFunctionArn());
    env.put(Env.INGEST_FUNCTION, ingest.function.alias().getFunctionArn());
    api =
        lambdas.function(
            LambdaFunction.API,
            config.apiMemoryMb(),
            TrailqueryStack.API_TIMEOUT,
            env,
            TrailqueryStack.JVM_API,
            "trailquery API: queries, saved queries and subscriptions (API Gateway proxy)");

    grant(stack, config, trail, storage, ingest);

    accessLogs =
        LogGroup.Builder.create(stack, "ApiAccessLogs")
            .retention(Logs.RETENTION.get(config.logRetentionDays()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    SecuritySettings sec = config.security();
    // Starting a query and every write have their own, lower throttles. A method's settings
    // replace the stage's, so logging and metrics are set again.
    Map<String, MethodDeploymentOptions> methodThrottles = new java.util.LinkedHashMap<>();
    for (Route route : Route.values()) {
      boolean starts = route == Route.START_QUERY;
      if (starts || ApiAccess.write(route)) {
        methodThrottles.put(
            route.path() + "/" + route.method(),
            MethodDeploymentOptions.builder()
                .loggingLevel(MethodLoggingLevel.ERROR)
                .dataTraceEnabled(false)
                .metricsEnabled(true)
                .throttlingRateLimit(starts ? sec.queryRateLimit() : sec.writeRateLimit())
                .throttlingBurstLimit(starts ? sec.queryBurstLimit() : sec.writeBurstLimit())
                .build());
      }
    }
    restApi =
        RestApi.Builder.create(stack, "Api")
            .restApiName("trailquery")
            .description("trailquery: Logs Insights queries over CloudTrail in S3 (SigV4)")
            .endpointTypes(List.of(EndpointType.REGIONAL))
            .cloudWatchRole(config.createApiGatewayLogsRole())
            .policy(ApiAccess.resourcePolicy(sec))
            .defaultMethodOptions(
                MethodOptions.builder().authorizationType(AuthorizationType.IAM).build())
            .deployOptions(
                StageOptions.builder()
                    .stageName(Route.STAGE)
                    .throttlingRateLimit(config.apiRateLimit())
                    .throttlingBurstLimit(config.apiBurstLimit())
                    .loggingLevel(MethodLoggingLevel.ERROR)
                    .dataTraceEnabled(false)
                    .metricsEnabled(true)
                    .methodOptions(methodThrottles)
                    .accessLogDestination(new LogGroupLogDestination(accessLogs))
                    .accessLogFormat(AccessLogFormat.custom(TrailqueryStack.ACCESS_LOG_FORMAT))
                    .build())
            .build();
    // TLS 1.2+ (1.3 first) on the regional endpoint, and only through its own host name (STRICT).
    var cfnApi =
        (software.amazon.awscdk.services.apigateway.CfnRestApi) restApi.getNode().getDefaultChild();
    cfnApi.setSecurityPolicy(sec.apiSecurityPolicy());
    if (sec.apiSecurityPolicy().startsWith("SecurityPolicy_")) {
      cfnApi.setEndpointAccessMode("STRICT");
    }
    // API Gateway would create its execution log group on first use, outside the stack and kept
    // forever; this one is the stack's, with the retention of the others.
    executionLogs =
        LogGroup.Builder.create(stack, "ApiExecutionLogs")
            .logGroupName(
                software.amazon.awscdk.Fn.join(
                    "",
                    List.of(
                        "API-Gateway-Execution-Logs_", restApi.getRestApiId(), "/" + Route.STAGE)))
            .retention(Logs.RETENTION.get(config.logRetentionDays()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    restApi.getDeploymentStage().getNode().addDependency(executionLogs);
    LambdaIntegration integration =
        LambdaIntegration.Builder.create(api.alias()).allowTestInvoke(false).build();
    for (Route route : Route.values()) {
      restApi.getRoot().resourceForPath(route.path()).addMethod(route.method(), integration);
    }
    rolePolicies = ApiAccess.rolePolicies(stack, restApi);
  }

  /**
   * Worker: read the trail's log objects. Coordinator: list the trail's prefix, keep the query's
   * state, store big results, invoke workers. API: queries and saved queries, read big results,
   * start coordinators and backfills (ingest), subscriptions and their results.
   */
  private void grant(
      Stack stack,
      TrailqueryConfig config,
      TrailSource trail,
      Storage storage,
      IngestPipeline ingest) {
    worker
        .role()
        .addToPrincipalPolicy(
            Lambdas.allow(List.of("s3:GetObject"), List.of(trail.logObjects(config))));
    trail.grantDecrypt(stack, config, worker.role());

    var c = coordinator.role();
    c.addToPrincipalPolicy(trail.listLogs(config));
    c.addToPrincipalPolicy(
        Lambdas.allow(
            List.of("dynamodb:GetItem", "dynamodb:PutItem"),
            List.of(storage.queries.getTableArn())));
    c.addToPrincipalPolicy(
        Lambdas.allow(
            List.of("s3:GetObject", "s3:PutObject"), List.of(storage.queryResultObjects())));
    c.addToPrincipalPolicy(
        Lambdas.allow(List.of("lambda:InvokeFunction"), List.of(worker.alias().getFunctionArn())));
    // partial states too large for a worker's 6 MB response: the worker puts them, the
    // coordinator takes (gets and deletes) them; the results prefix's lifecycle rule expires any
    // left behind
    worker
        .role()
        .addToPrincipalPolicy(
            Lambdas.allow(List.of("s3:PutObject"), List.of(storage.spilledStateObjects())));
    c.addToPrincipalPolicy(
        Lambdas.allow(List.of("s3:DeleteObject"), List.of(storage.spilledStateObjects())));
    // the lookup tables a query uses (sent on to its workers)
    c.addToPrincipalPolicy(
        Lambdas.allow(List.of("s3:GetObject"), List.of(storage.lookupTableObjects())));

    var a = api.role();
    a.addToPrincipalPolicy(
        Lambdas.allow(
            List.of(
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:Query"),
            List.of(storage.queries.getTableArn())));
    a.addToPrincipalPolicy(
        Lambdas.allow(List.of("s3:GetObject"), List.of(storage.queryResultObjects())));
    // PUT|GET|DELETE /lookup-tables/{name}, GET /lookup-tables (listing only that prefix)
    a.addToPrincipalPolicy(
        Lambdas.allow(
            List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
            List.of(storage.lookupTableObjects())));
    a.addToPrincipalPolicy(
        software.amazon.awscdk.services.iam.PolicyStatement.Builder.create()
            .actions(List.of("s3:ListBucket"))
            .resources(List.of(storage.results.getBucketArn()))
            .conditions(
                java.util.Map.of(
                    "StringLike",
                    java.util.Map.of(
                        "s3:prefix",
                        List.of(dev.trailquery.contract.Keys.LOOKUP_TABLES_PREFIX + "*"))))
            .build());
    a.addToPrincipalPolicy(
        Lambdas.allow(
            List.of("lambda:InvokeFunction"), List.of(coordinator.alias().getFunctionArn())));
    a.addToPrincipalPolicy(
        Lambdas.allow(
            List.of("lambda:InvokeFunction"), List.of(ingest.function.alias().getFunctionArn())));
    a.addToPrincipalPolicy(
        Lambdas.allow(
            List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Scan"),
            List.of(storage.subscriptions.getTableArn())));
    a.addToPrincipalPolicy(
        Lambdas.allow(
            List.of(
                "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"),
            List.of(storage.aggregates.getTableArn())));
  }
}
