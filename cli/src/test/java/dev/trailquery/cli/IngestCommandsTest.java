package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.testing.Emulators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The ingest commands run as a user runs them — {@code local-init}, {@code subscribe}, {@code
 * subscriptions}, {@code invoke ingest EVENT.json}, {@code results} — in-process through {@link
 * Main#run}, against S3Proxy and dynalite on loopback (the environment and clients reach the
 * commands through {@link Context.Services}, never real AWS). The reference for every result is
 * {@code query --format json} over the same objects in the same S3 server: the engine's one pass.
 *
 * <p>The trail's objects are uploaded once; every test has tables of its own and sets up the
 * subscriptions and ingestion it needs, so each runs alone and in any order.
 */
class IngestCommandsTest {
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String BUCKET = "cli-ingest-" + RUN;
  static final String ACCOUNT_PREFIX = "AWSLogs/111122223333/CloudTrail/us-east-1/";

  /** Subscription name → query; the reference runs the same query text. */
  static final Map<String, String> SUBSCRIPTIONS = new LinkedHashMap<>();

  static {
    SUBSCRIPTIONS.put("by-source", "stats count(*) as n by eventSource | sort n desc, eventSource");
    SUBSCRIPTIONS.put(
        "hourly",
        "stats count(*) as n, count_distinct(sourceIPAddress) as ips, max(@timestamp) as last"
            + " by bin(1h)");
    SUBSCRIPTIONS.put(
        "denied",
        "filter ispresent(errorCode) | fields @timestamp, eventName, errorCode, eventID"
            + " | sort @timestamp desc, eventID desc");
  }

  static S3Client s3;
  static DynamoDbClient db;
  static final List<String> keys = new ArrayList<>();
  static final Map<String, Long> sizes = new HashMap<>();

  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    s3 = Emulators.s3();
    db = Emulators.dynamo();
    s3.createBucket(b -> b.bucket(BUCKET));
    upload();
  }

  /** This test's tables (its own), the shared trail bucket. */
  String table;

  Map<String, String> env;
  Context.Services services;

  @BeforeEach
  void tables() {
    table = UUID.randomUUID().toString().substring(0, 8);
    env = new HashMap<>(Emulators.env());
    env.put("TRAILQUERY_SUBSCRIPTIONS_TABLE", "subs-" + table);
    env.put("TRAILQUERY_RESULTS_TABLE", "results-" + table);
    env.put("TRAILQUERY_QUERIES_TABLE", "queries-" + table);
    env.put("TRAILQUERY_TRAIL_BUCKET", BUCKET);
    // No Lambda shares this process's subscription cache: a backfill need not wait for it.
    env.put("TRAILQUERY_SUBSCRIPTION_CACHE_SECONDS", "0");
    services = new Context.Services(env, s3, db);
  }

  MainTest.Run run(String... args) {
    return MainTest.run(services, args);
  }

  /** local-init, then SUBSCRIPTIONS subscribed and every object ingested once. */
  void subscribedAndIngested() throws IOException {
    ok("local-init");
    for (Map.Entry<String, String> s : SUBSCRIPTIONS.entrySet()) {
      ok("subscribe", s.getKey(), s.getValue());
    }
    ok("invoke", "ingest", s3Event(keys, "s3-event-" + table + ".json").toString());
  }

  MainTest.Run ok(String... args) {
    MainTest.Run r = run(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
    return r;
  }

  /** The CLI's fixtures and the Stratus Red Team samples, under CloudTrail keys of three days. */
  static void upload() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(Path.of(MainTest.FIXTURES, "a.json"));
    files.add(Path.of(MainTest.FIXTURES, "b.json.gz"));
    try (Stream<Path> s =
        Files.list(Path.of("..", "samples", "cloudtrail", "stratus-red-team-detonation-logs"))) {
      s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
    }
    for (int i = 0; i < files.size(); i++) {
      byte[] bytes = Files.readAllBytes(files.get(i));
      String name = files.get(i).getFileName().toString();
      String key =
          ACCOUNT_PREFIX
              + String.format("2026/11/%02d/", 1 + i % 3)
              + String.format(
                  "111122223333_CloudTrail_us-east-1_202611%02dT%02d%02dZ_%04dabcd",
                  1 + i % 3, i % 24, i % 60, i)
              + (name.endsWith(".gz") ? ".json.gz" : ".json");
      s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
      keys.add(key);
      sizes.put(key, (long) bytes.length);
    }
    // Not CloudTrail logs: ignored by ingest, and outside AWSLogs/ for the reference query.
    s3.putObject(
        b -> b.bucket(BUCKET).key("notes/readme.txt"), RequestBody.fromString("not a log"));
  }

  /** A direct S3 ObjectCreated event naming the objects (keys URL-encoded, as S3 sends them). */
  static Path s3Event(List<String> eventKeys, String file) throws IOException {
    ObjectNode event = MainTest.JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (String k : eventKeys) {
      ObjectNode r = records.addObject();
      r.put("eventVersion", "2.1");
      r.put("eventSource", "aws:s3");
      r.put("awsRegion", "us-east-1");
      r.put("eventName", "ObjectCreated:Put");
      ObjectNode s3n = r.putObject("s3");
      s3n.putObject("bucket").put("name", BUCKET);
      s3n.putObject("object")
          .put(
              "key",
              java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8)
                  .replace("%2F", "/"))
          .put("size", sizes.getOrDefault(k, 9L));
    }
    Path p = tmp.resolve(file);
    Files.writeString(p, event.toPrettyString());
    return p;
  }

  static JsonNode json(MainTest.Run r) throws IOException {
    return MainTest.JSON.readTree(r.out());
  }

  /** The engine's one pass over the same objects: {@code query --format json}. */
  JsonNode reference(String query, String... range) throws IOException {
    List<String> args = new ArrayList<>(List.of("query", "--format", "json"));
    args.addAll(List.of(range));
    args.add(query);
    args.add("s3://" + BUCKET + "/AWSLogs/");
    return json(ok(args.toArray(String[]::new)));
  }

  static void assertSameAnswer(JsonNode results, JsonNode reference, String what) {
    assertThat(results.get("fields")).as(what + " fields").isEqualTo(reference.get("fields"));
    assertThat(results.get("rows")).as(what + " rows").isEqualTo(reference.get("rows"));
    for (String stat : List.of("recordsScanned", "recordsMatched", "objectsScanned")) {
      assertThat(results.at("/statistics/" + stat).asLong())
          .as(what + " " + stat)
          .isEqualTo(reference.at("/statistics/" + stat).asLong());
    }
  }

  @Test
  void localInitCreatesTablesAndBucketAndPrintsExports() {
    MainTest.Run r = ok("local-init");
    Pattern export = Pattern.compile("export [A-Z_][A-Z0-9_]*=\\S+");
    Map<String, String> printed = new HashMap<>();
    for (String line : r.out().strip().split("\n")) {
      assertThat(line).matches(export);
      String[] kv = line.substring("export ".length()).split("=", 2);
      printed.put(kv[0], kv[1]);
    }
    assertThat(printed)
        .containsEntry("AWS_ENDPOINT_URL_S3", env.get("AWS_ENDPOINT_URL_S3"))
        .containsEntry("AWS_ENDPOINT_URL_DYNAMODB", env.get("AWS_ENDPOINT_URL_DYNAMODB"))
        .containsEntry("TRAILQUERY_SUBSCRIPTIONS_TABLE", "subs-" + table)
        .containsEntry("TRAILQUERY_RESULTS_TABLE", "results-" + table)
        .containsEntry("TRAILQUERY_QUERIES_TABLE", "queries-" + table)
        .containsEntry("TRAILQUERY_TRAIL_BUCKET", BUCKET)
        .containsEntry("TRAILQUERY_TRAIL_BUCKET", BUCKET);
    assertThat(r.err()).contains("(created)");
    for (String t : List.of("subs-", "results-", "queries-")) {
      assertThat(db.describeTable(b -> b.tableName(t + table)).table().tableStatus().toString())
          .isEqualTo("ACTIVE");
    }
    s3.headBucket(b -> b.bucket(BUCKET));
    // Again: everything exists, nothing fails.
    MainTest.Run again = ok("local-init");
    assertThat(again.err()).doesNotContain("(created)").contains("(exists)");
    assertThat(again.out()).isEqualTo(r.out());
  }

  @Test
  void subscribeAndList() throws IOException {
    ok("local-init");
    for (Map.Entry<String, String> s : SUBSCRIPTIONS.entrySet()) {
      MainTest.Run r = ok("subscribe", s.getKey(), s.getValue());
      assertThat(r.err()).contains("subscribed " + s.getKey());
    }
    MainTest.Run taken = run("subscribe", "hourly", "stats count(*)");
    assertThat(taken.code()).isEqualTo(2);
    assertThat(taken.err()).contains("exists");
    MainTest.Run bad = run("subscribe", "bad", "stats count(*) by");
    assertThat(bad.code()).isEqualTo(2);

    MainTest.Run list = ok("subscriptions");
    List<String> names = list.out().lines().map(l -> l.substring(0, l.indexOf('\t'))).toList();
    assertThat(names).containsExactly("by-source", "denied", "hourly");
    assertThat(list.out()).contains("bin 1h");
  }

  @Test
  void invokeIngestThenResultsEqualTheEnginesOnePass() throws IOException {
    ok("local-init");
    for (Map.Entry<String, String> s : SUBSCRIPTIONS.entrySet()) {
      ok("subscribe", s.getKey(), s.getValue());
    }
    List<String> all = new ArrayList<>(keys);
    all.add("notes/readme.txt");
    MainTest.Run inv = ok("invoke", "ingest", s3Event(all, "s3-event.json").toString());
    JsonNode response = json(inv);
    assertThat(response.get("objects").asLong()).isEqualTo(keys.size());
    assertThat(response.get("ignored").asLong()).isEqualTo(1);
    assertThat(response.get("skipped").asLong()).isZero();
    // The same event again (a duplicate notification): nothing counts twice.
    ok("invoke", "ingest", s3Event(all, "s3-event.json").toString());

    for (Map.Entry<String, String> s : SUBSCRIPTIONS.entrySet()) {
      JsonNode results = json(ok("results", s.getKey(), "--format", "json"));
      JsonNode reference = reference(s.getValue());
      assertThat(reference.get("rows")).as(s.getKey()).isNotEmpty();
      assertSameAnswer(results, reference, s.getKey());
    }

    // Sealed: one item per subscription and bin; the same answers, also after a redelivery.
    JsonNode sealed = json(ok("seal", "--now"));
    assertThat(sealed.get("binsWritten").asLong()).isPositive();
    ok("invoke", "ingest", s3Event(all, "s3-event.json").toString());
    for (Map.Entry<String, String> s : SUBSCRIPTIONS.entrySet()) {
      assertSameAnswer(
          json(ok("results", s.getKey(), "--format", "json")),
          reference(s.getValue()),
          s.getKey() + " sealed");
    }
  }

  @Test
  void resultsOverARangeEqualTheQueryOverThatRange() throws IOException {
    subscribedAndIngested();
    // Bins starting in [start, end) against records with eventTime in [start, end): the same
    // records when start and end are on bin boundaries.
    String[] range = {"--start", "2026-11-01T10:00:00Z", "--end", "2026-11-01T12:00:00Z"};
    JsonNode reference = reference(SUBSCRIPTIONS.get("by-source"), range);
    assertThat(reference.at("/statistics/recordsMatched").asLong()).isPositive();
    List<String> args = new ArrayList<>(List.of("results", "by-source", "--format", "json"));
    args.addAll(List.of(range));
    JsonNode results = json(ok(args.toArray(String[]::new)));
    assertThat(results.get("rows")).isEqualTo(reference.get("rows"));
    assertThat(results.at("/statistics/recordsScanned").asLong())
        .isEqualTo(reference.at("/statistics/recordsMatched").asLong());
  }

  @Test
  void perBinIsOneJsonDocumentWithABinColumn() throws IOException {
    subscribedAndIngested();
    MainTest.Run r = ok("results", "by-source", "--per-bin", "--format", "json");
    // One document: parsing it whole leaves nothing after it.
    var parser = MainTest.JSON.createParser(r.out());
    JsonNode doc = MainTest.JSON.readTree(parser);
    assertThat(parser.nextToken()).isNull();
    assertThat(doc.get("fields").toString()).isEqualTo("[\"bin\",\"eventSource\",\"n\"]");
    JsonNode reference =
        reference("stats count(*) as n by eventSource, bin(1h) as bin | sort bin desc");
    // Every (bin, source) count of the one pass, and the same totals.
    Map<String, Long> expected = new HashMap<>();
    for (JsonNode row : reference.get("rows")) {
      expected.put(
          row.get("bin").asText() + " " + row.get("eventSource").asText(), row.get("n").asLong());
    }
    Map<String, Long> got = new HashMap<>();
    String previousBin = null;
    for (JsonNode row : doc.get("rows")) {
      String bin = row.get("bin").asText();
      if (previousBin != null) {
        assertThat(bin).as("newest bin first").isLessThanOrEqualTo(previousBin);
      }
      previousBin = bin;
      got.put(bin + " " + row.get("eventSource").asText(), row.get("n").asLong());
    }
    assertThat(got).isEqualTo(expected);
    assertThat(doc.at("/statistics/recordsScanned").asLong())
        .isEqualTo(reference.at("/statistics/recordsScanned").asLong());
    assertThat(doc.at("/statistics/objectsScanned").asLong()).isEqualTo(keys.size());

    // CSV: one header line, then the rows.
    MainTest.Run csv = ok("results", "hourly", "--per-bin", "--format", "csv");
    List<String> lines = csv.out().lines().toList();
    assertThat(lines.getFirst()).isEqualTo("bin,bin(1h),n,ips,last");
    assertThat(lines.stream().filter(l -> l.startsWith("bin,")).count()).isEqualTo(1);
    JsonNode hourly = reference(SUBSCRIPTIONS.get("hourly"));
    assertThat(lines).hasSize(1 + hourly.get("rows").size());

    // The table keeps a section per bin.
    MainTest.Run table = ok("results", "hourly", "--per-bin");
    assertThat(table.out()).contains("== bin 2026-");
  }

  @Test
  void backfilledSubscriptionCountsExistingObjectsOnce() throws IOException {
    ok("local-init");
    String query = "stats count(*) as n, count_distinct(eventName) as apis by userIdentity.type";
    MainTest.Run r = ok("subscribe", "backfilled", query, "--backfill-from", "2026-10-01");
    assertThat(r.err()).contains("backfilled " + keys.size() + " objects");
    JsonNode reference = reference(query);
    assertSameAnswer(json(ok("results", "backfilled", "--format", "json")), reference, "backfill");
    // The objects are then delivered again (the Lambda now knows the subscription): still once.
    ok("invoke", "ingest", s3Event(keys, "again.json").toString());
    assertSameAnswer(json(ok("results", "backfilled", "--format", "json")), reference, "again");
  }

  @Test
  void unknownSubscriptionAndFunctionAreUsageErrors() {
    ok("local-init");
    MainTest.Run r = run("results", "nope");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no subscription named 'nope'");
    MainTest.Run f = run("invoke", "nope", "x.json");
    assertThat(f.code()).isNotZero();
  }

  @Test
  void invokeApiRunsTheApiGatewayHandlerOnAnEventFile() throws IOException {
    ok("local-init"); // the query API's table; the pack's saved queries are built in
    MainTest.Run r = ok("invoke", "api", "../events/api/list-saved-queries.json");
    JsonNode response = MainTest.JSON.readTree(r.out());
    assertThat(response.get("statusCode").asInt()).isEqualTo(200);
    JsonNode body = MainTest.JSON.readTree(response.get("body").asText());
    assertThat(body.toString()).contains("cis-3.3-root-account-usage");
  }

  @Test
  void invokeWorkerReturnsAPartialStateThatFinishesToTheOnePassAnswer() throws Exception {
    String query = "stats count(*) as n by eventName";
    var request = MainTest.JSON.createObjectNode();
    request.put("queryString", query);
    request.put("container", BUCKET);
    request.put("nowMillis", 0);
    var objects = request.putArray("objects");
    for (String key : keys) {
      objects.addArray().add(key).add(sizes.get(key));
    }
    Path event = tmp.resolve("worker.json");
    Files.writeString(event, request.toString());
    JsonNode response = MainTest.JSON.readTree(ok("invoke", "worker", event.toString()).out());
    byte[] state = java.util.Base64.getDecoder().decode(response.get("state").asText());
    var plan =
        dev.trailquery.Trailquery.compile(
            query,
            new dev.trailquery.plan.Planner.Options(Long.MIN_VALUE, Long.MAX_VALUE, 0, null));
    var result =
        dev.trailquery.exec.Finisher.finish(
            dev.trailquery.exec.PartialState.fromBytes(plan, state));
    // The independent reference: the CLI's own query over the same S3 objects.
    JsonNode expected =
        MainTest.JSON.readTree(
            ok("query", "--format", "json", query, "s3://" + BUCKET + "/" + ACCOUNT_PREFIX).out());
    assertThat(result.rows()).hasSize(expected.get("rows").size());
    assertThat(result.statistics().recordsScanned())
        .isEqualTo(expected.get("statistics").get("recordsScanned").asLong());
    for (int i = 0; i < result.rows().size(); i++) {
      assertThat(result.rows().get(i)[0])
          .isEqualTo(expected.get("rows").get(i).get("eventName").asText());
      assertThat(((Double) result.rows().get(i)[1]).longValue())
          .isEqualTo(expected.get("rows").get(i).get("n").asLong());
    }
  }
}
