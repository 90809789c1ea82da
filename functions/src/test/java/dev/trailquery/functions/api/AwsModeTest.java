package dev.trailquery.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.aws.S3ObjectSource;
import dev.trailquery.functions.catalog.CloudTrailKeys;
import dev.trailquery.functions.catalog.ObjectCatalog;
import dev.trailquery.functions.catalog.S3Catalog;
import dev.trailquery.functions.catalog.TrailLayout;
import dev.trailquery.functions.query.DynamoQueryStore;
import dev.trailquery.functions.query.DynamoSavedQueryStore;
import dev.trailquery.functions.query.QueryDefinition;
import dev.trailquery.functions.query.QueryIds;
import dev.trailquery.functions.query.QueryRecord;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.query.QueryStats;
import dev.trailquery.functions.query.QueryStatus;
import dev.trailquery.functions.query.QueryStore;
import dev.trailquery.functions.query.ResultField;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.ObjectRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The query API's AWS-mode classes against S3Proxy and dynalite: {@link AwsApi} wiring, {@link
 * S3Catalog} (AWSLogs discovery under a trail prefix, organization folders, objects picked by the
 * time in their names), thread workers reading S3, {@link DynamoQueryStore} (round trips, cancel,
 * recent queries, TTL, results spilled to S3) and {@link DynamoSavedQueryStore}.
 */
class AwsModeTest {
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String BUCKET = "aws-mode-" + RUN;
  static final String RESULTS_BUCKET = "aws-mode-results-" + RUN;
  static final String TRAIL_PREFIX = "cloudtrail";
  static final String TABLE = "aws-mode-queries-" + RUN;
  static final String[][] TRAILS = {
    {"AWSLogs/111122223333/CloudTrail/", "111122223333"},
    {"AWSLogs/444455556666/CloudTrail/", "444455556666"},
    {"AWSLogs/o-abc123def4/777788889999/CloudTrail/", "777788889999"},
  };
  static final String[] REGIONS = {"us-east-1", "eu-west-1"};
  static final long DAY = 86_400_000L;
  static final long FIRST = Instant.parse("2025-04-01T00:00:00Z").toEpochMilli();

  static S3Client s3;
  static DynamoDbClient db;
  static final List<String> logKeys = new ArrayList<>();

  @BeforeAll
  static void start() {
    s3 = Emulators.s3();
    db = Emulators.dynamo();
    s3.createBucket(b -> b.bucket(BUCKET));
    s3.createBucket(b -> b.bucket(RESULTS_BUCKET));
    Tables.createIfMissing(db, Tables.queries(TABLE));
    Random random = new Random(42);
    long id = 0;
    // Five days; every 3 hours an object per (account, region), delivered 5 minutes after its
    // first record and holding records up to 20 minutes older than its name time.
    for (String[] trail : TRAILS) {
      for (String region : REGIONS) {
        for (long t = FIRST; t < FIRST + 5 * DAY; t += 3 * 3600_000L) {
          long named = t + 5 * 60_000L;
          String stamp = Instant.ofEpochMilli(named).toString();
          String day = stamp.substring(0, 10).replace('-', '/');
          String compact =
              stamp.substring(0, 4)
                  + stamp.substring(5, 7)
                  + stamp.substring(8, 10)
                  + "T"
                  + stamp.substring(11, 13)
                  + stamp.substring(14, 16);
          String key =
              TRAIL_PREFIX
                  + "/"
                  + trail[0]
                  + region
                  + "/"
                  + day
                  + "/"
                  + trail[1]
                  + "_CloudTrail_"
                  + region
                  + "_"
                  + compact
                  + "Z_"
                  + Long.toHexString(id++)
                  + ".json";
          StringBuilder records = new StringBuilder();
          int n = 2 + random.nextInt(4);
          for (int i = 0; i < n; i++) {
            if (i > 0) {
              records.append(',');
            }
            long eventTime = named - random.nextInt(25 * 60) * 1000L;
            records.append(
                String.format(
                    "{\"eventVersion\":\"1.08\",\"eventTime\":\"%s\",\"eventSource\":\"%s\","
                        + "\"eventName\":\"%s\",\"awsRegion\":\"%s\",\"recipientAccountId\":"
                        + "\"%s\",\"sourceIPAddress\":\"198.51.100.%d\"}",
                    Instant.ofEpochMilli(eventTime).toString().replace(".000Z", "Z"),
                    i % 2 == 0 ? "iam.amazonaws.com" : "s3.amazonaws.com",
                    i % 3 == 0 ? "GetUser" : "ListBuckets",
                    region,
                    trail[1],
                    random.nextInt(6)));
          }
          String body = "{\"Records\":[" + records + "]}";
          s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body));
          logKeys.add(key);
        }
      }
      // A digest next to the logs: never read.
      s3.putObject(
          b ->
              b.bucket(BUCKET)
                  .key(
                      TRAIL_PREFIX
                          + "/"
                          + trail[0].replace("/CloudTrail/", "/CloudTrail-Digest/")
                          + "us-east-1/2025/04/02/digest.json.gz"),
          RequestBody.fromString("not a log"));
    }
  }

  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>(Emulators.env());
    env.put("TRAILQUERY_QUERIES_TABLE", TABLE);
    env.put("TRAILQUERY_TRAIL_BUCKET", BUCKET);
    env.put("TRAILQUERY_TRAIL_PREFIX", TRAIL_PREFIX);
    env.put("TRAILQUERY_RESULTS_BUCKET", RESULTS_BUCKET);
    env.put("TRAILQUERY_MAX_WORKERS", "4");
    env.put("TRAILQUERY_WORKER_PARALLELISM", "8");
    return env;
  }

  static JsonNode call(Api api, String method, String path, String body, int status)
      throws Exception {
    ApiResponse r = api.handle(new ApiRequest(method, path, null, body));
    assertThat(r.status()).as(method + " " + path + " → " + r.body()).isEqualTo(status);
    return Json.MAPPER.readTree(r.body());
  }

  static JsonNode runQuery(Api api, String body) throws Exception {
    String id = call(api, "POST", "/queries", body, 202).get("queryId").asText();
    JsonNode q = null;
    for (int i = 0; i < 600; i++) {
      q = call(api, "GET", "/queries/" + id, null, 200);
      String status = q.get("status").asText();
      if (!status.equals("Scheduled") && !status.equals("Running")) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(q.get("status").asText()).as(q.toString()).isEqualTo("Complete");
    return q;
  }

  /** The engine's one pass over every log object of the bucket, records in [start, end). */
  static Result onePass(String query, long start, long end) throws Exception {
    return Trailquery.run(
        Trailquery.compile(query, new Planner.Options(start, end, end, null)),
        List.of(new S3ObjectSource(s3, BUCKET, TRAIL_PREFIX + "/AWSLogs/")),
        8,
        Scan.Listener.NONE);
  }

  static JsonNode rows(Result r) {
    var out = Json.MAPPER.createArrayNode();
    for (List<ResultField> row : ResultField.rows(r)) {
      var cells = out.addArray();
      row.forEach(f -> cells.addObject().put("field", f.field()).put("value", f.value()));
    }
    return out;
  }

  @Test
  void queryThroughS3CatalogWithThreadWorkersEqualsOnePass() throws Exception {
    Api api = AwsApi.from(env(), s3, db).api();
    String query =
        "stats count(*) as n, count_distinct(sourceIPAddress) as ips by recipientAccountId,"
            + " awsRegion, eventName | sort n desc, recipientAccountId, awsRegion, eventName";
    // Both ends inclusive, as StartQuery: [04-02 00:00:00, 04-03 23:59:59].
    long start = FIRST + DAY;
    long end = FIRST + 3 * DAY;
    JsonNode q =
        runQuery(
            api,
            "{\"queryString\":\""
                + query
                + "\",\"startTime\":\"2025-04-02T00:00:00Z\",\"endTime\":"
                + (end / 1000 - 1)
                + "}");
    Result one = onePass(query, start, end);
    assertThat(one.rows()).isNotEmpty();
    assertThat(q.get("results")).isEqualTo(rows(one));
    assertThat(q.at("/statistics/recordsMatched").asLong())
        .isEqualTo(one.statistics().recordsMatched());
    assertThat(q.at("/progress/batchesDone").asInt()).isPositive();
    // Objects picked by the time in their names: [start - 5 min, end + 60 min], never the others.
    long picked =
        logKeys.stream()
            .map(CloudTrailKeys::parseName)
            .filter(
                f ->
                    f.deliveredMillis() >= start - 5 * 60_000L
                        && f.deliveredMillis() < end + 3600_000L)
            .count();
    assertThat(q.at("/statistics/objectsScanned").asLong()).isEqualTo(picked);
    assertThat(picked).isLessThan(logKeys.size());
    // Records outside the range in those objects were read but filtered by eventTime.
    assertThat(q.at("/statistics/recordsScanned").asLong())
        .isGreaterThan(q.at("/statistics/recordsMatched").asLong());

    // Accounts and regions narrow the prefixes listed.
    JsonNode narrow =
        runQuery(
            api,
            "{\"queryString\":\"stats count(*) as n by recipientAccountId, awsRegion\","
                + "\"startTime\":\"2025-04-02T00:00:00Z\",\"endTime\":"
                + (end / 1000 - 1)
                + ",\"accounts\":[\"777788889999\"],\"regions\":[\"eu-west-1\"]}");
    Result oneNarrow =
        onePass(
            "filter recipientAccountId = '777788889999' and awsRegion = 'eu-west-1'"
                + " | stats count(*) as n by recipientAccountId, awsRegion",
            start,
            end);
    assertThat(narrow.get("results")).isEqualTo(rows(oneNarrow));

    // The queries are listed, newest first.
    JsonNode list = call(api, "GET", "/queries", null, 200);
    assertThat(list.get("queries").findValuesAsText("queryId"))
        .startsWith(narrow.get("queryId").asText(), q.get("queryId").asText());
  }

  @Test
  void catalogListsOnlyTheRangesDayPrefixesAndNamesInTheWindow() throws Exception {
    TrailLayout layout = TrailLayout.defaults();
    S3Catalog catalog = new S3Catalog(s3, BUCKET, TRAIL_PREFIX, layout);
    long start = FIRST + 2 * DAY + 6 * 3600_000L;
    long end = start + 7 * 3600_000L;
    List<ObjectRef> refs = catalog.list(new ObjectCatalog.Range(start, end, List.of(), List.of()));
    Set<String> got =
        refs.stream().map(ObjectRef::key).collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected =
        logKeys.stream()
            .filter(
                k -> {
                  long t = CloudTrailKeys.parseName(k).deliveredMillis();
                  return t >= start - layout.before().toMillis()
                      && t < end + layout.after().toMillis();
                })
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(got).isNotEmpty().isEqualTo(expected);
    assertThat(refs).allSatisfy(r -> assertThat(r.size()).isPositive());
    assertThat(got).noneMatch(k -> k.contains("Digest"));
  }

  @Test
  void queryStoreRoundTripsCancelsListsExpiresAndSpillsToS3() {
    AtomicLong now = new AtomicLong(Instant.parse("2025-04-10T00:00:00Z").toEpochMilli());
    DynamoQueryStore store =
        new DynamoQueryStore(db, TABLE, s3, RESULTS_BUCKET, "spilled/", now::get);
    QueryRequest req =
        new QueryRequest(
            "stats count(*)", FIRST, FIRST + DAY, 10L, List.of("111122223333"), List.of());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = QueryIds.next(now.addAndGet(1000));
      ids.add(id);
      store.create(QueryRecord.scheduled(id, req, now.get()));
    }
    QueryRecord first = store.get(ids.get(0)).orElseThrow();
    assertThat(first.request()).isEqualTo(req);
    assertThat(first.status()).isEqualTo(QueryStatus.Scheduled);

    // Progress while Running, then cancel: later progress is refused.
    List<List<ResultField>> partial = List.of(List.of(new ResultField("count(*)", "7")));
    QueryStats stats = new QueryStats(7, 9, 100, 2, 0, 120, 3, 2, 1);
    assertThat(store.progress(first.withProgress(QueryStatus.Running, stats, partial))).isTrue();
    QueryRecord running = store.get(ids.get(0)).orElseThrow();
    assertThat(running.results()).isEqualTo(partial);
    assertThat(running.statistics()).isEqualTo(stats);
    assertThat(store.cancel(ids.get(0), now.get())).isTrue();
    assertThat(store.cancel(ids.get(0), now.get())).isFalse();
    assertThat(store.progress(first.withProgress(QueryStatus.Running, stats, partial))).isFalse();
    assertThat(store.get(ids.get(0)).orElseThrow().status()).isEqualTo(QueryStatus.Cancelled);

    // Results too big for an item go to S3 and come back whole.
    Random random = new Random(7);
    List<List<ResultField>> big = new ArrayList<>();
    for (int i = 0; i < 6000; i++) {
      big.add(
          List.of(
              new ResultField("id", Integer.toString(i)),
              new ResultField(
                  "noise",
                  Long.toHexString(random.nextLong())
                      + Long.toHexString(random.nextLong())
                      + Long.toHexString(random.nextLong())
                      + Long.toHexString(random.nextLong())
                      + Long.toHexString(random.nextLong())
                      + Long.toHexString(random.nextLong()))));
    }
    QueryRecord second = store.get(ids.get(1)).orElseThrow();
    store.finish(
        second.finished(QueryStatus.Complete, now.get(), stats, big, List.of("a warning"), null));
    QueryRecord done = store.get(ids.get(1)).orElseThrow();
    assertThat(done.status()).isEqualTo(QueryStatus.Complete);
    assertThat(done.results()).isEqualTo(big);
    assertThat(done.warnings()).containsExactly("a warning");
    assertThat(
            s3.listObjectsV2(b -> b.bucket(RESULTS_BUCKET).prefix("spilled/")).contents().stream()
                .map(o -> o.key()))
        .contains("spilled/" + ids.get(1) + ".json.gz");

    // Newest first, without results; other tests' queries may be there too.
    List<String> recent = store.recent(1000).stream().map(QueryRecord::queryId).toList();
    assertThat(recent).containsSubsequence(ids.get(2), ids.get(1), ids.get(0));
    assertThat(store.recent(1000)).allSatisfy(r -> assertThat(r.results()).isEmpty());
    assertThat(store.get("no-such-id")).isEmpty();

    // Seven days later they are gone (TTL), even before DynamoDB deletes them.
    now.addAndGet(QueryStore.RETENTION_MILLIS + 10_000);
    assertThat(store.get(ids.get(2))).isEmpty();
    assertThat(store.recent(1000).stream().map(QueryRecord::queryId))
        .doesNotContainAnyElementsOf(ids);
  }

  @Test
  void savedQueryStoreRoundTrips() {
    DynamoSavedQueryStore store = new DynamoSavedQueryStore(db, TABLE);
    store.put(
        new QueryDefinition("team/logins-" + RUN, "filter eventName = 'ConsoleLogin'", "d", 1));
    store.put(new QueryDefinition("team/errors-" + RUN, "filter ispresent(errorCode)", null, 2));
    store.put(
        new QueryDefinition(
            "team/errors-" + RUN, "filter ispresent(errorCode) | limit 5", null, 3));
    assertThat(store.get("team/errors-" + RUN).orElseThrow())
        .isEqualTo(
            new QueryDefinition(
                "team/errors-" + RUN, "filter ispresent(errorCode) | limit 5", null, 3));
    assertThat(store.get("team/logins-" + RUN).orElseThrow().description()).isEqualTo("d");
    List<String> names = store.list().stream().map(QueryDefinition::name).toList();
    assertThat(names).contains("team/errors-" + RUN, "team/logins-" + RUN);
    assertThat(names).isSorted();
    assertThat(store.delete("team/logins-" + RUN)).isTrue();
    assertThat(store.delete("team/logins-" + RUN)).isFalse();
    assertThat(store.get("team/logins-" + RUN)).isEmpty();
  }
}
