package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The AWS SDK's SLF4J logging is bound to no-op on purpose: an AWS command prints the CLI's own
 * message, not SLF4J's "no providers" warnings (issue 15). Run in a JVM of its own, since SLF4J
 * prints once per process.
 */
class QuietLoggingTest {
  /** The test class path without the test-only logging backend (logback, from S3Proxy). */
  static String productionClassPath() {
    return java.util.Arrays.stream(
            System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(e -> !e.contains("logback"))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  @Test
  void anAwsCommandPrintsNoSlf4jWarnings() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(java, "-cp", productionClassPath(), Main.class.getName(), "subscriptions"))
            .redirectErrorStream(true);
    pb.environment().put("AWS_REGION", "us-east-1");
    pb.environment().put("AWS_MAX_ATTEMPTS", "1");
    pb.environment().put("AWS_ACCESS_KEY_ID", "x");
    pb.environment().put("AWS_SECRET_ACCESS_KEY", "y");
    pb.environment().put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).startsWith("trailquery").doesNotContain("SLF4J");
  }
}
