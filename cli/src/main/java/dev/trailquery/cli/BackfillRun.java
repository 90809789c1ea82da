package dev.trailquery.cli;

import dev.trailquery.functions.ingest.Backfill;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.store.Subscription;
import java.io.IOException;
import java.util.List;

/**
 * {@code subscribe --backfill-from T}: the trail's existing objects from T counted into new
 * subscriptions, in this process (8 threads), exactly once alongside the ingest Lambda.
 */
record BackfillRun(Context ctx) {
  static final int THREADS = 8;

  void run(List<Subscription> subs, long from) throws IOException {
    StackEnv stack = new StackEnv(ctx);
    IngestConfig config = stack.ingestConfig(ctx.err);
    var ingestor = new IngestHandler(config, ctx.s3(), ctx.db()).ingestor();
    Backfill.Report r;
    try {
      r =
          Backfill.run(
              ingestor,
              ctx.s3(),
              stack.bucket(),
              stack.prefix(),
              subs,
              from,
              config.cacheMillis(),
              THREADS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("backfill interrupted", e);
    }
    ctx.err.println(
        "trailquery: backfilled "
            + r.processed()
            + " objects ("
            + r.records()
            + " records, "
            + r.skipped()
            + " skipped)");
  }
}
