package dev.trailquery.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;

/**
 * The alarm topic (the stack's CloudWatch alarms and the subscriptions' alarms, which ingest
 * publishes) and the stack's alarms: objects in the DLQ, ingest falling behind, any function
 * failing.
 */
final class Monitoring {
  private final Stack stack;
  final Topic topic;
  final List<Alarm> alarms = new ArrayList<>();

  /**
   * Where asynchronous invocations that failed for good go (the coordinator's, the backfills'),
   * alarmed on its depth: the on-failure destination of those functions' live aliases.
   */
  final software.amazon.awscdk.services.sqs.Queue asyncFailures;

  Monitoring(Stack stack, TrailqueryConfig config) {
    this.stack = stack;
    topic = Topic.Builder.create(stack, "AlarmTopic").enforceSsl(true).build();
    // A topic policy replaces SNS's default one: without this statement the stack's own CloudWatch
    // alarms could not publish (only this account's alarms may).
    topic.addToResourcePolicy(
        software.amazon.awscdk.services.iam.PolicyStatement.Builder.create()
            .sid("CloudWatchAlarmsPublish")
            .effect(software.amazon.awscdk.services.iam.Effect.ALLOW)
            .principals(
                List.of(
                    new software.amazon.awscdk.services.iam.ServicePrincipal(
                        "cloudwatch.amazonaws.com")))
            .actions(List.of("sns:Publish"))
            .resources(List.of(topic.getTopicArn()))
            .conditions(
                Map.of(
                    "StringEquals",
                    Map.of("aws:SourceAccount", stack.getAccount()),
                    "ArnLike",
                    Map.of(
                        "aws:SourceArn",
                        stack.formatArn(
                            software.amazon.awscdk.ArnComponents.builder()
                                .service("cloudwatch")
                                .resource("alarm")
                                .resourceName("*")
                                .arnFormat(software.amazon.awscdk.ArnFormat.COLON_RESOURCE_NAME)
                                .build()))))
            .build());
    asyncFailures =
        software.amazon.awscdk.services.sqs.Queue.Builder.create(stack, "AsyncFailureQueue")
            .encryption(software.amazon.awscdk.services.sqs.QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(Duration.days(14))
            .build();
    if (config.alarmEmail() != null) {
      topic.addSubscription(new EmailSubscription(config.alarmEmail()));
    }
  }

  /** The alarms on the ingest queues and on every function's errors. */
  void watch(IngestPipeline ingest, Map<String, TrailqueryStack.Fn> functions) {
    MetricOptions max5 =
        MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build();
    alarm(
        "DeadLetterQueueAlarm",
        "CloudTrail objects that ingest gave up on (messages in the DLQ)",
        ingest.deadLetterQueue.metricApproximateNumberOfMessagesVisible(max5),
        1);
    alarm(
        "AsyncFailureAlarm",
        "an asynchronous invocation failed for good (a coordinator or a backfill; messages in the"
            + " async-failure queue)",
        asyncFailures.metricApproximateNumberOfMessagesVisible(max5),
        1);
    alarm(
        "IngestQueueAgeAlarm",
        "ingest is falling behind (oldest notification older than 15 minutes)",
        ingest.queue.metricApproximateAgeOfOldestMessage(max5),
        900);
    for (var e : functions.entrySet()) {
      alarm(
          e.getKey() + "ErrorsAlarm",
          "the " + e.getKey().toLowerCase() + " function failed",
          e.getValue()
              .function()
              .metricErrors(
                  MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build()),
          1);
    }
  }

  private void alarm(String id, String description, IMetric metric, double threshold) {
    Alarm a =
        Alarm.Builder.create(stack, id)
            .alarmDescription("trailquery: " + description)
            .metric(metric)
            .threshold(threshold)
            .evaluationPeriods(1)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .build();
    a.addAlarmAction(new SnsAction(topic));
    alarms.add(a);
  }
}
