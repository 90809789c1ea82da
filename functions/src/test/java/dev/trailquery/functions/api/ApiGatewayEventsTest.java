package dev.trailquery.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.functions.query.InMemoryQueryStore;
import dev.trailquery.functions.query.InMemorySavedQueryStore;
import dev.trailquery.pack.QueryPack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every API Gateway event in {@code events/api} drives {@link ApiHandler} to its expected answer.
 */
class ApiGatewayEventsTest {
  static final Path EVENTS = Path.of("..", "events", "api");
  static final String ID = "0195a0c4-1f00-7000-8000-000000000000";

  /** In the order they run (later events see what earlier ones did), with their status. */
  static final Map<String, Integer> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("post-query.json", 202);
    EXPECTED.put("post-query-malformed.json", 400);
    EXPECTED.put("get-query.json", 200);
    EXPECTED.put("list-queries.json", 200);
    EXPECTED.put("delete-query.json", 200);
    EXPECTED.put("put-saved-query.json", 200);
    EXPECTED.put("get-saved-query.json", 200);
    EXPECTED.put("list-saved-queries.json", 200);
    EXPECTED.put("delete-saved-query.json", 200);
    EXPECTED.put("put-lookup-table.json", 200);
    EXPECTED.put("get-lookup-table.json", 200);
    EXPECTED.put("list-lookup-tables.json", 200);
    EXPECTED.put("delete-lookup-table.json", 200);
    // No ingest tables behind this Api: every subscription route is a 501 that says so
    // (SubscriptionRoutesTest drives the same events against DynamoDB).
    EXPECTED.put("put-subscription.json", 501);
    EXPECTED.put("put-subscription-query.json", 501);
    EXPECTED.put("put-subscription-malformed.json", 501);
    EXPECTED.put("get-subscription-results-total.json", 501);
    EXPECTED.put("get-subscription.json", 501);
    EXPECTED.put("list-subscriptions.json", 501);
    EXPECTED.put("delete-subscription.json", 501);
    EXPECTED.put("get-subscription-results.json", 501);
    EXPECTED.put("put-subscription-metric-filter.json", 501);
    EXPECTED.put("put-subscription-metric-filter-malformed.json", 501);
    EXPECTED.put("put-subscription-rule.json", 501);
    EXPECTED.put("get-subscription-report.json", 501);
    EXPECTED.put("put-subscription-alarm.json", 501);
    EXPECTED.put("get-subscription-alarm.json", 501);
    EXPECTED.put("delete-subscription-alarm.json", 501);
    EXPECTED.put("list-alarms.json", 501);
    EXPECTED.put("put-pack-cis.json", 501);
  }

  @Test
  void everyEventGetsItsAnswer() throws Exception {
    List<String> files;
    try (Stream<Path> s = Files.list(EVENTS)) {
      files =
          s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
    }
    assertThat(files).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());

    List<String> launched = new ArrayList<>();
    Api api =
        new Api(
            new InMemoryQueryStore(),
            new InMemorySavedQueryStore(),
            launched::add,
            System::currentTimeMillis,
            () -> ID);
    ApiHandler handler = new ApiHandler(api);
    for (Map.Entry<String, Integer> e : EXPECTED.entrySet()) {
      APIGatewayProxyRequestEvent event =
          Json.MAPPER.readValue(
              EVENTS.resolve(e.getKey()).toFile(), APIGatewayProxyRequestEvent.class);
      APIGatewayProxyResponseEvent resp = handler.handleRequest(event, null);
      assertThat(resp.getStatusCode())
          .as(e.getKey() + ": " + resp.getBody())
          .isEqualTo(e.getValue());
      assertThat(resp.getHeaders().get("Content-Type")).startsWith("application/json");
      JsonNode body = Json.MAPPER.readTree(resp.getBody());
      switch (e.getKey()) {
        case "post-query.json" -> {
          assertThat(body.get("queryId").asText()).isEqualTo(ID);
          assertThat(launched).containsExactly(ID);
        }
        case "post-query-malformed.json" -> {
          assertThat(body.at("/error/line").asInt()).isEqualTo(2);
          assertThat(body.at("/error/column").asInt()).isPositive();
        }
        case "get-query.json" -> {
          assertThat(body.get("status").asText()).isEqualTo("Scheduled");
          assertThat(body.get("endTime").asLong()).isEqualTo(1741910400L);
        }
        case "list-queries.json" -> assertThat(body.get("queries")).isEmpty();
        case "delete-query.json" -> assertThat(body.get("success").asBoolean()).isTrue();
        case "get-saved-query.json" ->
            assertThat(body.get("name").asText()).isEqualTo("security/console-logins");
        case "put-saved-query.json" -> {
          assertThat(body.get("name").asText()).isEqualTo("security/console-logins");
          assertThat(body.get("description").asText()).isEqualTo("console sign-ins by IP");
          assertThat(body.get("builtin").asBoolean()).isFalse();
        }
        case "list-saved-queries.json" -> {
          // the built-in pack queries, and the one put above (before its delete)
          assertThat(body.get("savedQueries").size()).isEqualTo(QueryPack.all().size() + 1);
          assertThat(body.get("savedQueries").findValuesAsText("name"))
              .contains("security/console-logins");
        }
        case "delete-saved-query.json" -> assertThat(body.get("success").asBoolean()).isTrue();
        // the event's CSV: a header and two accounts, counted by hand
        case "put-lookup-table.json" -> {
          assertThat(body.get("name").asText()).isEqualTo("accounts");
          assertThat(body.get("rows").asInt()).isEqualTo(2);
          List<String> columns = new ArrayList<>();
          body.get("columns").forEach(c -> columns.add(c.asText()));
          assertThat(columns).containsExactly("accountId", "name", "email", "status");
        }
        case "get-lookup-table.json" ->
            assertThat(body.get("csv").asText())
                .contains("111122223333,prod,ops@example.com,ACTIVE")
                .contains("444455556666,dev,dev@example.com,ACTIVE");
        case "list-lookup-tables.json" ->
            assertThat(body.get("lookupTables").findValuesAsText("name"))
                .containsExactly("accounts");
        case "delete-lookup-table.json" -> assertThat(body.get("success").asBoolean()).isTrue();
        default -> {
          // every other event is a subscription route, which this Api cannot serve
          assertThat(e.getValue()).as(e.getKey()).isEqualTo(501);
          assertThat(body.at("/error/code").asText()).isEqualTo("NotImplemented");
          assertThat(body.at("/error/message").asText()).contains("local-init");
        }
      }
    }
  }

  @Test
  void base64BodiesAndEncodedPaths() {
    Api api =
        new Api(
            new InMemoryQueryStore(),
            new InMemorySavedQueryStore(),
            id -> {},
            System::currentTimeMillis);
    ApiHandler handler = new ApiHandler(api);
    APIGatewayProxyRequestEvent put =
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("PUT")
            .withPath("/saved-queries/a%2Fb%20c")
            .withIsBase64Encoded(true)
            .withBody(
                java.util.Base64.getEncoder()
                    .encodeToString("{\"queryString\": \"fields x\"}".getBytes()));
    APIGatewayProxyResponseEvent r = handler.handleRequest(put, null);
    assertThat(r.getStatusCode()).isEqualTo(200);
    assertThat(r.getBody()).contains("\"name\":\"a/b c\"");
  }
}
