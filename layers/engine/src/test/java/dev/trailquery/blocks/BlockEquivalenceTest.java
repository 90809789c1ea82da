package dev.trailquery.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random queries over random time ranges give the same result from blocks + raw objects as from the
 * raw objects alone, with only some windows compacted (the rest, and the odd objects, read raw).
 */
class BlockEquivalenceTest {
  private static final long HOUR = 3_600_000L;

  @TempDir static Path tmp;
  static Path raw;
  static Path blocks;
  static TrailFixture fixture = new TrailFixture();
  static Compactor.Report first;

  static Compactor.Options small() {
    // tiny chunks and blocks, so a query meets many of each
    return new Compactor.Options(HOUR, 3_000, 12_000, 6, 2, 0);
  }

  @BeforeAll
  static void setUp() throws IOException {
    raw = tmp.resolve("trail");
    blocks = tmp.resolve("blocks");
    fixture.write(raw, 300, 12, 42);
    fixture.writeOdd(raw, 7);
    Compactor c = new Compactor(new DirBlockStore(blocks), small(), System::currentTimeMillis);
    // hours 0..8 compacted, the rest stays raw (not yet compacted)
    first =
        c.compact(
            List.of(new LocalFileSource(raw)),
            TrailFixture.START,
            TrailFixture.START + 9 * HOUR,
            null);
  }

  static final String[] FILTERS = {
    "",
    "filter eventName = \"ConsoleLogin\"",
    "filter \"ConsoleLogin\" = eventName",
    "filter eventName in [\"CreateUser\", \"AssumeRole\"]",
    "filter ispresent(errorCode)",
    "filter errorCode = \"AccessDenied\" or eventName = \"Decrypt\"",
    "filter eventSource = \"iam.amazonaws.com\" and readOnly = 1",
    "filter readOnly = \"false\"",
    "filter userIdentity.arn = \"arn:aws:iam::111122223333:user/u7\"",
    "filter sourceIPAddress = \"10.1.2.3\" or sourceIPAddress like /10\\.2\\.1/",
    "filter awsRegion = \"us-west-2\" and ispresent(errorCode)",
    "filter recipientAccountId = 444455556666",
    "filter recipientAccountId in [\"777788889999\", 111122223333]",
    "filter eventName = \"NoSuchEvent\"",
    "filter not ispresent(errorCode) and eventSource = \"kms.amazonaws.com\"",
    "fields \"ConsoleLogin\" as eventName | filter eventName = \"ConsoleLogin\"",
    "parse @message /\"eventName\":\"(?<eventSource>[^\"]*)\"/ | filter eventSource = \"GetObject\"",
  };

  static final String[] TAILS = {
    "",
    "| stats count(*) as n by eventSource, eventName",
    "| stats count(*) as n, sum(requestParameters.bytes) as b by bin(1h), awsRegion",
    "| fields @timestamp, eventName, @logStream, @log, @ptr | sort @timestamp desc | limit 15",
    "| fields eventName, userIdentity.arn | limit 7",
    "| stats earliest(eventName) as e, latest(@logStream) as l, max(requestParameters.n) as m by"
        + " recipientAccountId",
    "| dedup eventName",
    "| stats count_distinct(eventName) as names by errorCode",
    "| limit 3 | filter eventName = \"ConsoleLogin\"",
    // fields all in columns (answered without parsing JSON): booleans, numbers vs strings,
    // missing and null values, nested paths, an object where a string usually is
    "| stats count(*) as n by readOnly, userIdentity.type, managementEvent",
    "| stats count(*) as n by recipientAccountId, eventType, userIdentity.accountId",
    "| fields @timestamp, eventName, eventType, readOnly, managementEvent, @ptr"
        + " | sort eventName, @timestamp desc | limit 25",
    "| filter readOnly = 0 | stats count(*) as n, count(userIdentity.type) as t by"
        + " userIdentity.accountId, awsRegion",
    // and fields not in columns beside ones that are
    "| fields @timestamp, eventTime, userAgent, errorMessage, eventID, userIdentity.arn, @ptr"
        + " | sort eventID | limit 25",
    "| filter userAgent like /aws-cli/ or ispresent(errorMessage) | stats count(*) as n by"
        + " eventType, userAgent",
  };

  @Test
  void blocksPlusRawEqualRawOnly() throws IOException {
    Random rnd = new Random(1234);
    List<ObjectSource> rawOnly = List.of(new LocalFileSource(raw));
    DirBlockStore store = new DirBlockStore(blocks);
    int compared = 0;
    long skippedChunks = 0;
    long fromColumns = 0;
    long fromJson = 0;
    for (int i = 0; i < 160; i++) {
      String q =
          (FILTERS[rnd.nextInt(FILTERS.length)] + " " + TAILS[rnd.nextInt(TAILS.length)]).trim();
      if (q.startsWith("|")) {
        q = q.substring(1).trim();
      }
      if (q.isEmpty()) {
        q = "fields @timestamp, @message | limit 50";
      }
      long start = Long.MIN_VALUE;
      long end = Long.MAX_VALUE;
      if (rnd.nextInt(5) != 0) {
        start = TrailFixture.START + (long) (rnd.nextDouble() * 13 * HOUR) - HOUR;
        end = start + 60_000 + (long) (rnd.nextDouble() * 6 * HOUR);
      }
      Planner.Options o = new Planner.Options(start, end, TrailFixture.START + 48 * HOUR, null);
      Plan plan = Trailquery.compile(q, o);
      Result expected = Trailquery.run(plan, rawOnly, 1 + rnd.nextInt(3), Scan.Listener.NONE);
      BlockQuery bq = new BlockQuery(plan, store);
      Result actual = bq.run(rawOnly, 1 + rnd.nextInt(3));
      String what = q + " over [" + start + ", " + end + ")";
      assertThat(actual.fields()).as(what).isEqualTo(expected.fields());
      assertThat(actual.rowMaps()).as(what).isEqualTo(expected.rowMaps());
      assertThat(bq.stats().coveredObjects.get()).as(what).isPositive();
      skippedChunks += bq.stats().chunksTotal.get() - bq.stats().chunksRead.get();
      fromColumns += bq.stats().columnChunks.get();
      fromJson += bq.stats().chunksRead.get() - bq.stats().columnChunks.get();
      compared++;
    }
    assertThat(compared).isEqualTo(160);
    assertThat(skippedChunks).isPositive();
    // both ways of reading a chunk were compared with raw
    assertThat(fromColumns).isPositive();
    assertThat(fromJson).isPositive();
  }

  @Test
  void blocksAloneHoldEveryRecordOfTheirObjectsOnce() throws IOException {
    // the compacted hours only, read from blocks alone and from the raw objects they cover
    long end = TrailFixture.START + 9 * HOUR;
    DirBlockStore store = new DirBlockStore(blocks);
    Planner.Options all = new Planner.Options(Long.MIN_VALUE, Long.MAX_VALUE, 0, null);
    Plan plan = Trailquery.compile("stats count(*) as n", all);
    BlockQuery bq = new BlockQuery(plan, store);
    List<BlockQuery.Task> tasks = new ArrayList<>();
    List<Manifest> manifests = bq.manifests();
    bq.planChunks(manifests, tasks);
    Result r = dev.trailquery.exec.Finisher.finish(bq.scan(tasks, 2));
    long fromBlocks = ((Number) r.rowMaps().getFirst().get("n")).longValue();
    long inManifests = 0;
    for (Manifest m : manifests) {
      for (Manifest.Covered c : Manifest.objectsFromBytes(store.read(m.objectsName()))) {
        inManifests += c.records();
      }
      assertThat(m.chunks().stream().mapToLong(Manifest.Chunk::records).sum())
          .isEqualTo(m.records());
    }
    assertThat(fromBlocks).isEqualTo(inManifests);
    // every manifest window lies inside the compacted range; no key in two manifests
    List<String> keys = new ArrayList<>();
    for (Manifest m : manifests) {
      assertThat(m.windowStart()).isBetween(TrailFixture.START, end - 1);
      Manifest.objectsFromBytes(store.read(m.objectsName())).forEach(c -> keys.add(c.key()));
    }
    assertThat(keys).doesNotHaveDuplicates();
    // the truncated object is left raw, with why
    assertThat(manifests.stream().flatMap(m -> m.left().stream()).map(Manifest.Left::key))
        .anyMatch(k -> k.endsWith("truncated.json.gz"));
    assertThat(keys).noneMatch(k -> k.endsWith("truncated.json.gz"));
    assertThat(keys).anyMatch(k -> k.endsWith("lookup.json"));
  }

  @Test
  void selectiveFilterReadsOnlyChunksThatHoldTheValue() throws IOException {
    DirBlockStore store = new DirBlockStore(blocks);
    Planner.Options all = new Planner.Options(Long.MIN_VALUE, Long.MAX_VALUE, 0, null);
    Plan plan =
        Trailquery.compile("filter eventName = \"ConsoleLogin\" | stats count(*) as n", all);
    BlockQuery bq = new BlockQuery(plan, store);
    Result r = bq.run(List.of(new LocalFileSource(raw)), 2);
    // the fixture's own tally of the records it wrote (the truncated object holds none it counts)
    assertThat(((Number) r.rowMaps().getFirst().get("n")).longValue())
        .isEqualTo(fixture.consoleLogins);
    // records are sorted by eventSource, so signin's few records sit in few chunks
    assertThat(bq.stats().chunksRead.get()).isLessThanOrEqualTo(bq.stats().chunksTotal.get() / 4);
  }

  @Test
  void compactingAgainChangesNothingAndNewObjectsGetANewGeneration() throws IOException {
    Path raw2 = tmp.resolve("trail2");
    Path blocks2 = tmp.resolve("blocks2");
    new TrailFixture().write(raw2, 40, 3, 5);
    Compactor c = new Compactor(new DirBlockStore(blocks2), small(), System::currentTimeMillis);
    List<ObjectSource> src = List.of(new LocalFileSource(raw2));
    Compactor.Report a = c.compact(src, Long.MIN_VALUE, Long.MAX_VALUE, null);
    List<String> before = files(blocks2);
    Compactor.Report b = c.compact(src, Long.MIN_VALUE, Long.MAX_VALUE, null);
    assertThat(b.compacted()).isZero();
    assertThat(b.upToDate()).isEqualTo(a.windows());
    assertThat(files(blocks2)).isEqualTo(before);
    // a late object in a compacted window: that window alone is compacted again
    new TrailFixture().write(raw2.resolve("late"), 1, 1, 99);
    Compactor.Report d = c.compact(src, Long.MIN_VALUE, Long.MAX_VALUE, null);
    assertThat(d.compacted()).isEqualTo(1);
    Plan plan =
        Trailquery.compile(
            "stats count(*) as n by eventName, @logStream",
            new Planner.Options(Long.MIN_VALUE, Long.MAX_VALUE, 0, null));
    Result expected = Trailquery.run(plan, src, 1, Scan.Listener.NONE);
    Result actual = new BlockQuery(plan, new DirBlockStore(blocks2)).run(src, 2);
    assertThat(actual.rowMaps()).isEqualTo(expected.rowMaps());
  }

  @Test
  void versionOneBlocksStillAnswerLikeRaw() throws IOException {
    // blocks written before version 2 (gzip NDJSON chunks, no columns) beside version-2 ones
    Path mixed = tmp.resolve("blocks-v1");
    Compactor.Options v1 = new Compactor.Options(HOUR, 3_000, 12_000, -6, 2, 0);
    new Compactor(new DirBlockStore(mixed), v1, System::currentTimeMillis)
        .compact(
            List.of(new LocalFileSource(raw)),
            TrailFixture.START,
            TrailFixture.START + 4 * HOUR,
            null);
    new Compactor(new DirBlockStore(mixed), small(), System::currentTimeMillis)
        .compact(
            List.of(new LocalFileSource(raw)),
            TrailFixture.START + 4 * HOUR,
            TrailFixture.START + 9 * HOUR,
            null);
    List<ObjectSource> rawOnly = List.of(new LocalFileSource(raw));
    Planner.Options all = new Planner.Options(Long.MIN_VALUE, Long.MAX_VALUE, 0, null);
    for (String tail : TAILS) {
      String q = "filter eventSource != \"x\" " + tail;
      Plan plan = Trailquery.compile(q, all);
      Result expected = Trailquery.run(plan, rawOnly, 2, Scan.Listener.NONE);
      BlockQuery bq = new BlockQuery(plan, new DirBlockStore(mixed));
      Result actual = bq.run(rawOnly, 2);
      assertThat(actual.rowMaps()).as(q).isEqualTo(expected.rowMaps());
      assertThat(bq.stats().coveredObjects.get()).as(q).isPositive();
    }
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(Path::toString).sorted().toList();
    }
  }
}
