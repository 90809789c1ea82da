package dev.trailquery.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.interfaces.s3.IBucketRef;
import software.amazon.awscdk.services.iam.AddToResourcePolicyResult;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BucketNotificationDestinationConfig;
import software.amazon.awscdk.services.s3.BucketNotificationDestinationType;
import software.amazon.awscdk.services.s3.IBucketNotificationDestination;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;
import software.constructs.IDependable;

/**
 * An SQS queue as a bucket notification destination, like CDK's {@code SqsDestination} but with a
 * narrower queue policy: S3 may only {@code sqs:SendMessage} (not {@code GetQueueAttributes} or
 * {@code GetQueueUrl}), only for this bucket ({@code aws:SourceArn}) in this account ({@code
 * aws:SourceAccount}, against a same-named bucket in another account).
 */
final class QueueNotification implements IBucketNotificationDestination {
  private final IQueue queue;

  QueueNotification(IQueue queue) {
    this.queue = queue;
  }

  @Override
  public BucketNotificationDestinationConfig bind(Construct scope, IBucketRef bucket) {
    AddToResourcePolicyResult result =
        queue.addToResourcePolicy(
            PolicyStatement.Builder.create()
                .sid("S3SendsObjectCreated")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("s3.amazonaws.com")))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(queue.getQueueArn()))
                .conditions(
                    Map.of(
                        "ArnEquals", Map.of("aws:SourceArn", bucket.getBucketRef().getBucketArn()),
                        "StringEquals", Map.of("aws:SourceAccount", Stack.of(scope).getAccount())))
                .build());
    List<IDependable> deps = new ArrayList<>();
    if (result.getPolicyDependable() != null) {
      deps.add(result.getPolicyDependable());
    }
    return BucketNotificationDestinationConfig.builder()
        .arn(queue.getQueueArn())
        .type(BucketNotificationDestinationType.QUEUE)
        .dependencies(deps)
        .build();
  }
}
