package dev.trailquery.functions.api;

import dev.trailquery.functions.aws.AwsClients;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The API wired to AWS services from environment variables — in Lambda, and in {@code ./trailquery
 * serve} when {@code AWS_ENDPOINT_URL_*} points at local servers:
 *
 * <ul>
 *   <li>{@code TRAILQUERY_QUERIES_TABLE} (required): DynamoDB table of queries and saved queries
 *       (string keys {@code pk}, {@code sk}; TTL attribute {@code ttl})
 *   <li>{@code TRAILQUERY_TRAIL_BUCKET} (required), {@code TRAILQUERY_TRAIL_PREFIX}: where the
 *       trail writes ({@code s3://bucket/[prefix/]AWSLogs/...})
 *   <li>{@code TRAILQUERY_RESULTS_BUCKET}, {@code TRAILQUERY_RESULTS_PREFIX}: results over 350 KB
 *   <li>{@code TRAILQUERY_WORKER_FUNCTION}: the worker Lambda; unset = threads of this process
 *   <li>{@code TRAILQUERY_COORDINATOR_FUNCTION}: the coordinator Lambda, invoked asynchronously;
 *       unset = a thread of this process
 *   <li>{@code TRAILQUERY_MAX_WORKERS} (64), {@code TRAILQUERY_WORKER_PARALLELISM} (32), {@code
 *       TRAILQUERY_QUERY_TIMEOUT_SECONDS} (900), {@code TRAILQUERY_DELIVERY_DELAY_MINUTES} (60: how
 *       much later than the range a file's name time may be)
 * </ul>
 */
public final class AwsApi {
  private static AwsApi instance;

  private final Api api;
  private final Coordinator coordinator;

  private AwsApi(Api api, Coordinator coordinator) {
    this.api = api;
    this.coordinator = coordinator;
  }

  public Api api() {
    return api;
  }

  public Coordinator coordinator() {
    return coordinator;
  }

  /** The process-wide instance built from {@link System#getenv()}. */
  public static synchronized AwsApi fromEnvironment() {
    if (instance == null) {
      instance = from(System.getenv());
    }
    return instance;
  }

  public static AwsApi from(Map<String, String> env) {
    String table = required(env, "TRAILQUERY_QUERIES_TABLE");
    String bucket = required(env, "TRAILQUERY_TRAIL_BUCKET");
    S3Client s3 = AwsClients.s3();
    DynamoDbClient ddb =
        DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    QueryStore store =
        new DynamoQueryStore(
            ddb,
            table,
            s3,
            env.get("TRAILQUERY_RESULTS_BUCKET"),
            env.getOrDefault("TRAILQUERY_RESULTS_PREFIX", "query-results/"),
            System::currentTimeMillis);
    TrailLayout layout =
        new TrailLayout(
            Duration.ofMinutes(5),
            Duration.ofMinutes(number(env, "TRAILQUERY_DELIVERY_DELAY_MINUTES", 60)),
            16,
            System::currentTimeMillis);
    S3Catalog catalog = new S3Catalog(s3, bucket, env.get("TRAILQUERY_TRAIL_PREFIX"), layout);
    FanoutConfig config =
        FanoutConfig.lambda()
            .withWorkers((int) number(env, "TRAILQUERY_MAX_WORKERS", 64))
            .withParallelism((int) number(env, "TRAILQUERY_WORKER_PARALLELISM", 32))
            .withTimeout(Duration.ofSeconds(number(env, "TRAILQUERY_QUERY_TIMEOUT_SECONDS", 900)));
    String worker = env.get("TRAILQUERY_WORKER_FUNCTION");
    String coordinatorFunction = env.get("TRAILQUERY_COORDINATOR_FUNCTION");
    LambdaClient lambda =
        worker != null || coordinatorFunction != null
            ? LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build()
            : null;
    Invoker invoker =
        worker != null ? new LambdaInvoker(lambda, worker) : new ThreadInvoker(catalog.source());
    Coordinator coordinator =
        new Coordinator(store, catalog, invoker, config, System::currentTimeMillis);
    Launcher launcher =
        coordinatorFunction != null
            ? id ->
                lambda.invoke(
                    b ->
                        b.functionName(coordinatorFunction)
                            .invocationType(InvocationType.EVENT)
                            .payload(SdkBytes.fromUtf8String("{\"queryId\":\"" + id + "\"}")))
            : Launcher.threads(coordinator::run);
    Api api =
        new Api(
            store,
            new DynamoSavedQueryStore(ddb, table),
            launcher,
            System::currentTimeMillis,
            () -> QueryIds.next(System.currentTimeMillis()));
    return new AwsApi(api, coordinator);
  }

  private static String required(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(name + " is not set");
    }
    return v;
  }

  private static long number(Map<String, String> env, String name, long dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalStateException(name + " must be a positive whole number, got '" + v + "'");
    }
  }
}
