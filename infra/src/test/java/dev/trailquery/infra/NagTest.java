package dev.trailquery.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag's AwsSolutions pack: no unsuppressed finding, and every suppression gives a reason. */
class NagTest {
  static List<Map<String, ?>> contexts() {
    return List.of(
        TestStacks.EXISTING,
        Map.of(),
        Map.of("trailBucket", "acme-cloudtrail", "createApiGatewayLogsRole", "true"));
  }

  private static String describe(List<SynthesisMessage> messages) {
    StringBuilder b = new StringBuilder();
    for (SynthesisMessage m : messages) {
      b.append(m.getId()).append(": ").append(m.getEntry().getData()).append('\n');
    }
    return b.toString();
  }

  @ParameterizedTest
  @MethodSource("contexts")
  void noUnsuppressedErrorOrWarning(Map<String, ?> context) {
    TrailqueryStack stack = TestStacks.stack(context);
    Annotations a = Annotations.fromStack(stack);
    List<SynthesisMessage> errors = a.findError("*", Match.anyValue());
    assertThat(errors).as(describe(errors)).isEmpty();
    List<SynthesisMessage> warnings = a.findWarning("*", Match.anyValue());
    assertThat(warnings).as(describe(warnings)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("contexts")
  @SuppressWarnings("unchecked")
  void everySuppressionHasAReason(Map<String, ?> context) {
    var resources =
        (Map<String, Map<String, Object>>)
            TestStacks.template(TestStacks.stack(context)).toJSON().get("Resources");
    List<String> ids = new ArrayList<>();
    for (var r : resources.values()) {
      var meta = (Map<String, Object>) r.get("Metadata");
      if (meta == null || !meta.containsKey("cdk_nag")) {
        continue;
      }
      var rules =
          (List<Map<String, Object>>)
              ((Map<String, Object>) meta.get("cdk_nag")).get("rules_to_suppress");
      for (var rule : rules) {
        ids.add((String) rule.get("id"));
        assertThat((String) rule.get("reason")).as(rule.toString()).hasSizeGreaterThan(40);
        // a wildcard suppression names the exact resource it allows
        if ("AwsSolutions-IAM5".equals(rule.get("id"))) {
          assertThat((List<Object>) rule.get("applies_to")).isNotEmpty();
        }
      }
    }
    assertThat(ids).contains("AwsSolutions-IAM5", "AwsSolutions-COG4", "AwsSolutions-APIG2");
  }
}
