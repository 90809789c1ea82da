package dev.trailquery.functions.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.exec.Result;
import dev.trailquery.exec.Statistics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarm definition on its own (no emulators): every comparison at, above and below its
 * threshold, the parser's spellings, the limits the constructor enforces, and how a bin's result is
 * judged — expected values worked out by hand from the rows written here.
 */
class AlarmTest {
  static Alarm alarm(String column, String cmp, double threshold) {
    return new Alarm("sub", column, Alarm.Comparison.parse(cmp), threshold, null, false, 7L);
  }

  static Result result(List<String> fields, long matched, Object[]... rows) {
    return new Result(
        fields,
        Arrays.asList(rows),
        new Statistics(100, matched, 0, 0, 1, 0),
        List.of(),
        List.of());
  }

  @Test
  void everyComparisonAtBelowAndAboveItsThreshold() {
    // {below, at, above} the threshold 3 → expected outcome per comparison
    Map<Alarm.Comparison, boolean[]> expected =
        Map.of(
            Alarm.Comparison.GT, new boolean[] {false, false, true},
            Alarm.Comparison.GE, new boolean[] {false, true, true},
            Alarm.Comparison.LT, new boolean[] {true, false, false},
            Alarm.Comparison.LE, new boolean[] {true, true, false},
            Alarm.Comparison.EQ, new boolean[] {false, true, false},
            Alarm.Comparison.NE, new boolean[] {true, false, true});
    assertThat(expected).hasSize(Alarm.Comparison.values().length);
    expected.forEach(
        (c, want) -> {
          assertThat(c.test(2, 3)).as(c + " 2 vs 3").isEqualTo(want[0]);
          assertThat(c.test(3, 3)).as(c + " 3 vs 3").isEqualTo(want[1]);
          assertThat(c.test(4, 3)).as(c + " 4 vs 3").isEqualTo(want[2]);
        });
  }

  @Test
  void comparisonsParseFromSymbolsNamesAndAliases() {
    assertThat(Alarm.Comparison.parse(">")).isEqualTo(Alarm.Comparison.GT);
    assertThat(Alarm.Comparison.parse(" >= ")).isEqualTo(Alarm.Comparison.GE);
    assertThat(Alarm.Comparison.parse("<")).isEqualTo(Alarm.Comparison.LT);
    assertThat(Alarm.Comparison.parse("le")).isEqualTo(Alarm.Comparison.LE);
    assertThat(Alarm.Comparison.parse("=")).isEqualTo(Alarm.Comparison.EQ);
    assertThat(Alarm.Comparison.parse("==")).isEqualTo(Alarm.Comparison.EQ);
    assertThat(Alarm.Comparison.parse("!=")).isEqualTo(Alarm.Comparison.NE);
    assertThat(Alarm.Comparison.parse("<>")).isEqualTo(Alarm.Comparison.NE);
    assertThat(Alarm.Comparison.parse("Gt")).isEqualTo(Alarm.Comparison.GT);
    assertThatThrownBy(() -> Alarm.Comparison.parse("=>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("comparison must be one of >, >=, <, <=, =, != (got '=>')");
    assertThatThrownBy(() -> Alarm.Comparison.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(got 'null')");
    assertThat(Alarm.Comparison.GE.symbol()).isEqualTo(">=");
    assertThat(Alarm.Comparison.LE.words()).isEqualTo("at most");
    assertThat(Alarm.State.parse("alarm")).isEqualTo(Alarm.State.ALARM);
  }

  @Test
  void theConstructorEnforcesItsLimits() {
    Alarm.Comparison gt = Alarm.Comparison.GT;
    assertThatThrownBy(() -> new Alarm(" ", "n", gt, 1, null, false, 0))
        .hasMessageContaining("subscription's name");
    assertThatThrownBy(() -> new Alarm(null, "n", gt, 1, null, false, 0))
        .hasMessageContaining("subscription's name");
    assertThatThrownBy(() -> new Alarm("s", "", gt, 1, null, false, 0))
        .hasMessageContaining("needs a column");
    assertThatThrownBy(() -> new Alarm("s", null, gt, 1, null, false, 0))
        .hasMessageContaining("needs a column");
    assertThat(new Alarm("s", "c".repeat(256), gt, 1, null, false, 0).column()).hasSize(256);
    assertThatThrownBy(() -> new Alarm("s", "c".repeat(257), gt, 1, null, false, 0))
        .hasMessage("the column name is longer than 256 characters");
    assertThatThrownBy(() -> new Alarm("s", "n", null, 1, null, false, 0))
        .hasMessageContaining("needs a comparison");
    assertThatThrownBy(() -> new Alarm("s", "n", gt, Double.NaN, null, false, 0))
        .hasMessage("the threshold must be a finite number");
    assertThatThrownBy(() -> new Alarm("s", "n", gt, Double.NEGATIVE_INFINITY, null, false, 0))
        .hasMessage("the threshold must be a finite number");
    assertThat(new Alarm("s", "n", gt, 1, "  ", false, 0).description()).isNull();
    assertThat(new Alarm("s", "n", gt, 1, "d".repeat(1024), false, 0).description()).hasSize(1024);
    assertThatThrownBy(() -> new Alarm("s", "n", gt, 1, "d".repeat(1025), false, 0))
        .hasMessage("the description is longer than 1024 characters");
  }

  @Test
  void columnsAreCheckedAgainstTheSubscriptionsOutput() {
    alarm("n", ">", 1).checkColumn(List.of("ip", "n"));
    alarm(Alarm.RECORDS_MATCHED, ">", 1).checkColumn(List.of("ip"));
    assertThatThrownBy(() -> alarm("count", ">", 1).checkColumn(List.of("ip", "n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the subscription 'sub' has no column 'count' (its columns: ip, n, and"
                + " @recordsMatched)");
  }

  @Test
  void sameDefinitionIgnoresOnlyTheCreationTime() {
    Alarm a = new Alarm("s", "n", Alarm.Comparison.GT, 3, "d", true, 1);
    assertThat(a.sameDefinition(new Alarm("s", "n", Alarm.Comparison.GT, 3, "d", true, 99)))
        .isTrue();
    List<Alarm> others =
        List.of(
            new Alarm("t", "n", Alarm.Comparison.GT, 3, "d", true, 1),
            new Alarm("s", "m", Alarm.Comparison.GT, 3, "d", true, 1),
            new Alarm("s", "n", Alarm.Comparison.GE, 3, "d", true, 1),
            new Alarm("s", "n", Alarm.Comparison.GT, 3.5, "d", true, 1),
            new Alarm("s", "n", Alarm.Comparison.GT, 3, "e", true, 1),
            new Alarm("s", "n", Alarm.Comparison.GT, 3, null, true, 1),
            new Alarm("s", "n", Alarm.Comparison.GT, 3, "d", false, 1));
    for (Alarm o : others) {
      assertThat(a.sameDefinition(o)).as(o.toString()).isFalse();
    }
    assertThat(a.condition()).isEqualTo("n > 3");
    assertThat(alarm("sum", "<=", 2.5).condition()).isEqualTo("sum <= 2.5");
  }

  @Test
  void aColumnBreachesOnAnyNumericRowAndListsAtMostTenTriggeringRows() {
    List<String> fields = List.of("ip", "failures");
    Result r =
        result(
            fields,
            5,
            new Object[] {"a", 5.0},
            new Object[] {"b", 3.0}, // 3 is not > 3
            new Object[] {"c", null},
            new Object[] {"d", "x"}, // not a number
            new Object[] {"e", Double.NaN},
            new Object[] {null, "4"}); // a numeric string counts; the missing ip is left out
    Alarm.Verdict v = alarm("failures", ">", 3).judge(r);
    assertThat(v.state()).isEqualTo(Alarm.State.ALARM);
    assertThat(v.rows())
        .containsExactly(Map.of("ip", "a", "failures", "5"), Map.of("failures", "4"));
    assertThat(v.rows().get(0).keySet()).containsExactly("ip", "failures");

    Alarm.Verdict ok = alarm("failures", ">", 5).judge(r);
    assertThat(ok.state()).isEqualTo(Alarm.State.OK);
    assertThat(ok.rows()).isEmpty();

    assertThat(alarm("nope", ">", 0).judge(r))
        .isEqualTo(new Alarm.Verdict(Alarm.State.INSUFFICIENT_DATA, List.of()));

    List<Object[]> many = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      many.add(new Object[] {"ip" + i, (double) (10 + i)});
    }
    Alarm.Verdict capped =
        alarm("failures", ">=", 10).judge(result(fields, 12, many.toArray(new Object[0][])));
    assertThat(capped.rows()).hasSize(Alarm.MAX_TRIGGERING_ROWS);
    assertThat(capped.rows().get(9)).containsEntry("ip", "ip9");
  }

  @Test
  void recordsMatchedComparesTheMatchedCountAndListsTheFirstRows() {
    List<String> fields = List.of("ip");
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rows.add(new Object[] {"10.0.0." + i});
    }
    Object[][] all = rows.toArray(new Object[0][]);
    Alarm any = alarm(Alarm.RECORDS_MATCHED, ">=", 3);
    Alarm.Verdict three = any.judge(result(fields, 3, all));
    assertThat(three.state()).isEqualTo(Alarm.State.ALARM);
    assertThat(three.rows()).hasSize(10);
    assertThat(three.rows().get(0)).isEqualTo(Map.of("ip", "10.0.0.0"));
    assertThat(three.rows().get(9)).isEqualTo(Map.of("ip", "10.0.0.9"));
    Alarm.Verdict two = any.judge(result(fields, 2, all));
    assertThat(two.state()).isEqualTo(Alarm.State.OK);
    assertThat(two.rows()).isEmpty();
    // a query that names a column @recordsMatched itself is judged on that column
    Alarm.Verdict own =
        any.judge(
            result(List.of(Alarm.RECORDS_MATCHED), 100, new Object[] {1.0}, new Object[] {2.0}));
    assertThat(own.state()).isEqualTo(Alarm.State.OK);
  }

  @Test
  void subjectsArePrintableAsciiOfAtMostOneHundredCharacters() {
    assertThat(AlarmEvaluator.subject("ALARM: a\nb\u00e9c\u007f")).isEqualTo("ALARM: a?b?c?");
    assertThat(AlarmEvaluator.subject(" ~")).isEqualTo(" ~");
    String hundred = "x".repeat(100);
    assertThat(AlarmEvaluator.subject(hundred)).isEqualTo(hundred);
    assertThat(AlarmEvaluator.subject(hundred + "y")).isEqualTo("x".repeat(99) + "~");
  }

  @Test
  void theLocalNotifierPrintsAndAppendsOneLineEach(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a/b/alarms.jsonl");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    LocalNotifier both = new LocalNotifier(print, file);
    both.publish(new Notifier.Notification("ALARM: one", "{\"n\":1}"));
    both.publish(new Notifier.Notification("OK: two", "{\"n\":2}"));
    assertThat(Files.readAllLines(file)).containsExactly("{\"n\":1}", "{\"n\":2}");
    assertThat(out.toString(StandardCharsets.UTF_8).split("\n"))
        .containsExactly(
            "trailquery: notification: ALARM: one",
            "{\"n\":1}",
            "trailquery: notification: OK: two",
            "{\"n\":2}");
    assertThat(both.describe()).isEqualTo("stderr and " + file);
    assertThat(new LocalNotifier(print, null).describe()).isEqualTo("stderr");
    assertThat(new LocalNotifier(null, file).describe()).isEqualTo(file.toString());
    new LocalNotifier(null, dir.resolve("top.jsonl")).publish(new Notifier.Notification("s", "m"));
    assertThat(Files.readString(dir.resolve("top.jsonl"))).isEqualTo("m\n");
    Path blocked = dir.resolve("blocked");
    Files.writeString(blocked, "a file, not a folder");
    assertThatThrownBy(
            () ->
                new LocalNotifier(null, blocked.resolve("x.jsonl"))
                    .publish(new Notifier.Notification("s", "m")))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("cannot append the notification to");
  }

  @Test
  void snsNotifierFromEnvNeedsATopic() {
    assertThat(SnsNotifier.fromEnv(k -> null)).isNull();
    assertThat(SnsNotifier.fromEnv(k -> " ")).isNull();
  }
}
