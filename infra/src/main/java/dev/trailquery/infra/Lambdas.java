package dev.trailquery.infra;

import dev.trailquery.contract.Env;
import dev.trailquery.contract.LambdaFunction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;

/**
 * How every function is built: Java 25 on arm64 with SnapStart, the engine layer, the functions
 * zip, its own log group and role (no managed policy), a published version behind the contract's
 * alias, and exactly the environment the contract lists for it.
 */
final class Lambdas {
  private final Stack stack;
  private final TrailqueryConfig config;
  private final Code code;
  final LayerVersion layer;

  /** Ingest, Worker, Coordinator, Api: in the order they were built. */
  final Map<String, TrailqueryStack.Fn> all = new LinkedHashMap<>();

  Lambdas(Stack stack, TrailqueryConfig config, TrailqueryStack.Assets assets) {
    this.stack = stack;
    this.config = config;
    layer =
        LayerVersion.Builder.create(stack, "EngineLayer")
            .code(Code.fromAsset(assets.layerZip()))
            .compatibleRuntimes(List.of(Runtime.JAVA_25))
            .compatibleArchitectures(List.of(architecture(config)))
            .description("trailquery engine and its dependencies (java/lib)")
            .build();
    code = Code.fromAsset(assets.functionsZip());
  }

  /**
   * One function with its role, log group, published version and alias.
   *
   * @param env the values of the variables; the function gets those the contract lists for it
   * @param jvm its {@code JAVA_TOOL_OPTIONS}
   */
  TrailqueryStack.Fn function(
      LambdaFunction which,
      int memoryMb,
      Duration timeout,
      Map<Env, String> env,
      String jvm,
      String description) {
    String id = which.id();
    LogGroup logs =
        LogGroup.Builder.create(stack, id + "Logs")
            .retention(Logs.RETENTION.get(config.logRetentionDays()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    // No managed policy (AWSLambdaBasicExecutionRole would allow logs on every log group).
    Role role =
        Role.Builder.create(stack, id + "Role")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .description("trailquery " + id.toLowerCase() + " function")
            .build();
    role.addToPrincipalPolicy(
        allow(
            List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(logs.getLogGroupArn())));
    Function fn =
        Function.Builder.create(stack, id + "Function")
            .runtime(Runtime.JAVA_25)
            .architecture(architecture(config))
            .handler(which.handler())
            .code(code)
            .layers(List.of(layer))
            .memorySize(memoryMb)
            .timeout(timeout)
            .role(role)
            .logGroup(logs)
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            .environment(environment(which, env, jvm, config.local()))
            .description(description)
            .build();
    ((CfnFunction) fn.getNode().getDefaultChild()).overrideLogicalId(which.logicalId());
    Alias alias =
        Alias.Builder.create(stack, id + "Alias")
            .aliasName(LambdaFunction.ALIAS)
            .version(fn.getCurrentVersion())
            .build();
    TrailqueryStack.Fn f = new TrailqueryStack.Fn(fn, role, logs, alias);
    all.put(id, f);
    return f;
  }

  /**
   * The variables the contract lists for {@code fn}, with their values from {@code values} ({@code
   * JAVA_TOOL_OPTIONS}: {@code jvm}); a listed variable without a value is a bug in this stack.
   */
  static Map<String, String> environment(
      LambdaFunction fn, Map<Env, String> values, String jvm, boolean local) {
    Map<String, String> out = new LinkedHashMap<>();
    if (local) { // declared, empty: sam local invoke --env-vars sets them (SAM drops undeclared
      // ones)
      for (Env e : Env.LOCAL_ENDPOINTS) {
        out.put(e.var(), "");
      }
    }
    for (Env e : fn.env()) {
      String v = e == Env.JAVA_TOOL_OPTIONS ? jvm : values.get(e);
      if (v == null) {
        throw new IllegalStateException(fn + " needs " + e.var() + ", which has no value");
      }
      out.put(e.var(), v);
    }
    return out;
  }

  /** arm64 as deployed; x86_64 only when asked ({@code -c architecture=x86_64}). */
  static Architecture architecture(TrailqueryConfig config) {
    return config.architecture().equals("x86_64") ? Architecture.X86_64 : Architecture.ARM_64;
  }

  /** One least-privilege statement: these actions on these resources. */
  static PolicyStatement allow(List<String> actions, List<String> resources) {
    return PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(actions)
        .resources(resources)
        .build();
  }
}
