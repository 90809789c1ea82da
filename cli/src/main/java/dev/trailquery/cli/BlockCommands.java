package dev.trailquery.cli;

import dev.trailquery.blocks.BlockQuery;
import dev.trailquery.blocks.BlockStore;
import dev.trailquery.blocks.Compactor;
import dev.trailquery.blocks.DirBlockStore;
import dev.trailquery.blocks.Manifest;
import dev.trailquery.exec.Result;
import dev.trailquery.functions.blocks.S3BlockStore;
import dev.trailquery.plan.Plan;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Compacted blocks in the CLI: {@code compact-trail} builds them, and {@code query} reads a blocks
 * directory or {@code s3://} prefix given as a PATH (blocks where they exist, raw objects for the
 * rest).
 */
final class BlockCommands {
  private BlockCommands() {}

  /** {@code compact-trail}. */
  @Command(
      name = "compact-trail",
      description = {
        "roll the trail's objects into compacted blocks (hour windows)",
        "Idempotent and resumable: run it again to continue or catch up. SOURCE defaults to"
            + " s3://$TRAILQUERY_TRAIL_BUCKET/$TRAILQUERY_TRAIL_PREFIX, --blocks to"
            + " s3://$TRAILQUERY_BLOCKS_BUCKET/blocks/. Then query the blocks: trailquery query"
            + " 'QUERY' BLOCKS [SOURCE...]. With --function (or TRAILQUERY_COMPACTOR_FUNCTION),"
            + " the deployed compactor runs each day of the range (asynchronous invocations)."
            + " docs/BLOCKS.md."
      },
      customSynopsis = {
        "trailquery compact-trail --from T [--to T] [--blocks DIR|s3://BUCKET/PREFIX] [--threads N]"
            + " [--quiet] [SOURCE...]",
        "       compact-trail --from T [--to T] --function NAME"
      })
  static final class CompactTrail implements Callable<Integer> {
    private final Context ctx;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "T",
        description = "the first hour (e.g. -7d)")
    String from;

    @Option(
        names = "--to",
        paramLabel = "T",
        description =
            "the end (exclusive; default: 20 minutes ago, the window still delivered"
                + " is left alone)")
    String to;

    @Option(
        names = "--blocks",
        paramLabel = "DIR|s3://BUCKET/PREFIX",
        description = "where the blocks go")
    String blocks;

    @Option(
        names = "--threads",
        paramLabel = "N",
        converter = Converters.PositiveInt.class,
        description = "objects read at once")
    Integer threads;

    @Option(
        names = "--function",
        paramLabel = "NAME",
        description = "the deployed compactor function to invoke instead")
    String function;

    @Option(names = "--quiet", description = "no line per window")
    boolean quiet;

    @Parameters(paramLabel = "SOURCE", arity = "0..*", description = "the raw trail")
    List<String> sources = new ArrayList<>();

    CompactTrail(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
      return compactTrail(this, ctx.out, ctx.err);
    }
  }

  static int compactTrail(CompactTrail a, PrintStream out, PrintStream err) throws IOException {
    Instant now = Instant.now();
    long from = Times.parseMillis(a.from, now);
    // the window still being delivered is left alone by default: it would be compacted again
    long to = a.to == null ? now.toEpochMilli() - 20 * 60_000L : Times.parseMillis(a.to, now);
    if (from >= to) {
      throw new UsageException("--from must be before --to");
    }
    List<String> paths = new ArrayList<>(a.sources);
    String function =
        a.function != null ? a.function : System.getenv("TRAILQUERY_COMPACTOR_FUNCTION");
    if (paths.isEmpty() && a.blocks == null && function != null && !function.isBlank()) {
      return invokeDeployed(function, from, to, out);
    }
    if (paths.isEmpty()) {
      String bucket = System.getenv("TRAILQUERY_TRAIL_BUCKET");
      if (bucket == null || bucket.isBlank()) {
        throw new UsageException(
            "compact-trail needs a SOURCE (a directory or s3://...) or TRAILQUERY_TRAIL_BUCKET");
      }
      String prefix = System.getenv("TRAILQUERY_TRAIL_PREFIX");
      prefix = prefix == null || prefix.isBlank() ? "" : prefix.replaceAll("/*$", "/");
      paths.add("s3://" + bucket + "/" + prefix + "AWSLogs/");
    }
    BlockStore store = blockStore(a.blocks);
    for (String p : paths) {
      if (!p.startsWith("s3://") && Files.exists(Path.of(p))) {
        Path src = Path.of(p).toAbsolutePath().normalize();
        if (store instanceof DirBlockStore d
            && d.root().toAbsolutePath().normalize().startsWith(src)) {
          throw new UsageException("--blocks must not lie inside the trail (" + p + ")");
        }
      }
    }
    List<ObjectSource> sources = Sources.open(paths);
    Compactor.Options o = Compactor.Options.defaults();
    Integer threads = a.threads;
    o = o.withThreads(threads != null ? threads : Sources.threads(sources));
    long t0 = System.nanoTime();
    boolean quiet = a.quiet;
    Compactor.Report r =
        new Compactor(store, o, System::currentTimeMillis)
            .compact(sources, from, to, quiet ? null : line -> err.println(line));
    double secs = (System.nanoTime() - t0) / 1e9;
    out.printf(
        "compact-trail: %d windows (%d compacted, %d up to date): %d objects, %d records in %d"
            + " blocks (%d chunks), %d bytes from %d raw bytes (%.0f%%); %d objects left raw;"
            + " %.1f s%n",
        r.windows(),
        r.compacted(),
        r.upToDate(),
        r.objects(),
        r.records(),
        r.blocks(),
        r.chunks(),
        r.blockBytes(),
        r.rawBytes(),
        r.rawBytes() == 0 ? 0.0 : 100.0 * r.blockBytes() / r.rawBytes(),
        r.objectsLeft(),
        secs);
    return 0;
  }

  /**
   * The deployed way: one asynchronous invocation of the compactor function per day of the range
   * (each within its 15 minutes; Lambda retries failed ones twice, and a run again is idempotent).
   */
  private static int invokeDeployed(String function, long from, long to, PrintStream out) {
    long day = 86_400_000L;
    int n = 0;
    try (CompactInvoker invoker = CompactInvoker.open()) {
      for (long d = Math.floorDiv(from, 3_600_000L) * 3_600_000L; d < to; d += day) {
        long end = Math.min(to, d + day);
        invoker.invokeEvent(function, "{\"from\":" + d + ",\"to\":" + end + "}");
        out.println(
            "compact-trail: invoked "
                + function
                + " for "
                + Instant.ofEpochMilli(d)
                + " .. "
                + Instant.ofEpochMilli(end));
        n++;
      }
    }
    out.println(
        "compact-trail: "
            + n
            + " asynchronous invocation(s); their results are in the function's log group, and"
            + " running the same range again only compacts what changed");
    return 0;
  }

  private static BlockStore blockStore(String where) throws IOException {
    if (where == null) {
      String bucket = System.getenv("TRAILQUERY_BLOCKS_BUCKET");
      if (bucket == null || bucket.isBlank()) {
        throw new UsageException(
            "compact-trail needs --blocks DIR|s3://... or TRAILQUERY_BLOCKS_BUCKET");
      }
      String prefix = System.getenv("TRAILQUERY_BLOCKS_PREFIX");
      return new S3BlockStore(
          Sources.s3(), bucket, prefix == null || prefix.isBlank() ? "blocks/" : prefix);
    }
    if (where.startsWith("s3://")) {
      return S3BlockStore.parse(Sources.s3(), where);
    }
    return new DirBlockStore(Path.of(where));
  }

  /** The block store a query PATH names, or null when it holds no blocks. */
  static BlockStore asBlocks(String path) throws IOException {
    BlockStore store;
    if (path.startsWith("s3://")) {
      store = S3BlockStore.parse(Sources.s3(), path);
    } else {
      Path p = Invocation.path(path); // the daemon: relative to its client's directory
      if (!Files.isDirectory(p.resolve(Compactor.ROOT))) {
        return null;
      }
      store = new DirBlockStore(p);
    }
    return BlockQuery.isBlockStore(store) ? store : null;
  }

  /**
   * Runs a query when one of {@code paths} is a blocks directory or prefix; null otherwise. The
   * other paths are the raw objects; when none is given, those the manifests were compacted from
   * (when still there), so objects not compacted yet are read too.
   */
  static Result query(Plan plan, List<String> paths, Integer threads) throws IOException {
    BlockStore store = null;
    List<String> raw = new ArrayList<>();
    for (String p : paths) {
      BlockStore s = store == null ? asBlocks(p) : null;
      if (s != null) {
        store = s;
      } else {
        raw.add(p);
      }
    }
    if (store == null) {
      return null;
    }
    BlockQuery bq = new BlockQuery(plan, store);
    List<Manifest> manifests = bq.manifests();
    if (raw.isEmpty()) {
      Set<String> recorded = new LinkedHashSet<>();
      for (Manifest m : manifests) {
        for (String s : m.source().split(",")) {
          if (!s.isBlank()) {
            recorded.add(s);
          }
        }
      }
      for (String s : recorded) {
        if (s.startsWith("s3://") || Files.exists(Invocation.path(s))) {
          raw.add(s);
        }
      }
    }
    List<ObjectSource> sources = Sources.open(raw);
    List<BlockQuery.Task> tasks = bq.tasks(manifests, sources);
    int n =
        threads != null
            ? threads
            : path3(paths) ? Sources.S3_THREADS : Runtime.getRuntime().availableProcessors();
    return dev.trailquery.exec.Finisher.finish(bq.scan(tasks, n));
  }

  private static boolean path3(List<String> paths) {
    return paths.stream().anyMatch(p -> p.startsWith("s3://"));
  }
}
