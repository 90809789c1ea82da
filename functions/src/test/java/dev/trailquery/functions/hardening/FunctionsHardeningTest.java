package dev.trailquery.functions.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.api.ApiHandler;
import dev.trailquery.functions.api.AwsApi;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 15's functions defects, each reproduced against the emulators: an SQS batch with one
 * malformed S3 key (D6), a zero-length bin through the subscription and pack routes (D7, D8), an
 * out-of-range retentionDays and a body with trailing garbage (minor items).
 */
class FunctionsHardeningTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String BUCKET = "hardening-" + RUN;

  static S3Client s3;
  static DynamoDbClient db;
  static Map<String, String> env;
  static ApiHandler api;

  @BeforeAll
  static void start() {
    s3 = Emulators.s3();
    db = Emulators.dynamo();
    env = new HashMap<>(Emulators.env());
    env.put("TRAILQUERY_QUERIES_TABLE", "h-queries-" + RUN);
    env.put("TRAILQUERY_SUBSCRIPTIONS_TABLE", "h-subs-" + RUN);
    env.put("TRAILQUERY_RESULTS_TABLE", "h-results-" + RUN);
    env.put("TRAILQUERY_TRAIL_BUCKET", BUCKET);
    env.put("TRAILQUERY_SUBSCRIPTION_CACHE_SECONDS", "0");
    Tables.createIfMissing(db, Tables.queries(env.get("TRAILQUERY_QUERIES_TABLE")));
    Tables.createIfMissing(db, Tables.subscriptions(env.get("TRAILQUERY_SUBSCRIPTIONS_TABLE")));
    Tables.createIfMissing(db, Tables.results(env.get("TRAILQUERY_RESULTS_TABLE")));
    s3.createBucket(b -> b.bucket(BUCKET));
    api = new ApiHandler(AwsApi.from(env, s3, db).api());
  }

  static APIGatewayProxyResponseEvent call(String method, String path, String body) {
    APIGatewayProxyRequestEvent e =
        new APIGatewayProxyRequestEvent().withHttpMethod(method).withPath(path).withBody(body);
    return api.handleRequest(e, null);
  }

  static JsonNode error(APIGatewayProxyResponseEvent r, int status) throws Exception {
    assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
    return JSON.readTree(r.getBody()).path("error");
  }

  @Test
  void zeroBinIsRefusedBySubscriptionsAndPacks() throws Exception {
    JsonNode sub =
        error(
            call(
                "PUT",
                "/subscriptions/zero",
                "{\"queryString\":\"stats count(*)\",\"bin\":\"0m\"}"),
            400);
    assertThat(sub.path("message").asText()).contains("0m").contains("1 to 999999999");
    JsonNode pack = error(call("PUT", "/packs/cis", "{\"bin\":\"0m\"}"), 400);
    assertThat(pack.path("message").asText()).contains("0m");
    assertThat(pack.path("code").asText()).isNotEqualTo("InternalError");
    // And the store-level check the CLI's subscribe uses.
    assertThatThrownBy(() -> Subscription.create("z", "stats count(*)", "0m", null, null, 1L, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 999999999");
    assertThatThrownBy(
            () ->
                Subscription.create(
                    "z", "stats count(*)", "99999999999999999999m", null, null, 1L, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 999999999");
    assertThat(Subscription.create("z", "stats count(*)", "05m", null, null, 1L, null).bin())
        .isEqualTo("05m");
  }

  @Test
  void outOfRangeRetentionSaysOutOfRange() throws Exception {
    JsonNode e =
        error(
            call(
                "PUT",
                "/subscriptions/r",
                "{\"queryString\":\"stats count(*)\",\"retentionDays\":99999999999}"),
            400);
    assertThat(e.path("message").asText())
        .isEqualTo("retentionDays is out of range: 99999999999 (at most 2147483647)");
    JsonNode negative =
        error(
            call(
                "PUT",
                "/subscriptions/r",
                "{\"queryString\":\"stats count(*)\",\"retentionDays\":-1}"),
            400);
    assertThat(negative.path("message").asText()).contains("retentionDays must be 0");
  }

  @Test
  void trailingGarbageAfterTheBodyIsRefused() throws Exception {
    JsonNode e =
        error(call("PUT", "/subscriptions/t", "{\"queryString\":\"stats count(*)\"} garbage"), 400);
    assertThat(e.path("message").asText()).contains("not valid JSON");
    JsonNode two =
        error(call("POST", "/queries", "{\"queryString\":\"stats count(*)\"}{\"a\":1}"), 400);
    assertThat(two.path("message").asText()).contains("not valid JSON");
  }

  @Test
  void oneMalformedKeyInAnSqsBatchIsSkippedAndTheOthersIngested() throws Exception {
    String subs = env.get("TRAILQUERY_SUBSCRIPTIONS_TABLE");
    new SubscriptionStore(db, subs, 0)
        .put(
            Subscription.create("count", "stats count(*) as n", "1d", null, null, 1L, null), false);
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (int i = 0; i < 10; i++) {
      String key =
          i == 4
              ? "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/01/%ZZ%invalid.json"
              : String.format(
                  "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/01/"
                      + "111122223333_CloudTrail_us-east-1_20250301T0%d05Z_m%d.json",
                  i, i);
      if (i != 4) {
        String body =
            "{\"Records\":[{\"eventVersion\":\"1.08\",\"eventTime\":\"2025-03-01T0"
                + i
                + ":00:00Z\",\"eventName\":\"E"
                + i
                + "\",\"eventID\":\"id-"
                + i
                + "\"}]}";
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body));
      }
      ObjectNode s3event = JSON.createObjectNode();
      ObjectNode r = s3event.putArray("Records").addObject();
      r.put("eventSource", "aws:s3").put("eventName", "ObjectCreated:Put");
      r.putObject("s3").putObject("bucket").put("name", BUCKET);
      ((ObjectNode) r.path("s3")).putObject("object").put("key", key).put("size", 100);
      records
          .addObject()
          .put("messageId", "m" + i)
          .put("eventSource", "aws:sqs")
          .put("body", s3event.toString());
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    IngestHandler handler =
        new IngestHandler(
            IngestConfig.fromEnv(env::get, new PrintStream(log, true, StandardCharsets.UTF_8)),
            s3,
            db);
    JsonNode response = handler.handle(event);
    assertThat(response.path("batchItemFailures")).as(log.toString()).isEmpty();
    String logText = log.toString(StandardCharsets.UTF_8);
    assertThat(logText).contains("not URL-encoded").contains("%ZZ%invalid");
    assertThat(logText).contains("\"Objects\":9").contains("\"Skipped\":1");
  }
}
