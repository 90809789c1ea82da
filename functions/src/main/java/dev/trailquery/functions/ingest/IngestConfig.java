package dev.trailquery.functions.ingest;

import dev.trailquery.contract.Env;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.read.CloudTrailReader;
import java.io.PrintStream;
import java.util.function.Function;

/**
 * How the ingest handler runs. The no-argument handler reads it from the environment ({@link
 * #fromEnv}); tests and {@code ./trailquery invoke} build it directly.
 *
 * @param subscriptionsTable {@code TRAILQUERY_SUBSCRIPTIONS_TABLE}
 * @param resultsTable {@code TRAILQUERY_RESULTS_TABLE}
 * @param cacheMillis how long subscriptions are cached ({@code
 *     TRAILQUERY_SUBSCRIPTION_CACHE_SECONDS}, default 60)
 * @param partBytes bundle bytes per DynamoDB item ({@code TRAILQUERY_PART_BYTES}, default 350000)
 * @param maxDecodedBytes cap on decompressed bytes per object ({@code TRAILQUERY_MAX_OBJECT_BYTES},
 *     default 1 GiB)
 * @param log where the JSON log lines and EMF metrics go (stdout in Lambda)
 */
public record IngestConfig(
    String subscriptionsTable,
    String resultsTable,
    long cacheMillis,
    int partBytes,
    long maxDecodedBytes,
    PrintStream log) {

  public static IngestConfig fromEnv() {
    return fromEnv(System.out);
  }

  public static IngestConfig fromEnv(PrintStream log) {
    return fromEnv(System::getenv, log);
  }

  /** From the variables {@code env} gives (the process environment, or a test's map). */
  public static IngestConfig fromEnv(Function<String, String> env, PrintStream log) {
    return new IngestConfig(
        Tables.subscriptionsName(env),
        Tables.resultsName(env),
        1000L * longEnv(env, Env.SUBSCRIPTION_CACHE_SECONDS),
        (int) longEnv(env, Env.PART_BYTES),
        longEnv(env, Env.MAX_OBJECT_BYTES),
        log);
  }

  public static IngestConfig defaults(
      String subscriptionsTable, String resultsTable, PrintStream log) {
    return new IngestConfig(
        subscriptionsTable,
        resultsTable,
        60_000,
        ResultStore.DEFAULT_PART_BYTES,
        CloudTrailReader.DEFAULT_MAX_DECODED_BYTES,
        log);
  }

  public IngestConfig withPartBytes(int bytes) {
    return new IngestConfig(
        subscriptionsTable, resultsTable, cacheMillis, bytes, maxDecodedBytes, log);
  }

  public IngestConfig withCacheMillis(long millis) {
    return new IngestConfig(
        subscriptionsTable, resultsTable, millis, partBytes, maxDecodedBytes, log);
  }

  private static long longEnv(Function<String, String> env, Env var) {
    try {
      return var.getLong(env);
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(var.var() + " must be a number: " + env.apply(var.var()));
    }
  }
}
