package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code test-pattern} and {@code watch-pack} through Main. */
class PatternCommandsTest {

  @Test
  void testPatternJson() throws Exception {
    MainTest.Run r =
        MainTest.run(
            "test-pattern",
            "--format",
            "json",
            "--limit",
            "2",
            "{ $.eventName = \"*\" }",
            MainTest.FIXTURES);
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode root = MainTest.JSON.readTree(r.out());
    assertThat(root.get("matched").asLong()).isPositive();
    assertThat(root.get("matched").asLong()).isEqualTo(root.get("scanned").asLong());
    assertThat(root.get("events")).hasSize(2);
    assertThat(root.get("events").get(0).has("eventName")).isTrue();
  }

  @Test
  void badPatternExits2WithCaret() {
    MainTest.Run r = MainTest.run("test-pattern", "{ $.a = }", MainTest.FIXTURES);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("line 1, column 9").contains("  |         ^");
  }

  @Test
  void watchPackLists() {
    MainTest.Run r = MainTest.run("watch-pack");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("root-account-usage").contains("access-denied-by-identity");
  }
}
