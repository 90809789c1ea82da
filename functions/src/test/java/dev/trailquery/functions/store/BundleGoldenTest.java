package dev.trailquery.functions.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Finisher;
import dev.trailquery.exec.PartialState;
import dev.trailquery.plan.Planner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Version-1 {@code TQB} bundles are a contract: one per CloudTrail object and day lives in users'
 * results tables. {@code golden/tqb-v1.bin} was written once and is never regenerated: four records
 * (hand-written, see the engine's {@code exec/golden/records.json}), their hourly histogram, and
 * one subscription's partial state for the 10:00 bin (the engine's {@code tqps-v1-aggregate.bin}).
 * Today's code must decode it to exactly that.
 */
class BundleGoldenTest {
  static final String AGGREGATE =
      "stats count(*) as n, count_distinct(sourceIPAddress) as ips by eventName | sort eventName";
  static final long H10 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
  static final long H11 = Instant.parse("2025-03-01T11:00:00Z").toEpochMilli();
  static final long H12 = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();

  static byte[] golden(String name) throws IOException {
    try (InputStream in = BundleGoldenTest.class.getResourceAsStream("golden/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  static Bundle expected() throws IOException {
    Bundle b = new Bundle();
    b.records = 4;
    b.bytes = 1234;
    SortedMap<Long, Long> hourly = new TreeMap<>();
    hourly.put(H10, 2L);
    hourly.put(H11, 1L);
    hourly.put(H12, 1L);
    b.histograms.put("1h", hourly);
    SortedMap<Long, byte[]> bins = new TreeMap<>();
    bins.put(H10, golden("tqps-v1-aggregate.bin"));
    b.states.put("sub-0001", bins);
    b.states.put("sub-0002", new TreeMap<>()); // evaluated, matched nothing
    return b;
  }

  @Test
  void bundleV1StillDecodes() throws IOException {
    Bundle b = Bundle.decode(golden("tqb-v1.bin"));
    assertThat(b.records).isEqualTo(4);
    assertThat(b.bytes).isEqualTo(1234);
    assertThat(b.histograms).isEqualTo(Map.of("1h", Map.of(H10, 2L, H11, 1L, H12, 1L)));
    assertThat(b.states.keySet()).containsExactly("sub-0001", "sub-0002");
    assertThat(b.states.get("sub-0002")).isEmpty();
    assertThat(b.states.get("sub-0001").keySet()).containsExactly(H10);
    byte[] state = b.states.get("sub-0001").get(H10);
    var result =
        Finisher.finish(
            PartialState.fromBytes(
                Trailquery.compile(AGGREGATE, Planner.Options.defaults()), state));
    assertThat(result.rowMaps())
        .containsExactly(
            Map.of("eventName", "ConsoleLogin", "n", 3.0, "ips", 3.0),
            Map.of("eventName", "GetObject", "n", 1.0, "ips", 1.0));
  }

  @Test
  void todaysEncoderWritesTheSameBytes() throws IOException {
    // A difference means the format changed: bump the version, keep this image and its reader.
    assertThat(expected().encode()).isEqualTo(golden("tqb-v1.bin"));
  }

  /** Writes the image when missing (once, for a new version): {@code main DIR}. */
  public static void main(String[] args) throws IOException {
    Path p = Path.of(args[0], "tqb-v1.bin");
    if (!Files.exists(p)) {
      Files.write(p, expected().encode());
    }
  }
}
