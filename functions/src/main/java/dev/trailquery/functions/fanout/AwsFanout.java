package dev.trailquery.functions.fanout;

import dev.trailquery.contract.Env;
import dev.trailquery.functions.catalog.S3Catalog;
import dev.trailquery.functions.catalog.TrailLayout;
import dev.trailquery.functions.query.AccountAccess;
import dev.trailquery.functions.query.DynamoQueryStore;
import dev.trailquery.functions.query.QueryStore;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A query's fan-out over AWS, configured from environment variables (the coordinator Lambda's, and
 * the API's, which runs the same coordinator on a thread when there is no coordinator function):
 *
 * <ul>
 *   <li>{@code TRAILQUERY_QUERIES_TABLE} (required): the queries' state
 *   <li>{@code TRAILQUERY_TRAIL_BUCKET} (required), {@code TRAILQUERY_TRAIL_PREFIX}: where the
 *       trail writes
 *   <li>{@code TRAILQUERY_RESULTS_BUCKET}, {@code TRAILQUERY_RESULTS_PREFIX}: results over 350 KB
 *   <li>{@code TRAILQUERY_WORKER_FUNCTION}: the worker Lambda; unset = threads of this process
 *   <li>{@code TRAILQUERY_MAX_WORKERS} (64), {@code TRAILQUERY_WORKER_PARALLELISM} (32), {@code
 *       TRAILQUERY_QUERY_TIMEOUT_SECONDS} (900), {@code TRAILQUERY_DELIVERY_DELAY_MINUTES} (60: how
 *       much later than the range a file's name time may be)
 *   <li>{@code TRAILQUERY_CALLER_ACCOUNTS}: the account allow-list the coordinator enforces ({@link
 *       AccountAccess})
 * </ul>
 *
 * @param lambda the Lambda client when a worker function is set, else null
 */
public record AwsFanout(
    QueryStore store, S3Catalog catalog, Coordinator coordinator, LambdaClient lambda) {

  /** The fan-out over the given clients. */
  public static AwsFanout from(Map<String, String> env, S3Client s3, DynamoDbClient ddb) {
    String table = Env.QUERIES_TABLE.require(env::get);
    String bucket = Env.TRAIL_BUCKET.require(env::get);
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
            Duration.ofMinutes(positive(env, Env.DELIVERY_DELAY_MINUTES)),
            16,
            System::currentTimeMillis);
    S3Catalog catalog = new S3Catalog(s3, bucket, env.get(Env.TRAIL_PREFIX.var()), layout);
    FanoutConfig config =
        FanoutConfig.lambda()
            .withWorkers((int) positive(env, Env.MAX_WORKERS))
            .withParallelism((int) positive(env, Env.WORKER_PARALLELISM))
            .withTimeout(Duration.ofSeconds(positive(env, Env.QUERY_TIMEOUT_SECONDS)));
    String worker = Env.WORKER_FUNCTION.get(env::get);
    LambdaClient lambda = worker != null ? lambdaClient() : null;
    // with TRAILQUERY_BLOCKS_BUCKET: compacted blocks where they exist (docs/BLOCKS.md)
    var queried = dev.trailquery.functions.blocks.Blocks.catalog(catalog, s3, env::get);
    Invoker invoker =
        worker != null
            ? new LambdaInvoker(lambda, worker, resultsSpill(env, s3))
            : new ThreadInvoker(queried.source());
    // lookup tables live in the results bucket (PUT /lookup-tables/{name}); in memory without one
    String resultsBucket = Env.RESULTS_BUCKET.get(env::get);
    dev.trailquery.functions.lookup.LookupTableStore tables =
        resultsBucket != null
            ? new dev.trailquery.functions.lookup.S3LookupTableStore(
                s3, resultsBucket, dev.trailquery.contract.Keys.LOOKUP_TABLES_PREFIX)
            : new dev.trailquery.functions.lookup.InMemoryLookupTableStore();
    Coordinator coordinator =
        new Coordinator(store, queried, invoker, config, System::currentTimeMillis)
            .withLookupTables(tables)
            .withAccess(AccountAccess.fromEnv(env));
    return new AwsFanout(store, catalog, coordinator, lambda);
  }

  /** Where workers spill partial states too large for their response: the results bucket. */
  static StateSpill resultsSpill(Map<String, String> env, S3Client s3) {
    String bucket = Env.RESULTS_BUCKET.get(env::get);
    return bucket == null ? null : new S3StateSpill(s3, bucket, Env.RESULTS_PREFIX.get(env::get));
  }

  /** The SDK's Lambda client with the URLConnection HTTP client. */
  public static LambdaClient lambdaClient() {
    return LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /** A variable that must be a whole number of at least 1. */
  public static long positive(Map<String, String> env, Env var) {
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
}
