package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI end to end, in-process, over a hand-made fixture: a.json holds 3 records (two failed
 * ConsoleLogins by alice from 203.0.113.9 at 10:05 and 10:07:30, one successful by bob at 11:15);
 * b.json.gz holds 2 (an S3 GetBucketAcl AccessDenied at 11:20, a KMS Decrypt at 12:01), all on
 * 2026-11-01 UTC.
 */
class MainTest {
  static final String FIXTURES = Path.of("src/test/resources/fixtures").toString();
  static final ObjectMapper JSON = new ObjectMapper();

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    return run(null, args);
  }

  /**
   * Runs a command whose environment and AWS clients are {@code services}' (null: the process's).
   */
  static Run run(Context.Services services, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Main(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                services)
            .run(List.of(args));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void jsonFormatHasFieldsRowsAndStatistics() throws Exception {
    Run r =
        run(
            "query",
            "--format",
            "json",
            "stats count(*) as logins by sourceIPAddress | sort logins desc",
            FIXTURES);
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode root = JSON.readTree(r.out());
    assertThat(root.get("fields").toString()).isEqualTo("[\"sourceIPAddress\",\"logins\"]");
    // 203.0.113.9: 2; 198.51.100.7, 10.0.0.5, kms.amazonaws.com: 1 each (ties sorted by key).
    assertThat(root.get("rows").get(0).toString())
        .isEqualTo("{\"sourceIPAddress\":\"203.0.113.9\",\"logins\":2}");
    assertThat(root.get("rows")).hasSize(4);
    JsonNode stats = root.get("statistics");
    assertThat(stats.get("recordsScanned").asLong()).isEqualTo(5);
    assertThat(stats.get("recordsMatched").asLong()).isEqualTo(5);
    assertThat(stats.get("objectsScanned").asLong()).isEqualTo(2);
    assertThat(stats.get("objectsSkipped").asLong()).isZero();
    assertThat(stats.has("bytesScanned")).isTrue();
  }

  @Test
  void binSeriesRendersTimestampsAndCountsAsNumbers() throws Exception {
    Run r =
        run(
            "query",
            "--format",
            "json",
            "filter eventName = 'ConsoleLogin' | stats count(*) by bin(1h)",
            FIXTURES);
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode root = JSON.readTree(r.out());
    assertThat(root.get("fields").toString()).isEqualTo("[\"bin(1h)\",\"count(*)\"]");
    // Newest bin first: 11:00 holds bob's login, 10:00 alice's two.
    assertThat(root.get("rows").toString())
        .isEqualTo(
            "[{\"bin(1h)\":\"2026-11-01 11:00:00.000\",\"count(*)\":1},"
                + "{\"bin(1h)\":\"2026-11-01 10:00:00.000\",\"count(*)\":2}]");
  }

  @Test
  void startAndEndBoundTheTimeRange() throws Exception {
    Run r =
        run(
            "query",
            "--format",
            "json",
            "--start",
            "2026-11-01T10:06:00Z",
            "--end",
            "2026-11-01T11:20:00Z",
            "stats count(*) as n",
            FIXTURES);
    assertThat(r.code()).as(r.err()).isZero();
    // 10:07:30 and 11:15 are inside; 11:20 is excluded (end is exclusive).
    assertThat(JSON.readTree(r.out()).get("rows").toString()).isEqualTo("[{\"n\":2}]");
  }

  @Test
  void csvAndNdjsonFormats() {
    Run csv =
        run(
            "query",
            "--format",
            "csv",
            "fields eventName | sort eventName asc | limit 2",
            FIXTURES);
    assertThat(csv.code()).as(csv.err()).isZero();
    assertThat(csv.out()).isEqualTo("eventName\r\nConsoleLogin\r\nConsoleLogin\r\n");
    Run nd =
        run(
            "query",
            "--format",
            "ndjson",
            "filter eventName = 'Decrypt' | fields eventName, resources.0.ARN as key",
            FIXTURES);
    assertThat(nd.out())
        .isEqualTo(
            "{\"eventName\":\"Decrypt\",\"key\":\"arn:aws:kms:eu-west-1:111122223333:key/k1\"}\n");
  }

  @Test
  void tableIsAlignedAndDrawsBinChart() {
    Run r = run("query", "stats count(*) as n by bin(1h)", FIXTURES);
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = new ArrayList<>(r.out().lines().toList());
    assertThat(lines.get(0)).isEqualTo("bin(1h)                  n");
    assertThat(lines.get(1)).isEqualTo("-----------------------  -");
    assertThat(lines.get(2)).isEqualTo("2026-11-01 12:00:00.000  1");
    assertThat(r.out()).contains("n by bin(1h)").contains("2026-11-01 10:00:00.000 │");
  }

  @Test
  void badQueryExitsTwoWithCaret() {
    String q =
        "fields @timestamp, awsRegion\n"
            + "| filter eventName = \"ConsoleLogin\"\n"
            + "and errorMessage = \"Failed authentication\")";
    Run r = run("check", q);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("line 3, column 43: unexpected ')'");
    assertThat(r.err())
        .contains(
            "  | and errorMessage = \"Failed authentication\")\n" + "  | " + " ".repeat(42) + "^");
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void checkWarnsButSucceeds() {
    Run r = run("check", "filter errorCode = \"*UnauthorizedOperation\"");
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("TQ3001").contains("warning");
  }

  @Test
  void unknownFieldWarningAtRunTime() {
    Run r = run("query", "filter eventname = 'ConsoleLogin' | stats count(*)", FIXTURES);
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("TQ3003").contains("eventname");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("query", "stats count(*)").code()).isEqualTo(2);
    assertThat(run("frobnicate").code()).isEqualTo(2);
    assertThat(run("query", "--format", "xml", "stats count(*)", FIXTURES).code()).isEqualTo(2);
    assertThat(run("query", "stats count(*)", "/no/such/dir").code()).isEqualTo(1);
  }

  @Test
  void savedQueriesRunByName() throws Exception {
    Run r = run("query", "--format", "json", "--saved", "console-login-failed", FIXTURES);
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode rows = JSON.readTree(r.out()).get("rows");
    // alice's two failures, newest first (sort eventTime desc).
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).get("eventTime").asText()).isEqualTo("2026-11-01T10:07:30Z");
    assertThat(rows.get(0).get("User").asText()).isEqualTo("alice");
    assertThat(rows.get(1).get("eventTime").asText()).isEqualTo("2026-11-01T10:05:00Z");
  }

  @Test
  void ptrLeadsBackToTheRecord() throws Exception {
    Run r =
        run("query", "--format", "json", "filter eventName = 'Decrypt' | fields @ptr", FIXTURES);
    String ptr = JSON.readTree(r.out()).get("rows").get(0).get("@ptr").asText();
    Run rec = run("record", ptr);
    assertThat(rec.code()).as(rec.err()).isZero();
    JsonNode event = JSON.readTree(rec.out());
    assertThat(event.get("eventName").asText()).isEqualTo("Decrypt");
    assertThat(event.get("eventTime").asText()).isEqualTo("2026-11-01T12:01:00Z");
  }
}
