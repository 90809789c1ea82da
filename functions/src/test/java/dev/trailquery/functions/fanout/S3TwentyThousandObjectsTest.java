package dev.trailquery.functions.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.functions.api.Api;
import dev.trailquery.functions.api.ApiRequest;
import dev.trailquery.functions.api.ApiResponse;
import dev.trailquery.functions.api.AwsApi;
import dev.trailquery.functions.api.Json;
import dev.trailquery.functions.catalog.S3Catalog;
import dev.trailquery.functions.catalog.TrailLayoutTest;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 4's 20,000 small objects, in the S3 server (S3Proxy) this time, queried through the API as
 * {@code serve} runs it with AWS endpoints ({@link AwsApi}: DynamoDB query store, {@link
 * S3Catalog}, thread workers): the query completes and its statistics add up.
 */
class S3TwentyThousandObjectsTest {
  @Test
  void twentyThousandObjectsInS3CompleteAndStatisticsAddUp() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String bucket = "twenty-k-" + run;
    S3Client s3 = Emulators.s3();
    DynamoDbClient db = Emulators.dynamo();
    s3.createBucket(b -> b.bucket(bucket));
    Map<String, String> env = new HashMap<>(Emulators.env());
    env.put("TRAILQUERY_QUERIES_TABLE", "twenty-k-" + run);
    env.put("TRAILQUERY_TRAIL_BUCKET", bucket);
    env.put("TRAILQUERY_MAX_WORKERS", "8");
    env.put("TRAILQUERY_WORKER_PARALLELISM", "16");
    Tables.createIfMissing(db, Tables.queries(env.get("TRAILQUERY_QUERIES_TABLE")));

    Instant day0 = Instant.parse("2025-06-01T00:00:00Z");
    String[][] trails = {
      {"", "111111111111", "us-east-1"},
      {"", "111111111111", "eu-west-1"},
      {"o-abc123/", "222222222222", "us-east-1"},
      {"o-abc123/", "222222222222", "ap-south-1"}
    };
    AtomicLong bytes = new AtomicLong();
    List<Future<?>> puts = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (String[] t : trails) {
        for (int i = 0; i < 5000; i++) {
          int n = i;
          Instant delivered = day0.plus(Duration.ofSeconds(60L * i));
          String key =
              "AWSLogs/" + TrailLayoutTest.key(t[0], t[1], t[2], delivered, i).replace(".gz", "");
          String json =
              "{\"Records\":[{\"eventTime\":\""
                  + delivered.minusSeconds(30)
                  + "\",\"eventName\":\"E"
                  + (n % 7)
                  + "\",\"recipientAccountId\":\""
                  + t[1]
                  + "\"},{\"eventTime\":\""
                  + delivered.minusSeconds(50)
                  + "\",\"eventName\":\"Get\",\"recipientAccountId\":\""
                  + t[1]
                  + "\"}]}";
          byte[] b = json.getBytes(StandardCharsets.UTF_8);
          bytes.addAndGet(b.length);
          puts.add(
              pool.submit(
                  () -> s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(b))));
        }
      }
      // Outside the range: never listed.
      puts.add(
          pool.submit(
              () ->
                  s3.putObject(
                      r ->
                          r.bucket(bucket)
                              .key(
                                  "AWSLogs/111111111111/CloudTrail/us-east-1/2024/01/01/"
                                      + "111111111111_CloudTrail_us-east-1_20240101T0000Z_x.json"),
                      RequestBody.fromString("{\"Records\":[]}"))));
      for (Future<?> f : puts) {
        f.get();
      }
    }
    int files = 4 * 5000;

    Api api = AwsApi.from(env, s3, db).api();
    ApiResponse post =
        api.handle(
            new ApiRequest(
                "POST",
                "/queries",
                null,
                "{\"queryString\":\"stats count(*) as n, count_distinct(recipientAccountId) as"
                    + " accts\",\"startTime\":\"2025-05-31T23:00:00Z\",\"endTime\":"
                    + (day0.plus(Duration.ofDays(4)).getEpochSecond() - 1)
                    + "}"));
    assertThat(post.status()).as(post.body()).isEqualTo(202);
    String id = Json.MAPPER.readTree(post.body()).get("queryId").asText();
    JsonNode q = null;
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      q =
          Json.MAPPER.readTree(
              api.handle(new ApiRequest("GET", "/queries/" + id, null, null)).body());
      String status = q.get("status").asText();
      if (!status.equals("Scheduled") && !status.equals("Running")) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(q.get("status").asText()).as(q.toString()).isEqualTo("Complete");
    JsonNode s = q.get("statistics");
    assertThat(q.at("/progress/objectsListed").asLong()).isEqualTo(files);
    assertThat(s.get("objectsScanned").asLong()).isEqualTo(files);
    assertThat(s.get("objectsSkipped").asLong()).isZero();
    assertThat(s.get("recordsScanned").asLong()).isEqualTo(2L * files);
    assertThat(s.get("recordsMatched").asLong()).isEqualTo(2L * files);
    assertThat(s.get("bytesScanned").asLong()).isEqualTo(bytes.get());
    assertThat(q.at("/progress/batchesDone").asInt())
        .isEqualTo(q.at("/progress/batches").asInt())
        .isGreaterThan(1);
    assertThat(q.get("results").toString())
        .isEqualTo(
            "[[{\"field\":\"n\",\"value\":\""
                + 2L * files
                + "\"},{\"field\":\"accts\",\"value\":\"2\"}]]");
  }
}
