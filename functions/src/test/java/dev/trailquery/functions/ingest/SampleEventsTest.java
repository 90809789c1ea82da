package dev.trailquery.functions.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/** The three sample events in events/ run through the handler against the emulators. */
class SampleEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY =
      "AWSLogs/333333333333/CloudTrail/us-east-1/2025/03/06/"
          + "333333333333_CloudTrail_us-east-1_20250306T0320Z_ZgdYr0lP8M9fWEH8.json.gz";

  @Test
  void sqsDirectS3AndEventBridgeEventsAreIngested() throws Exception {
    S3Client s3 = Emulators.s3();
    DynamoDbClient db = Emulators.dynamo();
    String run = UUID.randomUUID().toString().substring(0, 8);
    Tables.createIfMissing(db, Tables.subscriptions("s-" + run));
    Tables.createIfMissing(db, Tables.results("r-" + run));
    try {
      s3.createBucket(b -> b.bucket("trailquery-cloudtrail"));
    } catch (BucketAlreadyOwnedByYouException exists) {
      // LambdaSerializationEventsTest, in the same JVM, reads the same events from it
    }
    s3.putObject(
        b -> b.bucket("trailquery-cloudtrail").key(KEY),
        RequestBody.fromFile(
            Path.of("../samples/cloudtrail/cloud-snitch/aws-cloudtrail-logs").resolve(KEY)));
    new SubscriptionStore(db, "s-" + run, 0)
        .put(
            Subscription.create("n", "stats count(*) by eventName", null, null, null, 1L, null),
            false);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    IngestHandler handler =
        new IngestHandler(
            IngestConfig.defaults("s-" + run, "r-" + run, new PrintStream(log, true)), s3, db);

    JsonNode sqs =
        handler.handle(JSON.readTree(Files.readString(Path.of("../events/sqs-s3-put.json"))));
    assertThat(sqs.path("batchItemFailures").isArray()).isTrue();
    assertThat(sqs.path("batchItemFailures")).isEmpty();
    JsonNode direct =
        handler.handle(JSON.readTree(Files.readString(Path.of("../events/s3-put.json"))));
    assertThat(direct.path("objects").asInt()).isEqualTo(1);
    assertThat(direct.path("records").asInt()).isPositive();
    JsonNode eb =
        handler.handle(
            JSON.readTree(Files.readString(Path.of("../events/eventbridge-object-created.json"))));
    assertThat(eb.path("objects").asInt()).isEqualTo(1);

    String[] lines = log.toString().split("\n");
    assertThat(lines).anyMatch(l -> l.contains("\"key\":\"" + KEY + "\"") && l.contains("\"ms\""));
    assertThat(lines)
        .anyMatch(l -> l.contains("\"CloudWatchMetrics\"") && l.contains("\"Objects\":1"));
  }
}
