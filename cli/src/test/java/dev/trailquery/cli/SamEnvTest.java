package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code local-init --sam-env}: SAM's {@code --env-vars} file for the local tables and bucket. */
class SamEnvTest {
  @Test
  void namesEachFunctionByLogicalIdWithTheLocalTablesAndNoFunctionArns() throws Exception {
    JsonNode n =
        new ObjectMapper()
            .readTree(LocalInitCommand.samEnv(name -> null, "subs-t", "res-t", "q-t", "bkt"));
    assertThat(n.fieldNames())
        .toIterable()
        .containsExactly(
            "IngestFunction",
            "SealFunction",
            "WorkerFunction",
            "CoordinatorFunction",
            "CompactorFunction",
            "ApiFunction");
    JsonNode api = n.get("ApiFunction");
    assertThat(api.get("TRAILQUERY_QUERIES_TABLE").asText()).isEqualTo("q-t");
    assertThat(api.get("TRAILQUERY_SUBSCRIPTIONS_TABLE").asText()).isEqualTo("subs-t");
    assertThat(api.get("TRAILQUERY_RESULTS_TABLE").asText()).isEqualTo("res-t");
    assertThat(api.get("TRAILQUERY_TRAIL_BUCKET").asText()).isEqualTo("bkt");
    assertThat(api.get("TRAILQUERY_COORDINATOR_FUNCTION").asText()).isEmpty();
    assertThat(api.get("TRAILQUERY_INGEST_FUNCTION").asText()).isEmpty();
    assertThat(n.get("CoordinatorFunction").get("TRAILQUERY_WORKER_FUNCTION").asText()).isEmpty();
    JsonNode ingest = n.get("IngestFunction");
    assertThat(ingest.get("TRAILQUERY_RESULTS_TABLE").asText()).isEqualTo("res-t");
    assertThat(ingest.get("TRAILQUERY_ALARM_TOPIC_ARN").asText()).isEmpty();
    assertThat(ingest.has("TRAILQUERY_QUERIES_TABLE")).as("not declared on ingest").isFalse();
    assertThat(n.get("WorkerFunction").has("TRAILQUERY_TRAIL_BUCKET")).isFalse();
  }
}
