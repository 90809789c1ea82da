package dev.trailquery.functions.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.json.Mappers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The compactor Lambda's events and one run against an S3 server. */
class CompactorHandlerTest {
  static long ms(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void scheduledEventsCompactTheThreeSettledHoursBeforeTheirTime() throws Exception {
    JsonNode scheduled =
        Mappers.MAPPER.readTree(
            "{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\","
                + "\"time\":\"2026-12-01T10:05:00Z\"}");
    // 10:05 - 20 min settles at 09:45: hours 06, 07, 08 are done
    assertThat(CompactorHandler.range(scheduled, 0))
        .containsExactly(ms("2026-12-01T06:00:00Z"), ms("2026-12-01T09:00:00Z"));
    JsonNode explicit =
        Mappers.MAPPER.readTree("{\"from\":\"2026-11-01T00:30:00Z\",\"to\":1764547200000}");
    assertThat(CompactorHandler.range(explicit, 0))
        .containsExactly(ms("2026-11-01T00:00:00Z"), 1764547200000L);
  }

  @Test
  void compactsTheTrailIntoTheStacksBucketAndIsIdempotent() throws Exception {
    S3Client s3 = Emulators.s3();
    String trail = "trail-" + UUID.randomUUID().toString().substring(0, 8);
    String own = "stack-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(trail));
    s3.createBucket(b -> b.bucket(own));
    for (int i = 0; i < 6; i++) {
      String key =
          "logs/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/111122223333_CloudTrail_us-east-1_20261101T0"
              + i
              + "05Z_abc"
              + i
              + ".json";
      String body =
          "{\"Records\":[{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-01T0"
              + i
              + ":01:00Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\"},"
              + "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-01T0"
              + i
              + ":02:00Z\",\"eventSource\":\"signin.amazonaws.com\",\"eventName\":\"ConsoleLogin\"}]}";
      s3.putObject(r -> r.bucket(trail).key(key), RequestBody.fromString(body));
    }
    Map<String, String> env =
        Map.of(
            "TRAILQUERY_TRAIL_BUCKET", trail,
            "TRAILQUERY_TRAIL_PREFIX", "logs",
            "TRAILQUERY_BLOCKS_BUCKET", own);
    CompactorHandler h = new CompactorHandler(s3, env::get, () -> ms("2026-11-02T00:00:00Z"));
    JsonNode first =
        invoke(h, "{\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-11-01T04:00:00Z\"}");
    // hours 00..03 hold one object each; 04 and 05 are outside the range
    assertThat(first.get("windows").asInt()).isEqualTo(4);
    assertThat(first.get("compacted").asInt()).isEqualTo(4);
    assertThat(first.get("objects").asInt()).isEqualTo(4);
    assertThat(first.get("records").asInt()).isEqualTo(8);
    assertThat(s3.listObjectsV2(r -> r.bucket(own)).contents())
        .isNotEmpty()
        .allMatch(o -> o.key().startsWith("blocks/v1/2026/11/01/0"));
    JsonNode again =
        invoke(h, "{\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-11-01T04:00:00Z\"}");
    assertThat(again.get("compacted").asInt()).isZero();
    assertThat(again.get("upToDate").asInt()).isEqualTo(4);
  }

  private static JsonNode invoke(CompactorHandler h, String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    h.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return Mappers.MAPPER.readTree(out.toByteArray());
  }
}
