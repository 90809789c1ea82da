package dev.trailquery.infra;

import dev.trailquery.contract.Keys;
import dev.trailquery.contract.LambdaFunction;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnElement;
import software.constructs.IConstruct;

/**
 * The stack's cdk-nag (AwsSolutions pack) suppressions, each with the reason a reviewer can check.
 * Every wildcard suppression names the exact resource pattern it applies to, so a new wildcard
 * still fails the synth.
 */
final class NagRules {
  private NagRules() {}

  static void suppress(TrailqueryStack stack) {
    TrailqueryConfig cfg = stack.config();

    // Trail log objects: the functions read objects whose names they learn at run time (S3
    // notifications, the coordinator's listing), so the grant is a key prefix.
    String trailObjects =
        cfg.demoTrail()
            ? "Resource::<"
                + logicalId(stack, stack.demoTrailBucket())
                + ".Arn>/AWSLogs/"
                + TrailqueryStack.CLOUDTRAIL_KEYS
            : "Resource::arn:<AWS::Partition>:s3:::"
                + cfg.trailBucket()
                + "/"
                + cfg.logsPrefix()
                + TrailqueryStack.CLOUDTRAIL_KEYS;
    for (String fn : List.of("Ingest", "Worker")) {
      NagSuppressions.addResourceSuppressions(
          stack.fn(fn).role(),
          List.of(
              suppression(
                  "AwsSolutions-IAM5",
                  "s3:GetObject on CloudTrail's keys under the trail's log prefix only ("
                      + cfg.logsPrefix()
                      + TrailqueryStack.CLOUDTRAIL_KEYS
                      + "): object keys are known only at run time (S3 notifications, listings)"
                      + " and CloudTrail writes a new key every few minutes per account and region.",
                  trailObjects)),
          true);
    }
    String queryResults =
        "Resource::<"
            + logicalId(stack, stack.resultsBucket())
            + ".Arn>/"
            + Keys.QUERY_RESULTS_PREFIX
            + "*";
    String lookupTables =
        "Resource::<"
            + logicalId(stack, stack.resultsBucket())
            + ".Arn>/"
            + Keys.LOOKUP_TABLES_PREFIX
            + "*";
    for (String fn : List.of("Coordinator", "Api")) {
      NagSuppressions.addResourceSuppressions(
          stack.fn(fn).role(),
          List.of(
              suppression(
                  "AwsSolutions-IAM5",
                  "Query results over 350 KB go to one object per query id under "
                      + Keys.QUERY_RESULTS_PREFIX
                      + " in this stack's own results bucket; ids are made at run time.",
                  queryResults),
              suppression(
                  "AwsSolutions-IAM5",
                  "Lookup tables are one object per table name under "
                      + Keys.LOOKUP_TABLES_PREFIX
                      + " in this stack's own results bucket; users name them at run time"
                      + " (PUT /lookup-tables/{name}).",
                  lookupTables)),
          true);
    }
    for (String fn : List.of("Worker", "Coordinator")) {
      NagSuppressions.addResourceSuppressions(
          stack.fn(fn).role(),
          List.of(
              suppression(
                  "AwsSolutions-IAM5",
                  "A worker's partial state over 3 MiB (its Lambda response is limited to 6 MB)"
                      + " is one object under "
                      + Keys.QUERY_RESULTS_PREFIX
                      + "spill/ with a name made at run time; the coordinator reads and deletes"
                      + " it.",
                  queryResults.replace(Keys.QUERY_RESULTS_PREFIX + "*", "")
                      + Keys.QUERY_RESULTS_PREFIX
                      + "spill/*")),
          true);
    }

    // Compacted blocks: hour folders and generations named at run time under blocks/ in the
    // stack's own bucket; the compactor also reads the trail's log objects like the worker.
    String blocks =
        "Resource::<"
            + logicalId(stack, stack.resultsBucket())
            + ".Arn>/"
            + Keys.BLOCKS_PREFIX
            + "*";
    String blocksReason =
        "Compacted trail blocks live under "
            + Keys.BLOCKS_PREFIX
            + " in this stack's own bucket, one folder per hour and generation named at run time.";
    NagSuppressions.addResourceSuppressions(
        stack.fn("Compactor").role(),
        List.of(
            suppression(
                "AwsSolutions-IAM5",
                "s3:GetObject on the trail's log prefix only ("
                    + cfg.logsPrefix()
                    + "*): the compactor reads the objects a listing of each hour finds. "
                    + blocksReason,
                trailObjects,
                blocks)),
        true);
    for (String fn : List.of("Worker", "Coordinator")) {
      NagSuppressions.addResourceSuppressions(
          stack.fn(fn).role(),
          List.of(suppression("AwsSolutions-IAM5", blocksReason, blocks)),
          true);
    }

    NagSuppressions.addResourceSuppressions(
        stack.resultsBucket(),
        List.of(
            suppression(
                "AwsSolutions-S1",
                "Holds only query results (expired after 7 days) and compacted copies of the"
                    + " trail (blocks/, expired with the aggregates), written and read by this"
                    + " stack's functions; API access logs record every request that reads"
                    + " results. An access-log bucket would cost more than the data it audits.")),
        false);
    if (cfg.demoTrail()) {
      NagSuppressions.addResourceSuppressions(
          stack.demoTrailBucket(),
          List.of(
              suppression(
                  "AwsSolutions-S1",
                  "Demo trail bucket (no trailBucket given): CloudTrail writes it, expires after"
                      + " 90 days. Production installs point trailquery at their existing trail"
                      + " bucket, whose logging policy is theirs.")),
          false);
    }

    NagSuppressions.addResourceSuppressions(
        stack.api(),
        List.of(
            suppression(
                "AwsSolutions-APIG2",
                "The handler validates every request body and parameter itself and answers 400"
                    + " with the position of the error in the query; an API Gateway model could"
                    + " only check JSON shapes, not the query language."),
            suppression(
                "AwsSolutions-COG4",
                "Every method uses IAM (SigV4) authorization: callers are IAM principals of the"
                    + " account, as with the Logs Insights API itself; no user pool is involved."),
            suppression(
                "AwsSolutions-APIG3",
                "IAM authorization rejects unsigned requests before they reach the function, and"
                    + " the stage is throttled; a WAF web ACL (from $5/month) can be associated"
                    + " by the account owner if wanted.")),
        true);

    // The reader and admin policies: execute-api:Invoke on method ARNs, each path parameter a '*'
    // (a query id, a saved query or subscription name is known only when called).
    String apiArn =
        "Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<"
            + logicalId(stack, stack.api())
            + ">/"
            + ApiAccess.STAGE
            + "/";
    for (var policy : stack.rolePolicies()) {
      boolean reader = policy.getNode().getId().equals("ReaderPolicy");
      List<String> wildcards = new ArrayList<>();
      for (dev.trailquery.contract.Route r : dev.trailquery.contract.Route.values()) {
        String arn = apiArn + r.method() + ApiAccess.arnPath(r.path());
        if (r.path().contains("{")
            && (!reader || ApiAccess.reader(r))
            && !wildcards.contains(arn)) {
          wildcards.add(arn);
        }
      }
      NagSuppressions.addResourceSuppressions(
          policy,
          List.of(
              suppression(
                  "AwsSolutions-IAM5",
                  "execute-api:Invoke on the API's method ARNs: each path parameter (a query id,"
                      + " a saved query or subscription name) is a '*' because callers name them"
                      + " at run time; methods and routes are listed one by one.",
                  wildcards.toArray(String[]::new))),
          false);
    }
    NagSuppressions.addResourceSuppressions(
        stack.asyncFailureQueue(),
        List.of(
            suppression(
                "AwsSolutions-SQS3",
                "This queue is itself the dead-letter destination of the coordinator's and the"
                    + " backfills' asynchronous invocations (Lambda on-failure destination),"
                    + " alarmed on its depth.")),
        false);

    if (cfg.createApiGatewayLogsRole()) {
      NagSuppressions.addResourceSuppressions(
          stack.api().getNode().findChild("CloudWatchRole"),
          List.of(
              suppression(
                  "AwsSolutions-IAM4",
                  "Only with -c createApiGatewayLogsRole=true: the region-wide role API Gateway"
                      + " assumes to write execution and access logs of every API in the account"
                      + " needs AmazonAPIGatewayPushToCloudWatchLogs (log groups it writes are"
                      + " named by API Gateway at run time).",
                  "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                      + "AmazonAPIGatewayPushToCloudWatchLogs")),
          false);
    }

    // SnapStart runs on the published version each alias points at (never on $LATEST).
    for (TrailqueryStack.Fn fn : stack.functions().values()) {
      Annotations.of(fn.function())
          .acknowledgeWarning(
              "@aws-cdk/aws-lambda:snapStartRequirePublish",
              "every caller invokes the '"
                  + LambdaFunction.ALIAS
                  + "' alias of a published version");
    }
  }

  private static NagPackSuppression suppression(String id, String reason, String... appliesTo) {
    NagPackSuppression.Builder b = NagPackSuppression.builder().id(id).reason(reason);
    if (appliesTo.length > 0) {
      b.appliesTo(new ArrayList<>(List.of(appliesTo)));
    }
    return b.build();
  }

  private static String logicalId(TrailqueryStack stack, IConstruct construct) {
    return stack.getLogicalId((CfnElement) construct.getNode().getDefaultChild());
  }
}
