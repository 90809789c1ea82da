package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.functions.blocks.CompactorHandler;
import dev.trailquery.functions.testing.Emulators;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code compact-trail --function}: one asynchronous invocation of the compactor per day of the
 * range. The invocations run in-process (behind the CLI's invoker interface) through the real
 * compactor handler against an S3 server, queued and run after the command has returned, as Lambda
 * runs {@code Event} invocations; the blocks they leave then answer queries like the raw trail.
 */
class CompactTrailFunctionTest {
  static final String ACCOUNT = "111122223333";
  static final DateTimeFormatter KEY_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  static final long DAY0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
  static final long HOUR = 3_600_000L;

  /** An in-process asynchronous invoker: queues each event, runs them one at a time later. */
  static final class QueuedInvoker implements CompactInvoker {
    final ExecutorService pool = Executors.newSingleThreadExecutor();
    final List<String> payloads = Collections.synchronizedList(new ArrayList<>());
    final List<JsonNode> responses = Collections.synchronizedList(new ArrayList<>());
    final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    final CompactorHandler handler;

    QueuedInvoker(CompactorHandler handler) {
      this.handler = handler;
    }

    @Override
    public void invokeEvent(String function, String payload) {
      assertThat(function).isEqualTo("tq-Compactor");
      payloads.add(payload);
      pool.submit(
          () -> {
            try {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              handler.handleRequest(
                  new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
              responses.add(MainTest.JSON.readTree(out.toByteArray()));
            } catch (Throwable t) {
              failures.add(t);
            }
          });
    }

    void drain() throws InterruptedException {
      pool.shutdown();
      assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
    }
  }

  @AfterEach
  void reset() {
    CompactInvoker.use(null);
    Sources.useS3Client(null);
  }

  @Test
  void oneAsyncInvocationPerDayLeavesBlocksThatAnswerLikeTheTrail() throws Exception {
    S3Client s3 = Emulators.s3();
    String trail = "trail-" + UUID.randomUUID().toString().substring(0, 8);
    String own = "stack-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(trail));
    s3.createBucket(b -> b.bucket(own));
    // 2.5 days, one object every 5 hours, 3 records each: hand-counted below
    Map<String, Integer> expected = new TreeMap<>();
    String[] names = {"ConsoleLogin", "Decrypt", "AssumeRole", "GetObject"};
    int objects = 0;
    int k = 0;
    for (long t = DAY0 + 30 * 60_000L; t < DAY0 + 60 * HOUR; t += 5 * HOUR) {
      StringBuilder json = new StringBuilder("{\"Records\":[");
      for (int i = 0; i < 3; i++) {
        String name = names[k++ % names.length];
        expected.merge(name, 1, Integer::sum);
        json.append(i == 0 ? "" : ",")
            .append("{\"eventVersion\":\"1.08\",\"eventTime\":\"")
            .append(EVENT_TIME.format(Instant.ofEpochMilli(t - 60_000L * i)))
            .append("\",\"eventSource\":\"x.amazonaws.com\",\"eventName\":\"")
            .append(name)
            .append("\",\"recipientAccountId\":\"" + ACCOUNT + "\"}");
      }
      json.append("]}");
      String key =
          "AWSLogs/"
              + ACCOUNT
              + "/CloudTrail/us-east-1/"
              + DAY.format(Instant.ofEpochMilli(t))
              + "/"
              + ACCOUNT
              + "_CloudTrail_us-east-1_"
              + KEY_TIME.format(Instant.ofEpochMilli(t))
              + "_o"
              + objects
              + ".json.gz";
      s3.putObject(b -> b.bucket(trail).key(key), RequestBody.fromBytes(gzip(json.toString())));
      objects++;
    }
    Sources.useS3Client(s3);
    Map<String, String> env =
        Map.of("TRAILQUERY_TRAIL_BUCKET", trail, "TRAILQUERY_BLOCKS_BUCKET", own);
    long now = DAY0 + 5 * 24 * HOUR;
    QueuedInvoker invoker = new QueuedInvoker(new CompactorHandler(s3, env::get, () -> now));
    CompactInvoker.use(invoker);

    MainTest.Run r =
        MainTest.run(
            "compact-trail",
            "--from",
            "2026-11-01T00:00:00Z",
            "--to",
            "2026-11-03T12:00:00Z",
            "--function",
            "tq-Compactor");
    assertThat(r.code()).as(r.err()).isZero();
    // one event per day of the range, the last one cut at --to
    assertThat(invoker.payloads)
        .containsExactly(
            "{\"from\":" + DAY0 + ",\"to\":" + (DAY0 + 24 * HOUR) + "}",
            "{\"from\":" + (DAY0 + 24 * HOUR) + ",\"to\":" + (DAY0 + 48 * HOUR) + "}",
            "{\"from\":" + (DAY0 + 48 * HOUR) + ",\"to\":" + (DAY0 + 60 * HOUR) + "}");
    assertThat(r.out()).contains("3 asynchronous invocation(s)");
    invoker.drain();
    assertThat(invoker.failures).isEmpty();
    assertThat(invoker.responses).hasSize(3);
    assertThat(invoker.responses.stream().mapToInt(n -> n.get("objects").asInt()).sum())
        .isEqualTo(objects);
    assertThat(invoker.responses.stream().mapToInt(n -> n.get("compacted").asInt()).sum())
        .isEqualTo(objects); // one object an hour window
    // the trail bucket is only read; the stack's bucket holds only blocks/
    assertThat(s3.listObjectsV2(b -> b.bucket(own)).contents())
        .isNotEmpty()
        .allMatch(o -> o.key().startsWith("blocks/v1/"));

    // the blocks alone answer as the hand count says
    MainTest.Run q =
        MainTest.run(
            "query",
            "--format",
            "json",
            "--start",
            "2026-10-31T00:00:00Z",
            "--end",
            "2026-11-05T00:00:00Z",
            "stats count(*) as n by eventName | sort eventName",
            "s3://" + own + "/blocks/");
    assertThat(q.code()).as(q.err()).isZero();
    Map<String, Integer> got = new TreeMap<>();
    for (JsonNode row : MainTest.JSON.readTree(q.out()).get("rows")) {
      got.put(row.get("eventName").asText(), row.get("n").asInt());
    }
    assertThat(got).isEqualTo(expected);

    // again: idempotent, nothing compacted a second time
    QueuedInvoker again = new QueuedInvoker(new CompactorHandler(s3, env::get, () -> now));
    CompactInvoker.use(again);
    MainTest.Run r2 =
        MainTest.run(
            "compact-trail",
            "--from",
            "2026-11-01T00:00:00Z",
            "--to",
            "2026-11-03T12:00:00Z",
            "--function",
            "tq-Compactor");
    assertThat(r2.code()).as(r2.err()).isZero();
    again.drain();
    assertThat(again.failures).isEmpty();
    assertThat(again.responses.stream().mapToInt(n -> n.get("compacted").asInt()).sum()).isZero();
    assertThat(again.responses.stream().mapToInt(n -> n.get("upToDate").asInt()).sum())
        .isEqualTo(objects);
  }

  static byte[] gzip(String s) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
