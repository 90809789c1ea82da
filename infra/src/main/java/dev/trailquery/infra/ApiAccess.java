package dev.trailquery.infra;

import dev.trailquery.contract.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * Who may call which route (docs/DEPLOY.md, "Security model"): the two documented roles as
 * customer-managed policies on the API's method ARNs, generated from the route list, and the
 * optional resource policy of the API.
 *
 * <ul>
 *   <li><b>reader</b> ({@code ReaderPolicy}): runs, reads and stops queries ({@code POST /queries},
 *       {@code DELETE /queries/{id}}), reads everything else (every {@code GET}).
 *   <li><b>admin</b> ({@code AdminPolicy}): every route — also saves and deletes saved queries,
 *       subscriptions, alarms and packs.
 * </ul>
 *
 * Attach one to the IAM users or roles that call the API. They name method ARNs ({@code
 * arn:aws:execute-api:REGION:ACCOUNT:API/v1/METHOD/path}, each path parameter a {@code *}).
 */
final class ApiAccess {
  private ApiAccess() {}

  /** The stage every method ARN names. */
  static final String STAGE = Route.STAGE;

  /** Whether the reader role may call the route: reads, and running or stopping queries. */
  static boolean reader(Route r) {
    return r.method().equals("GET") || r == Route.START_QUERY || r == Route.STOP_QUERY;
  }

  /** Whether the route changes stored definitions (what the write throttle applies to). */
  static boolean write(Route r) {
    return !reader(r);
  }

  /** The method ARN's path: each {@code {param}} becomes {@code *}. */
  static String arnPath(String path) {
    return path.replaceAll("\\{[^/}]+\\+?}", "*");
  }

  /** {@code execute-api:Invoke} on the method ARNs of {@code routes}. */
  static PolicyStatement invoke(RestApi api, List<Route> routes) {
    List<String> arns = new ArrayList<>();
    for (Route r : routes) {
      String arn = api.arnForExecuteApi(r.method(), arnPath(r.path()), STAGE);
      if (!arns.contains(arn)) {
        arns.add(arn);
      }
    }
    return PolicyStatement.Builder.create()
        .sid("InvokeTrailqueryApi")
        .effect(Effect.ALLOW)
        .actions(List.of("execute-api:Invoke"))
        .resources(arns)
        .build();
  }

  /** The reader and admin managed policies, with their ARNs as stack outputs. */
  static List<ManagedPolicy> rolePolicies(Construct scope, RestApi api) {
    List<Route> routes = List.of(Route.values());
    ManagedPolicy reader =
        ManagedPolicy.Builder.create(scope, "ReaderPolicy")
            .description(
                "trailquery reader: run, read and stop queries; read saved queries, subscriptions,"
                    + " results and alarms")
            .statements(List.of(invoke(api, routes.stream().filter(ApiAccess::reader).toList())))
            .build();
    ManagedPolicy admin =
        ManagedPolicy.Builder.create(scope, "AdminPolicy")
            .description(
                "trailquery admin: every route of the API, also saving and deleting saved queries,"
                    + " subscriptions, alarms and packs")
            .statements(List.of(invoke(api, routes)))
            .build();
    CfnOutput.Builder.create(scope, "ReaderPolicyArn")
        .description("attach to the IAM users and roles that query trailquery")
        .value(reader.getManagedPolicyArn())
        .build();
    CfnOutput.Builder.create(scope, "AdminPolicyArn")
        .description("attach to the IAM users and roles that manage subscriptions and alarms")
        .value(admin.getManagedPolicyArn())
        .build();
    return List.of(reader, admin);
  }

  /**
   * The API's resource policy when {@code apiPrincipals} or {@code apiPrincipalTag} is set, else
   * null. It only denies: a caller still needs an IAM policy (reader or admin) allowing the route,
   * and additionally must be one of the principals, and carry the tag.
   */
  static PolicyDocument resourcePolicy(SecuritySettings s) {
    List<PolicyStatement> statements = new ArrayList<>();
    if (!s.apiPrincipals().isEmpty()) {
      statements.add(
          PolicyStatement.Builder.create()
              .sid("DenyOtherPrincipals")
              .effect(Effect.DENY)
              .principals(List.of(new AnyPrincipal()))
              .actions(List.of("execute-api:Invoke"))
              .resources(List.of("execute-api:/*"))
              .conditions(
                  Map.of("StringNotLike", Map.of("aws:PrincipalArn", s.principalArnPatterns())))
              .build());
    }
    if (s.apiPrincipalTag() != null) {
      statements.add(
          PolicyStatement.Builder.create()
              .sid("DenyPrincipalsWithoutTag")
              .effect(Effect.DENY)
              .principals(List.of(new AnyPrincipal()))
              .actions(List.of("execute-api:Invoke"))
              .resources(List.of("execute-api:/*"))
              .conditions(
                  Map.of("StringNotEquals", Map.of("aws:PrincipalTag/" + s.tagKey(), s.tagValue())))
              .build());
    }
    return statements.isEmpty()
        ? null
        : PolicyDocument.Builder.create().statements(statements).build();
  }
}
