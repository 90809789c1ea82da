package dev.trailquery.functions.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.functions.fanout.Coordinator;
import dev.trailquery.functions.fanout.FanoutConfig;
import dev.trailquery.functions.fanout.ThreadInvoker;
import dev.trailquery.functions.query.InMemoryQueryStore;
import dev.trailquery.functions.query.QueryRecord;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.query.QueryStats;
import dev.trailquery.functions.query.QueryStatus;
import dev.trailquery.functions.query.ResultField;
import dev.trailquery.store.ObjectRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CloudTrail key layout: prefixes of the range only, discovery cached, names picked by time.
 */
public class TrailLayoutTest {
  static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

  public static String key(String base, String acct, String region, Instant delivered, int n) {
    return base
        + acct
        + "/CloudTrail/"
        + region
        + "/"
        + DAY.format(delivered)
        + "/"
        + acct
        + "_CloudTrail_"
        + region
        + "_"
        + STAMP.format(delivered)
        + "_u"
        + n
        + ".json.gz";
  }

  /** An in-memory bucket that counts what is listed. */
  static final class FakeTree implements TrailLayout.Tree {
    final TreeSet<String> keys = new TreeSet<>();
    final List<String> folderCalls = new ArrayList<>();
    final List<String> objectCalls = new ArrayList<>();

    @Override
    public String id() {
      return "fake";
    }

    @Override
    public synchronized List<String> folders(String prefix) {
      folderCalls.add(prefix);
      TreeSet<String> out = new TreeSet<>();
      for (String k : keys.tailSet(prefix)) {
        if (!k.startsWith(prefix)) {
          break;
        }
        String rest = k.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash > 0) {
          out.add(rest.substring(0, slash));
        }
      }
      return List.copyOf(out);
    }

    @Override
    public synchronized List<ObjectRef> objects(String prefix) {
      objectCalls.add(prefix);
      List<ObjectRef> out = new ArrayList<>();
      for (String k : keys.tailSet(prefix)) {
        if (!k.startsWith(prefix)) {
          break;
        }
        out.add(new ObjectRef("bucket", k, 2000));
      }
      return out;
    }
  }

  @Test
  void parsesCloudTrailNames() {
    CloudTrailKeys.FileName f =
        CloudTrailKeys.parseName(
            "AWSLogs/o-1/222222222222/CloudTrail/us-east-1/2025/03/06/"
                + "222222222222_CloudTrail_us-east-1_20250306T0230Z_QF6qcgyiaVnSueXa.json.gz");
    assertThat(f.account()).isEqualTo("222222222222");
    assertThat(f.region()).isEqualTo("us-east-1");
    assertThat(f.deliveredMillis()).isEqualTo(Instant.parse("2025-03-06T02:30:00Z").toEpochMilli());
    assertThat(CloudTrailKeys.parseName("logs/events.json")).isNull();
    assertThat(
            CloudTrailKeys.parseName(
                "222222222222_CloudTrail-Digest_us-east-1_20250306T0230Z.json.gz"))
        .isNull();
  }

  @Test
  void listsOnlyTheDaysOfTheRange_discoversOnce_picksByNameTime() throws IOException {
    FakeTree tree = new FakeTree();
    String base = "trail/AWSLogs/";
    Instant day0 = Instant.parse("2025-03-01T00:00:00Z");
    for (int d = 0; d < 10; d++) {
      for (int h = 0; h < 24; h++) {
        Instant t = day0.plus(Duration.ofDays(d)).plus(Duration.ofHours(h));
        tree.keys.add(key(base, "111111111111", "us-east-1", t, 0));
        tree.keys.add(key(base, "111111111111", "eu-west-1", t, 0));
        tree.keys.add(key(base + "o-abc123/", "222222222222", "us-east-1", t, 0));
      }
    }
    tree.keys.add(base + "111111111111/CloudTrail-Digest/us-east-1/2025/03/04/x.json.gz");
    TrailLayout layout =
        new TrailLayout(Duration.ofMinutes(5), Duration.ofHours(1), 4, () -> 1_000L);
    long start = Instant.parse("2025-03-04T10:00:00Z").toEpochMilli();
    long end = Instant.parse("2025-03-04T12:00:00Z").toEpochMilli();
    List<ObjectRef> refs =
        layout.list(tree, base, new ObjectCatalog.Range(start, end, List.of(), List.of()));
    // name times 10:00, 11:00, 12:00 (within the delivery delay), for 3 (account, region) pairs
    assertThat(refs).hasSize(9);
    assertThat(tree.objectCalls).hasSize(3).allMatch(p -> p.endsWith("2025/03/04/"));
    assertThat(tree.folderCalls)
        .containsExactlyInAnyOrder(
            base,
            base + "o-abc123/",
            base + "111111111111/CloudTrail/",
            base + "o-abc123/222222222222/CloudTrail/");

    tree.folderCalls.clear();
    tree.objectCalls.clear();
    List<ObjectRef> one =
        layout.list(
            tree,
            base,
            new ObjectCatalog.Range(start, end, List.of("222222222222"), List.of("us-east-1")));
    assertThat(one).hasSize(3).allMatch(r -> r.key().contains("/o-abc123/222222222222/"));
    assertThat(tree.folderCalls).as("accounts and regions are cached").isEmpty();
    assertThat(tree.objectCalls).hasSize(1);

    // a range just before midnight also reads the next day (delivery delay)
    tree.objectCalls.clear();
    layout.list(
        tree,
        base,
        new ObjectCatalog.Range(
            Instant.parse("2025-03-05T23:00:00Z").toEpochMilli(),
            Instant.parse("2025-03-05T23:59:00Z").toEpochMilli(),
            List.of("111111111111"),
            List.of("eu-west-1")));
    assertThat(tree.objectCalls).hasSize(2);

    // a long range walks years/months/days that exist instead of every calendar day
    tree.objectCalls.clear();
    List<ObjectRef> all =
        layout.list(
            tree,
            base,
            new ObjectCatalog.Range(
                Instant.parse("2020-01-01T00:00:00Z").toEpochMilli(),
                Instant.parse("2030-01-01T00:00:00Z").toEpochMilli(),
                List.of(),
                List.of()));
    assertThat(all).hasSize(3 * 24 * 10);
    assertThat(tree.objectCalls).hasSize(3 * 10);
  }

  @Test
  void twentyThousandObjects_completeAndStatisticsAddUp(@TempDir Path dir) throws Exception {
    Instant day0 = Instant.parse("2025-06-01T00:00:00Z");
    String[][] trails = {
      {"", "111111111111", "us-east-1"},
      {"", "111111111111", "eu-west-1"},
      {"o-abc123/", "222222222222", "us-east-1"},
      {"o-abc123/", "222222222222", "ap-south-1"}
    };
    long bytes = 0;
    int files = 0;
    for (String[] t : trails) {
      for (int i = 0; i < 5000; i++) {
        Instant delivered = day0.plus(Duration.ofSeconds(60L * i));
        Path p = dir.resolve("AWSLogs/" + key(t[0], t[1], t[2], delivered, i));
        Files.createDirectories(p.getParent());
        String json =
            "{\"Records\":[{\"eventTime\":\""
                + delivered.minusSeconds(30)
                + "\",\"eventName\":\"E"
                + (i % 7)
                + "\",\"recipientAccountId\":\""
                + t[1]
                + "\"},{\"eventTime\":\""
                + delivered.minusSeconds(50)
                + "\",\"eventName\":\"Get\",\"recipientAccountId\":\""
                + t[1]
                + "\"}]}";
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        Files.write(p.resolveSibling(p.getFileName().toString().replace(".gz", "")), b);
        bytes += b.length;
        files++;
      }
    }
    // outside the range: never listed
    Path far = dir.resolve("AWSLogs/111111111111/CloudTrail/us-east-1/2024/01/01");
    Files.createDirectories(far);
    Files.writeString(
        far.resolve("111111111111_CloudTrail_us-east-1_20240101T0000Z_x.json"), "{\"Records\":[]}");

    long start = day0.minusSeconds(3600).toEpochMilli();
    long end = day0.plus(Duration.ofDays(4)).toEpochMilli();
    InMemoryQueryStore store = new InMemoryQueryStore();
    LocalCatalog catalog = new LocalCatalog(dir, TrailLayout.defaults());
    try (ThreadInvoker invoker = new ThreadInvoker(catalog.source())) {
      Coordinator c =
          new Coordinator(
              store, catalog, invoker, FanoutConfig.local(8), System::currentTimeMillis);
      store.create(
          QueryRecord.scheduled(
              "big",
              new QueryRequest(
                  "stats count(*) as n, count_distinct(recipientAccountId) as accts",
                  start,
                  end,
                  null,
                  List.of(),
                  List.of()),
              System.currentTimeMillis()));
      Coordinator.Metrics m = c.run("big");
      QueryRecord r = store.get("big").orElseThrow();
      assertThat(r.status()).as(r.message()).isEqualTo(QueryStatus.Complete);
      QueryStats s = r.statistics();
      assertThat(s.objectsListed()).isEqualTo(files);
      assertThat(s.objectsScanned()).isEqualTo(files);
      assertThat(s.objectsSkipped()).isZero();
      assertThat(s.recordsScanned()).isEqualTo(2L * files);
      assertThat(s.recordsMatched()).isEqualTo(2L * files);
      assertThat(s.bytesScanned()).isEqualTo(bytes);
      assertThat(s.batchesDone()).isEqualTo(s.batches()).isEqualTo(m.batches()).isGreaterThan(8);
      assertThat(r.results())
          .containsExactly(
              List.of(
                  new ResultField("n", Long.toString(2L * files)), new ResultField("accts", "2")));
    }
  }
}
