package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.api.ApiRequest;
import dev.trailquery.functions.api.ApiResponse;
import dev.trailquery.functions.api.EmbeddedApi;
import dev.trailquery.functions.fanout.FanoutConfig;
import dev.trailquery.json.Mappers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./trailquery query --format json} and the API's {@code GET /queries/{id}} over the same
 * objects give the same document where their shapes are meant to agree (both are written by {@code
 * ResultJson}): the same rows — the CLI's typed values are the API's text cells — in the same
 * order, and the same statistics under the same names.
 */
class ResultJsonAgreementTest {
  static final Path SAMPLES = Path.of("..", "samples", "cloudtrail");
  static EmbeddedApi embedded;

  @BeforeAll
  static void start() {
    embedded = new EmbeddedApi(SAMPLES, FanoutConfig.local(2));
  }

  @AfterAll
  static void stop() {
    embedded.close();
  }

  static JsonNode cli(String query) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.execute(
            List.of("query", "--format", "json", query, SAMPLES.toString()),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return Mappers.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
  }

  static JsonNode api(String query) throws Exception {
    ObjectNode body =
        Mappers.MAPPER
            .createObjectNode()
            .put("queryString", query)
            .put("startTime", "2000-01-01T00:00:00Z")
            .put("endTime", 1893456000L);
    ApiResponse post =
        embedded.api().handle(new ApiRequest("POST", "/queries", null, Mappers.write(body)));
    assertThat(post.status()).as(post.body()).isEqualTo(202);
    String id = Mappers.MAPPER.readTree(post.body()).get("queryId").asText();
    long deadline = System.nanoTime() + 60_000_000_000L;
    JsonNode got;
    do {
      Thread.sleep(20);
      ApiResponse r =
          embedded.api().handle(new ApiRequest("GET", "/queries/" + id, Map.of(), null));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      got = Mappers.MAPPER.readTree(r.body());
    } while (!got.get("status").asText().equals("Complete") && System.nanoTime() < deadline);
    assertThat(got.get("status").asText()).isEqualTo("Complete");
    return got;
  }

  /**
   * A CLI row as GetQueryResults cells: each present field in order, its value as text (a number as
   * written, a string as it is, a map or list as its compact JSON).
   */
  static ArrayNode cells(JsonNode row) {
    ArrayNode out = Mappers.MAPPER.createArrayNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String text = v.isTextual() ? v.asText() : v.isContainerNode() ? v.toString() : v.asText();
      out.addObject().put("field", e.getKey()).put("value", text);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "stats count(*) as n, count_distinct(sourceIPAddress) as ips by eventSource"
            + " | sort n desc, eventSource",
        "fields eventTime, eventID, eventName, sourceIPAddress, userIdentity.type | sort eventTime"
            + " desc, eventID | limit 25",
        "filter eventName = \"ConsoleLogin\" | stats avg(strlen(sourceIPAddress)) as a,"
            + " max(eventTime) as last by awsRegion | sort awsRegion"
      })
  void cliAndApiGiveTheSameRowsAndStatistics(String query) throws Exception {
    JsonNode cli = cli(query);
    JsonNode api = api(query);

    ArrayNode expected = Mappers.MAPPER.createArrayNode();
    cli.get("rows").forEach(row -> expected.add(cells(row)));
    assertThat(cli.get("rows").size()).isPositive();
    assertThat(api.get("results")).isEqualTo(expected);

    for (String stat :
        List.of(
            "recordsMatched",
            "recordsScanned",
            "bytesScanned",
            "objectsScanned",
            "objectsSkipped")) {
      assertThat(api.at("/statistics/" + stat)).as(stat).isEqualTo(cli.at("/statistics/" + stat));
    }
    // every statistic is named the same in both, and both say how much was read
    assertThat(fieldNames(api.get("statistics"))).containsAll(fieldNames(cli.get("statistics")));
  }

  static List<String> fieldNames(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
