package dev.trailquery.cli;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.exec.SkippedObject;
import dev.trailquery.exec.TooManyGroupsException;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.Parser;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Entry point of {@code ./trailquery}. Exit codes: 0 ok, 1 failed run, 2 bad query or usage. */
public final class Main {
  static final String USAGE =
      """
      usage: trailquery <command> [options]

        query [--start T] [--end T] [--format table|json|csv|ndjson] [--limit N] [--threads N]
              [--lookup NAME=FILE.csv]... (QUERY | --saved NAME [--param P=V]... | --file FILE)
              PATH...
                         run a Logs Insights query over CloudTrail files, directories
                         (recursive) and s3://bucket/prefix locations; QUERY may be a saved
                         query with parameters: '$NAME(p="v")'; lookup tables for 'lookup'
        lookup-table accounts
                         write the organization's accounts as a lookup table (CSV:
                         accountId,name,email,status; AWS Organizations ListAccounts)
        check (QUERY | --saved NAME | --file FILE)
                         validate a query: exit 0 when valid (warnings on stderr), 2 when not
        demo [--format F] [--lookup NAME=FILE.csv]... [PATH...]
                         run the saved query pack on the bundled sample logs
        saved [NAME]     list the saved queries, or show one (with its original if corrected)
        record PTR       print the raw record an @ptr value points to
        serve [--port 8080] [--logs DIR] [--blocks DIR] [--workers N] [--api URL [--region R]]
                         the console at / and the query API over HTTP (POST /queries, ...);
                         --api forwards to a deployed stage, signed with SigV4; --blocks:
                         compacted blocks of the logs (see compact-trail)
        daemon status|stop
                         the warm JVM ./trailquery keeps for query and check over local paths
                         (docs/PERFORMANCE.md; TRAILQUERY_NO_DAEMON=1: none)
        version          print the version

      T: ISO-8601 (2026-11-01T10:00:00Z; no zone = UTC), relative (-2h, -30m, -7d), now, or epoch
      seconds. --start is inclusive, --end exclusive. S3 uses the default AWS credential chain;
      AWS_ENDPOINT_URL_S3 points it at an S3-compatible server.
      """;

  private final PrintStream out;
  private final PrintStream err;

  Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    int code = new Main(out, err).run(Arrays.asList(args));
    out.flush();
    System.exit(code);
  }

  /**
   * Runs one command as {@link #main} does, writing to {@code out} and {@code err}, and returns its
   * exit code instead of exiting; the working directory and environment are those of {@link
   * Invocation#current()}. The resident daemon's entry point ({@code cli.daemon.Daemon}).
   */
  public static int execute(List<String> args, PrintStream out, PrintStream err) {
    int code = new Main(out, err).run(args);
    out.flush();
    return code;
  }

  int run(List<String> argv) {
    try {
      if (argv.isEmpty() || Set.of("help", "--help", "-h").contains(argv.getFirst())) {
        out.print(
            USAGE
                + PatternCommands.USAGE
                + IngestCommands.USAGE
                + AlarmCommands.USAGE
                + BlockCommands.USAGE);
        return argv.isEmpty() ? 2 : 0;
      }
      List<String> rest = argv.subList(1, argv.size());
      return switch (argv.getFirst()) {
        case "query" -> query(rest);
        case "check" -> check(rest);
        case "demo" -> demo(rest);
        case "saved" -> saved(rest);
        case "lookup-table" -> LookupCommands.lookupTable(rest, out, err);
        case "record" -> record(rest);
        case "serve" -> ServeCommand.run(rest, out, err);
        case "compact-trail" -> BlockCommands.compactTrail(rest, out, err);
        case "local-init" -> IngestCommands.localInit(rest, out, err);
        case "invoke" -> IngestCommands.invoke(rest, out, err);
        case "subscribe" -> IngestCommands.subscribe(rest, out, err);
        case "subscriptions" -> IngestCommands.subscriptions(rest, out, err);
        case "results" -> IngestCommands.results(rest, out, err);
        case "seal" -> IngestCommands.seal(rest, out, err);
        case "alarm" -> AlarmCommands.alarm(rest, out, err);
        case "alarms" -> AlarmCommands.alarms(rest, out, err);
        case "test-pattern" -> PatternCommands.testPattern(rest, out, err);
        case "watch-pack" -> PatternCommands.watchPack(rest, out);
        case "version", "--version" -> {
          out.println("trailquery " + version());
          yield 0;
        }
        default -> throw new UsageException("unknown command '" + argv.getFirst() + "'");
      };
    } catch (UsageException e) {
      err.println("trailquery: " + e.getMessage());
      err.println("run 'trailquery help' for usage");
      return 2;
    } catch (QueryException e) {
      err.println(e.render());
      return 2;
    } catch (TooManyGroupsException e) {
      err.println("trailquery: " + e.getMessage());
      return 1;
    } catch (IOException | UncheckedIOException e) {
      err.println("trailquery: " + e.getMessage());
      return 1;
    } catch (RuntimeException | OutOfMemoryError e) {
      err.println("trailquery: internal error: " + e);
      if (Invocation.getenv("TRAILQUERY_DEBUG") != null) {
        e.printStackTrace(err);
      } else {
        err.println("(set TRAILQUERY_DEBUG=1 for details)");
      }
      return 1;
    }
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  // ---- query / check ----

  private static final Set<String> QUERY_OPTIONS =
      Set.of("start", "end", "format", "limit", "threads", "saved", "file", "lookup", "param");

  private int query(List<String> argv) throws IOException {
    Args a = Args.parse(argv, QUERY_OPTIONS, Set.of());
    List<String> positional = new ArrayList<>(a.positional);
    String text = queryText(a, positional);
    if (positional.isEmpty()) {
      throw new UsageException("query needs at least one PATH (a file, a directory or s3://...)");
    }
    Output.Format format = Output.Format.parse(a.get("format"));
    Instant now = Instant.now();
    long start = a.get("start") == null ? Long.MIN_VALUE : Times.parseMillis(a.get("start"), now);
    long end = a.get("end") == null ? Long.MAX_VALUE : Times.parseMillis(a.get("end"), now);
    if (start >= end) {
      throw new UsageException("--start must be before --end");
    }
    Integer limit = a.intOption("limit");
    Planner.Options options =
        new Planner.Options(
                start, end, now.toEpochMilli(), limit == null ? null : limit.longValue())
            .withLookups(LookupCommands.load(a.all("lookup")));
    Query parsed = Parser.parse(text);
    // subqueries first: each inner query is one pass over the same sources and time range
    options =
        dev.trailquery.exec.Subqueries.resolve(
            parsed,
            options,
            inner -> {
              try {
                Result r = BlockCommands.query(inner, positional, a.intOption("threads"));
                if (r != null) {
                  return r;
                }
                List<ObjectSource> sources = Sources.open(positional);
                int threads =
                    a.intOption("threads") != null
                        ? a.intOption("threads")
                        : Sources.threads(sources);
                return Trailquery.run(inner, sources, threads, Scan.Listener.NONE);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    Plan plan = Planner.plan(parsed, options);
    Result result = BlockCommands.query(plan, positional, a.intOption("threads"));
    if (result == null) {
      List<ObjectSource> sources = Sources.open(positional);
      int threads =
          a.intOption("threads") != null ? a.intOption("threads") : Sources.threads(sources);
      result = runWithProgress(plan, sources, threads);
    }
    printWarnings(text, result.warnings());
    printSkipped(result.skipped(), result.statistics().objectsSkipped());
    Output.write(result, format, out);
    return 0;
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
    try (Progress progress = new Progress(err, total)) {
      return Trailquery.run(plan, sources, threads, progress);
    }
  }

  private String queryText(Args a, List<String> positional) throws IOException {
    String saved = a.get("saved");
    String file = a.get("file");
    if (saved != null && file != null) {
      throw new UsageException("give either --saved or --file, not both");
    }
    if (saved == null && !a.all("param").isEmpty()) {
      throw new UsageException("--param goes with --saved NAME");
    }
    if (saved != null) {
      SavedQuery q =
          QueryPack.find(saved)
              .orElseThrow(
                  () ->
                      new UsageException(
                          "no saved query named '" + saved + "' (see 'trailquery saved')"));
      Map<String, String> params = new java.util.LinkedHashMap<>();
      for (String p : a.all("param")) {
        int eq = p.indexOf('=');
        if (eq <= 0) {
          throw new UsageException("--param takes NAME=VALUE, got '" + p + "'");
        }
        if (params.put(p.substring(0, eq), p.substring(eq + 1)) != null) {
          throw new UsageException("--param " + p.substring(0, eq) + " is given twice");
        }
      }
      String call = "--saved " + saved + " " + String.join(" ", a.all("param"));
      return dev.trailquery.saved.Templates.expand(q.template(), params, call.strip());
    }
    String text;
    if (file != null) {
      text = TextFiles.read(Invocation.path(file), "--file");
    } else if (positional.isEmpty()) {
      throw new UsageException("missing QUERY");
    } else {
      text = positional.removeFirst();
    }
    // $Name(p="v"): a saved query of the pack with its parameters
    return dev.trailquery.saved.Templates.resolve(text, QueryPack::template);
  }

  private int check(List<String> argv) throws IOException {
    Args a = Args.parse(argv, Set.of("saved", "file", "param"), Set.of());
    List<String> positional = new ArrayList<>(a.positional);
    String text = queryText(a, positional);
    if (!positional.isEmpty()) {
      throw new UsageException("check takes one query; unexpected '" + positional.getFirst() + "'");
    }
    Query q = Parser.parse(text);
    Plan plan = Planner.plan(q, Planner.Options.defaults());
    printWarnings(text, plan.warnings());
    err.println("ok: the query is valid" + (plan.warnings().isEmpty() ? "" : " (with warnings)"));
    return 0;
  }

  private void printWarnings(String source, List<Diagnostic> warnings) {
    for (Diagnostic d : warnings) {
      err.println(d.render(source));
    }
  }

  private void printSkipped(List<SkippedObject> skipped, long count) {
    if (count == 0) {
      return;
    }
    Map<dev.trailquery.read.ObjectResult.Status, Integer> byStatus =
        new EnumMap<>(dev.trailquery.read.ObjectResult.Status.class);
    skipped.forEach(s -> byStatus.merge(s.status(), 1, Integer::sum));
    StringBuilder sb = new StringBuilder("trailquery: skipped " + count + " object(s):");
    byStatus.forEach(
        (k, v) ->
            sb.append(' ').append(v).append(' ').append(k.name().toLowerCase().replace('_', ' ')));
    err.println(sb);
    for (SkippedObject s : skipped) {
      if (s.error() != null) {
        err.println(
            "  "
                + s.key()
                + ": "
                + s.status().name().toLowerCase().replace('_', ' ')
                + (s.status() == dev.trailquery.read.ObjectResult.Status.OVERSIZED_RECORDS
                    ? ""
                    : s.records() > 0 ? " after " + s.records() + " records" : "")
                + ": "
                + s.error());
      }
    }
  }

  // ---- demo ----

  private int demo(List<String> argv) throws IOException {
    Args a = Args.parse(argv, Set.of("format", "lookup"), Set.of());
    Output.Format format = Output.Format.parse(a.get("format"));
    Map<String, dev.trailquery.lookup.LookupTable> lookups = LookupCommands.load(a.all("lookup"));
    List<String> paths = a.positional.isEmpty() ? List.of(Sources.sampleDir()) : a.positional;
    List<ObjectSource> sources = Sources.open(paths);
    out.println("trailquery demo: the saved query pack over " + String.join(", ", paths));
    out.println();
    long started = System.nanoTime();
    long records = 0;
    for (SavedQuery q : QueryPack.all()) {
      // parameterized queries run with their defaults
      Plan plan =
          Trailquery.compile(
              q.queryWithDefaults(), Planner.Options.defaults().withLookups(lookups));
      Result r = Trailquery.run(plan, sources, Sources.threads(sources), Scan.Listener.NONE);
      records = r.statistics().recordsScanned();
      out.println("== " + q.name() + ": " + q.description());
      out.println("   (" + q.source() + ")");
      if (q.correction() != null) {
        out.println("   corrected: " + q.correction());
      }
      for (String line : q.query().split("\n")) {
        out.println("   " + line);
      }
      out.println();
      Output.write(r, format, out);
      out.println();
    }
    watchPackDemo(sources, format);
    double secs = (System.nanoTime() - started) / 1e9;
    out.printf(
        "%d queries over %d records in %.2f s. Try: ./trailquery query 'stats count(*) as n by"
            + " eventSource | sort n desc' %s%n",
        QueryPack.all().size(), records, secs, String.join(" ", paths));
    return 0;
  }

  /**
   * The watch pack's metric filters over the same records, all in one pass: one query summing
   * {@code filterPattern(...)} for each.
   */
  private void watchPackDemo(List<ObjectSource> sources, Output.Format format) throws IOException {
    var filters = dev.trailquery.pack.WatchPack.get().metricFilters();
    StringBuilder q = new StringBuilder("stats ");
    for (int i = 0; i < filters.size(); i++) {
      q.append(i == 0 ? "" : ", ")
          .append("sum(filterPattern(")
          .append(
              dev.trailquery.metricfilter.MetricFilter.literal(
                  filters.get(i).filter().pattern().text()))
          .append(")) as f")
          .append(i);
    }
    Plan plan = Trailquery.compile(q.toString(), Planner.Options.defaults());
    Result r = Trailquery.run(plan, sources, Sources.threads(sources), Scan.Listener.NONE);
    List<Object[]> rows = new java.util.ArrayList<>();
    for (int i = 0; i < filters.size(); i++) {
      Object v = r.rows().isEmpty() ? null : r.rows().getFirst()[i];
      rows.add(
          new Object[] {filters.get(i).name(), v == null ? 0.0 : v, filters.get(i).description()});
    }
    out.println(
        "== the CloudWatch metric filters of the watch pack (the CIS AWS Foundations Benchmark and"
            + " the AWS blog post), all in one pass:");
    out.println(
        "   matching events per filter; ./trailquery subscribe --pack cis keeps them (with"
            + " alarms) up to date");
    out.println();
    Output.write(
        new Result(
            List.of("metric filter", "events", "description"),
            rows,
            r.statistics(),
            List.of(),
            List.of()),
        format,
        out);
    out.println();
  }

  // ---- saved ----

  private int saved(List<String> argv) {
    Args a = Args.parse(argv, Set.of(), Set.of());
    if (a.positional.isEmpty()) {
      int w = QueryPack.all().stream().mapToInt(q -> q.name().length()).max().orElse(10);
      for (SavedQuery q : QueryPack.all()) {
        out.printf("%-" + w + "s  %s%n", q.name(), q.description());
      }
      return 0;
    }
    String name = a.positional.getFirst();
    SavedQuery q =
        QueryPack.find(name)
            .orElseThrow(() -> new UsageException("no saved query named '" + name + "'"));
    out.println("# " + q.name() + ": " + q.description());
    out.println("# source: " + q.source());
    if (q.correction() != null) {
      out.println("# corrected: " + q.correction());
      out.println("# original:");
      for (String line : q.original().split("\n")) {
        out.println("#   " + line);
      }
    }
    for (dev.trailquery.saved.Parameter p : q.parameters()) {
      out.println(
          "# parameter "
              + p.name()
              + (p.defaultValue() == null
                  ? " (required)"
                  : " (default \"" + p.defaultValue() + "\")")
              + (p.description() == null ? "" : ": " + p.description()));
    }
    out.println(q.query());
    return 0;
  }

  // ---- record ----

  private int record(List<String> argv) throws IOException {
    Args a = Args.parse(argv, Set.of(), Set.of());
    if (a.positional.size() != 1) {
      throw new UsageException("record takes one @ptr value");
    }
    String[] parts = Scan.decodePointer(a.positional.getFirst());
    if (parts == null) {
      throw new UsageException("not an @ptr value: " + a.positional.getFirst());
    }
    String message = Sources.readRecord(parts[0], parts[1], Integer.parseInt(parts[2]));
    if (message == null) {
      err.println("trailquery: record not found (the object changed or is gone)");
      return 1;
    }
    out.println(message);
    return 0;
  }
}
