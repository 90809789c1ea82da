package dev.trailquery.cli;

import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.pack.CisPack;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.json.Mappers;
import dev.trailquery.metricfilter.MetricFilter;
import dev.trailquery.metricfilter.MetricFilterJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code subscribe}: a saved query, a CloudWatch metric filter, a Contributor Insights rule or the
 * CIS pack kept up to date as CloudTrail objects arrive (the ingest Lambda, or {@code invoke
 * ingest} locally).
 */
@Command(
    name = "subscribe",
    description = {
      "keep a query's results up to date as CloudTrail objects arrive",
      "A Logs Insights query, a CloudWatch metric filter (sum, sampleCount, min, max per bin), a"
          + " Contributor Insights rule (contributors per period), or the CIS AWS Foundations pack"
          + " (the benchmark's metric filters with alarms and Classmethod's CIS 3.1-3.14 queries)"
          + " in one command. Results: 'trailquery results NAME'."
    },
    customSynopsis = {
      "trailquery subscribe NAME 'QUERY' [--bin 1h] [--rows N] [--retention-days D]",
      "                  [--lookup NAME=FILE.csv]... [--backfill-from T] [--replace]",
      "       subscribe NAME --filter-pattern 'PATTERN' [--metric-value 1|$.sel]",
      "                  [--default-value N] [--dimensions 'Name=$.sel,...'] [--metric-name M]",
      "                  [--metric-namespace NS] [--bin 5m] ...",
      "       subscribe [NAME] --metric-filter FILE|JSON   (PutMetricFilter JSON, or the output",
      "                  of 'aws logs describe-metric-filters': one subscription per filterName)",
      "       subscribe NAME --rule FILE|JSON [--bin 5m]   (a Contributor Insights rule)",
      "       subscribe --pack cis [--bin 5m] [--no-alarms] [--replace] [--backfill-from T]"
    })
final class SubscribeCommand implements Callable<Integer> {
  static final String USAGE =
      """
      usage: subscribe NAME 'QUERY' [--bin 1h] [--rows N] [--retention-days N] [--lookup NAME=FILE.csv]...
                            [--backfill-from T] [--replace]
             subscribe NAME --filter-pattern 'PATTERN' [--metric-value 1|$.sel] [--default-value N]
                            [--dimensions 'Name=$.sel,...'] [--metric-name M] [--bin 5m] ...
             subscribe [NAME] --metric-filter FILE|JSON   (PutMetricFilter JSON, or the output of
                            'aws logs describe-metric-filters': one subscription per filterName)
             subscribe NAME --rule FILE|JSON [--bin 5m]   (a Contributor Insights rule)
             subscribe --pack cis [--bin 5m] [--no-alarms] [--replace] [--backfill-from T]""";

  private final Context ctx;

  @Parameters(
      arity = "0..2",
      paramLabel = "NAME|QUERY",
      description = "the subscription's name and, for a query, the query")
  List<String> positional = new ArrayList<>();

  @Option(
      names = "--bin",
      paramLabel = "DURATION",
      description = "the time bin results are kept by (e.g. 5m, 1h; default 1h, 5m for filters)")
  String bin;

  @Option(
      names = "--rows",
      paramLabel = "N",
      converter = Converters.PositiveInt.class,
      description = "rows kept per bin (queries only)")
  Integer rows;

  @Option(
      names = "--retention-days",
      paramLabel = "D",
      converter = Converters.PositiveInt.class,
      description = "days the bins are kept")
  Integer retentionDays;

  @Option(
      names = "--lookup",
      paramLabel = "NAME=FILE.csv",
      description = {
        "a lookup table for the query's 'lookup' command (repeatable): pinned as it is now; the"
            + " subscription keeps this version until subscribed again with --replace"
      })
  List<String> lookups = new ArrayList<>();

  @Option(
      names = "--backfill-from",
      paramLabel = "T",
      description = "also count the trail's objects from T, in this process")
  String backfillFrom;

  @Option(
      names = "--replace",
      description = "replace a subscription of the same name (its results start afresh)")
  boolean replace;

  @Option(
      names = "--filter-pattern",
      paramLabel = "PATTERN",
      description = "a CloudWatch Logs metric filter pattern")
  String filterPattern;

  @Option(
      names = "--metric-value",
      paramLabel = "1|$.sel",
      description = "the metric filter's value per matching event (default 1)")
  String metricValue;

  @Option(
      names = "--default-value",
      paramLabel = "N",
      converter = Converters.Number.class,
      description = "the metric filter's value in bins with no match")
  Double defaultValue;

  @Option(
      names = "--dimensions",
      paramLabel = "Name=$.sel,...",
      description = "the metric filter's dimensions")
  String dimensions;

  @Option(
      names = "--metric-name",
      paramLabel = "M",
      description = "the metric's name (default: NAME)")
  String metricName;

  @Option(
      names = "--metric-namespace",
      paramLabel = "NS",
      description = "the metric's namespace (default trailquery)")
  String metricNamespace;

  @Option(
      names = "--metric-filter",
      paramLabel = "FILE|JSON",
      description = "metric filters as PutMetricFilter or describe-metric-filters write them")
  String metricFilter;

  @Option(
      names = "--rule",
      paramLabel = "FILE|JSON",
      description = "a Contributor Insights rule (JSON)")
  String rule;

  @Option(
      names = "--pack",
      paramLabel = "cis",
      completionCandidates = Packs.class,
      description = "subscribe a whole pack (cis: the CIS AWS Foundations pack)")
  String pack;

  @Option(names = "--no-alarms", description = "with --pack: without the pack's alarms")
  boolean noAlarms;

  /** The packs shell completion offers. */
  static final class Packs implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return List.of(CisPack.NAME).iterator();
    }
  }

  SubscribeCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    Instant now = Instant.now();
    Long from = backfillFrom == null ? null : Times.parseMillis(backfillFrom, now);
    if (pack != null) {
      return subscribePack(now, from);
    }
    if (noAlarms) {
      throw new UsageException("--no-alarms goes with --pack");
    }
    List<Subscription> subs;
    try {
      subs = definitions(now.toEpochMilli(), from);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    SubscriptionStore store = new StackEnv(ctx).subscriptions();
    for (Subscription s : subs) {
      if (!store.put(s, replace)) {
        throw new UsageException(
            "a subscription named '" + s.name() + "' exists (--replace to replace it)");
      }
      ctx.err.println(
          "trailquery: subscribed "
              + s.name()
              + " ("
              + s.describeKind()
              + ", bin "
              + s.bin()
              + (s.lookups().isEmpty()
                  ? ""
                  : ", lookup "
                      + String.join(
                          ", ", s.lookups().stream().map(Subscription.LookupPin::ref).toList()))
              + ")");
    }
    if (from != null) {
      new BackfillRun(ctx).run(subs, from);
    }
    return 0;
  }

  /**
   * {@code subscribe --pack cis}: the CIS pack's subscriptions and alarms. Ones that exist with the
   * same definition are kept as they are (their results and alarm state too); changed ones need
   * {@code --replace}.
   */
  private int subscribePack(Instant now, Long from) throws IOException {
    if (!pack.equals(CisPack.NAME)) {
      throw new UsageException("no pack named '" + pack + "' (there is: cis)");
    }
    boolean other =
        rows != null
            || rule != null
            || metricFilter != null
            || filterPattern != null
            || metricValue != null
            || defaultValue != null
            || dimensions != null
            || metricName != null
            || metricNamespace != null
            || !lookups.isEmpty();
    if (!positional.isEmpty() || other) {
      throw new UsageException(
          "usage: subscribe --pack cis [--bin 5m] [--retention-days N] [--no-alarms] [--replace]"
              + " [--backfill-from T]");
    }
    var entries = CisPack.entries(bin, retentionDays, from, now.toEpochMilli());
    StackEnv stack = new StackEnv(ctx);
    CisPack.Applied applied;
    try {
      applied =
          CisPack.apply(
              entries,
              stack.subscriptions(),
              new AlarmStore(ctx.db(), stack.resultsTable()),
              !noAlarms,
              replace);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage().replace("replace them", "--replace"));
    }
    ctx.err.println(
        "trailquery: pack cis: "
            + entries.size()
            + " subscriptions ("
            + applied.created()
            + " new, "
            + applied.unchanged()
            + " unchanged"
            + (applied.replaced() > 0 ? ", " + applied.replaced() + " replaced" : "")
            + "), "
            + applied.alarms()
            + " alarms");
    if (from != null) {
      new BackfillRun(ctx).run(applied.subscriptions(), from);
    }
    return 0;
  }

  /** The subscriptions this command line defines. */
  List<Subscription> definitions(long now, Long from) throws IOException {
    int kinds =
        (filterPattern != null ? 1 : 0) + (metricFilter != null ? 1 : 0) + (rule != null ? 1 : 0);
    if (kinds > 1) {
      throw new UsageException(
          "give one of 'QUERY', --filter-pattern, --metric-filter or --rule\n" + USAGE);
    }
    if (kinds == 1 && rows != null) {
      throw new UsageException("--rows applies to queries only");
    }
    if (kinds == 1 && !lookups.isEmpty()) {
      throw new UsageException("--lookup applies to queries only");
    }
    if (filterPattern == null) {
      Map<String, Object> watchOptions = new LinkedHashMap<>();
      watchOptions.put("metric-value", metricValue);
      watchOptions.put("default-value", defaultValue);
      watchOptions.put("dimensions", dimensions);
      watchOptions.put("metric-name", metricName);
      watchOptions.put("metric-namespace", metricNamespace);
      for (Map.Entry<String, Object> o : watchOptions.entrySet()) {
        if (o.getValue() != null) {
          throw new UsageException("--" + o.getKey() + " goes with --filter-pattern");
        }
      }
    }
    if (metricFilter != null) {
      List<MetricFilter> filters =
          MetricFilterJson.parseAll(Mappers.MAPPER.readTree(fileOrText(metricFilter)));
      if (filters.size() > 1 && !positional.isEmpty()) {
        throw new UsageException(
            "the JSON holds "
                + filters.size()
                + " metric filters: leave NAME out, each is subscribed under its filterName");
      }
      if (positional.size() > 1) {
        throw new UsageException(USAGE);
      }
      List<Subscription> out = new ArrayList<>();
      for (MetricFilter f : filters) {
        String name = positional.isEmpty() ? subscriptionName(f.name()) : positional.get(0);
        out.add(Subscription.createMetricFilter(name, f, bin, retentionDays, now, from));
      }
      return out;
    }
    if (positional.size() != (kinds == 1 ? 1 : 2)) {
      throw new UsageException(USAGE);
    }
    String name = positional.get(0);
    if (filterPattern != null) {
      Map<String, String> dims = new LinkedHashMap<>();
      if (dimensions != null) {
        for (String d : dimensions.split(",")) {
          int eq = d.indexOf('=');
          if (eq <= 0) {
            throw new UsageException(
                "--dimensions takes Name=$.selector pairs separated by commas, got '" + d + "'");
          }
          dims.put(d.substring(0, eq).strip(), d.substring(eq + 1).strip());
        }
      }
      MetricFilter f =
          MetricFilter.of(
              name,
              filterPattern,
              metricName == null ? name : metricName,
              metricNamespace == null ? "trailquery" : metricNamespace,
              metricValue == null ? "1" : metricValue,
              defaultValue,
              dims,
              null);
      return List.of(Subscription.createMetricFilter(name, f, bin, retentionDays, now, from));
    }
    if (rule != null) {
      return List.of(
          Subscription.createRule(name, fileOrText(rule), bin, retentionDays, now, from));
    }
    return List.of(
        Subscription.create(
            name,
            positional.get(1),
            bin,
            rows,
            retentionDays,
            now,
            from,
            LookupCommands.load(lookups)));
  }

  /** A JSON argument: the text itself when it starts with '{' or '[', else a file to read. */
  static String fileOrText(String arg) throws IOException {
    String t = arg.strip();
    if (t.startsWith("{") || t.startsWith("[")) {
      return t;
    }
    Path p = Invocation.path(arg);
    if (!Files.isRegularFile(p)) {
      throw new UsageException("no such file: " + arg);
    }
    return TextFiles.read(p, "file");
  }

  /** A CloudWatch filter name as a subscription name (letters, digits, '.', '_', '-'). */
  static String subscriptionName(String filterName) {
    String n = filterName.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
    return n.isEmpty() ? "metric-filter" : n.length() > 128 ? n.substring(0, 128) : n;
  }
}
