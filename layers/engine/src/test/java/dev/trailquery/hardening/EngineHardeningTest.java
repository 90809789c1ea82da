package dev.trailquery.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.trailquery.Trailquery;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.Parser;
import dev.trailquery.lang.QueryException;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's defects of issue 15, each reproduced: a regex whose repetitions expand to a huge
 * program (D1), a limit over the 10,000-row cap (D9), a caret line for a very long query and a
 * negative bin period (minor items).
 */
class EngineHardeningTest {
  static final Duration FAST = Duration.ofSeconds(10);

  static QueryException compileFails(String query) {
    QueryException e =
        catchThrowableOfType(
            QueryException.class, () -> Trailquery.compile(query, Planner.Options.defaults()));
    assertThat(e).as(query).isNotNull();
    return e;
  }

  @Test
  void nestedRepetitionRegexIsACaretErrorNotAnOutOfMemory() {
    String q = "filter eventName like /((a{1000}){1000}){1000}/";
    QueryException e = assertTimeoutPreemptively(FAST, () -> compileFails(q));
    Diagnostic d = e.error();
    assertThat(d.code()).isEqualTo("TQ1007");
    assertThat(d.message()).contains("too large");
    assertThat(d.column(q)).isEqualTo(23); // the regex token starts at the '/'
    // In each place a user regex is compiled: =~, parse, regexReplace with a string.
    for (String other :
        List.of(
            "filter eventName =~ /(x{1000}){1000}/",
            "parse @message /(?<a>(b{500}){500})/",
            "fields regexReplace(eventName, \"(x{1000}){1000}\", \"y\") as r")) {
      QueryException o = assertTimeoutPreemptively(FAST, () -> compileFails(other));
      assertThat(o.error().message()).as(other).contains("too large");
    }
  }

  @Test
  void ordinaryCountedRepetitionsStillCompile() {
    for (String ok :
        List.of(
            "filter eventName like /a{1000}/",
            "filter userAgent like /[a-z]{1,100}\\.[0-9]{2,3}/",
            "filter eventName like /\\p{Greek}{10}/",
            "filter eventName like /(x{2}){3}/",
            "filter eventName like /(ab|cd){0,50}/")) {
      assertThat(Trailquery.compile(ok, Planner.Options.defaults())).as(ok).isNotNull();
    }
  }

  @Test
  void limitOverTheCapWarnsWithTheCap() {
    Plan p = Trailquery.compile("fields eventID | limit 20000", Planner.Options.defaults());
    assertThat(p.warnings()).hasSize(1);
    Diagnostic w = p.warnings().getFirst();
    assertThat(w.code()).isEqualTo("TQ3004");
    assertThat(w.message()).contains("at most 10000 rows").contains("limit 20000 returns 10000");
    // At the cap, or under a caller's larger limit: no warning.
    assertThat(
            Trailquery.compile("fields eventID | limit 10000", Planner.Options.defaults())
                .warnings())
        .isEmpty();
    assertThat(
            Trailquery.compile(
                    "fields eventID | limit 20000",
                    new Planner.Options(Long.MIN_VALUE, Long.MAX_VALUE, 0, 50_000L))
                .warnings())
        .isEmpty();
  }

  @Test
  void negativeBinPeriodSaysSo() {
    QueryException e = compileFails("stats count(*) by bin(-5m)");
    assertThat(e.error().message()).contains("positive").contains("not a negative period");
    assertThat(e.error().message()).doesNotContain("only allowed");
  }

  @Test
  void caretLineOfAHugeOneLineQueryIsAWindow() {
    String q = "fields " + "a, ".repeat(20_000) + "b )";
    QueryException e = catchThrowableOfType(QueryException.class, () -> Parser.parse(q));
    assertThat(e).isNotNull();
    String rendered = e.render();
    assertThat(rendered.length()).isLessThan(400);
    List<String> lines = rendered.lines().toList();
    assertThat(lines).hasSize(3);
    // The caret sits under the ')' shown in the window.
    int caret = lines.get(2).indexOf('^');
    assertThat(lines.get(1).charAt(caret)).as(rendered).isEqualTo(')');
    // And a query over the length limit (a 1 MB line) stays short too.
    String huge = "fields " + "x".repeat(1_000_000);
    QueryException tooLong = catchThrowableOfType(QueryException.class, () -> Parser.parse(huge));
    assertThat(tooLong.error().code()).isEqualTo("TQ1001");
    assertThat(tooLong.render().length()).isLessThan(400);
  }
}
