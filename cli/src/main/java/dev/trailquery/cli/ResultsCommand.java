package dev.trailquery.cli;

import dev.trailquery.contributor.InsightReport;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Statistics;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.json.Mappers;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code results NAME}: a subscription's results, merged over a range, per bin, or as a report. */
@Command(
    name = "results",
    description = {
      "a subscription's results, merged over the range or per bin",
      "Bins starting in [--start, --end) are merged into one result, as the query over that range"
          + " would give; --per-bin keeps them apart (json, csv, ndjson: one document with a"
          + " first column 'bin'); --report, for a Contributor Insights rule: the top contributors"
          + " and the unique count, as GetInsightRuleReport."
    },
    customSynopsis =
        "trailquery results NAME [--start T] [--end T] [--per-bin | --report [--top N]] [--format"
            + " F]")
final class ResultsCommand implements Callable<Integer> {
  private final Context ctx;

  @Parameters(paramLabel = "NAME", description = "the subscription")
  String name;

  @Option(names = "--start", paramLabel = "T", description = "bins from T (inclusive)")
  String start;

  @Option(names = "--end", paramLabel = "T", description = "bins until T (exclusive)")
  String end;

  @Option(names = "--per-bin", description = "each bin's result, newest first")
  boolean perBin;

  @Option(names = "--report", description = "a rule's top contributors (rule subscriptions)")
  boolean report;

  @Option(
      names = "--top",
      paramLabel = "N",
      converter = Converters.PositiveInt.class,
      description = "contributors in the --report (default 10)")
  Integer top;

  @Option(
      names = "--format",
      paramLabel = "F",
      converter = Converters.Format.class,
      completionCandidates = Converters.Formats.class,
      description = "table (default), json, csv or ndjson")
  Output.Format format = Output.Format.TABLE;

  ResultsCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    if (report && perBin) {
      throw new UsageException("give --per-bin or --report, not both");
    }
    PrintStream out = ctx.out;
    Instant now = Instant.now();
    long start = this.start == null ? Long.MIN_VALUE : Times.parseMillis(this.start, now);
    long end = this.end == null ? Long.MAX_VALUE : Times.parseMillis(this.end, now);
    StackEnv stack = new StackEnv(ctx);
    Subscription s =
        stack
            .subscriptions()
            .get(name)
            .orElseThrow(() -> new UsageException("no subscription named '" + name + "'"));
    Results results = new Results(stack.results());
    if (report) {
      if (!s.type().equals(Subscription.CONTRIBUTOR_RULE)) {
        throw new UsageException(
            "--report is for Contributor Insights rule subscriptions; "
                + s.name()
                + " is a "
                + s.type());
      }
      InsightReport r =
          InsightReport.fromSeries(
              s.rule(), results.merged(s, start, end).rows(), top == null ? 10 : top);
      writeReport(r, format, out);
      return 0;
    }
    if (!perBin) {
      Output.write(results.merged(s, start, end), format, out);
      return 0;
    }
    Results.Series series = results.series(s, start, end);
    if (format != Output.Format.TABLE) {
      Output.write(perBin(series), format, out);
      return 0;
    }
    for (Results.Bin bin : series.bins()) {
      Result r = bin.result();
      out.println(
          "== bin "
              + new Timestamp(bin.start()).render()
              + " ("
              + r.statistics().recordsScanned()
              + " records, "
              + r.statistics().recordsMatched()
              + " matched)");
      Output.write(r, format, out);
    }
    if (series.bins().isEmpty()) {
      out.println("(no bins)");
    }
    return 0;
  }

  /**
   * A rule report: JSON shaped like GetInsightRuleReport, or a table of the top contributors with
   * their value and share.
   */
  static void writeReport(InsightReport r, Output.Format format, PrintStream out)
      throws IOException {
    if (format == Output.Format.JSON) {
      out.println(Mappers.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
      return;
    }
    List<String> fields = new ArrayList<>(r.keyLabels());
    fields.add("value");
    fields.add("periods");
    List<Object[]> rows = new ArrayList<>();
    for (InsightReport.Contributor c : r.contributors()) {
      Object[] row = new Object[fields.size()];
      for (int i = 0; i < c.keys().size(); i++) {
        row[i] = c.keys().get(i);
      }
      row[c.keys().size()] = c.approximateAggregateValue();
      row[c.keys().size() + 1] = (double) c.datapoints().size();
      rows.add(row);
    }
    Output.write(
        new Result(fields, rows, new Statistics(0, 0, 0, 0, 0, 0), List.of(), List.of()),
        format,
        out);
    if (format == Output.Format.TABLE) {
      out.println(
          r.aggregationStatistic()
              + " over all contributors: "
              + Output.cell(r.aggregateValue())
              + "; unique contributors: "
              + r.approximateUniqueCount());
    }
  }

  /**
   * A time series as ONE result, so that {@code --per-bin --format json|csv|ndjson} is one
   * document: a first column {@value #BIN_FIELD} (the bin's start; {@code @bin} if the query has a
   * field named so) followed by the query's fields, the bins newest first, each bin's rows in the
   * query's order; statistics of the whole range.
   */
  static Result perBin(Results.Series series) {
    String binField = series.fields().contains(BIN_FIELD) ? "@" + BIN_FIELD : BIN_FIELD;
    List<String> fields = new ArrayList<>();
    fields.add(binField);
    fields.addAll(series.fields());
    List<Object[]> rows = new ArrayList<>();
    for (Results.Bin bin : series.bins()) {
      Timestamp start = new Timestamp(bin.start());
      for (Object[] row : bin.result().rows()) {
        Object[] r = new Object[row.length + 1];
        r[0] = start;
        System.arraycopy(row, 0, r, 1, row.length);
        rows.add(r);
      }
    }
    return new Result(fields, rows, series.statistics(), List.of(), List.of());
  }

  static final String BIN_FIELD = "bin";
}
