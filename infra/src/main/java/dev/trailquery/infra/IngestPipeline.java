package dev.trailquery.infra;

import dev.trailquery.contract.Env;
import dev.trailquery.contract.Keys;
import dev.trailquery.contract.LambdaFunction;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;

/**
 * Ingest: the trail bucket's ObjectCreated notifications (log objects only) → SQS, with a DLQ after
 * {@link TrailqueryStack#MAX_RECEIVE_COUNT} attempts → the ingest function, which evaluates every
 * subscription into the aggregates table and publishes subscription alarms.
 */
final class IngestPipeline {
  final Queue deadLetterQueue;
  final Queue queue;
  final LogGroup notificationsHandlerLogs;

  /** With {@code eventBridge}: the rule that forwards ObjectCreated to the queue; else null. */
  final software.amazon.awscdk.services.events.Rule objectCreatedRule;

  final TrailqueryStack.Fn function;

  IngestPipeline(
      Stack stack,
      TrailqueryConfig config,
      TrailSource trail,
      Storage storage,
      Lambdas lambdas,
      Map<Env, String> env) {
    deadLetterQueue =
        Queue.Builder.create(stack, "IngestDeadLetterQueue")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(Duration.days(14))
            .build();
    queue =
        Queue.Builder.create(stack, "IngestQueue")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            // AWS's advice for SQS event sources: six times the function timeout.
            .visibilityTimeout(
                Duration.seconds(6 * TrailqueryStack.INGEST_TIMEOUT.toSeconds().intValue()))
            .retentionPeriod(Duration.days(4))
            .deadLetterQueue(
                DeadLetterQueue.builder()
                    .queue(deadLetterQueue)
                    .maxReceiveCount(TrailqueryStack.MAX_RECEIVE_COUNT)
                    .build())
            .build();
    if (config.security().eventBridge()) {
      // The bucket sends its events to EventBridge (its owner turns that on for an existing
      // bucket); a rule forwards the trail's ObjectCreated events to the queue. The stack never
      // writes the bucket's notification configuration, which others may share.
      objectCreatedRule = EventDelivery.rule(stack, trail.bucket, config, queue);
      notificationsHandlerLogs = config.demoTrail() ? NotificationsHandler.tighten(stack) : null;
    } else {
      objectCreatedRule = null;
      trail.bucket.addEventNotification(
          EventType.OBJECT_CREATED,
          new QueueNotification(queue),
          NotificationKeyFilter.builder()
              .prefix(config.logsPrefix())
              .suffix(Keys.LOG_SUFFIX)
              .build());
      notificationsHandlerLogs = NotificationsHandler.tighten(stack);
    }

    function =
        lambdas.function(
            LambdaFunction.INGEST,
            config.ingestMemoryMb(),
            TrailqueryStack.INGEST_TIMEOUT,
            env,
            TrailqueryStack.JVM_SCAN,
            "trailquery ingest: S3 notifications through SQS update subscriptions in DynamoDB");
    grant(stack, config, trail, storage, env.get(Env.ALARM_TOPIC_ARN));
    connect(stack, config);
  }

  /**
   * Read the trail's log objects, consume the queue, read subscriptions, write aggregates (and list
   * the trail's prefix: ingest runs backfills), publish to the alarm topic and only it.
   */
  private void grant(
      Stack stack, TrailqueryConfig config, TrailSource trail, Storage storage, String topicArn) {
    var role = function.role();
    role.addToPrincipalPolicy(
        Lambdas.allow(List.of("s3:GetObject"), List.of(trail.logObjects(config))));
    role.addToPrincipalPolicy(
        Lambdas.allow(
            List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
            List.of(queue.getQueueArn())));
    role.addToPrincipalPolicy(
        Lambdas.allow(
            List.of("dynamodb:GetItem", "dynamodb:Scan"),
            List.of(storage.subscriptions.getTableArn())));
    role.addToPrincipalPolicy(trail.listLogs(config));
    role.addToPrincipalPolicy(
        Lambdas.allow(
            List.of(
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:Query"),
            List.of(storage.aggregates.getTableArn())));
    role.addToPrincipalPolicy(Lambdas.allow(List.of("sns:Publish"), List.of(topicArn)));
    trail.grantDecrypt(stack, config, role);
  }

  /** The queue feeds the ingest alias in batches, reporting per-message failures. */
  private void connect(Stack stack, TrailqueryConfig config) {
    EventSourceMapping.Builder.create(stack, "IngestEventSource")
        .target(function.alias())
        .eventSourceArn(queue.getQueueArn())
        .batchSize(10)
        .maxBatchingWindow(Duration.seconds(5))
        .reportBatchItemFailures(true)
        .maxConcurrency(config.ingestMaxConcurrency())
        .build();
  }
}
