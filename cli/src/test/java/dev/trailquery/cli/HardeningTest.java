package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.cli.MainTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15's CLI defects (D2, D4, D9, D10), each reproduced through {@link Main}. */
class HardeningTest {
  @TempDir Path tmp;

  static final String TIMED =
      "{\"Records\":[{\"eventTime\":\"2026-11-01T10:01:00Z\",\"eventName\":\"A\"},"
          + "{\"eventTime\":\"2026-11-01T10:07:00Z\",\"eventName\":\"B\"}]}";

  @Test
  void binChartSkipsRowsWithoutATime() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("logs"));
    Files.writeString(dir.resolve("a.json"), TIMED);
    Files.writeString(
        dir.resolve("b.json"),
        "{\"Records\":[{\"eventName\":\"NoTime\"},{\"eventName\":\"Bad\",\"eventTime\":\"x\"}]}");
    Run r = MainTest.run("query", "stats count(*) by bin(5m)", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("internal error");
    // Table: the null bin (2 records), then 10:05 and 10:00 (1 each); chart: the two timed bins.
    assertThat(r.out())
        .contains("2026-11-01 10:00:00.000 │")
        .contains("2026-11-01 10:05:00.000 │")
        .contains("(1 row without a time not charted)");
  }

  @Test
  void symbolicLinkLoopIsSkippedAndTheRestCounted() throws IOException {
    Path d = Files.createDirectories(tmp.resolve("d"));
    Files.writeString(d.resolve("good.json"), TIMED);
    Files.createSymbolicLink(d.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(d.resolve("b"), Path.of("a"));
    Run r = MainTest.run("query", "--format", "csv", "stats count(*) as n", d.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("n\r\n2\r\n");
  }

  @Test
  void limitAboveTheCapWarnsAndHugeOptionValuesSayOutOfRange() {
    Run check = MainTest.run("check", "fields eventID | limit 20000");
    assertThat(check.code()).isZero();
    assertThat(check.err()).contains("TQ3004").contains("at most 10000 rows");
    Run huge = MainTest.run("query", "--limit", "999999999999", "fields a", "x");
    assertThat(huge.code()).isEqualTo(2);
    assertThat(huge.err()).contains("--limit is out of range: 999999999999 (at most 2147483647)");
    Run words = MainTest.run("query", "--limit", "ten", "fields a", "x");
    assertThat(words.err()).contains("--limit needs a positive whole number, got 'ten'");
  }

  @Test
  void queryFileThatIsNotUtf8IsAUsageErrorWithTheByte() throws IOException {
    Path q = tmp.resolve("q");
    Files.write(q, new byte[] {'f', 'i', 'e', 'l', 'd', 's', ' ', (byte) 0xff});
    Run r = MainTest.run("check", "--file", q.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("not valid UTF-8 at byte 7");
    Path ok = tmp.resolve("ok");
    Files.writeString(ok, "fields eventName # é");
    assertThat(MainTest.run("check", "--file", ok.toString()).code()).isZero();
  }
}
