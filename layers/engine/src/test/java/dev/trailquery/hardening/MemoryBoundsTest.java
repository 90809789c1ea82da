package dev.trailquery.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Memory bounds of the engine's user-controlled paths, each run by {@link MemoryProbe} in a JVM of
 * its own with a small heap (docs/TESTING.md lists the bounds):
 *
 * <ul>
 *   <li>query text: the longest accepted query (100,000 characters) parses and plans, and a regex
 *       whose repetitions expand to 10^9 instructions is refused, in 48 MB;
 *   <li>files: 150,000 records (~55 MB of JSON, gzip-streamed) through a stats query and a sorted
 *       {@code limit 100} with {@code @message}, in 64 MB: memory follows groups and kept rows, not
 *       input size;
 *   <li>one record with a 64-million-character string field: read or skipped in 160 MB (the
 *       reader's per-string cap is 16 M characters; a longer string stops the object as TOO_LARGE,
 *       records before it kept).
 * </ul>
 */
class MemoryBoundsTest {
  record Run(int exit, String out) {}

  static Run probe(String xmx, String... args) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx" + xmx);
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MemoryProbe.class.getName());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @Test
  void queryTextIsBoundedIn48Megabytes() throws Exception {
    Run r = probe("48m", "query-text");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("regex refused TQ1007").contains("query-text ok");
  }

  @Test
  void recordsStreamIn64Megabytes() throws Exception {
    Run r = probe("64m", "records", "150000");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out())
        .contains("records OK 150000 rows 50") // 50 event names
        .contains("records OK 150000 rows 100");
  }

  @Test
  void aHugeStringFieldSkipsItsRecordAloneWhateverTheQueryIn128Megabytes() throws Exception {
    // issue 15, D12: a 200 MB string field, then a normal record in the same object
    Run r = probe("128m", "huge-string", Integer.toString(200_000_000));
    assertThat(r.exit()).as(r.out()).isZero();
    // Every query sees the same records: the 200 MB one skipped (and reported by the object's
    // status), the normal one read; the field still counts as present (no TQ3003 "no record had
    // it").
    assertThat(r.out().lines().filter(l -> l.startsWith("huge-string")))
        .containsExactly(
            "huge-string OVERSIZED_RECORDS 1 rows 1 [Normal] warnings [] | stats count(*) by"
                + " eventName",
            "huge-string OVERSIZED_RECORDS 1 rows 1 [Normal] warnings [] | fields eventName,"
                + " strlen(big) as n",
            "huge-string OVERSIZED_RECORDS 1 rows 1 [Normal] warnings [] | fields eventName,"
                + " @message",
            "huge-string OVERSIZED_RECORDS 1 rows 0 [] warnings [] | filter ispresent(big) | stats"
                + " count(*) by eventName");
  }
}
