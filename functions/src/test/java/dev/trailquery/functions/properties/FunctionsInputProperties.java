package dev.trailquery.functions.properties;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.api.Api;
import dev.trailquery.functions.api.ApiRequest;
import dev.trailquery.functions.api.ApiResponse;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.query.InMemoryQueryStore;
import dev.trailquery.functions.query.InMemorySavedQueryStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of the functions' request parsing: any HTTP request to the API (method,
 * path, parameters, body from hostile soups) gets a JSON answer and never a 500; any S3, SQS or
 * EventBridge event, however malformed, yields notices without throwing. Tries are bounded
 * (junit-platform.properties).
 */
class FunctionsInputProperties {
  static final ObjectMapper M = new ObjectMapper();
  static final Api API =
      new Api(new InMemoryQueryStore(), new InMemorySavedQueryStore(), id -> {}, () -> 1L);

  static final List<String> SEGMENTS =
      List.of(
          "queries",
          "saved-queries",
          "subscriptions",
          "alarms",
          "packs",
          "cis",
          "results",
          "alarm",
          "report",
          "x",
          "a b",
          "%zz",
          "..",
          ".",
          "",
          "é",
          "q-1",
          "security",
          "console-logins",
          "0",
          "-1",
          "99999999999999999999",
          "\u0000",
          "a".repeat(300));

  static final List<String> BODIES =
      List.of(
          "",
          "{}",
          "[]",
          "null",
          "1",
          "{\"queryString\":\"stats count(*)\"}",
          "{\"queryString\":\"stats count(*)\"} trailing",
          "{\"queryString\":5}",
          "{\"queryString\":\"fields @message\",\"startTime\":-1,\"endTime\":99999999999999}",
          "{\"queryString\":\"filter x like /(a{1000}){1000}/\",\"startTime\":0,\"endTime\":1}",
          "{\"queryString\":\"stats count(*)\",\"bin\":\"0m\"}",
          "{\"bin\":\"0m\"}",
          "{\"retentionDays\":99999999999}",
          "{\"queryString\":\"x\",\"description\":{\"a\":1}}",
          "{\"a\":",
          "\"str\"",
          "{\"queryString\":\"" + "x".repeat(20_000) + "\"}",
          "\uFEFF{}");

  record Request(String method, String path, Map<String, String> params, String body) {}

  @Provide
  Arbitrary<Request> requests() {
    Arbitrary<String> method =
        Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "get", "", "OPTIONS");
    Arbitrary<String> path =
        Arbitraries.of(SEGMENTS).list().ofMaxSize(5).map(s -> "/" + String.join("/", s));
    Arbitrary<Map<String, String>> params =
        Arbitraries.maps(
                Arbitraries.of("maxResults", "nextToken", "start", "end", "status", "x"),
                Arbitraries.of("1", "0", "-5", "1001", "%zz", "", "abc", "99999999999"))
            .ofMaxSize(3);
    return Combinators.combine(method, path, params, Arbitraries.of(BODIES)).as(Request::new);
  }

  @Property
  void everyRequestGetsAJsonAnswerAndNoneIsAnInternalError(@ForAll("requests") Request r)
      throws Exception {
    ApiResponse resp =
        API.handle(new ApiRequest(r.method(), r.path(), new HashMap<>(r.params()), r.body()));
    JsonNode body = M.readTree(resp.body());
    assertThat(resp.status()).as(r + " -> " + resp.body()).isNotEqualTo(500);
    assertThat(resp.status()).isBetween(200, 599);
    if (resp.status() >= 400) {
      assertThat(body.path("error").path("code").isTextual()).as(resp.body()).isTrue();
      assertThat(body.path("error").path("message").isTextual()).isTrue();
    }
  }

  static final List<String> KEYS =
      List.of(
          "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/01/a.json.gz",
          "%ZZ%invalid",
          "a%2",
          "a+b%20c",
          "%E9",
          "",
          "%",
          "x%GGy");

  @Provide
  Arbitrary<JsonNode> events() {
    Arbitrary<JsonNode> s3Record =
        Combinators.combine(
                Arbitraries.of("ObjectCreated:Put", "ObjectRemoved:Delete", "", "ObjectCreated"),
                Arbitraries.of(KEYS),
                Arbitraries.of(true, false))
            .as(
                (name, key, withSize) -> {
                  ObjectNode r = M.createObjectNode();
                  r.put("eventName", name);
                  ObjectNode s3 = r.putObject("s3");
                  s3.putObject("bucket").put("name", "b");
                  ObjectNode o = s3.putObject("object").put("key", key);
                  if (withSize) {
                    o.put("size", "notanumber");
                  }
                  return r;
                });
    Arbitrary<JsonNode> s3Event =
        s3Record
            .list()
            .ofMaxSize(5)
            .map(
                rs -> {
                  ObjectNode e = M.createObjectNode();
                  ArrayNode a = e.putArray("Records");
                  rs.forEach(a::add);
                  return e;
                });
    Arbitrary<JsonNode> eventBridge =
        Arbitraries.of(KEYS)
            .map(
                key -> {
                  ObjectNode e = M.createObjectNode().put("detail-type", "Object Created");
                  e.putObject("detail").putObject("object").put("key", key);
                  return e;
                });
    Arbitrary<JsonNode> odd =
        Arbitraries.of(
                "{}", "[]", "{\"Records\":5}", "{\"Records\":[1,null,\"x\"]}", "{\"detail\":[]}")
            .map(
                s -> {
                  try {
                    return M.readTree(s);
                  } catch (Exception ex) {
                    throw new AssertionError(ex);
                  }
                });
    return Arbitraries.oneOf(s3Event, eventBridge, odd);
  }

  @Property
  void anyEventYieldsNoticesWithoutThrowing(@ForAll("events") JsonNode event) {
    List<String> malformed = new ArrayList<>();
    List<IngestHandler.Notice> notices = IngestHandler.notices(event, malformed);
    for (IngestHandler.Notice n : notices) {
      assertThat(n.key()).isNotNull();
    }
    // Each created-object record is either a notice or a malformed key, never lost silently.
    long created = 0;
    for (JsonNode r : event.path("Records")) {
      created += r.path("eventName").asText().startsWith("ObjectCreated") ? 1 : 0;
    }
    if (event.has("Records")) {
      assertThat(notices.size() + malformed.size()).isEqualTo(created);
    }
  }
}
