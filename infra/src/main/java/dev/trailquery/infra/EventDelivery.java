package dev.trailquery.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * ObjectCreated through EventBridge ({@code -c eventBridge=true}): the safer path for a bucket
 * whose notification configuration others own too. S3 notifications are one configuration per
 * bucket that CDK's custom resource reads, merges and writes back without a lock; with EventBridge
 * the stack only adds a rule on the default bus, and the bucket owner turns on "Send notifications
 * to Amazon EventBridge" once (docs/DEPLOY.md). The ingest function reads EventBridge's "Object
 * Created" events from the same queue.
 */
final class EventDelivery {
  private EventDelivery() {}

  static Rule rule(Construct scope, IBucket bucket, TrailqueryConfig config, Queue queue) {
    Rule rule =
        Rule.Builder.create(scope, "ObjectCreatedRule")
            .description("trailquery: the trail's new log objects to the ingest queue")
            .eventPattern(
                EventPattern.builder()
                    .source(List.of("aws.s3"))
                    .detailType(List.of("Object Created"))
                    .detail(
                        Map.of(
                            "bucket",
                            Map.of("name", List.of(bucket.getBucketName())),
                            "object",
                            Map.of(
                                "key",
                                List.of(
                                    Map.of(
                                        "wildcard",
                                        config.logsPrefix()
                                            + "*"
                                            + dev.trailquery.contract.Keys.LOG_SUFFIX)))))
                    .build())
            .build();
    rule.addTarget(SqsQueue.Builder.create(queue).build());
    return rule;
  }
}
