package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.testing.Emulators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code alarm set}, {@code alarms}, {@code alarm delete} and the local notifier of {@code invoke
 * ingest}, in-process through {@link Main#run} against S3Proxy and dynalite. The data is the real
 * Stratus Red Team detonation {@code ec2-get-password-data}: 30 GetPasswordData calls from
 * 200.249.253.51 between 21:31:10 and 21:31:21 on 2024-07-30 (and 4 AssumeRole), counted by hand.
 */
class AlarmCommandsTest {
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String BUCKET = "cli-alarms-" + RUN;
  static final Path SAMPLE =
      Path.of(
          "..",
          "samples",
          "cloudtrail",
          "stratus-red-team-detonation-logs",
          "aws.credential-access.ec2-get-password-data.json");
  static final String KEY =
      "AWSLogs/111122223333/CloudTrail/us-east-1/2024/07/30/"
          + "111122223333_CloudTrail_us-east-1_20240730T2135Z_gpd0abcd.json";

  static S3Client s3;
  static DynamoDbClient db;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws IOException {
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

  static Path event() throws IOException {
    ObjectNode event = MainTest.JSON.createObjectNode();
    ObjectNode r = event.putArray("Records").addObject();
    r.put("eventSource", "aws:s3");
    r.put("eventName", "ObjectCreated:Put");
    r.putObject("s3").putObject("bucket").put("name", BUCKET);
    ((ObjectNode) r.get("s3")).putObject("object").put("key", KEY).put("size", Files.size(SAMPLE));
    Path file = tmp.resolve("event.json");
    Files.writeString(file, event.toString());
    return file;
  }

  @Test
  void setListNotifyLocallyAndDelete() throws IOException {
    ok("local-init");
    s3.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromFile(SAMPLE));
    ok(
        "subscribe",
        "password-data",
        "filter eventName = 'GetPasswordData' | stats count(*) as attempts by sourceIPAddress",
        "--bin",
        "5m");

    MainTest.Run noColumn = run("alarm", "set", "password-data", "--column", "n", "--above", "1");
    assertThat(noColumn.code()).isEqualTo(2);
    assertThat(noColumn.err()).contains("no column 'n'").contains("sourceIPAddress, attempts");
    assertThat(run("alarm", "set", "password-data", "--column", "attempts").code()).isEqualTo(2);
    assertThat(run("alarm", "set", "nope", "--column", "x", "--above", "1").err())
        .contains("no subscription named 'nope'");

    MainTest.Run set =
        ok(
            "alarm",
            "set",
            "password-data",
            "--column",
            "attempts",
            "--above",
            "20",
            "--description",
            "EC2 password data harvesting");
    assertThat(set.err()).contains("attempts > 20 in a 5m bin");
    MainTest.Run before = ok("alarms");
    assertThat(before.out()).contains("password-data\tattempts > 20\tINSUFFICIENT_DATA\t-");

    Path event = event();
    MainTest.Run first = ok("invoke", "ingest", event.toString());
    assertThat(first.err()).contains("notification: ALARM: password-data attempts > 20");
    ok("invoke", "ingest", event.toString()); // delivered again: no second notification

    List<String> lines = Files.readAllLines(tmp.resolve("alarms.jsonl"));
    assertThat(lines).hasSize(1);
    JsonNode n = MainTest.JSON.readTree(lines.getFirst());
    assertThat(n.get("state").asText()).isEqualTo("ALARM");
    assertThat(n.get("binStart").asText()).isEqualTo("2024-07-30T21:30:00Z");
    assertThat(n.get("binEnd").asText()).isEqualTo("2024-07-30T21:35:00Z");
    assertThat(n.get("recordsScanned").asInt()).isEqualTo(34);
    assertThat(n.get("triggeringRows").toString())
        .isEqualTo("[{\"sourceIPAddress\":\"200.249.253.51\",\"attempts\":\"30\"}]");
    assertThat(n.get("description").asText()).isEqualTo("EC2 password data harvesting");

    JsonNode list = MainTest.JSON.readTree(ok("alarms", "--format", "json").out());
    JsonNode a = list.get("alarms").get(0);
    assertThat(a.get("subscription").asText()).isEqualTo("password-data");
    assertThat(a.at("/state/value").asText()).isEqualTo("ALARM");
    assertThat(a.at("/state/bin").asText()).startsWith("2024-07-30 21:30:00");
    assertThat(a.at("/state/triggeringRows/0/attempts").asText()).isEqualTo("30");

    ok("alarm", "delete", "password-data");
    assertThat(run("alarm", "delete", "password-data").code()).isEqualTo(2);
    assertThat(ok("alarms", "--format", "json").out()).contains("\"alarms\" : [ ]");
  }
}
