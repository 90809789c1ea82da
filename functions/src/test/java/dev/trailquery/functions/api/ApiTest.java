package dev.trailquery.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.catalog.LocalCatalog;
import dev.trailquery.functions.catalog.TrailLayout;
import dev.trailquery.functions.fanout.FanoutConfig;
import dev.trailquery.functions.fanout.FanoutTest;
import dev.trailquery.functions.fanout.GatedInvoker;
import dev.trailquery.functions.query.QueryStatus;
import dev.trailquery.functions.query.ResultField;
import dev.trailquery.lang.QueryException;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.LocalFileSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The routes, driven through {@link Api} (the same object API Gateway and serve call). */
class ApiTest {
  static final Path SAMPLES = FanoutTest.SAMPLES;
  static final String ALL = "\"startTime\": 946684800, \"endTime\": \"2030-01-01T00:00:00Z\"";

  private EmbeddedApi embedded;

  @AfterEach
  void close() {
    if (embedded != null) {
      embedded.close();
    }
  }

  private Api api(FanoutConfig config) {
    embedded = new EmbeddedApi(SAMPLES, config);
    return embedded.api();
  }

  private Api gated(GatedInvoker[] out, FanoutConfig config) {
    LocalCatalog catalog = new LocalCatalog(SAMPLES, TrailLayout.defaults());
    out[0] = new GatedInvoker(catalog.source());
    embedded = new EmbeddedApi(catalog, out[0], config, System::currentTimeMillis);
    return embedded.api();
  }

  static JsonNode call(Api api, String method, String path, String body, int status) {
    ApiResponse r = api.handle(new ApiRequest(method, path, Map.of(), body));
    assertThat(r.status()).as(method + " " + path + " → " + r.body()).isEqualTo(status);
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String start(Api api, String query) {
    String body =
        "{\"queryString\": " + Json.write(Json.MAPPER.valueToTree(query)) + ", " + ALL + "}";
    return call(api, "POST", "/queries", body, 202).get("queryId").asText();
  }

  static JsonNode await(Api api, String id, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode r = call(api, "GET", "/queries/" + id, null, 200);
      if (until.test(r)) {
        return r;
      }
      assertThat(System.nanoTime()).as("waiting; last: " + r).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  static Predicate<JsonNode> status(String s) {
    return r -> r.get("status").asText().equals(s);
  }

  @Test
  void startPollComplete_givesTheOnePassAnswerAsStrings() throws Exception {
    Api api = api(FanoutConfig.local(4).withBatchBytes(16 * 1024, 1 << 20, 50));
    String q = "stats count(*) as n, avg(strlen(eventName)) as a by recipientAccountId";
    String id = start(api, q);
    JsonNode r = await(api, id, s -> QueryStatus.valueOf(s.get("status").asText()).finished());
    assertThat(r.get("status").asText()).isEqualTo("Complete");
    Result one =
        Trailquery.run(
            Trailquery.compile(q, Planner.Options.defaults()),
            List.of(new LocalFileSource(SAMPLES)),
            1,
            Scan.Listener.NONE);
    assertThat(Json.MAPPER.convertValue(r.get("results"), List.class))
        .isEqualTo(Json.MAPPER.convertValue(ResultField.rows(one), List.class));
    assertThat(r.get("results").get(0).get(0).get("value").isTextual()).isTrue();
    JsonNode st = r.get("statistics");
    assertThat(st.get("recordsScanned").asLong()).isEqualTo(one.statistics().recordsScanned());
    assertThat(st.get("recordsMatched").asLong()).isEqualTo(one.statistics().recordsMatched());
    assertThat(st.get("bytesScanned").asLong()).isEqualTo(one.statistics().bytesScanned());
    assertThat(st.get("objectsScanned").asLong()).isEqualTo(one.statistics().objectsScanned());
    assertThat(r.get("queryDuration").asLong()).isGreaterThanOrEqualTo(0);

    JsonNode list = call(api, "GET", "/queries", null, 200);
    assertThat(list.get("queries").get(0).get("queryId").asText()).isEqualTo(id);
    assertThat(list.get("queries").get(0).get("status").asText()).isEqualTo("Complete");
  }

  @Test
  void malformedQuery_is400WithLineAndColumn() {
    Api api = api(FanoutConfig.local(1));
    String q =
        "fields @timestamp\n"
            + "| filter eventName = \"ConsoleLogin\" and errorMessage = \"Failed authentication\")";
    QueryException expected = null;
    try {
      Trailquery.compile(q, Planner.Options.defaults());
    } catch (QueryException e) {
      expected = e;
    }
    assertThat(expected).isNotNull();
    String body = "{\"queryString\": " + Json.write(Json.MAPPER.valueToTree(q)) + ", " + ALL + "}";
    JsonNode e = call(api, "POST", "/queries", body, 400).get("error");
    assertThat(e.get("code").asText()).isEqualTo("MalformedQuery");
    assertThat(e.get("line").asInt()).isEqualTo(2);
    assertThat(e.get("column").asInt()).isEqualTo(expected.error().column(q));
    assertThat(e.get("message").asText()).contains("')'").doesNotContain("Exception");
    assertThat(call(api, "GET", "/queries", null, 200).get("queries")).isEmpty();
  }

  @Test
  void badRequests_areClear4xx() {
    Api api = api(FanoutConfig.local(1));
    assertThat(call(api, "GET", "/queries/nope", null, 404).at("/error/code").asText())
        .isEqualTo("NotFound");
    call(api, "DELETE", "/queries/nope", null, 404);
    call(api, "GET", "/nothing", null, 404);
    call(api, "GET", "/queries/a/b", null, 404);
    assertThat(call(api, "PATCH", "/queries", "{}", 405).at("/error/code").asText())
        .isEqualTo("MethodNotAllowed");
    call(api, "POST", "/queries", "not json", 400);
    call(api, "POST", "/queries", null, 400);
    call(api, "POST", "/queries", "{\"queryString\": \"fields @timestamp\"}", 400);
    call(
        api,
        "POST",
        "/queries",
        "{\"queryString\": \"fields a\", \"startTime\": 200, \"endTime\": 100}",
        400);
    call(
        api,
        "POST",
        "/queries",
        "{\"queryString\": \"fields a\", \"startTime\": \"yesterday\", \"endTime\": 100}",
        400);
    call(
        api, "POST", "/queries", "{\"queryString\": \"fields a\", " + ALL + ", \"limit\": 0}", 400);
    call(
        api,
        "POST",
        "/queries",
        "{\"queryString\": \"fields a\", " + ALL + ", \"accounts\": [\"12\"]}",
        400);
    JsonNode sub = call(api, "GET", "/subscriptions", null, 501);
    assertThat(sub.at("/error/code").asText()).isEqualTo("NotImplemented");
    call(api, "PUT", "/subscriptions/x", "{}", 501);
    assertThat(
            api.handle(new ApiRequest("GET", "/queries", Map.of("maxResults", "0"), null)).status())
        .isEqualTo(400);
  }

  @Test
  void stop_cancelsOutstandingWorkersAndKeepsPartialResults() throws Exception {
    GatedInvoker[] g = new GatedInvoker[1];
    Api api = gated(g, FanoutConfig.local(2).withBatchBytes(16 * 1024, 1 << 20, 20));
    String id = start(api, "stats count(*) as n");
    await(api, id, status("Running"));
    while (g[0].waiting() < 2) {
      Thread.sleep(5);
    }
    g[0].release(1);
    await(api, id, r -> r.at("/progress/batchesDone").asInt() >= 1);
    assertThat(call(api, "DELETE", "/queries/" + id, null, 200).get("success").asBoolean())
        .isTrue();
    JsonNode r = await(api, id, s -> s.has("message") && s.at("/progress/batches").asInt() > 0);
    r = await(api, id, s -> g[0].cancelled() > 0);
    assertThat(r.get("status").asText()).isEqualTo("Cancelled");
    assertThat(g[0].invocations()).isLessThan(r.at("/progress/batches").asInt());
    assertThat(r.at("/statistics/recordsScanned").asLong()).isPositive();
    assertThat(r.at("/results/0/0/field").asText()).isEqualTo("n");
    call(api, "DELETE", "/queries/" + id, null, 409);
  }

  @Test
  void partialResultsAndStatistics_whileRunning() throws Exception {
    GatedInvoker[] g = new GatedInvoker[1];
    Api api = gated(g, FanoutConfig.local(1).withBatchBytes(16 * 1024, 1 << 20, 20));
    String id = start(api, "stats count(*) as n");
    await(api, id, status("Running"));
    while (g[0].waiting() < 1) {
      Thread.sleep(5);
    }
    g[0].release(1);
    JsonNode r = await(api, id, s -> s.at("/progress/batchesDone").asInt() == 1);
    assertThat(r.get("status").asText()).isEqualTo("Running");
    long partial = r.at("/statistics/recordsScanned").asLong();
    assertThat(partial).isPositive();
    assertThat(r.at("/results/0/0/value").asText()).isNotEmpty();
    while (g[0].release(1000) > 0
        || !call(api, "GET", "/queries/" + id, null, 200)
            .get("status")
            .asText()
            .equals("Complete")) {
      Thread.sleep(5);
    }
    JsonNode done = call(api, "GET", "/queries/" + id, null, 200);
    assertThat(done.at("/statistics/recordsScanned").asLong()).isGreaterThan(partial);
    assertThat(done.at("/progress/batchesDone").asInt())
        .isEqualTo(done.at("/progress/batches").asInt());
  }

  @Test
  void timeout_endsWithStatusTimeout() throws Exception {
    GatedInvoker[] g = new GatedInvoker[1];
    Api api =
        gated(
            g,
            FanoutConfig.local(2)
                .withBatchBytes(16 * 1024, 1 << 20, 20)
                .withTimeout(Duration.ofMillis(300)));
    String id = start(api, "fields eventName");
    JsonNode r = await(api, id, s -> QueryStatus.valueOf(s.get("status").asText()).finished());
    assertThat(r.get("status").asText()).isEqualTo("Timeout");
    assertThat(r.get("message").asText()).contains("longer than");
    assertThat(g[0].cancelled()).isPositive();
  }

  @Test
  void savedQueries_putGetListDelete() {
    Api api = api(FanoutConfig.local(1));
    JsonNode put =
        call(
            api,
            "PUT",
            "/saved-queries/team/errors",
            "{\"queryString\": \"filter ispresent(errorCode) | stats count(*) by errorCode\","
                + " \"description\": \"errors\"}",
            200);
    assertThat(put.get("name").asText()).isEqualTo("team/errors");
    JsonNode got = call(api, "GET", "/saved-queries/team/errors", null, 200);
    assertThat(got.get("queryString").asText()).startsWith("filter ispresent");
    assertThat(got.get("description").asText()).isEqualTo("errors");
    JsonNode bad =
        call(api, "PUT", "/saved-queries/bad", "{\"queryString\": \"stats count(*) by\"}", 400);
    assertThat(bad.at("/error/code").asText()).isEqualTo("MalformedQuery");
    assertThat(bad.at("/error/line").asInt()).isEqualTo(1);
    JsonNode list = call(api, "GET", "/saved-queries", null, 200).get("savedQueries");
    assertThat(list.get(0).get("name").asText()).isEqualTo("team/errors");
    assertThat(list.size()).isGreaterThan(1);
    String builtin = list.get(1).get("name").asText();
    assertThat(list.get(1).get("builtin").asBoolean()).isTrue();
    call(api, "GET", "/saved-queries/" + builtin, null, 200);
    call(api, "DELETE", "/saved-queries/" + builtin, null, 409);
    call(api, "DELETE", "/saved-queries/team/errors", null, 200);
    call(api, "DELETE", "/saved-queries/team/errors", null, 404);
    call(api, "GET", "/saved-queries/team/errors", null, 404);
  }
}
