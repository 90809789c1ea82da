package dev.trailquery.functions.api;

import dev.trailquery.contract.Env;
import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.aws.AwsClients;
import dev.trailquery.functions.fanout.AwsFanout;
import dev.trailquery.functions.fanout.Coordinator;
import dev.trailquery.functions.fanout.Launcher;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.query.AccountAccess;
import dev.trailquery.functions.query.DynamoSavedQueryStore;
import dev.trailquery.functions.query.QueryIds;
import dev.trailquery.functions.query.QueryLimits;
import dev.trailquery.functions.query.QueryStore;
import dev.trailquery.functions.query.SavedQueryStore;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.SubscriptionStore;
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
 *   <li>the fan-out's variables ({@link AwsFanout}): {@code TRAILQUERY_QUERIES_TABLE} (required;
 *       also the saved queries), {@code TRAILQUERY_TRAIL_BUCKET} (required), ...
 *   <li>{@code TRAILQUERY_COORDINATOR_FUNCTION}: the coordinator Lambda, invoked asynchronously;
 *       unset = a thread of this process
 *   <li>{@code TRAILQUERY_SUBSCRIPTIONS_TABLE}, {@code TRAILQUERY_RESULTS_TABLE}: the ingest path's
 *       tables, for the {@code /subscriptions} routes (501 without them); {@code
 *       TRAILQUERY_INGEST_FUNCTION}: the ingest Lambda that runs backfills asked for in Lambda
 *   <li>{@code TRAILQUERY_DEFAULT_RETENTION_DAYS}: retention of subscriptions created without one
 *   <li>{@code TRAILQUERY_CALLER_ACCOUNTS}: the per-principal account allow-list ({@link
 *       AccountAccess}); {@code TRAILQUERY_MAX_RUNNING_QUERIES_PER_CALLER} (5), {@code
 *       TRAILQUERY_MAX_RUNNING_QUERIES} (0: no cap), {@code TRAILQUERY_MAX_QUERY_RANGE_DAYS} (0: no
 *       cap): {@link QueryLimits}
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
    AwsFanout fanout = AwsFanout.from(env, s3, ddb);
    QueryStore store = fanout.store();
    Coordinator coordinator = fanout.coordinator();
    String table = Env.QUERIES_TABLE.require(env::get);
    String bucket = Env.TRAIL_BUCKET.require(env::get);
    String coordinatorFunction = Env.COORDINATOR_FUNCTION.get(env::get);
    LambdaClient lambda =
        fanout.lambda() != null || coordinatorFunction == null
            ? fanout.lambda()
            : AwsFanout.lambdaClient();
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
    api.withLookupTables(coordinator.lookupTables());
    api.withAccess(AccountAccess.fromEnv(env))
        .withLimits(QueryLimits.fromEnv(env, AwsFanout.positive(env, Env.QUERY_TIMEOUT_SECONDS)));
    return new AwsApi(api, coordinator);
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
    SubscriptionStore subs = new SubscriptionStore(ddb, subsTable, config.resultsTable(), 0);
    Results results =
        new Results(new ResultStore(ddb, config.resultsTable(), ResultStore.DEFAULT_PART_BYTES));
    String prefix = Env.TRAIL_PREFIX.get(env::get);
    String ingestFunction = Env.INGEST_FUNCTION.get(env::get);
    SubscriptionApi.Backfiller backfiller;
    if (ingestFunction != null && !ingestFunction.isBlank()) {
      LambdaClient client = lambda != null ? lambda : AwsFanout.lambdaClient();
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
