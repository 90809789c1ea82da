package dev.trailquery.cli;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.exec.SkippedObject;
import dev.trailquery.exec.Subqueries;
import dev.trailquery.lang.Parser;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code query}: a Logs Insights query over files, directories, blocks and s3:// prefixes. */
@Command(
    name = "query",
    description = {
      "run a Logs Insights query over CloudTrail files, directories and s3:// prefixes",
      "PATH: a CloudTrail file (.json or .json.gz), a directory (recursive), s3://BUCKET/PREFIX,"
          + " or a directory or s3:// prefix of compacted blocks (see compact-trail). QUERY may"
          + " name a saved query with parameters: '$NAME(p=\"v\")'."
    },
    customSynopsis = {
      "trailquery query [OPTIONS] (QUERY | --saved NAME [--param P=V]... | --file FILE)",
      "                        PATH..."
    },
    footer = {
      "",
      "T: ISO-8601 (2026-11-01T10:00:00Z; no zone = UTC), relative (-2h, -30m, -7d), now, or"
          + " epoch seconds.",
      "Example: trailquery query --start -1d \\",
      "           'stats count(*) as n by eventSource | sort n desc' s3://my-trail/AWSLogs/"
    })
final class QueryCommand implements Callable<Integer> {
  private final Context ctx;

  @Mixin QueryText source;

  @Option(names = "--start", paramLabel = "T", description = "from T (inclusive)")
  String start;

  @Option(names = "--end", paramLabel = "T", description = "until T (exclusive)")
  String end;

  @Option(
      names = "--format",
      paramLabel = "F",
      converter = Converters.Format.class,
      completionCandidates = Converters.Formats.class,
      description = "table (default), json, csv or ndjson")
  Output.Format format = Output.Format.TABLE;

  @Option(
      names = "--limit",
      paramLabel = "N",
      converter = Converters.PositiveInt.class,
      description = "at most N rows (as the query's 'limit')")
  Integer limit;

  @Option(
      names = "--threads",
      paramLabel = "N",
      converter = Converters.PositiveInt.class,
      description = "objects read at once (default: the cores; 32 for S3)")
  Integer threads;

  @Option(
      names = "--lookup",
      paramLabel = "NAME=FILE.csv",
      description = "a lookup table for the query's 'lookup' command (repeatable)")
  List<String> lookups = new ArrayList<>();

  @Parameters(
      paramLabel = "[QUERY] PATH",
      arity = "0..*",
      description = "the query (unless --saved or --file), then where the logs are")
  List<String> positional = new ArrayList<>();

  QueryCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    List<String> paths = new ArrayList<>(positional);
    String text = source.text(paths);
    if (paths.isEmpty()) {
      throw new UsageException("query needs at least one PATH (a file, a directory or s3://...)");
    }
    Instant now = Instant.now();
    long from = start == null ? Long.MIN_VALUE : Times.parseMillis(start, now);
    long to = end == null ? Long.MAX_VALUE : Times.parseMillis(end, now);
    if (from >= to) {
      throw new UsageException("--start must be before --end");
    }
    Planner.Options options =
        new Planner.Options(from, to, now.toEpochMilli(), limit == null ? null : limit.longValue())
            .withLookups(LookupCommands.load(lookups));
    Query parsed = Parser.parse(text);
    // subqueries first: each inner query is one pass over the same sources and time range
    options =
        Subqueries.resolve(
            parsed,
            options,
            inner -> {
              try {
                Result r = BlockCommands.query(inner, paths, threads);
                if (r != null) {
                  return r;
                }
                List<ObjectSource> sources = Sources.open(paths);
                return Trailquery.run(inner, sources, threads(sources), Scan.Listener.NONE);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    Plan plan = Planner.plan(parsed, options);
    Result result = BlockCommands.query(plan, paths, threads);
    if (result == null) {
      List<ObjectSource> sources = Sources.open(paths);
      result = runWithProgress(plan, sources, threads(sources));
    }
    QueryText.printWarnings(ctx.err, text, result.warnings());
    printSkipped(result.skipped(), result.statistics().objectsSkipped());
    Output.write(result, format, ctx.out);
    return 0;
  }

  private int threads(List<ObjectSource> sources) {
    return threads != null ? threads : Sources.threads(sources);
  }

  private Result runWithProgress(Plan plan, List<ObjectSource> sources, int threads)
      throws IOException {
    boolean tty = "1".equals(Invocation.getenv("TRAILQUERY_STDERR_TTY"));
    if (!tty) { // objects are listed as the scan goes: memory does not grow with their number
      return Trailquery.run(plan, sources, threads, Scan.Listener.NONE);
    }
    // The progress line shows "n/total": local directories are counted first (a walk that keeps
    // nothing); S3 listings are not paid for twice, there the total is left out.
    int total = -1;
    if (sources.stream().allMatch(s -> s instanceof LocalFileSource)) {
      total = 0;
      for (Iterator<Scan.Input> it = Scan.inputs(sources); it.hasNext(); it.next()) {
        total++;
      }
    }
    try (Progress progress = new Progress(ctx.err, total)) {
      return Trailquery.run(plan, sources, threads, progress);
    }
  }

  private void printSkipped(List<SkippedObject> skipped, long count) {
    if (count == 0) {
      return;
    }
    Map<ObjectResult.Status, Integer> byStatus = new EnumMap<>(ObjectResult.Status.class);
    skipped.forEach(s -> byStatus.merge(s.status(), 1, Integer::sum));
    StringBuilder sb = new StringBuilder("trailquery: skipped " + count + " object(s):");
    byStatus.forEach(
        (k, v) ->
            sb.append(' ')
                .append(v)
                .append(' ')
                .append(k.name().toLowerCase(Locale.ROOT).replace('_', ' ')));
    ctx.err.println(sb);
    for (SkippedObject s : skipped) {
      if (s.error() != null) {
        ctx.err.println(
            "  "
                + s.key()
                + ": "
                + s.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + (s.status() == ObjectResult.Status.OVERSIZED_RECORDS
                    ? ""
                    : s.records() > 0 ? " after " + s.records() + " records" : "")
                + ": "
                + s.error());
      }
    }
  }
}
