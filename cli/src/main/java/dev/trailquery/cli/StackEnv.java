package dev.trailquery.cli;

import dev.trailquery.contract.Env;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.store.sealing.SealedStore;
import dev.trailquery.functions.store.sealing.Sealer;
import java.io.PrintStream;

/**
 * The deployed stack's names as the subscription, alarm and local-function commands see them: the
 * same environment the Lambda handlers read ({@code TRAILQUERY_*} tables, {@code
 * TRAILQUERY_TRAIL_BUCKET}, {@code AWS_ENDPOINT_URL_*}), from the command's {@link Context}.
 */
record StackEnv(Context ctx) {
  /** The trail bucket: {@code TRAILQUERY_TRAIL_BUCKET}, as the Lambda functions read it. */
  String bucket() {
    String b = ctx.env(Env.TRAIL_BUCKET.var());
    return b == null || b.isBlank() ? "trailquery-cloudtrail" : b;
  }

  /** The key prefix of the trail's logs in the bucket ({@code TRAILQUERY_TRAIL_PREFIX}). */
  String prefix() {
    String p = ctx.env(Env.TRAIL_PREFIX.var());
    return p == null ? "" : p;
  }

  String subscriptionsTable() {
    return Tables.subscriptionsName(ctx::env);
  }

  String resultsTable() {
    return Tables.resultsName(ctx::env);
  }

  String queriesTable() {
    return Tables.queriesName(ctx::env);
  }

  /** The subscriptions, their lookup tables pinned in the results table. */
  SubscriptionStore subscriptions() {
    return new SubscriptionStore(ctx.db(), subscriptionsTable(), resultsTable(), 0);
  }

  ResultStore results() {
    return new ResultStore(ctx.db(), resultsTable(), ResultStore.DEFAULT_PART_BYTES);
  }

  IngestConfig ingestConfig(PrintStream log) {
    return IngestConfig.fromEnv(ctx::env, log);
  }

  /** The sealer the deployed schedule runs, over this environment's tables. */
  Sealer sealer() {
    SubscriptionStore subs = subscriptions();
    return new Sealer(new SealedStore(results()), subs::list, System::currentTimeMillis);
  }
}
