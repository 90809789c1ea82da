package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.testing.Emulators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code subscribe --pack cis}: one command subscribes seed 002's metric filters with alarms and
 * seed 001's CIS queries; a hand-written object then fires exactly the alarms it should.
 */
class CisPackCommandTest {
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String BUCKET = "cli-cis-" + RUN;
  static final String KEY =
      "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/"
          + "111122223333_CloudTrail_us-east-1_20261120T1015Z_cis0abcd.json";

  static S3Client s3;
  static DynamoDbClient db;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    s3 = Emulators.s3();
    db = Emulators.dynamo();
    Map<String, String> env = new HashMap<>(Emulators.env());
    env.put("TRAILQUERY_SUBSCRIPTIONS_TABLE", "subs-" + RUN);
    env.put("TRAILQUERY_RESULTS_TABLE", "results-" + RUN);
    env.put("TRAILQUERY_QUERIES_TABLE", "queries-" + RUN);
    env.put("TRAILQUERY_TRAIL_BUCKET", BUCKET);
    env.put("TRAILQUERY_SUBSCRIPTION_CACHE_SECONDS", "0");
    env.put("TRAILQUERY_ALARM_FILE", tmp.resolve("alarms.jsonl").toString());
    services = new Context.Services(env, s3, db);
  }

  static Context.Services services;

  static MainTest.Run run(String... args) {
    return MainTest.run(services, args);
  }

  static MainTest.Run ok(String... args) {
    MainTest.Run r = run(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
    return r;
  }

  static String failedLogin(String time, int i) {
    return "{\"eventVersion\":\"1.08\",\"eventTime\":\""
        + time
        + "\",\"eventSource\":\"signin.amazonaws.com\",\"eventName\":\"ConsoleLogin\","
        + "\"eventType\":\"AwsConsoleSignIn\",\"errorMessage\":\"Failed authentication\","
        + "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/alice\"},"
        + "\"additionalEventData\":{\"MFAUsed\":\"Yes\"},\"responseElements\":{\"ConsoleLogin\":"
        + "\"Failure\"},\"sourceIPAddress\":\"198.51.100.7\",\"eventID\":\"f-"
        + i
        + "\"}";
  }

  @Test
  void oneCommandSubscribesThePackAndItsAlarmsFire() throws IOException {
    ok("local-init");
    MainTest.Run first = ok("subscribe", "--pack", "cis");
    // Seed 002 lists 21 metric filters; seed 001 14 CIS queries. Alarms: 21 + 2.
    assertThat(first.err()).contains("35 subscriptions (35 new, 0 unchanged), 23 alarms");
    MainTest.Run again = ok("subscribe", "--pack", "cis");
    assertThat(again.err()).contains("35 subscriptions (0 new, 35 unchanged), 23 alarms");
    // The pack takes no definition of its own.
    assertThat(run("subscribe", "--pack", "cis", "--filter-pattern", "{ $.a = 1 }").code())
        .isEqualTo(2);
    assertThat(run("subscribe", "--pack", "nist").code()).isEqualTo(2);
    List<String> names =
        ok("subscriptions").out().lines().map(l -> l.substring(0, l.indexOf('\t'))).toList();
    assertThat(names).hasSize(35).contains("root-account-usage", "cis-3.13-route-table-changes");
    JsonNode alarms = MainTest.JSON.readTree(ok("alarms", "--format", "json").out());
    assertThat(alarms.get("alarms")).hasSize(23);

    // Bin 10:15-10:20: 4 failed logins (> 3) and a root call; bin 10:20-10:25: 3 failed logins
    // (not > 3) and a route table created.
    List<String> records = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      records.add(failedLogin("2026-11-20T10:1" + (5 + i) + ":00Z", i));
    }
    records.add(
        "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-20T10:16:30Z\",\"eventSource\":"
            + "\"iam.amazonaws.com\",\"eventName\":\"GetAccountSummary\",\"eventType\":"
            + "\"AwsApiCall\",\"userIdentity\":{\"type\":\"Root\",\"arn\":"
            + "\"arn:aws:iam::111122223333:root\"},\"eventID\":\"r-1\"}");
    for (int i = 0; i < 3; i++) {
      records.add(failedLogin("2026-11-20T10:2" + (1 + i) + ":00Z", 10 + i));
    }
    records.add(
        "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-20T10:22:30Z\",\"eventSource\":"
            + "\"ec2.amazonaws.com\",\"eventName\":\"CreateRouteTable\",\"eventType\":"
            + "\"AwsApiCall\",\"userIdentity\":{\"type\":\"IAMUser\"},\"eventID\":\"rt-1\"}");
    String object = "{\"Records\":[" + String.join(",", records) + "]}";
    s3.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromString(object));

    ObjectNode event = MainTest.JSON.createObjectNode();
    ObjectNode r = event.putArray("Records").addObject();
    r.put("eventSource", "aws:s3");
    r.put("eventName", "ObjectCreated:Put");
    r.putObject("s3").putObject("bucket").put("name", BUCKET);
    ((ObjectNode) r.get("s3")).putObject("object").put("key", KEY).put("size", object.length());
    Path file = tmp.resolve("event.json");
    Files.writeString(file, event.toString());
    ok("invoke", "ingest", file.toString());
    ok("invoke", "ingest", file.toString()); // a duplicate notification

    TreeSet<String> fired = new TreeSet<>();
    for (String line : Files.readAllLines(tmp.resolve("alarms.jsonl"))) {
      JsonNode n = MainTest.JSON.readTree(line);
      assertThat(n.get("state").asText()).isEqualTo("ALARM");
      fired.add(n.get("subscription").asText() + " " + n.get("binStart").asText());
    }
    assertThat(fired)
        .containsExactly(
            "cis-3.13-route-table-changes 2026-11-20T10:20:00Z",
            "console-auth-failures 2026-11-20T10:15:00Z",
            "root-account-usage 2026-11-20T10:15:00Z");
    assertThat(Files.readAllLines(tmp.resolve("alarms.jsonl"))).hasSize(3);

    // A metric filter's notification carries the query that lists the events behind it.
    JsonNode failures = null;
    for (String line : Files.readAllLines(tmp.resolve("alarms.jsonl"))) {
      JsonNode n = MainTest.JSON.readTree(line);
      if (n.get("subscription").asText().equals("console-auth-failures")) {
        failures = n;
      }
    }
    assertThat(failures.get("triggeringRows").get(0).get("sum").asText()).isEqualTo("4");
    JsonNode events =
        MainTest.JSON.readTree(
            ok(
                    "query",
                    "--format",
                    "json",
                    "--start",
                    failures.get("binStart").asText(),
                    "--end",
                    failures.get("binEnd").asText(),
                    failures.get("investigateQuery").asText(),
                    "s3://" + BUCKET + "/AWSLogs/")
                .out());
    assertThat(events.get("rows")).hasSize(4);
    for (JsonNode row : events.get("rows")) {
      assertThat(row.get("eventName").asText()).isEqualTo("ConsoleLogin");
    }

    // The CIS 3.6 query keeps the events behind the alarm.
    JsonNode rows =
        MainTest.JSON.readTree(
            ok("results", "cis-3.6-console-auth-failures", "--format", "json").out());
    assertThat(rows.get("rows")).hasSize(7);
  }
}
