package dev.trailquery.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.aws.S3ObjectSource;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.seal.SealHandler;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.lookup.LookupTable;
import dev.trailquery.plan.Planner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Subscriptions with {@code lookup} tables, through the API ({@link AwsApi}: the lookup tables in
 * the results bucket, the ingest tables in dynalite) and the ingest and seal handlers: the table is
 * pinned when subscribing, so a later {@code PUT /lookup-tables/NAME} changes nothing already
 * subscribed; subscribing again picks the new version up and starts afresh (docs/LANGUAGE.md).
 */
class SubscriptionLookupTest {
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String BUCKET = "subs-lookup-" + RUN;

  /** Four hand-written objects: account ids per record (the 4th object comes later). */
  static final String[][] OBJECTS = {
    {"111111111111", "111111111111", "222222222222", "444444444444"},
    {"333333333333", "333333333333", "222222222222"},
    {"111111111111", "444444444444", "444444444444"},
    {"111111111111", "111111111111", "222222222222"},
  };

  static final String ACCOUNTS_V1 =
      "accountId,team\n111111111111,red\n222222222222,blue\n333333333333,red\n";
  static final String ACCOUNTS_V2 =
      "accountId,team\n111111111111,green\n222222222222,blue\n333333333333,red\n";
  static final String SOURCES =
      "eventSource,category\r\n"
          + "s3.amazonaws.com,storage\r\n"
          + "sts.amazonaws.com,identity\r\n"
          + "kms.amazonaws.com,keys\r\n";

  /** Matching records per team, a lookup before {@code stats} (ingest evaluates it). */
  static final String BY_TEAM =
      "filter eventSource = \"tq-test.amazonaws.com\""
          + " | lookup accounts accountId as recipientAccountId OUTPUT team"
          + " | filter ispresent(team) | stats count(*) as n by team | sort team";

  /** A lookup after {@code stats}: the reader evaluates it when finishing. */
  static final String BY_ACCOUNT =
      "filter eventSource = \"tq-test.amazonaws.com\""
          + " | stats count(*) as n by recipientAccountId"
          + " | lookup accounts accountId as recipientAccountId OUTPUT team"
          + " | sort recipientAccountId";

  static final String BY_CATEGORY =
      "lookup sources eventSource OUTPUT category | filter ispresent(category)"
          + " | stats count(*) as n by category | sort category";

  static S3Client s3;
  static DynamoDbClient db;
  static Map<String, String> env;
  static final List<String> samples = new ArrayList<>();
  static final List<String> generated = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    s3 = Emulators.s3();
    db = Emulators.dynamo();
    env = new HashMap<>(Emulators.env());
    env.put("TRAILQUERY_QUERIES_TABLE", "lk-queries-" + RUN);
    env.put("TRAILQUERY_SUBSCRIPTIONS_TABLE", "lk-subs-" + RUN);
    env.put("TRAILQUERY_RESULTS_TABLE", "lk-results-" + RUN);
    env.put("TRAILQUERY_TRAIL_BUCKET", BUCKET);
    env.put("TRAILQUERY_RESULTS_BUCKET", BUCKET + "-results");
    env.put("TRAILQUERY_SUBSCRIPTION_CACHE_SECONDS", "0");
    Tables.createIfMissing(db, Tables.queries(env.get("TRAILQUERY_QUERIES_TABLE")));
    Tables.createIfMissing(db, Tables.subscriptions(env.get("TRAILQUERY_SUBSCRIPTIONS_TABLE")));
    Tables.createIfMissing(db, Tables.results(env.get("TRAILQUERY_RESULTS_TABLE")));
    s3.createBucket(b -> b.bucket(BUCKET));
    s3.createBucket(b -> b.bucket(BUCKET + "-results"));
    Path dir = Path.of("..", "samples", "cloudtrail", "cloud-snitch", "aws-cloudtrail-logs");
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        String key = dir.relativize(p).toString().replace('\\', '/');
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(p));
        samples.add(key);
      }
    }
    for (int i = 0; i < OBJECTS.length; i++) {
      StringBuilder records = new StringBuilder();
      for (int j = 0; j < OBJECTS[i].length; j++) {
        records.append(j > 0 ? "," : "");
        records.append(
            String.format(
                "{\"eventVersion\":\"1.08\",\"eventTime\":\"2025-03-0%dT0%d:%02d:00Z\","
                    + "\"eventSource\":\"tq-test.amazonaws.com\",\"eventName\":\"Describe\","
                    + "\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"%s\","
                    + "\"eventID\":\"lk-%d-%d\"}",
                2 + i, i, j, OBJECTS[i][j], i, j));
      }
      String key =
          String.format(
              "AWSLogs/111111111111/CloudTrail/us-east-1/2025/03/0%d/"
                  + "111111111111_CloudTrail_us-east-1_2025030%dT0%d05Z_lk%d.json",
              2 + i, 2 + i, i, i);
      s3.putObject(
          b -> b.bucket(BUCKET).key(key),
          RequestBody.fromString("{\"Records\":[" + records + "]}"));
      generated.add(key);
    }
  }

  static Api api() {
    return AwsApi.from(env, s3, db).api();
  }

  static JsonNode ok(String method, String path, Map<String, String> query, String body)
      throws Exception {
    ApiResponse r = api().handle(new ApiRequest(method, path, query, body));
    assertThat(r.status()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  static JsonNode subscribe(String name, String query) throws Exception {
    ObjectNode body = Json.MAPPER.createObjectNode().put("queryString", query).put("bin", "1d");
    return ok("PUT", "/subscriptions/" + name, null, Json.write(body));
  }

  /** The merged results as {@code {first field's value: [other values...]}}. */
  static Map<String, List<String>> total(String name) throws Exception {
    JsonNode r = ok("GET", "/subscriptions/" + name + "/results", Map.of(), null);
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (JsonNode row : r.get("results")) {
      List<String> rest = new ArrayList<>();
      for (int i = 1; i < row.size(); i++) {
        rest.add(row.get(i).get("field").asText() + "=" + row.get(i).get("value").asText());
      }
      out.put(row.get(0).get("value").asText(), rest);
    }
    return out;
  }

  static void ingest(List<String> keys) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (String k : keys) {
      ObjectNode r = records.addObject();
      r.put("eventSource", "aws:s3");
      r.put("eventName", "ObjectCreated:Put");
      ObjectNode n = r.putObject("s3");
      n.putObject("bucket").put("name", BUCKET);
      n.putObject("object")
          .put("key", k)
          .put("size", s3.headObject(b -> b.bucket(BUCKET).key(k)).contentLength());
    }
    PrintStream log = new PrintStream(new ByteArrayOutputStream());
    JsonNode out = new IngestHandler(IngestConfig.fromEnv(env::get, log), s3, db).handle(event);
    assertThat(out.get("objects").asInt()).as(out.toString()).isEqualTo(keys.size());
  }

  /** The first 16 hex digits of the SHA-256 of the CSV: its version, derived here on its own. */
  static String version(String csv) throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-256").digest(csv.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d, 0, 8);
  }

  @Test
  void aSubscriptionEvaluatesWithThePinnedTableUntilItIsSubscribedAgain() throws Exception {
    ok("PUT", "/lookup-tables/accounts", null, ACCOUNTS_V1);
    JsonNode sub = subscribe("by-team", BY_TEAM);
    assertThat(sub.get("created").asBoolean()).isTrue();
    assertThat(sub.at("/lookupTables/0/name").asText()).isEqualTo("accounts");
    assertThat(sub.at("/lookupTables/0/version").asText()).isEqualTo(version(ACCOUNTS_V1));
    assertThat(sub.at("/lookupTables/0/rows").asInt()).isEqualTo(3);
    subscribe("by-account", BY_ACCOUNT);
    // the same definition with the same table: unchanged
    JsonNode same = subscribe("by-team", BY_TEAM);
    assertThat(same.get("created").asBoolean()).isFalse();
    assertThat(same.get("id").asText()).isEqualTo(sub.get("id").asText());

    ingest(generated.subList(0, 3));
    // by hand: red = 111 (2 + 1) + 333 (2) = 5; blue = 222 (1 + 1) = 2; 444 has no team
    assertThat(total("by-team")).containsExactly(entry("blue", "n=2"), entry("red", "n=5"));
    assertThat(total("by-account"))
        .containsExactly(
            entry("111111111111", "n=3", "team=red"),
            entry("222222222222", "n=2", "team=blue"),
            entry("333333333333", "n=2", "team=red"),
            entry("444444444444", "n=3"));

    // The table changes: what is subscribed keeps evaluating with version 1, for old objects and
    // for new ones, before and after sealing.
    ok("PUT", "/lookup-tables/accounts", null, ACCOUNTS_V2);
    ingest(generated.subList(3, 4));
    // object 4 adds 111 ×2 (red under version 1) and 222 ×1
    assertThat(total("by-team")).containsExactly(entry("blue", "n=3"), entry("red", "n=7"));
    assertThat(total("by-account"))
        .containsEntry("111111111111", List.of("n=5", "team=red"))
        .containsEntry("222222222222", List.of("n=3", "team=blue"));
    new SealHandler(
            env::get,
            db,
            () -> System.currentTimeMillis() + 3_600_000L,
            new PrintStream(new ByteArrayOutputStream()))
        .seal();
    assertThat(total("by-team")).containsExactly(entry("blue", "n=3"), entry("red", "n=7"));
    JsonNode got = ok("GET", "/subscriptions/by-team", null, null);
    assertThat(got.at("/lookupTables/0/version").asText()).isEqualTo(version(ACCOUNTS_V1));

    // Subscribing again with the table as it is now is another definition: replaced, afresh.
    JsonNode again = subscribe("by-team", BY_TEAM);
    assertThat(again.get("created").asBoolean()).isFalse();
    assertThat(again.get("id").asText()).isNotEqualTo(sub.get("id").asText());
    assertThat(again.at("/lookupTables/0/version").asText()).isEqualTo(version(ACCOUNTS_V2));
    assertThat(total("by-team")).isEmpty();
    ingest(generated);
    // version 2: green = 111 (2 + 1 + 2) = 5; blue = 222 (1 + 1 + 1) = 3; red = 333 (2) = 2
    assertThat(total("by-team"))
        .containsExactly(entry("blue", "n=3"), entry("green", "n=5"), entry("red", "n=2"));
    // by-account was not subscribed again: still version 1 (its 4 objects again count once)
    assertThat(total("by-account")).containsEntry("111111111111", List.of("n=5", "team=red"));
  }

  @Test
  void overTheSampleObjectsASubscriptionEqualsTheOnePassWithTheSameTable() throws Exception {
    ok("PUT", "/lookup-tables/sources", null, SOURCES);
    subscribe("by-category", BY_CATEGORY);
    ingest(samples); // (the generated objects match no source of the table)

    // a plain Jackson walk of the sample objects with the table as a map
    Map<String, String> table =
        Map.of(
            "s3.amazonaws.com",
            "storage",
            "sts.amazonaws.com",
            "identity",
            "kms.amazonaws.com",
            "keys");
    Map<String, Long> expected = new TreeMap<>();
    for (String k : samples) {
      byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(k)).asByteArray();
      bytes =
          new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes)).readAllBytes();
      for (JsonNode r : Json.MAPPER.readTree(bytes).path("Records")) {
        String category = table.get(r.path("eventSource").asText());
        if (category != null) {
          expected.merge(category, 1L, Long::sum);
        }
      }
    }
    assertThat(expected).containsOnlyKeys("identity", "keys", "storage");
    Map<String, List<String>> got = total("by-category");
    Map<String, List<String>> want = new LinkedHashMap<>();
    expected.forEach((c, n) -> want.put(c, List.of("n=" + n)));
    assertThat(got).containsExactlyEntriesOf(want);

    // and the engine's one pass over the bucket with the same table
    Result one =
        Trailquery.run(
            Trailquery.compile(
                BY_CATEGORY,
                new Planner.Options(Long.MIN_VALUE, Long.MAX_VALUE, 0, null)
                    .withLookups(
                        Map.of(
                            "sources",
                            LookupTable.parse(
                                "sources", SOURCES.getBytes(StandardCharsets.UTF_8))))),
            List.of(new S3ObjectSource(s3, BUCKET, "AWSLogs/")),
            2,
            Scan.Listener.NONE);
    JsonNode results =
        ok("GET", "/subscriptions/by-category/results", Map.of(), null).get("results");
    assertThat(results).isEqualTo(SubscriptionRoutesTest.rows(one));
  }

  @Test
  void aBackfillEvaluatesWithThePinnedTable() throws Exception {
    ok("PUT", "/lookup-tables/accounts_bf", null, ACCOUNTS_V1);
    ObjectNode body =
        Json.MAPPER
            .createObjectNode()
            .put("queryString", BY_TEAM.replace("lookup accounts ", "lookup accounts_bf "))
            .put("bin", "1d")
            .put("backfillFrom", "2025-03-01T00:00:00Z");
    JsonNode sub = ok("PUT", "/subscriptions/bf-teams", null, Json.write(body));
    assertThat(sub.get("backfill").asText()).contains("started");
    // the table changes while the backfill runs: it evaluates with version 1 all the same
    ok("PUT", "/lookup-tables/accounts_bf", null, ACCOUNTS_V2);
    int objects = samples.size() + generated.size();
    JsonNode r = null;
    for (int i = 0; i < 300; i++) {
      r = ok("GET", "/subscriptions/bf-teams/results", Map.of(), null);
      if (r.at("/statistics/objectsScanned").asInt() == objects) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(r.at("/statistics/objectsScanned").asInt()).isEqualTo(objects);
    // all four objects under version 1: red = 111 (2 + 1 + 2) + 333 (2) = 7; blue = 222 (3)
    assertThat(total("bf-teams")).containsExactly(entry("blue", "n=3"), entry("red", "n=7"));
  }

  @Test
  void aLookupOfATableThatIsNotStoredIsAMalformedQueryWithItsPosition() throws Exception {
    ObjectNode body =
        Json.MAPPER
            .createObjectNode()
            .put("queryString", "fields eventName\n| lookup nosuch a OUTPUT b");
    ApiResponse r = api().handle(new ApiRequest("PUT", "/subscriptions/x", null, Json.write(body)));
    assertThat(r.status()).isEqualTo(400);
    JsonNode err = Json.MAPPER.readTree(r.body()).get("error");
    assertThat(err.get("code").asText()).isEqualTo("MalformedQuery");
    assertThat(err.get("message").asText()).contains("no lookup table 'nosuch'");
    assertThat(err.get("line").asInt()).isEqualTo(2);
    assertThat(err.get("column").asInt()).isEqualTo(10);
  }

  static Map.Entry<String, List<String>> entry(String key, String... values) {
    return Map.entry(key, List.of(values));
  }
}
