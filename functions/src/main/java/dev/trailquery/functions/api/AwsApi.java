package dev.trailquery.functions.api;

import dev.trailquery.contract.Env;
import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.aws.AwsClients;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.SubscriptionStore;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
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
 *   <li>{@code TRAILQUERY_SUBSCRIPTIONS_TABLE}, {@code TRAILQUERY_RESULTS_TABLE}: the ingest path's
 *       tables, for the {@code /subscriptions} routes (501 without them); {@code
 *       TRAILQUERY_INGEST_FUNCTION}: the ingest Lambda that runs backfills asked for in Lambda
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
    return from(
        env,
        AwsClients.s3(),
        DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build());
  }

  /** The API over the given clients (tests point them at local servers). */
  public static AwsApi from(Map<String, String> env, S3Client s3, DynamoDbClient ddb) {
    return from(env, s3, ddb, () -> QueryIds.next(System.currentTimeMillis()));
  }

  /** The same with the query ids given (tests replay events that name a fixed id). */
  static AwsApi from(
      Map<String, String> env, S3Client s3, DynamoDbClient ddb, Supplier<String> queryIds) {
    String table = required(env, Env.QUERIES_TABLE);
    String bucket = required(env, Env.TRAIL_BUCKET);
    QueryStore store =
        new DynamoQueryStore(
            ddb,
            table,
            s3,
            Env.RESULTS_BUCKET.get(env::get),
            Env.RESULTS_PREFIX.get(env::get),
            System::currentTimeMillis);
    TrailLayout layout =
        new TrailLayout(
            Duration.ofMinutes(5),
            Duration.ofMinutes(number(env, Env.DELIVERY_DELAY_MINUTES)),
            16,
            System::currentTimeMillis);
    S3Catalog catalog = new S3Catalog(s3, bucket, env.get(Env.TRAIL_PREFIX.var()), layout);
    FanoutConfig config =
        FanoutConfig.lambda()
            .withWorkers((int) number(env, Env.MAX_WORKERS))
            .withParallelism((int) number(env, Env.WORKER_PARALLELISM))
            .withTimeout(Duration.ofSeconds(number(env, Env.QUERY_TIMEOUT_SECONDS)));
    String worker = Env.WORKER_FUNCTION.get(env::get);
    String coordinatorFunction = Env.COORDINATOR_FUNCTION.get(env::get);
    LambdaClient lambda =
        worker != null || coordinatorFunction != null
            ? LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build()
            : null;
    Invoker invoker =
        worker != null
            ? new LambdaInvoker(lambda, worker, resultsSpill(env, s3))
            : new ThreadInvoker(catalog.source());
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
    SavedQueryStore saved = new DynamoSavedQueryStore(ddb, table);
    Api api =
        new Api(
            store,
            saved,
            launcher,
            System::currentTimeMillis,
            queryIds,
            subscriptions(env, s3, ddb, saved, bucket, lambda));
    return new AwsApi(api, coordinator);
  }

  /** Where workers spill partial states too large for their response: the results bucket. */
  static StateSpill resultsSpill(Map<String, String> env, S3Client s3) {
    String bucket = Env.RESULTS_BUCKET.get(env::get);
    return bucket == null ? null : new S3StateSpill(s3, bucket, Env.RESULTS_PREFIX.get(env::get));
  }

  /**
   * The {@code /subscriptions} routes when {@code TRAILQUERY_SUBSCRIPTIONS_TABLE} is set (with
   * {@code TRAILQUERY_RESULTS_TABLE}: the ingest path's tables), else null (501). A {@code
   * backfillFrom} runs on a thread of this process ({@code serve}); in Lambda it is handed to the
   * ingest function ({@code TRAILQUERY_INGEST_FUNCTION}, invoked asynchronously with a {@code
   * backfill} event), and refused when that is not set.
   */
  static SubscriptionApi subscriptions(
      Map<String, String> env,
      S3Client s3,
      DynamoDbClient ddb,
      SavedQueryStore saved,
      String bucket,
      LambdaClient lambda) {
    String subsTable = env.get(Env.SUBSCRIPTIONS_TABLE.var());
    if (subsTable == null || subsTable.isBlank()) {
      return null;
    }
    IngestConfig config = IngestConfig.fromEnv(env::get, System.out);
    SubscriptionStore subs = new SubscriptionStore(ddb, subsTable, 0);
    Results results =
        new Results(new ResultStore(ddb, config.resultsTable(), ResultStore.DEFAULT_PART_BYTES));
    String prefix = Env.TRAIL_PREFIX.get(env::get);
    String ingestFunction = Env.INGEST_FUNCTION.get(env::get);
    SubscriptionApi.Backfiller backfiller;
    if (ingestFunction != null && !ingestFunction.isBlank()) {
      LambdaClient client =
          lambda != null
              ? lambda
              : LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
      backfiller =
          sub -> {
            client.invoke(
                b ->
                    b.functionName(ingestFunction)
                        .invocationType(InvocationType.EVENT)
                        .payload(
                            SdkBytes.fromUtf8String(
                                IngestHandler.backfillEvent(sub, bucket, prefix).toString())));
            return "started by the ingest function " + ingestFunction;
          };
    } else if (env.get("AWS_LAMBDA_FUNCTION_NAME") != null) {
      backfiller = null; // a thread would be frozen with the Lambda after the response
    } else {
      IngestHandler ingest = new IngestHandler(config, s3, ddb);
      backfiller =
          sub -> {
            Thread.ofPlatform()
                .daemon()
                .name("tq-backfill-" + sub.name())
                .start(() -> ingest.backfill(sub, bucket, prefix));
            return "started in this process";
          };
    }
    return new SubscriptionApi(
        subs,
        results,
        saved,
        backfiller,
        System::currentTimeMillis,
        new AlarmStore(ddb, config.resultsTable()),
        days(env, Env.DEFAULT_RETENTION_DAYS));
  }

  private static String required(Map<String, String> env, Env var) {
    return var.require(env::get);
  }

  private static long number(Map<String, String> env, Env var) {
    String v = var.get(env::get);
    try {
      long n = Long.parseLong(v.trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          var.var() + " must be a positive whole number, got '" + v + "'");
    }
  }

  /** Days, 0 or more ({@code TRAILQUERY_DEFAULT_RETENTION_DAYS}). */
  private static int days(Map<String, String> env, Env var) {
    String v = var.get(env::get);
    try {
      int n = Integer.parseInt(v.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          var.var() + " must be 0 or a whole number of days, got '" + v + "'");
    }
  }
}
