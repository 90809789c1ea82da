package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.testing.Emulators;
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
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code subscribe NAME 'QUERY' --lookup NAME=FILE.csv} against S3Proxy and dynalite: the table is
 * pinned as the file is when subscribing; editing the file changes nothing subscribed; {@code
 * --replace} picks the new version up and starts afresh (docs/LANGUAGE.md). Expectations counted by
 * hand from the objects below.
 */
class SubscribeLookupCommandTest {
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String BUCKET = "cli-lookup-" + RUN;

  /** Account ids of each object's records. */
  static final String[][] OBJECTS = {
    {"111111111111", "111111111111", "222222222222", "444444444444"},
    {"333333333333", "333333333333", "222222222222"},
    {"111111111111", "444444444444", "444444444444"},
    {"111111111111", "111111111111", "222222222222"},
  };

  static final String V1 =
      "accountId,team\n111111111111,red\n222222222222,blue\n333333333333,red\n";
  static final String V2 =
      "accountId,team\n111111111111,green\n222222222222,blue\n333333333333,red\n";
  static final String QUERY =
      "lookup accounts accountId as recipientAccountId OUTPUT team"
          + " | filter ispresent(team) | stats count(*) as n by team | sort team";

  @TempDir static Path tmp;
  static S3Client s3;
  static Context.Services services;
  static final List<String> keys = new ArrayList<>();
  static final Map<String, Long> sizes = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    s3 = Emulators.s3();
    Map<String, String> env = new HashMap<>(Emulators.env());
    env.put("TRAILQUERY_SUBSCRIPTIONS_TABLE", "lk-subs-" + RUN);
    env.put("TRAILQUERY_RESULTS_TABLE", "lk-results-" + RUN);
    env.put("TRAILQUERY_QUERIES_TABLE", "lk-queries-" + RUN);
    env.put("TRAILQUERY_TRAIL_BUCKET", BUCKET);
    env.put("TRAILQUERY_SUBSCRIPTION_CACHE_SECONDS", "0");
    services = new Context.Services(env, s3, Emulators.dynamo());
    ok("local-init");
    for (int i = 0; i < OBJECTS.length; i++) {
      StringBuilder records = new StringBuilder();
      for (int j = 0; j < OBJECTS[i].length; j++) {
        records.append(j > 0 ? "," : "");
        records.append(
            String.format(
                "{\"eventTime\":\"2026-11-0%dT0%d:%02d:00Z\",\"eventSource\":\"ec2.amazonaws.com\","
                    + "\"eventName\":\"DescribeInstances\",\"awsRegion\":\"us-east-1\","
                    + "\"recipientAccountId\":\"%s\",\"eventID\":\"c-%d-%d\"}",
                1 + i, i, j, OBJECTS[i][j], i, j));
      }
      String key =
          String.format(
              "AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/0%d/"
                  + "111111111111_CloudTrail_us-east-1_202611%02dT0%d05Z_lk%d.json",
              1 + i, 1 + i, i, i);
      String body = "{\"Records\":[" + records + "]}";
      s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body));
      keys.add(key);
      sizes.put(key, (long) body.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  static MainTest.Run run(String... args) {
    return MainTest.run(services, args);
  }

  static MainTest.Run ok(String... args) {
    MainTest.Run r = run(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
    return r;
  }

  static void ingest(List<String> eventKeys, String file) throws Exception {
    ObjectNode event = MainTest.JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (String k : eventKeys) {
      ObjectNode r = records.addObject();
      r.put("eventSource", "aws:s3");
      r.put("eventName", "ObjectCreated:Put");
      ObjectNode n = r.putObject("s3");
      n.putObject("bucket").put("name", BUCKET);
      n.putObject("object").put("key", k).put("size", sizes.get(k));
    }
    Path p = tmp.resolve(file);
    Files.writeString(p, event.toString());
    ok("invoke", "ingest", p.toString());
  }

  /** {@code results NAME --format json} as team → count. */
  static Map<String, Long> byTeam(String name) throws Exception {
    JsonNode doc = MainTest.JSON.readTree(ok("results", name, "--format", "json").out());
    Map<String, Long> out = new LinkedHashMap<>();
    for (JsonNode row : doc.get("rows")) {
      out.put(row.get("team").asText(), row.get("n").asLong());
    }
    return out;
  }

  static String version(String csv) throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-256").digest(csv.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d, 0, 8);
  }

  @Test
  void subscribeLookupPinsTheFileAsItIsUntilReplaced() throws Exception {
    Path accounts = tmp.resolve("accounts.csv");
    Files.writeString(accounts, V1);
    MainTest.Run sub =
        ok("subscribe", "teams", QUERY, "--bin", "1d", "--lookup", "accounts=" + accounts);
    assertThat(sub.err()).contains("lookup accounts@" + version(V1));

    ingest(keys.subList(0, 3), "e1.json");
    // red = 111 (2 + 1) + 333 (2) = 5; blue = 222 (1 + 1) = 2; 444 is in no team
    assertThat(byTeam("teams")).containsExactly(Map.entry("blue", 2L), Map.entry("red", 5L));

    // the file changes: the subscription keeps version 1, for the next object too
    Files.writeString(accounts, V2);
    ingest(keys.subList(3, 4), "e2.json");
    assertThat(byTeam("teams")).containsExactly(Map.entry("blue", 3L), Map.entry("red", 7L));
    assertThat(ok("subscriptions").out()).contains("\tlookup accounts@" + version(V1));

    // subscribing again needs --replace, and then starts afresh with version 2
    MainTest.Run taken = run("subscribe", "teams", QUERY, "--lookup", "accounts=" + accounts);
    assertThat(taken.code()).isNotZero();
    assertThat(taken.err()).contains("--replace");
    ok("subscribe", "teams", QUERY, "--bin", "1d", "--lookup", "accounts=" + accounts, "--replace");
    assertThat(ok("subscriptions").out()).contains("\tlookup accounts@" + version(V2));
    assertThat(byTeam("teams")).isEmpty();
    ingest(keys, "e3.json");
    // green = 111 (2 + 1 + 2) = 5; blue = 222 (1 + 1 + 1) = 3; red = 333 (2) = 2
    assertThat(byTeam("teams"))
        .containsExactly(Map.entry("blue", 3L), Map.entry("green", 5L), Map.entry("red", 2L));
  }

  @Test
  void aLookupWithoutItsTableOrBesideAFilterIsRefused() throws Exception {
    MainTest.Run missing = run("subscribe", "no-table", QUERY);
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("no lookup table 'accounts'").contains("TQ2114");
    Path accounts = tmp.resolve("a2.csv");
    Files.writeString(accounts, V1);
    MainTest.Run filter =
        run(
            "subscribe",
            "f",
            "--filter-pattern",
            "{ $.eventName = \"X\" }",
            "--lookup",
            "accounts=" + accounts);
    assertThat(filter.code()).isNotZero();
    assertThat(filter.err()).contains("--lookup applies to queries only");
  }
}
