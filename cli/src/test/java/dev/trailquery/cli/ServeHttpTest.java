package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.functions.api.EmbeddedApi;
import dev.trailquery.functions.fanout.FanoutConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The routes over real HTTP against {@code serve} on loopback. */
class ServeHttpTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path SAMPLES = Path.of("..", "samples", "cloudtrail");
  static ServeCommand.Server server;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    EmbeddedApi embedded = new EmbeddedApi(SAMPLES, FanoutConfig.local(4));
    server = ServeCommand.start(embedded.api(), "127.0.0.1", 0, embedded);
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Reply(int status, JsonNode body, String contentType) {}

  static Reply send(String method, String path, String body) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    return new Reply(
        r.statusCode(), JSON.readTree(r.body()), r.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void queryLifecycle() throws Exception {
    Reply post =
        send(
            "POST",
            "/queries",
            "{\"queryString\": \"stats count(*) as n by eventSource | sort n desc | limit 3\","
                + " \"startTime\": \"2000-01-01T00:00:00Z\", \"endTime\": 1893456000}");
    assertThat(post.status()).isEqualTo(202);
    assertThat(post.contentType()).startsWith("application/json");
    String id = post.body().get("queryId").asText();
    Reply get;
    long deadline = System.nanoTime() + 30_000_000_000L;
    do {
      Thread.sleep(20);
      get = send("GET", "/queries/" + id, null);
      assertThat(get.status()).isEqualTo(200);
    } while (!get.body().get("status").asText().equals("Complete") && System.nanoTime() < deadline);
    assertThat(get.body().get("status").asText()).isEqualTo("Complete");
    JsonNode results = get.body().get("results");
    assertThat(results).hasSize(3);
    assertThat(results.get(0).get(0).get("field").asText()).isEqualTo("eventSource");
    assertThat(results.get(0).get(1).get("field").asText()).isEqualTo("n");
    assertThat(results.get(0).get(1).get("value").isTextual()).isTrue();
    assertThat(get.body().at("/statistics/recordsScanned").asLong()).isPositive();

    Reply list = send("GET", "/queries?maxResults=5&status=Complete", null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body().get("queries").get(0).get("queryId").asText()).isEqualTo(id);
    assertThat(send("DELETE", "/queries/" + id, null).status()).isEqualTo(409);
  }

  @Test
  void errorsOverHttp() throws Exception {
    Reply bad =
        send(
            "POST",
            "/queries",
            "{\"queryString\": \"fields a\\n| stats count(*) by\", \"startTime\": 0, \"endTime\":"
                + " 10}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().at("/error/code").asText()).isEqualTo("MalformedQuery");
    assertThat(bad.body().at("/error/line").asInt()).isEqualTo(2);
    assertThat(bad.body().at("/error/column").asInt()).isPositive();
    assertThat(send("GET", "/queries/unknown", null).status()).isEqualTo(404);
    assertThat(send("DELETE", "/queries/unknown", null).status()).isEqualTo(404);
    assertThat(send("POST", "/queries", "{").status()).isEqualTo(400);
    assertThat(send("GET", "/queries?maxResults=abc", null).status()).isEqualTo(400);
    assertThat(send("GET", "/subscriptions", null).status()).isEqualTo(501);
    assertThat(send("PUT", "/queries", "{}").status()).isEqualTo(405);
    for (Reply r : List.of(bad, send("GET", "/nope", null))) {
      assertThat(r.body().toString()).doesNotContain("\tat ").doesNotContain("Exception");
    }
  }

  @Test
  void savedQueriesOverHttp() throws Exception {
    Reply put =
        send(
            "PUT",
            "/saved-queries/ops%2Froot-logins",
            "{\"queryString\": \"filter userIdentity.type = \\\"Root\\\"\"}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.body().get("name").asText()).isEqualTo("ops/root-logins");
    assertThat(send("GET", "/saved-queries/ops/root-logins", null).status()).isEqualTo(200);
    assertThat(send("GET", "/saved-queries", null).body().get("savedQueries").size())
        .isGreaterThan(1);
    assertThat(send("DELETE", "/saved-queries/ops/root-logins", null).status()).isEqualTo(200);
    assertThat(send("GET", "/saved-queries/ops/root-logins", null).status()).isEqualTo(404);
  }

  @Test
  void serveUsageErrorsExit2() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code =
        new Main(new PrintStream(new ByteArrayOutputStream()), e)
            .run(List.of("serve", "--port", "http"));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--port");
  }
}
