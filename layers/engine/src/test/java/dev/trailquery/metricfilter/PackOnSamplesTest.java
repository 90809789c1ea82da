package dev.trailquery.metricfilter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.e2e.CloudTrailOracle;
import dev.trailquery.pack.WatchPack;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The shipped metric filters (seed 002's CIS patterns, seed 004's AssumeRole duration) on the
 * bundled real CloudTrail samples, against predicates written independently here as plain Jackson
 * tree walks.
 */
class PackOnSamplesTest {
  static List<JsonNode> records() {
    return CloudTrailOracle.samples().records().stream().map(CloudTrailOracle.Rec::node).toList();
  }

  static String s(JsonNode r, String... path) {
    JsonNode n = r;
    for (String p : path) {
      n = n.path(p);
    }
    return n.isValueNode() && !n.isNull() ? n.asText() : null;
  }

  static boolean is(JsonNode r, String value, String... path) {
    return value.equals(s(r, path));
  }

  static boolean anyName(JsonNode r, String... names) {
    return Set.of(names).contains(s(r, "eventName"));
  }

  static final Map<String, Predicate<JsonNode>> ORACLE =
      Map.ofEntries(
          Map.entry(
              "root-account-usage",
              r ->
                  is(r, "Root", "userIdentity", "type")
                      && r.path("userIdentity").path("invokedBy").isMissingNode()
                      && s(r, "eventType") != null
                      && !is(r, "AwsServiceEvent", "eventType")),
          Map.entry(
              "console-auth-failures",
              r ->
                  is(r, "ConsoleLogin", "eventName")
                      && is(r, "Failed authentication", "errorMessage")),
          Map.entry(
              "console-signin-without-mfa",
              r ->
                  is(r, "ConsoleLogin", "eventName")
                      && is(r, "No", "additionalEventData", "MFAUsed")),
          Map.entry(
              "iam-policy-changes",
              r ->
                  anyName(
                      r,
                      "DeleteGroupPolicy",
                      "DeleteRolePolicy",
                      "DeleteUserPolicy",
                      "PutGroupPolicy",
                      "PutRolePolicy",
                      "PutUserPolicy",
                      "CreatePolicy",
                      "DeletePolicy",
                      "CreatePolicyVersion",
                      "DeletePolicyVersion",
                      "AttachRolePolicy",
                      "DetachRolePolicy",
                      "AttachUserPolicy",
                      "DetachUserPolicy",
                      "AttachGroupPolicy",
                      "DetachGroupPolicy")),
          Map.entry(
              "cloudtrail-config-changes",
              r ->
                  anyName(
                      r,
                      "CreateTrail",
                      "UpdateTrail",
                      "DeleteTrail",
                      "StartLogging",
                      "StopLogging")),
          Map.entry(
              "kms-errors",
              r -> {
                String c = s(r, "errorCode");
                return is(r, "kms.amazonaws.com", "eventSource")
                    && c != null
                    && c.endsWith("Exception");
              }),
          Map.entry(
              "unauthorized-api-calls",
              r -> {
                String c = s(r, "errorCode");
                String name = s(r, "eventName");
                String by = s(r, "userIdentity", "invokedBy");
                boolean err =
                    c != null
                        && (c.endsWith("UnauthorizedOperation") || c.startsWith("AccessDenied"));
                boolean notConfigDecrypt =
                    (name != null && !name.equals("Decrypt"))
                        || (by != null && !by.equals("config.amazonaws.com"));
                return err && notConfigDecrypt;
              }),
          Map.entry(
              "ec2-large-instances",
              r -> {
                String t = s(r, "requestParameters", "instanceType");
                return is(r, "RunInstances", "eventName")
                    && t != null
                    && (t.endsWith(".8xlarge") || t.endsWith(".4xlarge"));
              }),
          Map.entry(
              "security-group-changes",
              r ->
                  anyName(
                      r,
                      "AuthorizeSecurityGroupIngress",
                      "AuthorizeSecurityGroupEgress",
                      "RevokeSecurityGroupIngress",
                      "RevokeSecurityGroupEgress",
                      "CreateSecurityGroup",
                      "DeleteSecurityGroup")),
          Map.entry(
              "ec2-instance-changes",
              r ->
                  anyName(
                      r,
                      "RunInstances",
                      "RebootInstances",
                      "StartInstances",
                      "StopInstances",
                      "TerminateInstances")));

  @Test
  void packHasEveryCisPatternOfSeed002AndSeed004sFilter() {
    assertThat(WatchPack.get().metricFilters()).hasSize(22);
    assertThat(WatchPack.get().rules()).hasSize(3);
    assertThat(
            WatchPack.get()
                .metricFilter("assume-role-duration")
                .orElseThrow()
                .filter()
                .metricValue())
        .isEqualTo("$.requestParameters.durationSeconds");
  }

  @Test
  void patternsAgreeWithIndependentPredicates() {
    List<JsonNode> records = records();
    assertThat(records).hasSizeGreaterThan(1000);
    int nonZero = 0;
    for (Map.Entry<String, Predicate<JsonNode>> e : ORACLE.entrySet()) {
      MetricPattern p = WatchPack.get().metricFilter(e.getKey()).orElseThrow().filter().pattern();
      long expected = records.stream().filter(e.getValue()).count();
      long actual = records.stream().filter(p::matches).count();
      assertThat(actual).as(e.getKey()).isEqualTo(expected);
      if (expected > 0) {
        nonZero++;
      }
    }
    assertThat(nonZero).as("filters with matches on the samples").isGreaterThanOrEqualTo(5);
  }

  @Test
  void assumeRoleDurationPerMinute() {
    MetricFilter f = WatchPack.get().metricFilter("assume-role-duration").orElseThrow().filter();
    MetricSeries series = new MetricSeries(f);
    TreeMap<Long, Double> expected = new TreeMap<>();
    TreeMap<Long, Boolean> anyRead = new TreeMap<>();
    for (CloudTrailOracle.Rec rec : CloudTrailOracle.samples().records()) {
      Long t = rec.millis();
      if (t == null) {
        continue;
      }
      series.add(rec.node(), t);
      long bin = Math.floorDiv(t, 60_000L) * 60_000L;
      anyRead.put(bin, true);
      JsonNode d = rec.node().path("requestParameters").path("durationSeconds");
      if (is(rec.node(), "AssumeRole", "eventName") && d.isNumber()) {
        expected.merge(bin, d.asDouble(), Double::sum);
      }
    }
    assertThat(expected).isNotEmpty();
    TreeMap<Long, Double> actual = new TreeMap<>();
    for (MetricSeries.Datapoint dp : series.datapoints()) {
      actual.put(dp.binStartMillis(), dp.sum());
    }
    for (long bin : anyRead.keySet()) {
      expected.putIfAbsent(bin, 0.0); // defaultValue 0 where records were read but none matched
    }
    assertThat(actual).isEqualTo(expected);
  }
}
