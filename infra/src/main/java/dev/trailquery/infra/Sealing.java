package dev.trailquery.infra;

import dev.trailquery.contract.Env;
import dev.trailquery.contract.LambdaFunction;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;

/**
 * Sealing (docs/INGEST.md, "Sealing"): an EventBridge schedule runs the seal function every {@link
 * #RATE}; it merges the closed delivery slots' bundles into one item per subscription and bin. Its
 * role lists subscriptions and reads and writes only the aggregates table (it deletes the sealed
 * versions it replaces). No retry: the next run does the work again.
 */
final class Sealing {
  static final Duration TIMEOUT = Duration.minutes(5);
  static final Duration RATE = Duration.minutes(5);
  static final int MEMORY_MB = 1024;

  final TrailqueryStack.Fn function;
  final Rule schedule;

  Sealing(Stack stack, Storage storage, Lambdas lambdas, Map<Env, String> env) {
    function =
        lambdas.function(
            LambdaFunction.SEAL,
            MEMORY_MB,
            TIMEOUT,
            env,
            TrailqueryStack.JVM_SCAN,
            "trailquery seal: merges closed delivery slots into sealed bins (every 5 minutes)");
    var role = function.role();
    role.addToPrincipalPolicy(
        Lambdas.allow(List.of("dynamodb:Scan"), List.of(storage.subscriptions.getTableArn())));
    role.addToPrincipalPolicy(
        Lambdas.allow(
            List.of(
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:Query"),
            List.of(storage.aggregates.getTableArn())));
    schedule =
        Rule.Builder.create(stack, "SealSchedule")
            .description("trailquery: seal the closed delivery slots")
            .schedule(Schedule.rate(RATE))
            .targets(
                List.of(
                    software.amazon.awscdk.services.events.targets.LambdaFunction.Builder.create(
                            function.alias())
                        .retryAttempts(0)
                        .build()))
            .build();
  }
}
