package dev.trailquery.cli;

import dev.trailquery.contract.Env;
import dev.trailquery.contract.SamEnv;
import dev.trailquery.functions.store.Tables;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code local-init [--sam-env]}: the tables and bucket of the local stack (on {@code
 * AWS_ENDPOINT_URL_*}), and the environment the handlers need.
 */
@Command(
    name = "local-init",
    description = {
      "create the local tables and bucket if missing; print the exports the handlers need",
      "On the servers of AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL_DYNAMODB (e.g. S3Proxy and"
          + " dynalite; docs/DEPLOY.md); table and bucket names from TRAILQUERY_* or the defaults."
          + " Then eval its output: eval \"$(./trailquery local-init)\"."
    })
final class LocalInitCommand implements Callable<Integer> {
  private final Context ctx;

  @Option(
      names = "--sam-env",
      description =
          "print instead the --env-vars JSON of 'sam local' (template synthesized with -c"
              + " local=true)")
  boolean samEnv;

  LocalInitCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    StackEnv stack = new StackEnv(ctx);
    String subs = stack.subscriptionsTable();
    String results = stack.resultsTable();
    String queries = stack.queriesTable();
    String bucket = stack.bucket();
    DynamoDbClient db = ctx.db();
    S3Client s3 = ctx.s3();
    boolean a = Tables.createIfMissing(db, Tables.subscriptions(subs));
    boolean b = Tables.createIfMissing(db, Tables.results(results));
    boolean q = Tables.createIfMissing(db, Tables.queries(queries));
    boolean c = false;
    try {
      s3.headBucket(r -> r.bucket(bucket));
    } catch (S3Exception missing) {
      s3.createBucket(r -> r.bucket(bucket));
      c = true;
    }
    ctx.err.println(
        "trailquery: tables "
            + subs
            + (a ? " (created)" : " (exists)")
            + ", "
            + results
            + (b ? " (created)" : " (exists)")
            + ", "
            + queries
            + (q ? " (created)" : " (exists)")
            + "; bucket "
            + bucket
            + (c ? " (created)" : " (exists)"));
    if (samEnv) {
      ctx.out.print(samEnv(ctx::env, subs, results, queries, bucket));
      return 0;
    }
    for (String name : List.of("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_REGION")) {
      String v = ctx.env(name);
      if (v != null) {
        ctx.out.println("export " + name + "=" + v);
      }
    }
    ctx.out.println("export " + Tables.ENV_SUBSCRIPTIONS + "=" + subs);
    ctx.out.println("export " + Tables.ENV_RESULTS + "=" + results);
    ctx.out.println("export " + Env.TRAIL_BUCKET.var() + "=" + bucket);
    // The query API (serve with AWS endpoints, AwsApi): its table.
    ctx.out.println("export " + Tables.ENV_QUERIES + "=" + queries);
    return 0;
  }

  /**
   * The {@code --env-vars} JSON of {@code sam local} for these tables and bucket, with the
   * endpoints of {@code env} ({@code AWS_ENDPOINT_URL_S3}, {@code _DYNAMODB}, {@code _SNS}, or
   * {@code AWS_ENDPOINT_URL}); alarm notifications become log lines (no topic).
   */
  static String samEnv(
      Function<String, String> env, String subs, String results, String queries, String bucket) {
    Map<Env, String> values = new EnumMap<>(Env.class);
    String any = env.apply("AWS_ENDPOINT_URL");
    for (Env e : Env.LOCAL_ENDPOINTS) {
      String v = env.apply(e.var());
      if (v != null || any != null) {
        values.put(e, v != null ? v : any);
      }
    }
    values.put(Env.TRAIL_BUCKET, bucket);
    values.put(Env.TRAIL_PREFIX, "");
    values.put(Env.SUBSCRIPTIONS_TABLE, subs);
    values.put(Env.RESULTS_TABLE, results);
    values.put(Env.QUERIES_TABLE, queries);
    values.put(Env.RESULTS_BUCKET, bucket);
    values.put(Env.ALARM_TOPIC_ARN, "");
    return SamEnv.json(values);
  }
}
