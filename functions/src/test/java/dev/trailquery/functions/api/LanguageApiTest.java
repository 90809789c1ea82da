package dev.trailquery.functions.api;

import static dev.trailquery.functions.api.ApiTest.ALL;
import static dev.trailquery.functions.api.ApiTest.await;
import static dev.trailquery.functions.api.ApiTest.call;
import static dev.trailquery.functions.api.ApiTest.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.exec.Subqueries;
import dev.trailquery.functions.fanout.FanoutConfig;
import dev.trailquery.functions.query.QueryStatus;
import dev.trailquery.functions.query.ResultField;
import dev.trailquery.lang.Parser;
import dev.trailquery.lookup.LookupTable;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.LocalFileSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lookup tables, parameterized saved queries and subqueries through the API, fanned out over the
 * samples in small batches: every answer equals one pass of the engine over the same files.
 */
class LanguageApiTest {
  private EmbeddedApi embedded;

  @AfterEach
  void close() {
    if (embedded != null) {
      embedded.close();
    }
  }

  private Api api() {
    embedded =
        new EmbeddedApi(
            ApiTest.SAMPLES, FanoutConfig.local(4).withBatchBytes(16 * 1024, 1 << 20, 50));
    return embedded.api();
  }

  static Result onePass(String query, Planner.Options options) throws Exception {
    var sources = List.of(new LocalFileSource(ApiTest.SAMPLES));
    var parsed = Parser.parse(query);
    Planner.Options o =
        Subqueries.resolve(
            parsed,
            options,
            inner -> {
              try {
                return Trailquery.run(inner, sources, 1, Scan.Listener.NONE);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    return Trailquery.run(Planner.plan(parsed, o), sources, 1, Scan.Listener.NONE);
  }

  static JsonNode complete(Api api, String query) throws Exception {
    String id = start(api, query);
    JsonNode r = await(api, id, s -> QueryStatus.valueOf(s.get("status").asText()).finished());
    assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("Complete");
    return r;
  }

  static void assertSame(JsonNode r, Result one) {
    assertThat(Json.MAPPER.convertValue(r.get("results"), List.class))
        .isEqualTo(Json.MAPPER.convertValue(ResultField.rows(one), List.class));
  }

  @Test
  void lookupTableRoutesAndAQueryUsingOne() throws Exception {
    Api api = api();
    String csv = "source,team\ns3.amazonaws.com,storage\n\"kms.amazonaws.com\",\"crypto, keys\"\n";
    JsonNode put = call(api, "PUT", "/lookup-tables/teams", csv, 200);
    assertThat(put.get("rows").asInt()).isEqualTo(2);
    assertThat(put.get("columns").toString()).isEqualTo("[\"source\",\"team\"]");
    String version = put.get("version").asText();
    assertThat(call(api, "GET", "/lookup-tables/teams", null, 200).get("csv").asText())
        .isEqualTo(csv);
    assertThat(
            call(api, "GET", "/lookup-tables", null, 200)
                .get("lookupTables")
                .get(0)
                .get("name")
                .asText())
        .isEqualTo("teams");
    JsonNode bad = call(api, "PUT", "/lookup-tables/broken", "a,b\n1\n", 400);
    assertThat(bad.get("error").get("message").asText()).contains("line 2");

    String q =
        "lookup teams source as eventSource OUTPUT team | stats count(*) as n by team | sort n desc";
    JsonNode r = complete(api, q);
    LookupTable t = LookupTable.parse("teams", csv.getBytes(StandardCharsets.UTF_8));
    assertThat(t.version()).isEqualTo(version);
    assertSame(r, onePass(q, Planner.Options.defaults().withLookups(Map.of("teams", t))));

    JsonNode unknown =
        call(
            api,
            "POST",
            "/queries",
            "{\"queryString\": \"lookup nope a OUTPUT b\", " + ALL + "}",
            400);
    assertThat(unknown.get("error").get("message").asText()).contains("TQ2114");
    call(api, "DELETE", "/lookup-tables/teams", null, 200);
    call(api, "GET", "/lookup-tables/teams", null, 404);
  }

  @Test
  void savedQueriesWithParameters() throws Exception {
    Api api = api();
    String def =
        "{\"queryString\": \"filter eventSource = '{{source}}' | stats count(*) as n by eventName"
            + " | sort n desc | limit {{n}}\", \"parameters\": [{\"name\": \"source\"},"
            + " {\"name\": \"n\", \"defaultValue\": \"5\", \"description\": \"rows\"}]}";
    JsonNode saved = call(api, "PUT", "/saved-queries/TopCalls", def, 200);
    assertThat(saved.get("parameters").get(1).get("defaultValue").asText()).isEqualTo("5");
    JsonNode r = complete(api, "$TopCalls(source=\"kms.amazonaws.com\", n=\"3\")");
    assertSame(
        r,
        onePass(
            "filter eventSource = 'kms.amazonaws.com' | stats count(*) as n by eventName"
                + " | sort n desc | limit 3",
            Planner.Options.defaults()));
    // a parameter without a default and without a value: a 400 naming it
    JsonNode missing =
        call(api, "POST", "/queries", "{\"queryString\": \"$TopCalls(n=2)\", " + ALL + "}", 400);
    assertThat(missing.get("error").get("message").asText())
        .contains("TQ2121")
        .contains("'source'");
    // the pack's own, with a default
    complete(api, "$top-talkers(n=\"2\")");
    JsonNode tooMany =
        call(
            api,
            "PUT",
            "/saved-queries/Bad",
            "{\"queryString\": \"fields {{x}}\", \"parameters\": []}",
            400);
    assertThat(tooMany.get("error").get("message").asText()).contains("{{x}}");
  }

  @Test
  void subqueriesFanOutTheInnerQueryFirst() throws Exception {
    Api api = api();
    String q =
        "filter userIdentity.arn in (filter eventSource = 'kms.amazonaws.com'"
            + " | fields userIdentity.arn) | stats count(*) as n by eventSource | sort n desc";
    JsonNode r = complete(api, q);
    Result one = onePass(q, Planner.Options.defaults());
    assertThat(one.rows()).isNotEmpty();
    assertSame(r, one);
  }
}
