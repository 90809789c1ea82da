package dev.trailquery.infra;

import static dev.trailquery.infra.Cfn.arn;
import static dev.trailquery.infra.Cfn.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * The deployed stack's security findings of issue 14, each checked on the synthesized template:
 * caller roles on method ARNs and the optional resource policy (S1), concurrency caps (S4), TLS
 * (S6), failed asynchronous invocations (S9), audit logs (S10) and EventBridge delivery.
 */
class SecurityTemplateTest {
  private final TrailqueryStack stack = TestStacks.stack(TestStacks.EXISTING);
  private final Template t = TestStacks.template(stack);

  private String id(IConstruct c) {
    return Cfn.id(stack, c);
  }

  // ---- S1: reader and admin ----

  /** Every deployed method as "METHOD /path", read from the template's resource tree. */
  @SuppressWarnings("unchecked")
  static List<String> deployedRoutes(Template t) {
    var resources = Cfn.resources(t, "AWS::ApiGateway::Resource");
    Map<String, String> paths = new LinkedHashMap<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (var e : resources.entrySet()) {
        if (paths.containsKey(e.getKey())) {
          continue;
        }
        Map<String, Object> p = Cfn.props(e.getValue());
        Object parent = p.get("ParentId");
        String parentPath = null;
        if (parent instanceof Map<?, ?> m && m.containsKey("Fn::GetAtt")) {
          parentPath = ""; // the API's root resource
        } else if (parent instanceof Map<?, ?> m && m.containsKey("Ref")) {
          parentPath = paths.get((String) m.get("Ref"));
        }
        if (parentPath != null) {
          paths.put(e.getKey(), parentPath + "/" + p.get("PathPart"));
          grew = true;
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (var m : Cfn.resources(t, "AWS::ApiGateway::Method").values()) {
      Map<String, Object> p = Cfn.props(m);
      var resource = (Map<String, Object>) p.get("ResourceId");
      String path = resource.containsKey("Ref") ? paths.get((String) resource.get("Ref")) : "/";
      out.add(p.get("HttpMethod") + " " + path);
    }
    return out;
  }

  /** The resources of the managed policy's one statement, as ".../v1/METHOD/path" strings. */
  @SuppressWarnings("unchecked")
  private List<String> policyRoutes(String policyId) {
    var policy = Cfn.resources(t, "AWS::IAM::ManagedPolicy").get(policyId);
    var doc = (Map<String, Object>) Cfn.props(policy).get("PolicyDocument");
    var statements = (List<Map<String, Object>>) doc.get("Statement");
    assertThat(statements).hasSize(1);
    Map<String, Object> s = statements.getFirst();
    assertThat(s.get("Effect")).isEqualTo("Allow");
    assertThat(s.get("Action")).isEqualTo("execute-api:Invoke");
    List<String> out = new ArrayList<>();
    for (Object r : (List<Object>) s.get("Resource")) {
      // Fn::Join ["", ["arn:", Partition, ":execute-api:", Region, ":", Account, ":", Api,
      // "/v1/GET/queries"]]
      var parts = (List<Object>) ((List<Object>) ((Map<String, Object>) r).get("Fn::Join")).get(1);
      assertThat(parts).contains(ref(id(stack.api())));
      out.add((String) parts.getLast());
    }
    return out;
  }

  @Test
  void theReaderRunsAndReadsQueriesAndReadsEverythingElse() {
    assertThat(policyRoutes(id(stack.rolePolicies().get(0))))
        .containsExactlyInAnyOrder(
            "/v1/POST/queries",
            "/v1/GET/queries",
            "/v1/GET/queries/*",
            "/v1/DELETE/queries/*",
            "/v1/GET/saved-queries",
            "/v1/GET/saved-queries/*",
            "/v1/GET/subscriptions",
            "/v1/GET/subscriptions/*",
            "/v1/GET/subscriptions/*/results",
            "/v1/GET/subscriptions/*/alarm",
            "/v1/GET/alarms",
            "/v1/GET/lookup-tables",
            "/v1/GET/lookup-tables/*");
  }

  /** IAM's ARN matching: {@code *} is any characters, across '/' too. */
  private static boolean iamMatches(String pattern, String value) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      re.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
    }
    return value.matches(re.toString());
  }

  @Test
  void eachDeployedRouteIsCalledByTheRolesItShouldBe() {
    List<String> reader = policyRoutes(id(stack.rolePolicies().get(0)));
    List<String> admin = policyRoutes(id(stack.rolePolicies().get(1)));
    List<String> routes = deployedRoutes(t);
    assertThat(routes).hasSize(Cfn.resources(t, "AWS::ApiGateway::Method").size()).isNotEmpty();
    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' '));
      // a request's method ARN, each parameter a concrete value
      String request =
          "/v1/" + method + route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x-1");
      boolean read =
          method.equals("GET")
              || route.equals("POST /queries")
              || route.equals("DELETE /queries/{id}");
      assertThat(reader.stream().anyMatch(p -> iamMatches(p, request))).as(route).isEqualTo(read);
      assertThat(admin.stream().anyMatch(p -> iamMatches(p, request))).as(route).isTrue();
    }
    t.hasOutput(
        "ReaderPolicyArn",
        Map.of("Value", ref(id(stack.rolePolicies().get(0))), "Description", Match.anyValue()));
    t.hasOutput(
        "AdminPolicyArn",
        Map.of("Value", ref(id(stack.rolePolicies().get(1))), "Description", Match.anyValue()));
  }

  @SuppressWarnings("unchecked")
  private static Object apiPolicy(Template tpl) {
    return Cfn.props(Cfn.resources(tpl, "AWS::ApiGateway::RestApi").values().iterator().next())
        .get("Policy");
  }

  @Test
  void theResourcePolicyDeniesOtherPrincipalsOnlyWhenAskedFor() {
    assertThat(apiPolicy(t)).isNull();
    Map<String, Object> ctx = new LinkedHashMap<>(TestStacks.EXISTING);
    ctx.put("apiPrincipals", "arn:aws:iam::111122223333:role/Sec*, 444455556666");
    ctx.put("apiPrincipalTag", "team=security");
    Object policy = apiPolicy(TestStacks.template(TestStacks.stack(ctx)));
    assertThat(policy)
        .isEqualTo(
            Map.of(
                "Version",
                "2012-10-17",
                "Statement",
                List.of(
                    Map.of(
                        "Sid", "DenyOtherPrincipals",
                        "Effect", "Deny",
                        "Principal", Map.of("AWS", "*"),
                        "Action", "execute-api:Invoke",
                        "Resource", "execute-api:/*",
                        "Condition",
                            Map.of(
                                "StringNotLike",
                                Map.of(
                                    "aws:PrincipalArn",
                                    List.of(
                                        "arn:aws:iam::111122223333:role/Sec*",
                                        "arn:*:iam::444455556666:*")))),
                    Map.of(
                        "Sid", "DenyPrincipalsWithoutTag",
                        "Effect", "Deny",
                        "Principal", Map.of("AWS", "*"),
                        "Action", "execute-api:Invoke",
                        "Resource", "execute-api:/*",
                        "Condition",
                            Map.of(
                                "StringNotEquals", Map.of("aws:PrincipalTag/team", "security"))))));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theAccountAllowListGoesToTheApiAndTheCoordinator() {
    String allow = "{\"arn:aws:iam::111122223333:role/app-*\": [\"444455556666\"]}";
    Map<String, Object> ctx = new LinkedHashMap<>(TestStacks.EXISTING);
    ctx.put("callerAccounts", allow);
    TrailqueryStack s = TestStacks.stack(ctx);
    var all = (Map<String, Map<String, Object>>) TestStacks.template(s).toJSON().get("Resources");
    for (String fn : List.of("ApiFunction", "CoordinatorFunction")) {
      var env =
          (Map<String, Object>)
              ((Map<String, Object>) Cfn.props(all.get(fn)).get("Environment")).get("Variables");
      assertThat(env.get("TRAILQUERY_CALLER_ACCOUNTS")).as(fn).isEqualTo(allow);
    }
    assertThatThrownBy(() -> TestStacks.stack(Map.of("callerAccounts", "{\"x\": [\"12\"]}")))
        .hasMessageContaining("callerAccounts");
  }

  // ---- S4: concurrency ----

  @Test
  @SuppressWarnings("unchecked")
  void reservedConcurrencyIsConfigurableAndChecked() {
    Map<String, Object> ctx = new LinkedHashMap<>(TestStacks.EXISTING);
    ctx.put("workerReservedConcurrency", "0");
    ctx.put("coordinatorReservedConcurrency", "4");
    ctx.put("maxRunningQueries", "3");
    ctx.put("apiReservedConcurrency", "20");
    TrailqueryStack s = TestStacks.stack(ctx);
    var all = (Map<String, Map<String, Object>>) TestStacks.template(s).toJSON().get("Resources");
    assertThat(Cfn.props(all.get("WorkerFunction")))
        .doesNotContainKey("ReservedConcurrentExecutions");
    assertThat(Cfn.props(all.get("CoordinatorFunction")).get("ReservedConcurrentExecutions"))
        .isEqualTo(4);
    assertThat(Cfn.props(all.get("ApiFunction")).get("ReservedConcurrentExecutions")).isEqualTo(20);
    var apiEnv =
        (Map<String, Object>)
            ((Map<String, Object>) Cfn.props(all.get("ApiFunction")).get("Environment"))
                .get("Variables");
    assertThat(apiEnv.get("TRAILQUERY_MAX_RUNNING_QUERIES")).isEqualTo("3");

    assertThatThrownBy(() -> TestStacks.stack(Map.of("workerReservedConcurrency", "10")))
        .hasMessageContaining("maxFanout");
    assertThatThrownBy(() -> TestStacks.stack(Map.of("ingestReservedConcurrency", "5")))
        .hasMessageContaining("ingestMaxConcurrency");
    assertThatThrownBy(() -> TestStacks.stack(Map.of("maxRunningQueries", "11")))
        .hasMessageContaining("coordinatorReservedConcurrency");
  }

  // ---- S6: TLS ----

  @Test
  void theApiAcceptsTls12AndUpOnItsOwnHostName() {
    t.hasResourceProperties(
        "AWS::ApiGateway::RestApi",
        Match.objectLike(
            Map.of(
                "SecurityPolicy", "SecurityPolicy_TLS13_1_2_2021_06",
                "EndpointAccessMode", "STRICT",
                "EndpointConfiguration", Map.of("Types", List.of("REGIONAL")))));
    Map<String, Object> ctx = new LinkedHashMap<>(TestStacks.EXISTING);
    ctx.put("apiSecurityPolicy", "TLS_1_2");
    Template legacy = TestStacks.template(TestStacks.stack(ctx));
    legacy.hasResourceProperties(
        "AWS::ApiGateway::RestApi",
        Match.objectLike(
            Map.of("SecurityPolicy", "TLS_1_2", "EndpointAccessMode", Match.absent())));
    assertThatThrownBy(() -> TestStacks.stack(Map.of("apiSecurityPolicy", "TLS_1_0")))
        .hasMessageContaining("apiSecurityPolicy");
  }

  // ---- S9: failed asynchronous invocations ----

  @Test
  void failedAsyncInvocationsOfTheLiveAliasesGoToAnAlarmedQueue() {
    for (String fn : List.of("Coordinator", "Ingest")) {
      t.hasResourceProperties(
          "AWS::Lambda::EventInvokeConfig",
          Map.of(
              "FunctionName",
              ref(fn + "Function"),
              // the live alias (its name selected from the alias ARN), which callers invoke
              "Qualifier",
              Map.of(
                  "Fn::Select",
                  List.of(7, Map.of("Fn::Split", List.of(":", ref(id(stack.fn(fn).alias())))))),
              "MaximumRetryAttempts",
              fn.equals("Coordinator") ? 0 : 1,
              "MaximumEventAgeInSeconds",
              fn.equals("Coordinator") ? 300 : 3600,
              "DestinationConfig",
              Map.of("OnFailure", Map.of("Destination", arn(id(stack.asyncFailureQueue()))))));
    }
    t.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "AlarmActions",
                List.of(ref(id(stack.alarmTopic()))),
                "MetricName",
                "ApproximateNumberOfMessagesVisible",
                "Dimensions",
                List.of(
                    Map.of(
                        "Name",
                        "QueueName",
                        "Value",
                        Map.of("Fn::GetAtt", List.of(id(stack.asyncFailureQueue()), "QueueName")))),
                "Threshold",
                1)));
    t.hasOutput("AsyncFailureQueueUrl", Map.of("Value", ref(id(stack.asyncFailureQueue()))));
  }

  // ---- S10: audit ----

  @Test
  void accessLogsNameTheCallerAndTheExecutionLogGroupIsTheStacks() {
    for (String field :
        List.of(
            "\"userArn\":\"$context.identity.userArn\"",
            "\"caller\":\"$context.identity.caller\"",
            "\"accountId\":\"$context.identity.accountId\"",
            "\"requestId\":\"$context.requestId\"",
            "\"resourcePath\":\"$context.resourcePath\"",
            "\"status\":\"$context.status\"")) {
      assertThat(TrailqueryStack.ACCESS_LOG_FORMAT).contains(field);
    }
    t.hasResourceProperties(
        "AWS::ApiGateway::Stage",
        Match.objectLike(
            Map.of(
                "AccessLogSetting",
                Map.of(
                    "DestinationArn",
                    arn(id(stack.apiAccessLogs())),
                    "Format",
                    TrailqueryStack.ACCESS_LOG_FORMAT))));
    t.hasResource(
        "AWS::ApiGateway::Stage",
        Match.objectLike(
            Map.of("DependsOn", Match.arrayWith(List.of(id(stack.apiExecutionLogs()))))));
  }

  // ---- EventBridge delivery ----

  @Test
  @SuppressWarnings("unchecked")
  void eventBridgeDeliveryLeavesTheBucketsNotificationsAlone() {
    Map<String, Object> ctx = new LinkedHashMap<>(TestStacks.EXISTING);
    ctx.put("eventBridge", "true");
    TrailqueryStack s = TestStacks.stack(ctx);
    Template eb = TestStacks.template(s);
    eb.resourceCountIs("Custom::S3BucketNotifications", 0);
    assertThat(s.notificationsHandlerLogs()).isNull();
    eb.hasResourceProperties(
        "AWS::Events::Rule",
        Map.of(
            "Description", Match.anyValue(),
            "State", "ENABLED",
            "EventPattern",
                Map.of(
                    "source", List.of("aws.s3"),
                    "detail-type", List.of("Object Created"),
                    "detail",
                        Map.of(
                            "bucket", Map.of("name", List.of("acme-cloudtrail")),
                            "object",
                                Map.of(
                                    "key", List.of(Map.of("wildcard", "org/AWSLogs/*.json.gz"))))),
            "Targets", List.of(Map.of("Arn", arn(Cfn.id(s, s.ingestQueue())), "Id", "Target0"))));
    // the queue takes messages from this rule only
    String rule = Cfn.id(s, s.objectCreatedRule());
    List<Object> statements = new ArrayList<>();
    for (var p : Cfn.resources(eb, "AWS::SQS::QueuePolicy").values()) {
      if (Cfn.props(p).get("Queues").equals(List.of(ref(Cfn.id(s, s.ingestQueue()))))) {
        statements.addAll(
            (List<Object>)
                ((Map<String, Object>) Cfn.props(p).get("PolicyDocument")).get("Statement"));
      }
    }
    assertThat(statements)
        .anySatisfy(
            st -> {
              var m = (Map<String, Object>) st;
              assertThat(m.get("Effect")).isEqualTo("Allow");
              assertThat(m.get("Principal")).isEqualTo(Map.of("Service", "events.amazonaws.com"));
              assertThat(m.get("Condition"))
                  .isEqualTo(Map.of("ArnEquals", Map.of("aws:SourceArn", arn(rule))));
            })
        .noneSatisfy(
            st ->
                assertThat(((Map<String, Object>) st).get("Principal"))
                    .isEqualTo(Map.of("Service", "s3.amazonaws.com")));
  }
}
