package dev.trailquery.fn;

import static dev.trailquery.fn.Fx.END;
import static dev.trailquery.fn.Fx.START;
import static dev.trailquery.fn.Fx.both;
import static dev.trailquery.fn.Fx.eval;
import static dev.trailquery.fn.Fx.period;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.value.Timestamp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GeneralFunctionsTest {

  @Test
  void ispresent() {
    assertThat(eval("ispresent", "x")).isEqualTo(true);
    assertThat(eval("ispresent", "")).isEqualTo(true);
    assertThat(eval("ispresent", 0)).isEqualTo(true);
    assertThat(eval("ispresent", false)).isEqualTo(true);
    assertThat(eval("ispresent", (Object) null)).isEqualTo(false);
  }

  @Test
  void coalesceReturnsTheFirstPresentValue() {
    assertThat(eval("coalesce", null, null, "b", "c")).isEqualTo("b");
    assertThat(eval("coalesce", null, 3)).isEqualTo(3.0);
    assertThat(eval("coalesce", "", "x")).isEqualTo("");
    assertThat(eval("coalesce", (Object) null)).isNull();
    assertThat(eval("coalesce", null, null)).isNull();
  }

  @Test
  void ifPicksABranchByTruthiness() {
    assertThat(eval("if", true, "a", "b")).isEqualTo("a");
    assertThat(eval("if", false, "a", "b")).isEqualTo("b");
    assertThat(eval("if", null, "a", "b")).isEqualTo("b");
    assertThat(eval("if", 0, "a", "b")).isEqualTo("b");
    assertThat(eval("if", 2, "a", "b")).isEqualTo("a");
    assertThat(eval("if", "yes", "a", "b")).isEqualTo("a");
    assertThat(eval("if", "", "a", "b")).isEqualTo("b");
    assertThat(eval("if", false, "a")).isNull();
    assertThat(eval("if", true, null, "b")).isNull();
  }

  @Test
  void ifEvaluatesOnlyTheChosenBranch() {
    // The test context's period evaluator fails if evaluated.
    assertThat(eval("if", true, "a", period(5, "m"))).isEqualTo("a");
    assertThat(eval("if", false, period(5, "m"), "b")).isEqualTo("b");
  }

  @Test
  void caseTakesTheFirstTrueCondition() {
    assertThat(eval("case", false, "a", true, "b", "c")).isEqualTo("b");
    assertThat(eval("case", true, "a", true, "b")).isEqualTo("a");
    assertThat(eval("case", false, "a", false, "b", "c")).isEqualTo("c");
    assertThat(eval("case", false, "a", false, "b")).isNull();
    assertThat(eval("case", null, "a", "dflt")).isEqualTo("dflt");
    assertThat(eval("case", false, "a")).isNull();
    // Lazy: later conditions and values are not evaluated once one is chosen.
    assertThat(eval("case", true, "a", period(1, "h"), period(1, "h"))).isEqualTo("a");
  }

  @Test
  void caseAcceptsTenBranchesAndADefault() {
    Object[] args = new Object[21];
    for (int i = 0; i < 10; i++) {
      args[2 * i] = i == 9;
      args[2 * i + 1] = "v" + i;
    }
    args[20] = "dflt";
    assertThat(eval("case", args)).isEqualTo("v9");
  }

  @Test
  void isNumeric() {
    assertThat(both("isNumeric", "42")).isEqualTo(true);
    assertThat(both("isNumeric", "-1.5")).isEqualTo(true);
    assertThat(both("isNumeric", "1e3")).isEqualTo(true);
    assertThat(both("isNumeric", 42)).isEqualTo(true);
    assertThat(eval("isNumeric", new Timestamp(5))).isEqualTo(true);
    assertThat(both("isNumeric", "abc")).isEqualTo(false);
    assertThat(both("isNumeric", "")).isEqualTo(false);
    assertThat(both("isNumeric", " 42")).isEqualTo(false);
    assertThat(both("isNumeric", "0x1F")).isEqualTo(false);
    assertThat(eval("isNumeric", true)).isEqualTo(false);
    assertThat(eval("isNumeric", (Object) null)).isEqualTo(false);
  }

  @Test
  void messageSizeCountsUtf8Bytes() {
    assertThat(both("messageSize", "abc")).isEqualTo(3.0);
    assertThat(both("messageSize", "")).isEqualTo(0.0);
    assertThat(both("messageSize", "é")).isEqualTo(2.0);
    assertThat(both("messageSize", "€")).isEqualTo(3.0);
    assertThat(both("messageSize", "😀")).isEqualTo(4.0);
    assertThat(both("messageSize", "aé€😀")).isEqualTo(10.0);
    String json = "{\"eventName\":\"ConsoleLogin\",\"userAgent\":\"Mozilla/5.0 — ü\"}";
    assertThat(eval("messageSize", json))
        .isEqualTo((double) json.getBytes(StandardCharsets.UTF_8).length);
    assertThat(eval("messageSize", 42)).isEqualTo(2.0);
    assertThat(eval("messageSize", (Object) null)).isNull();
  }

  @Test
  void queryTimes() {
    assertThat(eval("queryStartTime")).isEqualTo((double) START);
    assertThat(eval("queryEndTime")).isEqualTo((double) END);
    assertThat(eval("queryTimeRange")).isEqualTo(2 * 3_600_000.0);
  }
}
