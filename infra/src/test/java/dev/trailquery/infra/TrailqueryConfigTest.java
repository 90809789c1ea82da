package dev.trailquery.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrailqueryConfigTest {
  @Test
  void defaultsAreADemoTrailWithDocumentedSizes() {
    TrailqueryConfig c = TrailqueryConfig.defaults();
    assertThat(c.demoTrail()).isTrue();
    assertThat(c.logsPrefix()).isEqualTo("AWSLogs/");
    assertThat(c.aggregateRetentionDays()).isEqualTo(400);
    assertThat(c.ingestMemoryMb()).isEqualTo(1024);
    assertThat(c.apiMemoryMb()).isEqualTo(512);
    assertThat(c.coordinatorMemoryMb()).isEqualTo(1024);
    assertThat(c.workerMemoryMb()).isEqualTo(1769);
    assertThat(c.maxFanout()).isEqualTo(64);
    assertThat(c.ingestMaxConcurrency()).isEqualTo(10);
    assertThat(c.logRetentionDays()).isEqualTo(30);
    assertThat(c.createApiGatewayLogsRole()).isFalse();
  }

  @Test
  void prefixIsNormalizedToEndWithOneSlash() {
    assertThat(
            TrailqueryConfig.from(Map.of("trailBucket", "b-1", "trailPrefix", "/org/x"))
                .logsPrefix())
        .isEqualTo("org/x/AWSLogs/");
    assertThat(
            TrailqueryConfig.from(Map.of("trailBucket", "b-1", "trailPrefix", "org/")).logsPrefix())
        .isEqualTo("org/AWSLogs/");
  }

  @Test
  void numbersComeAsContextStringsOrNumbers() {
    TrailqueryConfig c =
        TrailqueryConfig.from(
            Map.of("workerMemory", "3008", "maxFanout", 200, "apiRateLimit", 5.0));
    assertThat(c.workerMemoryMb()).isEqualTo(3008);
    assertThat(c.maxFanout()).isEqualTo(200);
    assertThat(c.apiRateLimit()).isEqualTo(5);
  }

  @Test
  void badValuesAreRejectedByName() {
    assertThatThrownBy(() -> TrailqueryConfig.from(Map.of("trailBucket", "Not_A_Bucket")))
        .hasMessageContaining("trailBucket");
    assertThatThrownBy(() -> TrailqueryConfig.from(Map.of("trailPrefix", "org")))
        .hasMessageContaining("set trailBucket too");
    assertThatThrownBy(
            () -> TrailqueryConfig.from(Map.of("trailBucket", "b-1", "trailKmsKeyArn", "alias/x")))
        .hasMessageContaining("trailKmsKeyArn");
    assertThatThrownBy(
            () -> TrailqueryConfig.from(Map.of("trailBucket", "b-1", "trailPrefix", "org/*")))
        .hasMessageContaining("wildcards");
    assertThatThrownBy(() -> TrailqueryConfig.from(Map.of("workerMemory", "64")))
        .hasMessageContaining("workerMemory");
    assertThatThrownBy(() -> TrailqueryConfig.from(Map.of("maxFanout", "1.5")))
        .hasMessageContaining("maxFanout");
    assertThatThrownBy(() -> TrailqueryConfig.from(Map.of("logRetentionDays", "31")))
        .hasMessageContaining("logRetentionDays");
    assertThatThrownBy(() -> TrailqueryConfig.from(Map.of("createApiGatewayLogsRole", "yes")))
        .hasMessageContaining("createApiGatewayLogsRole");
  }
}
