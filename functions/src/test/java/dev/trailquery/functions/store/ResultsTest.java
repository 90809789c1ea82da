package dev.trailquery.functions.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.exec.Result;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.Ingestor;
import dev.trailquery.functions.testing.Emulators;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What a subscription's results say, read back from the bundles of three hand-written objects
 * (emulators, clocks fixed by hand): rows and statistics of a range (records, decoded bytes and
 * objects counted at each object's first bin, skipped objects of the range's days), the per-bin
 * series newest first, single bins, and retention clipping the start.
 */
class ResultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "trail-results";
  private static final String PREFIX = "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/10/";
  private static final long NOW = at("2025-03-10T10:20:00Z");

  static S3Client s3 = Emulators.s3();
  static DynamoDbClient db = Emulators.dynamo();
  static ResultStore store;
  static Subscription byName;
  static Subscription kept;
  static long bytes1;
  static long bytes2;

  static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  static ObjectNode record(String time, String name) {
    ObjectNode r = JSON.createObjectNode();
    r.put("eventVersion", "1.08");
    r.put("eventTime", time);
    r.put("eventSource", "iam.amazonaws.com");
    r.put("eventName", name);
    r.put("awsRegion", "us-east-1");
    return r;
  }

  /** Stores the object; returns its decoded size. */
  static long put(String key, boolean truncate, ObjectNode... records) throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    ArrayNode rs = doc.putArray("Records");
    for (ObjectNode r : records) {
      rs.add(r);
    }
    byte[] raw = JSON.writeValueAsBytes(doc);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    byte[] gz = out.toByteArray();
    byte[] body = truncate ? java.util.Arrays.copyOf(gz, gz.length / 2) : gz;
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
    return raw.length;
  }

  static String key(int minute, String id) {
    return PREFIX
        + "111122223333_CloudTrail_us-east-1_20250310T10"
        + minute
        + "Z_"
        + id
        + ".json.gz";
  }

  @BeforeAll
  static void ingest() throws IOException {
    s3.createBucket(b -> b.bucket(BUCKET));
    String run = UUID.randomUUID().toString().substring(0, 8);
    Tables.createIfMissing(db, Tables.subscriptions("rs-subs-" + run));
    Tables.createIfMissing(db, Tables.results("rs-results-" + run));
    store = new ResultStore(db, "rs-results-" + run, ResultStore.DEFAULT_PART_BYTES);
    IngestConfig config =
        IngestConfig.defaults(
            "rs-subs-" + run, "rs-results-" + run, new PrintStream(new ByteArrayOutputStream()));
    Ingestor ingestor =
        new Ingestor(s3, new SubscriptionStore(db, "rs-subs-" + run, 0), store, config, () -> NOW);
    byName =
        Subscription.create(
            "by-name", "stats count(*) as n by eventName", "5m", null, null, 0L, null);
    kept = Subscription.create("kept", "stats count(*) as n by eventName", "5m", null, 1, 0L, null);
    List<Subscription> subs = List.of(byName, kept);
    // object 1: bins 10:00 (GetUser 2) and 10:05 (ListUsers 1); object 2: bin 10:05 (GetUser 1)
    bytes1 =
        put(
            key(16, "one"),
            false,
            record("2025-03-10T10:01:00Z", "GetUser"),
            record("2025-03-10T10:02:00Z", "GetUser"),
            record("2025-03-10T10:07:00Z", "ListUsers"));
    bytes2 = put(key(17, "two"), false, record("2025-03-10T10:06:00Z", "GetUser"));
    put(key(18, "bad"), true, record("2025-03-10T10:06:00Z", "GetUser"));
    for (String k : List.of(key(16, "one"), key(17, "two"), key(18, "bad"))) {
      ingestor.process(BUCKET, k, 1, subs);
    }
  }

  static Map<String, String> counts(Result r) {
    Map<String, String> out = new HashMap<>();
    int name = r.fields().indexOf("eventName");
    int n = r.fields().indexOf("n");
    for (Object[] row : r.rows()) {
      out.put((String) row[name], dev.trailquery.value.Values.toText(row[n]));
    }
    return out;
  }

  @Test
  void aRangeMergesItsBinsAndCountsEachObjectAtItsFirstBin() throws IOException {
    Results results = new Results(store, () -> NOW);
    assertThat(results.store()).isSameAs(store);
    Result all = results.merged(byName, at("2025-03-10T10:00:00Z"), at("2025-03-10T10:10:00Z"));
    assertThat(counts(all)).isEqualTo(Map.of("GetUser", "3", "ListUsers", "1"));
    assertThat(all.statistics().recordsScanned()).isEqualTo(4);
    assertThat(all.statistics().recordsMatched()).isEqualTo(4);
    assertThat(all.statistics().bytesScanned()).isEqualTo(bytes1 + bytes2);
    assertThat(all.statistics().objectsScanned()).isEqualTo(2);
    assertThat(all.statistics().objectsSkipped()).isEqualTo(1);

    // from 10:05: object 1's first bin (10:00) is outside, its ListUsers inside
    Result late = results.merged(byName, at("2025-03-10T10:05:00Z"), at("2025-03-10T10:10:00Z"));
    assertThat(counts(late)).isEqualTo(Map.of("GetUser", "1", "ListUsers", "1"));
    assertThat(late.statistics().recordsScanned()).isEqualTo(2);
    assertThat(late.statistics().bytesScanned()).isEqualTo(bytes2);
    assertThat(late.statistics().objectsScanned()).isEqualTo(1);

    // a start inside a bin reads the whole bin; the next day has nothing, not even skipped objects
    assertThat(
            counts(results.merged(byName, at("2025-03-10T10:03:00Z"), at("2025-03-10T10:05:00Z"))))
        .isEqualTo(Map.of("GetUser", "2"));
    Result nextDay = results.merged(byName, at("2025-03-11T00:00:00Z"), at("2025-03-12T00:00:00Z"));
    assertThat(nextDay.rows()).isEmpty();
    assertThat(nextDay.statistics().objectsSkipped()).isZero();
    assertThat(nextDay.statistics().recordsScanned()).isZero();
  }

  @Test
  void theSeriesListsBinsNewestFirstWithTheRangesStatistics() throws IOException {
    Results results = new Results(store, () -> NOW);
    Results.Series s =
        results.series(byName, at("2025-03-10T10:00:00Z"), at("2025-03-10T10:10:00Z"));
    assertThat(s.fields()).containsExactly("eventName", "n");
    assertThat(Results.fields(byName)).containsExactly("eventName", "n");
    assertThat(s.bins())
        .extracting(Results.Bin::start)
        .containsExactly(at("2025-03-10T10:05:00Z"), at("2025-03-10T10:00:00Z"));
    assertThat(counts(s.bins().get(0).result()))
        .isEqualTo(Map.of("GetUser", "1", "ListUsers", "1"));
    assertThat(s.bins().get(0).result().statistics().recordsScanned()).isEqualTo(2);
    assertThat(counts(s.bins().get(1).result())).isEqualTo(Map.of("GetUser", "2"));
    assertThat(s.statistics().recordsScanned()).isEqualTo(4);
    assertThat(s.statistics().recordsMatched()).isEqualTo(4);
    assertThat(s.statistics().bytesScanned()).isEqualTo(bytes1 + bytes2);
    assertThat(s.statistics().objectsScanned()).isEqualTo(2);
    assertThat(s.statistics().objectsSkipped()).isEqualTo(1);
    assertThat(results.perBin(byName, at("2025-03-10T10:00:00Z"), at("2025-03-10T10:05:00Z")))
        .extracting(Results.Bin::start)
        .containsExactly(at("2025-03-10T10:00:00Z"));
  }

  @Test
  void singleBinsCarryTheirObjects() throws IOException {
    Results results = new Results(store, () -> NOW);
    SortedMap<Long, Results.BinResult> bins =
        results.bins(
            byName,
            List.of(
                at("2025-03-10T10:05:00Z"),
                at("2025-03-10T10:00:00Z"),
                at("2025-03-10T10:10:00Z")));
    assertThat(bins).containsOnlyKeys(at("2025-03-10T10:00:00Z"), at("2025-03-10T10:05:00Z"));
    Results.BinResult ten = bins.get(at("2025-03-10T10:00:00Z"));
    assertThat(ten.objects()).isEqualTo(1);
    assertThat(ten.start()).isEqualTo(at("2025-03-10T10:00:00Z"));
    assertThat(ten.result().statistics().recordsScanned()).isEqualTo(2);
    assertThat(ten.result().statistics().objectsScanned()).isEqualTo(1);
    assertThat(counts(ten.result())).isEqualTo(Map.of("GetUser", "2"));
    assertThat(results.bins(byName, List.of())).isEmpty();
  }

  @Test
  void retentionClipsTheStartToTheBinOfTheOldestKeptTime() throws IOException {
    // a day after 10:06: only the bin holding 10:06 (10:05) and later are kept
    Results dayLater = new Results(store, () -> at("2025-03-11T10:06:00Z"));
    Result r = dayLater.merged(kept, at("2025-03-10T00:00:00Z"), at("2025-03-10T11:00:00Z"));
    assertThat(counts(r)).isEqualTo(Map.of("GetUser", "1", "ListUsers", "1"));
    assertThat(r.statistics().recordsScanned()).isEqualTo(2);
    // the subscription that keeps everything is not clipped
    assertThat(
            counts(dayLater.merged(byName, at("2025-03-10T00:00:00Z"), at("2025-03-10T11:00:00Z"))))
        .isEqualTo(Map.of("GetUser", "3", "ListUsers", "1"));
    assertThat(
            counts(
                new Results(store, () -> NOW)
                    .merged(kept, at("2025-03-10T00:00:00Z"), at("2025-03-10T11:00:00Z"))))
        .isEqualTo(Map.of("GetUser", "3", "ListUsers", "1"));
  }
}
