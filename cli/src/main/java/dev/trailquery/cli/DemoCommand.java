package dev.trailquery.cli;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.lookup.LookupTable;
import dev.trailquery.metricfilter.MetricFilter;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import dev.trailquery.pack.WatchPack;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code demo [PATH...]}: the saved query pack and the watch pack's metric filters over the bundled
 * sample logs (or PATHs). The launcher trains its start-up cache on it.
 */
@Command(
    name = "demo",
    description = {
      "run the saved query pack on the bundled sample logs",
      "Each saved query with its source and text, then its results; then the watch pack's"
          + " metric filters over the same records in one pass."
    })
final class DemoCommand implements Callable<Integer> {
  private final Context ctx;

  @Option(
      names = "--format",
      paramLabel = "F",
      converter = Converters.Format.class,
      completionCandidates = Converters.Formats.class,
      description = "table (default), json, csv or ndjson")
  Output.Format format = Output.Format.TABLE;

  @Option(
      names = "--lookup",
      paramLabel = "NAME=FILE.csv",
      description = "a lookup table for queries' 'lookup' command (repeatable)")
  List<String> lookups = new ArrayList<>();

  @Parameters(
      paramLabel = "PATH",
      arity = "0..*",
      description = "where the logs are (default: the bundled samples)")
  List<String> positional = new ArrayList<>();

  DemoCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    PrintStream out = ctx.out;
    Map<String, LookupTable> lookups = LookupCommands.load(this.lookups);
    List<String> paths = positional.isEmpty() ? List.of(Sources.sampleDir()) : positional;
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
    watchPackDemo(sources, format, out);
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
  private void watchPackDemo(List<ObjectSource> sources, Output.Format format, PrintStream out)
      throws IOException {
    var filters = WatchPack.get().metricFilters();
    StringBuilder q = new StringBuilder("stats ");
    for (int i = 0; i < filters.size(); i++) {
      q.append(i == 0 ? "" : ", ")
          .append("sum(filterPattern(")
          .append(MetricFilter.literal(filters.get(i).filter().pattern().text()))
          .append(")) as f")
          .append(i);
    }
    Plan plan = Trailquery.compile(q.toString(), Planner.Options.defaults());
    Result r = Trailquery.run(plan, sources, Sources.threads(sources), Scan.Listener.NONE);
    List<Object[]> rows = new ArrayList<>();
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
}
