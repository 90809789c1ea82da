package dev.trailquery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.json.Mappers;
import dev.trailquery.metricfilter.MetricPattern;
import dev.trailquery.pack.WatchPack;
import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.read.ReadRequest;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code test-pattern} (which events a metric-filter pattern matches, like TestMetricFilter) and
 * {@code watch-pack} (the shipped metric filters and Contributor Insights rules).
 */
final class PatternCommands {
  private static final ObjectMapper MAPPER = Mappers.MAPPER;

  private PatternCommands() {}

  /** {@code test-pattern}. */
  @Command(
      name = "test-pattern",
      description = {
        "show the events a metric-filter pattern matches (like TestMetricFilter)",
        "json prints {\"pattern\", \"matched\": N, \"scanned\": M, \"events\": [the first"
            + " --limit matches]}."
      },
      customSynopsis =
          "trailquery test-pattern [--format text|json] [--limit N] (PATTERN | --filter NAME)"
              + " PATH...")
  static final class TestPattern implements Callable<Integer> {
    private final Context ctx;

    @Option(
        names = "--format",
        paramLabel = "F",
        completionCandidates = Converters.TextOrJson.class,
        description = "text (default) or json")
    String format = "text";

    @Option(
        names = "--limit",
        paramLabel = "N",
        converter = Converters.PositiveInt.class,
        description = "matches shown (default 50)")
    Integer limit;

    @Option(
        names = "--filter",
        paramLabel = "NAME",
        description = "a metric filter of the watch pack instead of PATTERN")
    String filter;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "where the logs are")
    List<String> args = new ArrayList<>();

    TestPattern(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
      return testPattern(ctx, format, limit, filter, args);
    }
  }

  static int testPattern(
      Context ctx, String format, Integer limitOpt, String filter, List<String> args)
      throws IOException {
    PrintStream out = ctx.out;
    List<String> positional = new ArrayList<>(args);
    String text;
    if (filter != null) {
      String name = filter;
      text =
          WatchPack.get()
              .metricFilter(name)
              .orElseThrow(
                  () ->
                      new UsageException("no metric filter named '" + name + "' (see watch-pack)"))
              .filter()
              .pattern()
              .text();
    } else {
      if (positional.isEmpty()) {
        throw new UsageException("missing PATTERN");
      }
      text = positional.removeFirst();
    }
    if (positional.isEmpty()) {
      throw new UsageException("test-pattern needs at least one PATH");
    }
    if (!format.equals("text") && !format.equals("json")) {
      throw new UsageException("--format must be text or json");
    }
    int limit = limitOpt == null ? 50 : limitOpt;
    MetricPattern pattern = MetricPattern.compile(text);
    CloudTrailReader reader = new CloudTrailReader(new ReadRequest(List.of(), new int[0], 0, true));
    long[] counts = new long[2];
    List<String> matches = new ArrayList<>();
    List<String> where = new ArrayList<>();
    for (ObjectSource source : Sources.open(positional)) {
      for (ObjectRef ref : source.list()) {
        try (InputStream in = source.open(ref)) {
          reader.read(
              in,
              ref.key(),
              (row, ts, message, index) -> {
                counts[0]++;
                if (message != null && pattern.matches(message)) {
                  if (counts[1]++ < limit) {
                    matches.add(message);
                    where.add(ref.key() + "#" + index);
                  }
                }
                return true;
              });
        }
      }
    }
    if (format.equals("json")) {
      ObjectNode o = MAPPER.createObjectNode();
      o.put("pattern", text);
      o.put("matched", counts[1]);
      o.put("scanned", counts[0]);
      ArrayNode events = o.putArray("events");
      for (String m : matches) {
        events.add(MAPPER.readTree(m));
      }
      out.println(MAPPER.writeValueAsString(o));
    } else {
      for (int i = 0; i < matches.size(); i++) {
        JsonNode n = MAPPER.readTree(matches.get(i));
        out.printf(
            "%s  %s  %s  %s  %s%n",
            n.path("eventTime").asText("-"),
            n.path("eventSource").asText("-"),
            n.path("eventName").asText("-"),
            n.path("userIdentity")
                .path("arn")
                .asText(n.path("userIdentity").path("type").asText("-")),
            where.get(i));
      }
      out.printf(
          "%d of %d events match%s%n",
          counts[1],
          counts[0],
          counts[1] > matches.size() ? " (first " + matches.size() + " shown)" : "");
    }
    return 0;
  }

  /** {@code watch-pack [NAME]}. */
  @Command(
      name = "watch-pack",
      description = {
        "list the shipped metric filters and Contributor Insights rules, or show one",
        "Each with its source and, for a metric filter, its pattern as a Logs Insights query."
      })
  static final class WatchPackCommand implements Callable<Integer> {
    private final Context ctx;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "a filter or rule")
    String name;

    WatchPackCommand(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      return watchPack(name, ctx.out);
    }
  }

  static int watchPack(String name, PrintStream out) {
    WatchPack pack = WatchPack.get();
    if (name == null) {
      int w = 0;
      for (var f : pack.metricFilters()) {
        w = Math.max(w, f.name().length());
      }
      for (var r : pack.rules()) {
        w = Math.max(w, r.name().length());
      }
      out.println("metric filters:");
      for (var f : pack.metricFilters()) {
        out.printf("  %-" + w + "s  %s%n", f.name(), f.description());
      }
      out.println("contributor insights rules:");
      for (var r : pack.rules()) {
        out.printf("  %-" + w + "s  %s%n", r.name(), r.description());
      }
      return 0;
    }
    var f = pack.metricFilter(name);
    if (f.isPresent()) {
      var mf = f.get().filter();
      out.println("# " + f.get().name() + ": " + f.get().description());
      out.println("# source: " + f.get().source());
      out.println(
          "# metric: "
              + mf.metricNamespace()
              + "/"
              + mf.metricName()
              + " value "
              + mf.metricValue()
              + (mf.defaultValue() != null ? " default " + mf.defaultValue() : ""));
      out.println(mf.pattern().text());
      out.println("# as a Logs Insights query (5-minute bins):");
      out.println(mf.toQuery("5m"));
      return 0;
    }
    var r =
        pack.rule(name)
            .orElseThrow(() -> new UsageException("no metric filter or rule named '" + name + "'"));
    out.println("# " + r.name() + ": " + r.description());
    out.println("# source: " + r.source());
    out.println(r.json());
    out.println("# as a Logs Insights query:");
    out.println(dev.trailquery.contributor.RuleCompiler.topContributors(r.rule(), 10));
    return 0;
  }
}
