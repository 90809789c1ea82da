package dev.trailquery.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.CfnRole;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.IConstruct;

/**
 * Narrows the IAM of CDK's bucket-notifications custom resource, the deploy-time Lambda that merges
 * the ingest queue's ObjectCreated rule into the bucket's notification configuration (keeping the
 * rules others put there). CDK already scopes its {@code s3:GetBucketNotification} and {@code
 * s3:PutBucketNotification} to the one bucket; it also attaches AWSLambdaBasicExecutionRole, which
 * allows writing to every log group. Here that managed policy goes, and the handler logs to its own
 * log group, the only one its role may write to.
 */
final class NotificationsHandler {
  private NotificationsHandler() {}

  /** The construct id CDK gives its singleton handler (aws-s3/lib/notifications-resource). */
  static final String HANDLER_ID = "BucketNotificationsHandler050a0587b7544547bf325f094a3db834";

  static LogGroup tighten(Stack stack) {
    IConstruct handler = stack.getNode().tryFindChild(HANDLER_ID);
    if (handler == null) {
      throw new IllegalStateException("no bucket notifications handler in " + stack);
    }
    IRole role = (IRole) handler.getNode().findChild("Role");
    ((CfnRole) role.getNode().getDefaultChild()).setManagedPolicyArns(null);
    LogGroup logs =
        LogGroup.Builder.create(stack, "BucketNotificationsHandlerLogs")
            .retention(RetentionDays.ONE_MONTH)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .effect(Effect.ALLOW)
            .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
            .resources(List.of(logs.getLogGroupArn()))
            .build());
    CfnResource fn = (CfnResource) handler.getNode().findChild("Resource");
    fn.addPropertyOverride("LoggingConfig", Map.of("LogGroup", logs.getLogGroupName()));
    return logs;
  }
}
