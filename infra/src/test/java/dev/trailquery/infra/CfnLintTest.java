package dev.trailquery.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The synthesized templates pass cfn-lint, when cfn-lint is on the PATH (CI installs it when it is
 * cheap to; see .ci/run). The templates are written to target/cfn-lint/ for a look by hand.
 */
class CfnLintTest {
  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void templatesPassCfnLint() throws Exception {
    assumeTrue(onPath("cfn-lint"), "cfn-lint is not installed");
    Path dir = Path.of("target", "cfn-lint");
    Files.createDirectories(dir);
    Map<String, Map<String, ?>> variants =
        Map.of(
            "existing-trail",
            TestStacks.EXISTING,
            "demo-trail",
            Map.of(),
            "with-options",
            Map.of(
                "trailBucket", "acme-cloudtrail",
                "alarmEmail", "ops@example.com",
                "createApiGatewayLogsRole", "true"));
    ObjectMapper json = new ObjectMapper();
    for (var v : variants.entrySet()) {
      Path file = dir.resolve(v.getKey() + ".template.json");
      json.writerWithDefaultPrettyPrinter()
          .writeValue(file.toFile(), TestStacks.template(TestStacks.stack(v.getValue())).toJSON());
      Process p =
          new ProcessBuilder(
                  List.of(
                      "cfn-lint",
                      "--format",
                      "parseable",
                      // W3005: CDK adds an explicit DependsOn on a function's role that its
                      // Fn::GetAtt Role already implies; redundant, harmless.
                      "--ignore-checks",
                      "W3005",
                      "--",
                      file.toString()))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(out).as(file.toString()).isEmpty();
      assertThat(p.exitValue()).as(out).isZero();
    }
  }
}
