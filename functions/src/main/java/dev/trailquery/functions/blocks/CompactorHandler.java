package dev.trailquery.functions.blocks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.blocks.Compactor;
import dev.trailquery.contract.Env;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.aws.AwsClients;
import dev.trailquery.functions.catalog.ObjectCatalog;
import dev.trailquery.functions.catalog.S3Catalog;
import dev.trailquery.functions.catalog.TrailLayout;
import dev.trailquery.store.ObjectRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The compactor Lambda: rolls the trail's objects of a range of hour windows into blocks in the
 * stack's bucket ({@code TRAILQUERY_BLOCKS_BUCKET}/{@code blocks/}). Events:
 *
 * <ul>
 *   <li>{@code {"from": T, "to": T}} (epoch ms or ISO-8601): {@code ./trailquery compact-trail}
 *       sends one a day, asynchronously;
 *   <li>the hourly schedule's EventBridge event: the three hours ending {@link #SETTLE_MILLIS}
 *       before its time (a window is compacted again only if objects arrived since).
 * </ul>
 *
 * Answers {@code {"windows", "compacted", "upToDate", "objects", "left", "records", "blocks",
 * "blockBytes", "rawBytes"}}.
 */
public final class CompactorHandler implements RequestStreamHandler {
  /** How long after a window's end it is first compacted: CloudTrail delivers within ~15 min. */
  public static final long SETTLE_MILLIS = 20 * 60_000L;

  private static final long HOUR = 3_600_000L;

  /** The hours the schedule compacts each run. */
  static final int SCHEDULED_HOURS = 3;

  /** The zstd level of the schedule's runs (few windows: time to compress harder). */
  static final int SCHEDULED_LEVEL = 19;

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final S3BlockStore store;
  private final LongSupplier clock;

  /** Built from the Lambda environment. */
  public CompactorHandler() {
    this(AwsClients.s3(), System::getenv, System::currentTimeMillis);
    dev.trailquery.functions.aws.Priming.register();
  }

  public CompactorHandler(S3Client s3, Function<String, String> env, LongSupplier clock) {
    this.s3 = s3;
    this.bucket = Env.TRAIL_BUCKET.get(env);
    this.prefix = Env.TRAIL_PREFIX.get(env);
    this.store = Blocks.store(s3, env);
    this.clock = clock;
  }

  @Override
  public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
    JsonNode event = dev.trailquery.json.Mappers.MAPPER.readTree(in);
    long[] range = range(event, clock.getAsLong());
    Compactor.Report r = compact(range[0], range[1]);
    var resp = dev.trailquery.json.Mappers.MAPPER.createObjectNode();
    resp.put("from", Instant.ofEpochMilli(range[0]).toString());
    resp.put("to", Instant.ofEpochMilli(range[1]).toString());
    resp.put("windows", r.windows());
    resp.put("compacted", r.compacted());
    resp.put("upToDate", r.upToDate());
    resp.put("objects", r.objects());
    resp.put("left", r.objectsLeft());
    resp.put("records", r.records());
    resp.put("blocks", r.blocks());
    resp.put("blockBytes", r.blockBytes());
    resp.put("rawBytes", r.rawBytes());
    dev.trailquery.json.Mappers.MAPPER.writeValue(out, resp);
  }

  /** The range an event asks for: [from, to) in epoch ms, whole hours. */
  static long[] range(JsonNode event, long now) {
    if (event != null && event.has("from")) {
      long from = time(event.get("from"));
      long to = event.has("to") ? time(event.get("to")) : now - SETTLE_MILLIS;
      return new long[] {floorHour(from), floorHour(to)};
    }
    long t = now;
    if (event != null && event.hasNonNull("time")) {
      t = Instant.parse(event.get("time").asText()).toEpochMilli();
    }
    long to = floorHour(t - SETTLE_MILLIS);
    return new long[] {to - SCHEDULED_HOURS * HOUR, to};
  }

  private static long time(JsonNode n) {
    return n.isNumber() ? n.asLong() : Instant.parse(n.asText()).toEpochMilli();
  }

  private static long floorHour(long t) {
    return Math.floorDiv(t, HOUR) * HOUR;
  }

  /** Compacts the windows of [from, to). */
  public Compactor.Report compact(long from, long to) throws IOException {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalStateException(Env.TRAIL_BUCKET.var() + " is not set");
    }
    if (store == null) {
      throw new IllegalStateException(Env.BLOCKS_BUCKET.var() + " is not set");
    }
    S3Catalog catalog = new S3Catalog(s3, bucket, prefix, TrailLayout.defaults());
    List<Scan.Input> inputs = new ArrayList<>();
    for (ObjectRef r : catalog.list(new ObjectCatalog.Range(from, to, List.of(), List.of()))) {
      inputs.add(new Scan.Input(catalog.source(), r));
    }
    // 32 objects read at once: the GETs' latency, not the CPU, bounds a window
    Compactor.Options o = Compactor.Options.defaults().withThreads(32);
    if (to - from <= SCHEDULED_HOURS * HOUR) {
      // the hourly schedule's few windows: zstd-19, 1 point less storage than the default 15 for
      // ~5x the CPU (docs/BLOCKS.md); a day of history (compact-trail --function) keeps 15 to
      // stay well within the function's 15 minutes at 100,000 objects a day
      o = o.withLevel(SCHEDULED_LEVEL);
    }
    return new Compactor(store, o, clock)
        .compactInputs(
            inputs, from, to, "s3://" + bucket + "/" + (prefix == null ? "" : prefix), null);
  }
}
