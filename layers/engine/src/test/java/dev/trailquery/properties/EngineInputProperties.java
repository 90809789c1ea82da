package dev.trailquery.properties;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.Trailquery;
import dev.trailquery.contributor.RuleParser;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.Parser;
import dev.trailquery.lang.QueryException;
import dev.trailquery.metricfilter.MetricPattern;
import dev.trailquery.plan.Planner;
import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.read.ReadRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Property-based tests of everything in the engine that reads user input: the query parser and
 * planner, the metric-filter and rule parsers, and the CloudTrail reader. Each input either gives a
 * result or the one documented error type with a position inside the input; nothing else (no
 * NullPointerException, no IndexOutOfBounds, no runaway render). Tries are bounded
 * (jqwik.properties) so the whole class runs in seconds.
 */
class EngineInputProperties {
  static final ObjectMapper M = new ObjectMapper();

  static final List<String> QUERY_TOKENS =
      List.of(
          "fields",
          "filter",
          "stats",
          "sort",
          "limit",
          "parse",
          "dedup",
          "display",
          "by",
          "as",
          "and",
          "or",
          "not",
          "like",
          "in",
          "asc",
          "desc",
          "|",
          ",",
          "(",
          ")",
          "[",
          "]",
          "=",
          "!=",
          "<",
          ">=",
          "+",
          "-",
          "*",
          "/",
          "%",
          "=~",
          "count(*)",
          "count(",
          "sum(",
          "bin(",
          "5m",
          "-5m",
          "0m",
          "1w",
          "@timestamp",
          "@message",
          "eventName",
          "`a b`",
          "\"str\"",
          "'s'",
          "\"unterminated",
          "/re/",
          "/(a{1000}){1000}/",
          "/[/",
          "10000",
          "20000",
          "99999999999999",
          "1e309",
          "0x1F",
          "#c\n",
          "\n",
          " ",
          "\t",
          "é",
          "\u0000",
          "ispresent(",
          "strlen(",
          "regexReplace(",
          "datefloor(",
          "coalesce(",
          "abs(",
          "@logStream",
          "requestParameters.x");

  @Provide
  Arbitrary<String> querySoup() {
    Arbitrary<String> token = Arbitraries.of(QUERY_TOKENS);
    Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(6);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, token), net.jqwik.api.Tuple.of(1, noise))
        .list()
        .ofMaxSize(30)
        .map(parts -> String.join(" ", parts));
  }

  static void checkError(QueryException e, String source) {
    Diagnostic d = e.error();
    assertThat(d.code()).startsWith("TQ");
    assertThat(d.span().start()).isBetween(0, source.length());
    assertThat(d.line(source)).isPositive();
    assertThat(d.column(source)).isPositive();
    // The caret rendering stays short whatever the query (a window around the error).
    assertThat(e.render().length()).isLessThan(2_000 * e.diagnostics().size());
  }

  @Property
  void queriesParseAndPlanOrFailWithAPositionedError(@ForAll("querySoup") String query) {
    try {
      Trailquery.compile(query, Planner.Options.defaults());
    } catch (QueryException e) {
      checkError(e, query);
    }
  }

  @Property(tries = 200)
  void arbitraryTextNeverBreaksTheParser(@ForAll @Size(max = 200) String query) {
    try {
      Parser.parse(query);
    } catch (QueryException e) {
      checkError(e, query);
    }
  }

  static final List<String> PATTERN_TOKENS =
      List.of(
          "{",
          "}",
          "(",
          ")",
          "$.",
          "$.eventName",
          "$.a.b[0]",
          "$.*",
          "=",
          "!=",
          "<",
          ">=",
          "&&",
          "||",
          "\"x\"",
          "\"*Unauth*\"",
          "%re%",
          "%(a{1000}){1000}%",
          "%[%",
          "5",
          "-1.5e3",
          "IS NULL",
          "NOT EXISTS",
          "TRUE",
          "false",
          "[",
          "]",
          "w1=*",
          "...",
          "?",
          "\"",
          " ",
          "-x");

  @Provide
  Arbitrary<String> patternSoup() {
    return Arbitraries.of(PATTERN_TOKENS).list().ofMaxSize(20).map(p -> String.join("", p));
  }

  @Property
  void metricFilterPatternsCompileOrFailWithAPositionedError(
      @ForAll("patternSoup") String pattern) {
    MetricPattern p;
    try {
      p = MetricPattern.compile(pattern);
    } catch (QueryException e) {
      checkError(e, pattern);
      return;
    }
    // A compiled pattern judges any event without failing.
    ObjectNode event = M.createObjectNode();
    event.put("eventName", "ConsoleLogin").put("a", 5);
    event.putArray("resources").addObject().put("ARN", "arn:x");
    p.matches(event);
    p.matches(M.createObjectNode());
  }

  static final List<String> RULE_TOKENS =
      List.of(
          "{",
          "}",
          "[",
          "]",
          ":",
          ",",
          "\"Schema\"",
          "{\"Name\":\"CloudWatchLogRule\",\"Version\":1}",
          "\"LogFormat\"",
          "\"JSON\"",
          "\"Contribution\"",
          "\"Keys\"",
          "\"$.eventName\"",
          "\"$.a[0]\"",
          "\"Filters\"",
          "\"Match\"",
          "\"In\"",
          "\"GreaterThan\"",
          "5",
          "null",
          "\"AggregateOn\"",
          "\"Count\"",
          "\"Sum\"",
          "\"ValueOf\"",
          "true",
          "\"\"",
          " ");

  @Provide
  Arbitrary<String> ruleSoup() {
    return Arbitraries.of(RULE_TOKENS).list().ofMaxSize(40).map(p -> String.join("", p));
  }

  @Property
  void rulesParseOrFailWithAPositionedError(@ForAll("ruleSoup") String rule) {
    try {
      RuleParser.parse(rule);
    } catch (QueryException e) {
      checkError(e, rule);
    }
  }

  // ---- the reader ----

  static final String RECORD =
      "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-01T10:00:00Z\",\"eventName\":\"E%d\","
          + "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/u\"},"
          + "\"requestParameters\":{\"k\":[1,2,{\"x\":\"y\"}]},\"sourceIPAddress\":\"10.0.0.%d\"}";

  static byte[] document(int records) {
    StringBuilder sb = new StringBuilder("{\"Records\":[");
    for (int i = 0; i < records; i++) {
      sb.append(i == 0 ? "" : ",").append(String.format(RECORD, i, i));
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  record Damage(int records, boolean gzip, int cut, List<int[]> flips) {}

  @Provide
  Arbitrary<Damage> damage() {
    Arbitrary<int[]> flip =
        Combinators.combine(
                Arbitraries.integers().between(0, 100_000), Arbitraries.integers().between(0, 255))
            .as((at, b) -> new int[] {at, b});
    return Combinators.combine(
            Arbitraries.integers().between(0, 20),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 100_000),
            flip.list().ofMaxSize(4))
        .as(Damage::new);
  }

  static final ReadRequest REQUEST =
      new ReadRequest(List.of("eventName", "requestParameters.k"), new int[] {0, 1}, 2, true);

  /**
   * A CloudTrail document, maybe gzipped, cut short and with bytes overwritten: the reader never
   * throws, never delivers more records than the document has, and says OK only when nothing was
   * lost.
   */
  @Property
  void damagedDocumentsAreReadUpToTheDamageAndNeverThrow(@ForAll("damage") Damage d)
      throws IOException {
    byte[] clean = document(d.records());
    byte[] bytes = d.gzip() ? gzip(clean) : clean.clone();
    boolean damaged = false;
    for (int[] f : d.flips()) {
      int at = f[0] % bytes.length;
      damaged |= bytes[at] != (byte) f[1];
      bytes[at] = (byte) f[1];
    }
    int cut = d.cut() % (bytes.length + 1);
    damaged |= cut < bytes.length;
    byte[] input = java.util.Arrays.copyOf(bytes, cut);
    long[] delivered = {0};
    ObjectResult r =
        new CloudTrailReader(REQUEST)
            .read(
                new ByteArrayInputStream(input),
                "k",
                (row, ts, message, index) -> {
                  delivered[0]++;
                  return true;
                });
    assertThat(r.status()).isNotNull();
    assertThat(delivered[0]).isEqualTo(r.records()).isLessThanOrEqualTo(d.records() + 4L);
    if (!damaged) {
      assertThat(r.status()).isEqualTo(ObjectResult.Status.OK);
      assertThat(r.records()).isEqualTo(d.records());
    }
  }
}
