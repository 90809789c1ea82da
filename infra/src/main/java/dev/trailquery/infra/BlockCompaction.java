package dev.trailquery.infra;

import dev.trailquery.contract.Env;
import dev.trailquery.contract.Keys;
import dev.trailquery.contract.LambdaFunction;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction.Builder;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.LifecycleRule;

/**
 * Compacted trail blocks (docs/BLOCKS.md): the compactor function, run every hour by an EventBridge
 * schedule (and asynchronously by {@code compact-trail}), writes blocks under {@code blocks/} in
 * the stack's own results bucket — never under the trail's prefix — with a lifecycle rule; the
 * coordinator reads their manifests and the workers their chunks.
 */
final class BlockCompaction {
  static final Duration TIMEOUT = Duration.minutes(15);

  /**
   * Memory of the compactor: an hour of an organization trail (~125 MB of JSON) is sorted in it.
   */
  static final int MEMORY_MB = 3008;

  final TrailqueryStack.Fn compactor;
  final Rule schedule;

  BlockCompaction(
      Stack stack,
      TrailqueryConfig config,
      TrailSource trail,
      Storage storage,
      Lambdas lambdas,
      QueryApi queryApi,
      Map<Env, String> env) {
    storage.results.addLifecycleRule(
        LifecycleRule.builder()
            .id("expire-blocks")
            .prefix(Keys.BLOCKS_PREFIX)
            .expiration(Duration.days(config.aggregateRetentionDays()))
            .abortIncompleteMultipartUploadAfter(Duration.days(1))
            .build());
    compactor =
        lambdas.function(
            LambdaFunction.COMPACTOR,
            MEMORY_MB,
            TIMEOUT,
            env,
            TrailqueryStack.JVM_SCAN,
            "trailquery compactor: rolls the trail's objects of each hour into compacted blocks");
    schedule =
        Rule.Builder.create(stack, "CompactorSchedule")
            .description("trailquery: compact the trail's last hours into blocks")
            .schedule(Schedule.rate(Duration.hours(1)))
            .targets(
                List.of(
                    Builder.create(compactor.alias())
                        .retryAttempts(2)
                        .maxEventAge(Duration.hours(1))
                        .build()))
            .build();

    String blocks = storage.results.arnForObjects(Keys.BLOCKS_PREFIX + "*");
    PolicyStatement listBlocks =
        PolicyStatement.Builder.create()
            .effect(Effect.ALLOW)
            .actions(List.of("s3:ListBucket"))
            .resources(List.of(storage.results.getBucketArn()))
            .conditions(
                Map.of("StringLike", Map.of("s3:prefix", List.of(Keys.BLOCKS_PREFIX + "*"))))
            .build();
    var c = compactor.role();
    c.addToPrincipalPolicy(trail.listLogs(config));
    c.addToPrincipalPolicy(
        Lambdas.allow(List.of("s3:GetObject"), List.of(trail.logObjects(config))));
    trail.grantDecrypt(stack, config, c);
    c.addToPrincipalPolicy(listBlocks);
    c.addToPrincipalPolicy(
        Lambdas.allow(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), List.of(blocks)));
    // the coordinator reads manifests (a missing one must be a 404, hence the listing right) and
    // object lists; workers read chunk ranges
    queryApi.coordinator.role().addToPrincipalPolicy(listBlocks);
    queryApi
        .coordinator
        .role()
        .addToPrincipalPolicy(Lambdas.allow(List.of("s3:GetObject"), List.of(blocks)));
    queryApi
        .worker
        .role()
        .addToPrincipalPolicy(Lambdas.allow(List.of("s3:GetObject"), List.of(blocks)));
  }
}
