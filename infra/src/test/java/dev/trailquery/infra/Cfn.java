package dev.trailquery.infra;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/** CloudFormation intrinsics and template look-ups, to write expected values by hand. */
final class Cfn {
  private Cfn() {}

  static String id(Stack stack, IConstruct c) {
    IConstruct child = c instanceof CfnElement ? c : c.getNode().getDefaultChild();
    return stack.getLogicalId((CfnElement) child);
  }

  static Map<String, Object> ref(String logicalId) {
    return Map.of("Ref", logicalId);
  }

  static Map<String, Object> arn(String logicalId) {
    return Map.of("Fn::GetAtt", List.of(logicalId, "Arn"));
  }

  static Map<String, Object> join(Object... parts) {
    return Map.of("Fn::Join", List.of("", List.of(parts)));
  }

  static Map<String, Object> partition() {
    return ref("AWS::Partition");
  }

  static Map<String, Object> region() {
    return ref("AWS::Region");
  }

  static Map<String, Object> account() {
    return ref("AWS::AccountId");
  }

  /** The S3 ARN {@code arn:PARTITION:s3:::rest}, as CDK renders it for an imported bucket. */
  static Map<String, Object> s3Arn(String rest) {
    return join("arn:", partition(), ":s3:::" + rest);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> resources(Template t, String type) {
    return (Map<String, Map<String, Object>>) (Map<String, ?>) t.findResources(type);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> props(Map<String, Object> resource) {
    return (Map<String, Object>) resource.get("Properties");
  }

  /** One statement with Action, Resource (and Principal lists) as lists, keys sorted. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> normalize(Map<String, Object> statement) {
    Map<String, Object> out = new TreeMap<>();
    for (var e : statement.entrySet()) {
      Object v = e.getValue();
      if (e.getKey().equals("Action") || e.getKey().equals("Resource")) {
        v = v instanceof Collection<?> c ? new ArrayList<>(c) : List.of(v);
      }
      out.put(e.getKey(), v);
    }
    return out;
  }

  /** Every statement of every AWS::IAM::Policy attached to the role, normalized. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> roleStatements(Template t, String roleLogicalId) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (var policy : resources(t, "AWS::IAM::Policy").values()) {
      Map<String, Object> p = props(policy);
      List<Object> roles = (List<Object>) p.get("Roles");
      if (roles.contains(ref(roleLogicalId))) {
        Map<String, Object> doc = (Map<String, Object>) p.get("PolicyDocument");
        for (Object s : (List<Object>) doc.get("Statement")) {
          out.add(normalize((Map<String, Object>) s));
        }
      }
    }
    return out;
  }

  /** An Allow statement written by hand. */
  static Map<String, Object> allow(List<String> actions, Object... resources) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("Effect", "Allow");
    s.put("Action", actions);
    s.put("Resource", List.of(resources));
    return normalize(s);
  }

  static Map<String, Object> allowIf(
      List<String> actions, Map<String, Object> condition, Object... resources) {
    Map<String, Object> s = new LinkedHashMap<>(allow(actions, resources));
    s.put("Condition", condition);
    return normalize(s);
  }
}
