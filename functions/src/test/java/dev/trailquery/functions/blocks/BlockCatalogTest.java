package dev.trailquery.functions.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.Trailquery;
import dev.trailquery.blocks.Compactor;
import dev.trailquery.blocks.DirBlockStore;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.aws.S3ObjectSource;
import dev.trailquery.functions.catalog.LocalCatalog;
import dev.trailquery.functions.catalog.ObjectCatalog;
import dev.trailquery.functions.catalog.S3Catalog;
import dev.trailquery.functions.catalog.TrailLayout;
import dev.trailquery.functions.fanout.Coordinator;
import dev.trailquery.functions.fanout.FanoutConfig;
import dev.trailquery.functions.fanout.ThreadInvoker;
import dev.trailquery.functions.query.InMemoryQueryStore;
import dev.trailquery.functions.query.QueryRecord;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.query.QueryStatus;
import dev.trailquery.functions.query.ResultField;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.store.ObjectSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The query API's fan-out over compacted blocks gives the raw objects' answer: locally (serve's
 * catalog) and against an S3 server, where the blocks live in the stack's bucket under {@code
 * blocks/} and the trail's prefix is never written.
 */
class BlockCatalogTest {
  static final Path SAMPLES = Path.of("..", "samples", "cloudtrail");
  static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  static final long ALL_START = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
  static final long ALL_END = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();

  static final List<String> QUERIES =
      List.of(
          "stats count(*) as n by eventSource | sort n desc, eventSource",
          "fields @timestamp, eventName, sourceIPAddress, @logStream | sort @timestamp desc | limit"
              + " 40",
          "filter ispresent(errorCode) | stats count(*) by errorCode, bin(1h)",
          "filter eventName = \"ConsoleLogin\" | fields @timestamp, @logStream, @ptr",
          "filter eventName in [\"GetCallerIdentity\", \"ListBuckets\"] or errorCode ="
              + " \"AccessDenied\" | stats count(*) by eventName, recipientAccountId");

  @Test
  void localFanOutOverBlocksEqualsRaw(@TempDir Path tmp) throws Exception {
    Path blocks = tmp.resolve("blocks");
    new Compactor(new DirBlockStore(blocks), Compactor.Options.defaults(), () -> NOW)
        .compact(List.of(new LocalFileSource(SAMPLES)), ALL_START, ALL_END, null);
    ObjectCatalog catalog =
        new BlockCatalog(
            new LocalCatalog(SAMPLES, TrailLayout.defaults()), new DirBlockStore(blocks));
    compare(catalog, List.of(new LocalFileSource(SAMPLES)), ALL_START, ALL_END);
    long start = Instant.parse("2023-07-10T11:00:00Z").toEpochMilli();
    compare(catalog, List.of(new LocalFileSource(SAMPLES)), start, start + 3_600_000L);
  }

  @Test
  void s3FanOutOverBlocksEqualsRaw() throws Exception {
    S3Client s3 = Emulators.s3();
    String trail = "trail-" + UUID.randomUUID().toString().substring(0, 8);
    String own = "stack-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(trail));
    s3.createBucket(b -> b.bucket(own));
    Path dir = SAMPLES.resolve("invictus-aws-dataset/CloudTrail");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        String name = f.getFileName().toString();
        String[] p = name.split("_");
        String day = p[3].substring(0, 4) + "/" + p[3].substring(4, 6) + "/" + p[3].substring(6, 8);
        String key = "AWSLogs/" + p[0] + "/CloudTrail/" + p[2] + "/" + day + "/" + name;
        s3.putObject(r -> r.bucket(trail).key(key), RequestBody.fromFile(f));
      }
    }
    S3BlockStore store = new S3BlockStore(s3, own, "blocks/");
    Compactor.Report rep =
        new Compactor(store, Compactor.Options.defaults(), () -> NOW)
            .compact(List.of(new S3ObjectSource(s3, trail, "AWSLogs/")), ALL_START, ALL_END, null);
    assertThat(rep.objects()).isPositive();
    // the stack's bucket holds only blocks/; the trail bucket only what was there
    assertThat(s3.listObjectsV2(r -> r.bucket(own)).contents())
        .allMatch(o -> o.key().startsWith("blocks/v1/"));
    assertThat(s3.listObjectsV2(r -> r.bucket(trail)).contents())
        .allMatch(o -> o.key().startsWith("AWSLogs/") && o.key().endsWith(".json"));
    ObjectCatalog catalog =
        Blocks.catalog(
            new S3Catalog(s3, trail, "", TrailLayout.defaults()),
            s3,
            Map.of("TRAILQUERY_BLOCKS_BUCKET", own)::get);
    assertThat(catalog).isInstanceOf(BlockCatalog.class);
    compare(catalog, List.of(new S3ObjectSource(s3, trail, "AWSLogs/")), ALL_START, ALL_END);
  }

  private static void compare(ObjectCatalog catalog, List<ObjectSource> raw, long start, long end)
      throws Exception {
    FanoutConfig config = FanoutConfig.local(3).withBatchBytes(16 * 1024, 1 << 20, 50);
    InMemoryQueryStore store = new InMemoryQueryStore(() -> NOW);
    try (ThreadInvoker invoker = new ThreadInvoker(catalog.source())) {
      Coordinator c = new Coordinator(store, catalog, invoker, config, () -> NOW);
      int i = 0;
      for (String q : QUERIES) {
        String id = "q" + i++;
        store.create(
            QueryRecord.scheduled(
                id, new QueryRequest(q, start, end, null, List.of(), List.of()), NOW));
        c.run(id);
        QueryRecord r = store.get(id).orElseThrow();
        assertThat(r.status()).as(q + ": " + r.message()).isEqualTo(QueryStatus.Complete);
        Result expected =
            Trailquery.run(
                Trailquery.compile(q, new Planner.Options(start, end, NOW, null)),
                raw,
                1,
                Scan.Listener.NONE);
        assertThat(r.results()).as(q).isEqualTo(ResultField.rows(expected));
        assertThat(r.statistics().recordsMatched())
            .isEqualTo(expected.statistics().recordsMatched());
      }
    }
  }
}
