package dev.trailquery.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.aws.S3ObjectSource;
import dev.trailquery.functions.catalog.S3Catalog;
import dev.trailquery.functions.catalog.TrailLayout;
import dev.trailquery.functions.fanout.Coordinator;
import dev.trailquery.functions.fanout.FanoutConfig;
import dev.trailquery.functions.fanout.LambdaInvoker;
import dev.trailquery.functions.fanout.S3StateSpill;
import dev.trailquery.functions.fanout.StateSpill;
import dev.trailquery.functions.fanout.WorkerHandler;
import dev.trailquery.functions.fanout.WorkerReply;
import dev.trailquery.functions.query.InMemoryQueryStore;
import dev.trailquery.functions.query.InMemorySavedQueryStore;
import dev.trailquery.functions.query.QueryRecord;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.query.QueryStatus;
import dev.trailquery.functions.query.ResultField;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.plan.Planner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.RequestTooLargeException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 15 D13: large results within Lambda's limits, with the limits enforced the way AWS enforces
 * them. {@link LimitedLambda} is a {@link LambdaClient} that runs {@link WorkerHandler} in-process
 * and refuses, as Lambda does, a request or a response over 6 MB (the response becomes the {@code
 * Function.ResponseSizeTooLarge} function error); {@link LambdaInvoker} is the real one. The API's
 * answers are serialized with the Lambda runtime's own serializer and measured.
 *
 * <p>Fixture: 10 objects of 350 records, each record carrying a 2,000-character field, so {@code
 * fields @timestamp, @message | limit 10000} keeps 3,500 messages of ~2.3 KB: one worker's partial
 * state is ~8 MB, over the 6 MB response.
 */
class LambdaLimitsTest {
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String BUCKET = "limits-" + RUN;
  static final String RESULTS = "limits-results-" + RUN;
  static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  static final long START = Instant.parse("2025-03-01T00:00:00Z").toEpochMilli();
  static final long END = Instant.parse("2025-03-02T00:00:00Z").toEpochMilli();
  static final String QUERY = "fields @timestamp, @message | limit 10000";
  static final int OBJECTS = 10;
  static final int RECORDS = 350;

  static S3Client s3;

  @BeforeAll
  static void upload() {
    s3 = Emulators.s3();
    s3.createBucket(b -> b.bucket(BUCKET));
    s3.createBucket(b -> b.bucket(RESULTS));
    String pad = "x".repeat(2_000);
    for (int i = 0; i < OBJECTS; i++) {
      StringBuilder records = new StringBuilder();
      for (int j = 0; j < RECORDS; j++) {
        if (j > 0) {
          records.append(',');
        }
        records.append(
            String.format(
                "{\"eventVersion\":\"1.08\",\"eventTime\":\"2025-03-01T%02d:%02d:%02dZ\","
                    + "\"eventName\":\"E%d\",\"eventID\":\"%d-%d\",\"pad\":\"%s\"}",
                i, j / 60, j % 60, j, i, j, pad));
      }
      String key =
          String.format(
              "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/01/"
                  + "111122223333_CloudTrail_us-east-1_20250301T%02d05Z_big%02d.json",
              i, i);
      s3.putObject(
          b -> b.bucket(BUCKET).key(key),
          RequestBody.fromString("{\"Records\":[" + records + "]}"));
    }
  }

  /** Lambda's synchronous invoke, in-process, with its payload limits. */
  static final class LimitedLambda implements LambdaClient {
    final WorkerHandler worker;
    long largestResponse;

    LimitedLambda(WorkerHandler worker) {
      this.worker = worker;
    }

    @Override
    public InvokeResponse invoke(InvokeRequest request) {
      byte[] in = request.payload().asByteArray();
      if (in.length > WorkerReply.LAMBDA_PAYLOAD_LIMIT) {
        throw RequestTooLargeException.builder()
            .message("Request must be smaller than 6291456 bytes for the InvokeFunction operation")
            .build();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        worker.handleRequest(new ByteArrayInputStream(in), out, null);
      } catch (IOException | RuntimeException e) {
        return InvokeResponse.builder()
            .statusCode(200)
            .functionError("Unhandled")
            .payload(SdkBytes.fromUtf8String("{\"errorMessage\":\"" + e + "\"}"))
            .build();
      }
      largestResponse = Math.max(largestResponse, out.size());
      if (out.size() > WorkerReply.LAMBDA_PAYLOAD_LIMIT) {
        return InvokeResponse.builder()
            .statusCode(200)
            .functionError("Unhandled")
            .payload(
                SdkBytes.fromUtf8String(
                    "{\"errorType\":\"Function.ResponseSizeTooLarge\",\"errorMessage\":"
                        + "\"Response payload size exceeded maximum allowed payload size"
                        + " (6291556 bytes).\"}"))
            .build();
      }
      return InvokeResponse.builder()
          .statusCode(200)
          .payload(SdkBytes.fromByteArray(out.toByteArray()))
          .build();
    }

    @Override
    public String serviceName() {
      return "lambda";
    }

    @Override
    public void close() {}
  }

  static QueryRecord runQuery(LambdaClient lambda, StateSpill spill, InMemoryQueryStore store)
      throws Exception {
    S3Catalog catalog = new S3Catalog(s3, BUCKET, "", TrailLayout.defaults());
    // One worker batch for all objects: its state holds every message.
    FanoutConfig config = FanoutConfig.lambda().withBatchBytes(1L << 30, 1L << 30, 1000);
    try (LambdaInvoker invoker = new LambdaInvoker(lambda, "worker", spill)) {
      Coordinator c = new Coordinator(store, catalog, invoker, config, () -> NOW);
      store.create(
          QueryRecord.scheduled(
              "q1", new QueryRequest(QUERY, START, END, null, List.of(), List.of()), NOW));
      c.run("q1");
    }
    return store.get("q1").orElseThrow();
  }

  @Test
  void aPartialStateOverSixMegabytesFailsWithoutSpilling() throws Exception {
    // The behaviour before: every state inline, whatever its size.
    LimitedLambda lambda = new LimitedLambda(new WorkerHandler(s3, null, Integer.MAX_VALUE));
    QueryRecord r = runQuery(lambda, null, new InMemoryQueryStore(() -> NOW));
    assertThat(r.status()).isEqualTo(QueryStatus.Failed);
    // The details (Function.ResponseSizeTooLarge) go to the coordinator's log, not the answer.
    assertThat(r.message()).contains("a worker failed");
  }

  @Test
  void largeStatesAreSpilledAndLargeResultsPagedWithinTheLimits() throws Exception {
    StateSpill spill = new S3StateSpill(s3, RESULTS, "query-results/");
    LimitedLambda lambda =
        new LimitedLambda(new WorkerHandler(s3, spill, WorkerReply.INLINE_STATE_BYTES));
    InMemoryQueryStore store = new InMemoryQueryStore(() -> NOW);
    QueryRecord r = runQuery(lambda, spill, store);
    assertThat(r.status()).as(r.message()).isEqualTo(QueryStatus.Complete);
    assertThat(lambda.largestResponse).isLessThan(WorkerReply.LAMBDA_PAYLOAD_LIMIT);
    // Taken states are deleted.
    assertThat(s3.listObjectsV2(b -> b.bucket(RESULTS).prefix("query-results/spill/")).contents())
        .isEmpty();

    // The same rows as one pass of the engine over the same objects.
    Result expected =
        Trailquery.run(
            Trailquery.compile(QUERY, new Planner.Options(START, END, NOW, null)),
            List.of(new S3ObjectSource(s3, BUCKET, "")),
            1,
            Scan.Listener.NONE);
    assertThat(expected.rows()).hasSize(OBJECTS * RECORDS);
    assertThat(r.results()).isEqualTo(ResultField.rows(expected));

    // GET /queries/q1, page after page: each Lambda proxy response (as the runtime serializes it)
    // under 6 MB, every row exactly once, in order.
    ApiHandler api =
        new ApiHandler(new Api(store, new InMemorySavedQueryStore(), id -> {}, () -> NOW));
    PojoSerializer<APIGatewayProxyResponseEvent> serializer =
        LambdaSerializationEventsTest.serializer(APIGatewayProxyResponseEvent.class);
    List<String> messages = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      APIGatewayProxyRequestEvent get =
          new APIGatewayProxyRequestEvent()
              .withHttpMethod("GET")
              .withPath("/queries/q1")
              .withQueryStringParameters(token == null ? null : Map.of("nextToken", token));
      APIGatewayProxyResponseEvent resp = api.handleRequest(get, null);
      assertThat(resp.getStatusCode()).as(resp.getBody()).isEqualTo(200);
      byte[] wire = LambdaSerializationEventsTest.write(serializer, resp);
      assertThat(wire.length).isLessThan(WorkerReply.LAMBDA_PAYLOAD_LIMIT);
      JsonNode body = dev.trailquery.json.Mappers.MAPPER.readTree(resp.getBody());
      for (JsonNode row : body.path("results")) {
        for (JsonNode cell : row) {
          if (cell.path("field").asText().equals("@message")) {
            messages.add(cell.path("value").asText());
          }
        }
      }
      token = body.has("nextToken") ? body.get("nextToken").asText() : null;
      pages++;
    } while (token != null && pages < 100);
    assertThat(pages).isGreaterThan(1);
    List<String> expectedMessages = new ArrayList<>();
    for (List<ResultField> row : ResultField.rows(expected)) {
      for (ResultField f : row) {
        if (f.field().equals("@message")) {
          expectedMessages.add(f.value());
        }
      }
    }
    assertThat(messages).isEqualTo(expectedMessages);

    // A token the query did not give is a 400 in the error shape.
    APIGatewayProxyResponseEvent bad =
        api.handleRequest(
            new APIGatewayProxyRequestEvent()
                .withHttpMethod("GET")
                .withPath("/queries/q1")
                .withQueryStringParameters(Map.of("nextToken", "zz")),
            null);
    assertThat(bad.getStatusCode()).isEqualTo(400);
    assertThat(
            dev.trailquery.json.Mappers.MAPPER
                .readTree(bad.getBody())
                .path("error")
                .path("message")
                .asText())
        .contains("nextToken");
  }
}
