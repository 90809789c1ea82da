package dev.trailquery.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.contract.Env;
import dev.trailquery.contract.LambdaFunction;
import dev.trailquery.contract.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The contract ({@code layers/contract}) against the SYNTHESIZED template, not against the list the
 * stack was built from: the API Gateway methods as CloudFormation will create them (resource tree
 * rebuilt from {@code ParentId}/{@code PathPart}), the functions' handlers and environments, and
 * the API events in {@code events/api} replayed onto the template's methods.
 */
class ContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TrailqueryStack STACK = TestStacks.stack(TestStacks.EXISTING);
  private static final Template T = TestStacks.template(STACK);

  /** "METHOD /path" of every method in the template, with its authorization type. */
  static Map<String, String> templateMethods(Template t) {
    Map<String, Map<String, Object>> resources = Cfn.resources(t, "AWS::ApiGateway::Resource");
    Map<String, Map<String, Object>> apis = Cfn.resources(t, "AWS::ApiGateway::RestApi");
    assertThat(apis).hasSize(1);
    String apiId = apis.keySet().iterator().next();
    Map<String, String> paths = new HashMap<>();
    for (String id : resources.keySet()) {
      paths.put(id, path(id, resources, apiId));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (var m : Cfn.resources(t, "AWS::ApiGateway::Method").values()) {
      Map<String, Object> p = Cfn.props(m);
      Object resourceId = p.get("ResourceId");
      String path;
      if (resourceId instanceof Map<?, ?> ref && ref.containsKey("Ref")) {
        path = paths.get((String) ref.get("Ref"));
      } else {
        path = "/"; // Fn::GetAtt RootResourceId
      }
      out.put(p.get("HttpMethod") + " " + path, (String) p.get("AuthorizationType"));
    }
    return out;
  }

  private static String path(
      String id, Map<String, Map<String, Object>> resources, String apiLogicalId) {
    Map<String, Object> p = Cfn.props(resources.get(id));
    Object parent = p.get("ParentId");
    String prefix = "";
    if (parent instanceof Map<?, ?> ref && ref.containsKey("Ref")) {
      prefix = path((String) ref.get("Ref"), resources, apiLogicalId);
    } else {
      assertThat(parent)
          .as("a root resource's parent is the API's root")
          .isEqualTo(Map.of("Fn::GetAtt", List.of(apiLogicalId, "RootResourceId")));
    }
    return prefix + "/" + p.get("PathPart");
  }

  @Test
  void everyRouteTheRouterServesIsAnIamMethodOfTheTemplateAndNothingElseIs() {
    Map<String, String> methods = templateMethods(T);
    Set<String> expected = new TreeSet<>();
    for (Route r : Route.values()) {
      expected.add(r.method() + " " + r.path());
    }
    assertThat(new TreeSet<>(methods.keySet())).isEqualTo(expected);
    assertThat(new HashSet<>(methods.values())).containsExactly("AWS_IAM");
    // the routes issue 17 found missing, and names with '/'
    assertThat(methods)
        .containsKeys(
            "GET /alarms",
            "PUT /subscriptions/{name}/alarm",
            "GET /subscriptions/{name}/alarm",
            "DELETE /subscriptions/{name}/alarm",
            "PUT /packs/{pack}",
            "GET /saved-queries/{name+}");
  }

  @Test
  void stageIsTheOneTheContractAndTheEventsName() {
    T.hasResourceProperties("AWS::ApiGateway::Stage", Map.of("StageName", Route.STAGE));
  }

  @Test
  void everyApiEventResolvesToAMethodOfTheTemplateAsApiGatewaySendsIt() throws IOException {
    Map<String, String> methods = templateMethods(T);
    List<Path> events;
    try (Stream<Path> s = Files.list(Path.of("..", "events", "api"))) {
      events = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(events).hasSizeGreaterThan(20);
    Set<String> covered = new TreeSet<>();
    for (Path f : events) {
      JsonNode e = JSON.readTree(f.toFile());
      String method = e.path("httpMethod").asText();
      String resource = e.path("resource").asText();
      String path = e.path("path").asText();
      assertThat(methods).as(f + ": a method of the template").containsKey(method + " " + resource);
      JsonNode ctx = e.path("requestContext");
      assertThat(ctx.path("resourcePath").asText()).as(f.toString()).isEqualTo(resource);
      assertThat(ctx.path("httpMethod").asText()).as(f.toString()).isEqualTo(method);
      assertThat(ctx.path("stage").asText()).as(f.toString()).isEqualTo("v1");
      assertThat(ctx.path("path").asText()).as(f.toString()).isEqualTo("/v1" + path);
      assertThat(pathParameters(resource, path))
          .as(f + ": pathParameters as API Gateway fills them from the resource")
          .isEqualTo(params(e.path("pathParameters")));
      covered.add(method + " " + resource);
    }
    assertThat(covered)
        .as("routes without an event in events/api")
        .isEqualTo(
            methods.keySet().stream()
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
  }

  /** API Gateway's matching of a resource path template, written out independently. */
  static Map<String, String> pathParameters(String resource, String path) {
    String[] t = resource.substring(1).split("/");
    String[] s = path.substring(1).split("/");
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < t.length; i++) {
      if (t[i].endsWith("+}")) {
        out.put(
            t[i].substring(1, t[i].length() - 2),
            String.join("/", List.of(s).subList(i, s.length)));
        return out;
      }
      assertThat(i).as(path + " is shorter than " + resource).isLessThan(s.length);
      if (t[i].startsWith("{")) {
        out.put(t[i].substring(1, t[i].length() - 1), s[i]);
      } else {
        assertThat(s[i]).as(path + " against " + resource).isEqualTo(t[i]);
      }
    }
    assertThat(s.length).as(path + " is longer than " + resource).isEqualTo(t.length);
    return out;
  }

  private static Map<String, String> params(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  @Test
  void everyFunctionRunsTheContractsHandlerWithExactlyTheContractsEnvironment() {
    Map<String, Map<String, Object>> fns = Cfn.resources(T, "AWS::Lambda::Function");
    for (LambdaFunction f : LambdaFunction.values()) {
      Map<String, Object> fn = fns.get(f.id() + "Function");
      assertThat(fn).as(f.toString()).isNotNull();
      Map<String, Object> p = Cfn.props(fn);
      assertThat(p.get("Handler")).isEqualTo(f.handler());
      @SuppressWarnings("unchecked")
      var vars =
          (Map<String, Object>) ((Map<String, Object>) p.get("Environment")).get("Variables");
      List<String> expected = new ArrayList<>();
      f.env().forEach(e -> expected.add(e.var()));
      assertThat(vars.keySet()).as(f.toString()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void everyVariableAnyFunctionOfTheTemplateSetsIsAContractVariable() {
    Set<String> known = new HashSet<>();
    for (Env e : Env.values()) {
      known.add(e.var());
    }
    for (var fn : Cfn.resources(T, "AWS::Lambda::Function").entrySet()) {
      Object env = Cfn.props(fn.getValue()).get("Environment");
      if (env == null) {
        continue; // CDK's own (bucket notifications)
      }
      @SuppressWarnings("unchecked")
      var vars = (Map<String, Object>) ((Map<String, Object>) env).get("Variables");
      assertThat(known).as(fn.getKey()).containsAll(vars.keySet());
    }
    assertThat(Env.DEFAULT_RETENTION_DAYS.var()).isEqualTo("TRAILQUERY_DEFAULT_RETENTION_DAYS");
  }

  @Test
  void aLocalTemplateDeclaresTheEndpointsAndSamEnvVarsNamesOnlyDeclaredVariables()
      throws IOException {
    Template local = TestStacks.template(TestStacks.stack(Map.of("local", "true")));
    Map<String, Map<String, Object>> fns = Cfn.resources(local, "AWS::Lambda::Function");
    Map<Env, String> values = new java.util.EnumMap<>(Env.class);
    for (Env e : Env.values()) {
      values.put(e, "value-of-" + e.var());
    }
    JsonNode samEnv = JSON.readTree(dev.trailquery.contract.SamEnv.json(values));
    for (LambdaFunction f : LambdaFunction.values()) {
      @SuppressWarnings("unchecked")
      var vars =
          (Map<String, Object>)
              ((Map<String, Object>) Cfn.props(fns.get(f.logicalId())).get("Environment"))
                  .get("Variables");
      for (Env e : Env.LOCAL_ENDPOINTS) {
        assertThat(vars).as(f + " declares " + e.var()).containsEntry(e.var(), "");
      }
      JsonNode given = samEnv.get(f.logicalId());
      assertThat(given).as(f.logicalId() + " in the --env-vars file").isNotNull();
      given
          .fieldNames()
          .forEachRemaining(
              n -> assertThat(vars).as(f + ": SAM passes only declared variables").containsKey(n));
      assertThat(given.get(Env.ENDPOINT_S3.var()).asText())
          .isEqualTo("value-of-AWS_ENDPOINT_URL_S3");
    }
    assertThat(samEnv.get("ApiFunction").get(Env.COORDINATOR_FUNCTION.var()).asText())
        .as("locally the API runs the coordinator on a thread")
        .isEmpty();
    // the deployed template never declares them
    for (var fn : Cfn.resources(T, "AWS::Lambda::Function").values()) {
      Object env = Cfn.props(fn).get("Environment");
      if (env != null) {
        assertThat(env.toString()).doesNotContain("AWS_ENDPOINT_URL");
      }
    }
  }

  @Test
  void architectureIsArm64UnlessAskedForTheHosts() {
    for (var fn : Cfn.resources(T, "AWS::Lambda::Function").entrySet()) {
      if (fn.getKey().endsWith("Function")) {
        assertThat(Cfn.props(fn.getValue()).get("Architectures")).isEqualTo(List.of("arm64"));
      }
    }
    Template x86 = TestStacks.template(TestStacks.stack(Map.of("architecture", "x86_64")));
    for (LambdaFunction f : LambdaFunction.values()) {
      assertThat(
              Cfn.props(Cfn.resources(x86, "AWS::Lambda::Function").get(f.logicalId()))
                  .get("Architectures"))
          .isEqualTo(List.of("x86_64"));
    }
    x86.hasResourceProperties(
        "AWS::Lambda::LayerVersion", Map.of("CompatibleArchitectures", List.of("x86_64")));
  }
}
