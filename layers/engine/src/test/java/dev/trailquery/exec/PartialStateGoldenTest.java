package dev.trailquery.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.Trailquery;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.LocalFileSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Version-1 {@code TQPS} partial-state images are a contract: they live in users' DynamoDB tables
 * (ingest bundles) across deployments. The images under {@code golden/} were written once from
 * {@code golden/records.json} (four hand-written records) and are never regenerated; today's code
 * must read them into the results counted by hand below. A format change needs a new version (and
 * new images next to these), not new bytes here.
 *
 * <p>To add images of a new version: {@link #main} writes the missing ones.
 */
class PartialStateGoldenTest {
  /** count by eventName: ConsoleLogin 3 records from 3 addresses, GetObject 1 from 1. */
  static final String AGGREGATE =
      "stats count(*) as n, count_distinct(sourceIPAddress) as ips by eventName | sort eventName";

  /** The two earliest console logins. */
  static final String TOP =
      "filter eventSource = \"signin.amazonaws.com\" | fields eventName, sourceIPAddress"
          + " | sort @timestamp asc | limit 2";

  static Plan plan(String query) {
    return Trailquery.compile(query, Planner.Options.defaults());
  }

  static byte[] golden(String name) throws IOException {
    try (InputStream in = PartialStateGoldenTest.class.getResourceAsStream("golden/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void aggregateImageV1StillReads() throws IOException {
    byte[] image = golden("tqps-v1-aggregate.bin");
    assertThat(new String(image, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("TQPS");
    assertThat(image[4]).isEqualTo((byte) 1);
    Result r = Finisher.finish(PartialState.fromBytes(plan(AGGREGATE), image));
    assertThat(r.rowMaps())
        .containsExactly(
            Map.of("eventName", "ConsoleLogin", "n", 3.0, "ips", 3.0),
            Map.of("eventName", "GetObject", "n", 1.0, "ips", 1.0));
    assertThat(r.statistics().recordsScanned()).isEqualTo(4);
    assertThat(r.statistics().recordsMatched()).isEqualTo(4);
  }

  @Test
  void topRowsImageV1StillReads() throws IOException {
    byte[] image = golden("tqps-v1-top.bin");
    Result r = Finisher.finish(PartialState.fromBytes(plan(TOP), image));
    assertThat(r.rowMaps())
        .containsExactly(
            Map.of("eventName", "ConsoleLogin", "sourceIPAddress", "203.0.113.1"),
            Map.of("eventName", "ConsoleLogin", "sourceIPAddress", "203.0.113.4"));
    assertThat(r.statistics().recordsScanned()).isEqualTo(4);
    assertThat(r.statistics().recordsMatched()).isEqualTo(3);
  }

  @Test
  void todaysScanWritesTheSameImages() throws IOException {
    // Not required by the contract (reading is), but a difference means the format changed: then
    // bump the version and keep the old images.
    for (var e : Map.of("tqps-v1-aggregate.bin", AGGREGATE, "tqps-v1-top.bin", TOP).entrySet()) {
      assertThat(scan(e.getValue()).toBytes()).as(e.getKey()).isEqualTo(golden(e.getKey()));
    }
  }

  static PartialState scan(String query) throws IOException {
    Path records = Path.of("src/test/resources/dev/trailquery/exec/golden/records.json");
    return new Scan(plan(query))
        .scanAll(
            Scan.inputs(List.of(new LocalFileSource(records))),
            1,
            Scan.Listener.NONE,
            () -> false,
            false);
  }

  /** Writes the images that are missing (once, for a new version): {@code main DIR}. */
  public static void main(String[] args) throws IOException {
    for (var e : Map.of("tqps-v1-aggregate.bin", AGGREGATE, "tqps-v1-top.bin", TOP).entrySet()) {
      Path p = Path.of(args[0], e.getKey());
      if (!Files.exists(p)) {
        Files.write(p, scan(e.getValue()).toBytes());
      }
    }
  }
}
