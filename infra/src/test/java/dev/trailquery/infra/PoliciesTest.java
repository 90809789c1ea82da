package dev.trailquery.infra;

import static dev.trailquery.infra.Cfn.allow;
import static dev.trailquery.infra.Cfn.allowIf;
import static dev.trailquery.infra.Cfn.arn;
import static dev.trailquery.infra.Cfn.join;
import static dev.trailquery.infra.Cfn.ref;
import static dev.trailquery.infra.Cfn.s3Arn;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * Every IAM statement of every role, written by hand from the design (docs/DEPLOY.md, "What each
 * function may do"), compared with the synthesized template as a whole: a statement more or less
 * fails.
 */
class PoliciesTest {
  private static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private final TrailqueryStack stack = TestStacks.stack(TestStacks.EXISTING);
  private final Template t = TestStacks.template(stack);

  private String id(IConstruct c) {
    return Cfn.id(stack, c);
  }

  private Map<String, Object> logs(String fn) {
    return allow(
        List.of("logs:CreateLogStream", "logs:PutLogEvents"), arn(id(stack.fn(fn).logGroup())));
  }

  /** Only through S3 in this region, and only for objects a CloudTrail trail encrypted (S7). */
  private static Map<String, Object> kmsDecrypt() {
    return allowIf(
        List.of("kms:Decrypt"),
        Map.of(
            "StringEquals",
            Map.of("kms:ViaService", join("s3.", Cfn.region(), ".amazonaws.com")),
            "StringLike",
            Map.of(
                "kms:EncryptionContext:aws:cloudtrail:arn",
                join("arn:", Cfn.partition(), ":cloudtrail:*:*:trail/*"))),
        KEY);
  }

  /** CloudTrail's keys under the trail's prefix, not all of AWSLogs/ (S7). */
  private static final Map<String, Object> TRAIL_OBJECTS =
      s3Arn("acme-cloudtrail/org/AWSLogs/*/CloudTrail/*");

  /** The on-failure destination of asynchronous invocations (S9). */
  private Map<String, Object> sendFailures() {
    return allow(
        List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
        arn(id(stack.asyncFailureQueue())));
  }

  private List<Map<String, Object>> statements(String fn) {
    return Cfn.roleStatements(t, id(stack.fn(fn).role()));
  }

  private Map<String, Object> queryResults() {
    return join(arn(id(stack.resultsBucket())), "/query-results/*");
  }

  private Map<String, Object> blocks() {
    return join(arn(id(stack.resultsBucket())), "/blocks/*");
  }

  private Map<String, Object> listBlocks() {
    return allowIf(
        List.of("s3:ListBucket"),
        Map.of("StringLike", Map.of("s3:prefix", List.of("blocks/*"))),
        arn(id(stack.resultsBucket())));
  }

  /** Worker partial states over the inline bound of a Lambda response. */
  private Map<String, Object> spilledStates() {
    return join(arn(id(stack.resultsBucket())), "/query-results/spill/*");
  }

  private Map<String, Object> lookupTables() {
    return join(arn(id(stack.resultsBucket())), "/lookup-tables/*");
  }

  @Test
  void ingestReadsTheTrailPrefixConsumesItsQueueReadsSubscriptionsWritesAggregates() {
    assertThat(statements("Ingest"))
        .containsExactlyInAnyOrder(
            logs("Ingest"),
            allow(List.of("s3:GetObject"), TRAIL_OBJECTS),
            sendFailures(),
            allow(
                List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
                arn(id(stack.ingestQueue()))),
            allow(
                List.of("dynamodb:GetItem", "dynamodb:Scan"), arn(id(stack.subscriptionsTable()))),
            allow(
                List.of(
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:BatchWriteItem",
                    "dynamodb:Query"),
                arn(id(stack.aggregatesTable()))),
            // subscription alarms publish to the stack's alarm topic only
            allow(List.of("sns:Publish"), ref(id(stack.alarmTopic()))),
            // backfill lists the trail's prefix
            allowIf(
                List.of("s3:ListBucket"),
                Map.of("StringLike", Map.of("s3:prefix", List.of("org/AWSLogs/*"))),
                s3Arn("acme-cloudtrail")),
            kmsDecrypt());
  }

  @Test
  void compactorReadsTheTrailPrefixAndWritesOnlyBlocksInTheStacksBucket() {
    assertThat(statements("Compactor"))
        .containsExactlyInAnyOrder(
            logs("Compactor"),
            allowIf(
                List.of("s3:ListBucket"),
                Map.of("StringLike", Map.of("s3:prefix", List.of("org/AWSLogs/*"))),
                s3Arn("acme-cloudtrail")),
            allow(List.of("s3:GetObject"), TRAIL_OBJECTS),
            kmsDecrypt(),
            listBlocks(),
            allow(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), blocks()));
  }

  @Test
  void sealListsSubscriptionsAndReadsAndWritesOnlyTheAggregatesTable() {
    assertThat(statements("Seal"))
        .containsExactlyInAnyOrder(
            logs("Seal"),
            allow(List.of("dynamodb:Scan"), arn(id(stack.subscriptionsTable()))),
            allow(
                List.of(
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:Query"),
                arn(id(stack.aggregatesTable()))));
  }

  @Test
  void workerOnlyReadsTheTrailPrefix() {
    assertThat(statements("Worker"))
        .containsExactlyInAnyOrder(
            logs("Worker"),
            allow(List.of("s3:GetObject"), TRAIL_OBJECTS),
            kmsDecrypt(),
            // compacted blocks' chunks, in the stack's own bucket
            allow(List.of("s3:GetObject"), blocks()),
            allow(List.of("s3:PutObject"), spilledStates()));
  }

  @Test
  void coordinatorListsTheTrailPrefixRunsQueryStateAndInvokesOnlyTheWorkerAlias() {
    assertThat(statements("Coordinator"))
        .containsExactlyInAnyOrder(
            logs("Coordinator"),
            allowIf(
                List.of("s3:ListBucket"),
                Map.of("StringLike", Map.of("s3:prefix", List.of("org/AWSLogs/*"))),
                s3Arn("acme-cloudtrail")),
            allow(List.of("dynamodb:GetItem", "dynamodb:PutItem"), arn(id(stack.queriesTable()))),
            allow(List.of("s3:GetObject", "s3:PutObject"), queryResults()),
            allow(List.of("lambda:InvokeFunction"), ref(id(stack.fn("Worker").alias()))),
            sendFailures(),
            // manifests and object lists of compacted blocks (listing: a missing manifest is 404)
            listBlocks(),
            allow(List.of("s3:GetObject"), blocks()),
            allow(List.of("s3:DeleteObject"), spilledStates()),
            // the lookup tables a query uses (sent on to its workers)
            allow(List.of("s3:GetObject"), lookupTables()));
  }

  @Test
  void apiRunsQueriesSavedQueriesSubscriptionsAndStartsOnlyTheCoordinatorAlias() {
    assertThat(statements("Api"))
        .containsExactlyInAnyOrder(
            logs("Api"),
            allow(
                List.of(
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:Query"),
                arn(id(stack.queriesTable()))),
            allow(List.of("s3:GetObject"), queryResults()),
            // PUT|GET|DELETE /lookup-tables/{name}; GET /lookup-tables lists only that prefix
            allow(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), lookupTables()),
            allowIf(
                List.of("s3:ListBucket"),
                Map.of("StringLike", Map.of("s3:prefix", List.of("lookup-tables/*"))),
                arn(id(stack.resultsBucket()))),
            allow(List.of("lambda:InvokeFunction"), ref(id(stack.fn("Coordinator").alias()))),
            // backfills run in the ingest function
            allow(List.of("lambda:InvokeFunction"), ref(id(stack.fn("Ingest").alias()))),
            allow(
                List.of(
                    "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Scan"),
                arn(id(stack.subscriptionsTable()))),
            // subscription results; alarm definitions and states (the same table)
            allow(
                List.of(
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:Query"),
                arn(id(stack.aggregatesTable()))));
  }

  @Test
  void notificationsHandlerTouchesOnlyTheTrailBucketsNotificationsAndItsOwnLogs() {
    String role =
        Cfn.id(
            stack,
            stack.getNode().findChild(NotificationsHandler.HANDLER_ID).getNode().findChild("Role"));
    assertThat(Cfn.roleStatements(t, role))
        .containsExactlyInAnyOrder(
            allow(List.of("s3:PutBucketNotification"), s3Arn("acme-cloudtrail")),
            allow(List.of("s3:GetBucketNotification"), s3Arn("acme-cloudtrail")),
            allow(
                List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                arn(id(stack.notificationsHandlerLogs()))));
  }

  @Test
  void everyRoleIsAssumedByLambdaOnlyAndHasNoManagedPolicy() {
    var roles = Cfn.resources(t, "AWS::IAM::Role");
    assertThat(roles).hasSize(7); // six functions and the notifications handler
    for (var r : roles.values()) {
      Map<String, Object> p = Cfn.props(r);
      assertThat(p).doesNotContainKey("ManagedPolicyArns").doesNotContainKey("Policies");
      assertThat(p.get("AssumeRolePolicyDocument"))
          .isEqualTo(
              Map.of(
                  "Version",
                  "2012-10-17",
                  "Statement",
                  List.of(
                      Map.of(
                          "Action",
                          "sts:AssumeRole",
                          "Effect",
                          "Allow",
                          "Principal",
                          Map.of("Service", "lambda.amazonaws.com")))));
    }
  }

  @Test
  void withoutAKeyNoRoleMayUseKms() {
    TrailqueryStack s =
        TestStacks.stack(Map.of("trailBucket", "acme-cloudtrail", "trailPrefix", "org"));
    Template plain = TestStacks.template(s);
    for (String fn : List.of("Ingest", "Seal", "Worker", "Coordinator", "Api", "Compactor")) {
      assertThat(Cfn.roleStatements(plain, Cfn.id(s, s.fn(fn).role())))
          .allSatisfy(st -> assertThat(st.get("Action").toString()).doesNotContain("kms:"));
    }
  }

  @Test
  void demoTrailGrantsReachTheStacksOwnBucketUnderAwsLogs() {
    TrailqueryStack s = TestStacks.stack(Map.of());
    Template demo = TestStacks.template(s);
    Map<String, Object> objects =
        join(arn(Cfn.id(s, s.demoTrailBucket())), "/AWSLogs/*/CloudTrail/*");
    assertThat(Cfn.roleStatements(demo, Cfn.id(s, s.fn("Worker").role())))
        .containsExactlyInAnyOrder(
            allow(
                List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                arn(Cfn.id(s, s.fn("Worker").logGroup()))),
            allow(List.of("s3:GetObject"), objects),
            allow(
                List.of("s3:GetObject"), join(arn(Cfn.id(s, s.resultsBucket())), "/" + "blocks/*")),
            allow(
                List.of("s3:PutObject"),
                join(arn(Cfn.id(s, s.resultsBucket())), "/query-results/spill/*")));
    assertThat(Cfn.roleStatements(demo, Cfn.id(s, s.fn("Coordinator").role())))
        .contains(
            allowIf(
                List.of("s3:ListBucket"),
                Map.of("StringLike", Map.of("s3:prefix", List.of("AWSLogs/*"))),
                arn(Cfn.id(s, s.demoTrailBucket()))));
  }

  @Test
  void theIngestQueueAcceptsMessagesOnlyFromTheTrailBucketOfThisAccount() {
    var policies = Cfn.resources(t, "AWS::SQS::QueuePolicy");
    assertThat(policies).hasSize(3);
    String queue = id(stack.ingestQueue());
    String dlq = id(stack.deadLetterQueue());
    String failures = id(stack.asyncFailureQueue());
    List<Object> queueStatements = new ArrayList<>();
    List<Object> dlqStatements = new ArrayList<>();
    List<Object> failureStatements = new ArrayList<>();
    for (var p : policies.values()) {
      @SuppressWarnings("unchecked")
      var props = (Map<String, Object>) Cfn.props(p);
      @SuppressWarnings("unchecked")
      var doc = (Map<String, Object>) props.get("PolicyDocument");
      @SuppressWarnings("unchecked")
      var statements = (List<Object>) doc.get("Statement");
      if (props.get("Queues").equals(List.of(ref(queue)))) {
        queueStatements.addAll(statements);
      } else if (props.get("Queues").equals(List.of(ref(failures)))) {
        failureStatements.addAll(statements);
      } else {
        assertThat(props.get("Queues")).isEqualTo(List.of(ref(dlq)));
        dlqStatements.addAll(statements);
      }
    }
    assertThat(queueStatements)
        .containsExactlyInAnyOrder(
            denyWithoutTls("sqs:*", Map.of("AWS", "*"), arn(queue)),
            Map.of(
                "Sid",
                "S3SendsObjectCreated",
                "Effect",
                "Allow",
                "Principal",
                Map.of("Service", "s3.amazonaws.com"),
                "Action",
                "sqs:SendMessage",
                "Resource",
                arn(queue),
                "Condition",
                Map.of(
                    "ArnEquals", Map.of("aws:SourceArn", s3Arn("acme-cloudtrail")),
                    "StringEquals", Map.of("aws:SourceAccount", Cfn.account()))));
    assertThat(dlqStatements)
        .containsExactly(denyWithoutTls("sqs:*", Map.of("AWS", "*"), arn(dlq)));
    assertThat(failureStatements)
        .containsExactly(denyWithoutTls("sqs:*", Map.of("AWS", "*"), arn(failures)));
  }

  /** S6: buckets refuse TLS below 1.2 too. */
  private static Map<String, Object> denyOldTls(Object resource) {
    return Map.of(
        "Action",
        "s3:*",
        "Condition",
        Map.of("NumericLessThan", Map.of("s3:TlsVersion", 1.2)),
        "Effect",
        "Deny",
        "Principal",
        Map.of("AWS", "*"),
        "Resource",
        resource);
  }

  @Test
  void bucketAndTopicPoliciesDenyRequestsWithoutTlsAndLetOnlyThisAccountsAlarmsPublish() {
    var bucketPolicies = Cfn.resources(t, "AWS::S3::BucketPolicy");
    assertThat(bucketPolicies).hasSize(1);
    String results = id(stack.resultsBucket());
    assertThat(Cfn.props(bucketPolicies.values().iterator().next()))
        .isEqualTo(
            Map.of(
                "Bucket",
                ref(results),
                "PolicyDocument",
                Map.of(
                    "Version",
                    "2012-10-17",
                    "Statement",
                    List.of(
                        denyWithoutTls(
                            "s3:*",
                            Map.of("AWS", "*"),
                            List.of(arn(results), join(arn(results), "/*"))),
                        denyOldTls(List.of(arn(results), join(arn(results), "/*")))))));
    var topicPolicies = Cfn.resources(t, "AWS::SNS::TopicPolicy");
    assertThat(topicPolicies).hasSize(1);
    Map<String, Object> deny =
        new java.util.HashMap<>(denyWithoutTls("sns:Publish", "*", ref(id(stack.alarmTopic()))));
    deny.put("Sid", "AllowPublishThroughSSLOnly");
    // S2: the topic policy replaces SNS's default one, so CloudWatch needs its own statement
    Map<String, Object> cloudwatch =
        Map.of(
            "Sid",
            "CloudWatchAlarmsPublish",
            "Effect",
            "Allow",
            "Principal",
            Map.of("Service", "cloudwatch.amazonaws.com"),
            "Action",
            "sns:Publish",
            "Resource",
            ref(id(stack.alarmTopic())),
            "Condition",
            Map.of(
                "StringEquals",
                Map.of("aws:SourceAccount", Cfn.account()),
                "ArnLike",
                Map.of(
                    "aws:SourceArn",
                    join(
                        "arn:",
                        Cfn.partition(),
                        ":cloudwatch:",
                        Cfn.region(),
                        ":",
                        Cfn.account(),
                        ":alarm:*"))));
    assertThat(Cfn.props(topicPolicies.values().iterator().next()))
        .isEqualTo(
            Map.of(
                "Topics",
                List.of(ref(id(stack.alarmTopic()))),
                "PolicyDocument",
                Map.of("Version", "2012-10-17", "Statement", List.of(deny, cloudwatch))));
  }

  @Test
  void demoTrailBucketLetsOnlyCloudTrailOfThisTrailWrite() {
    TrailqueryStack s = TestStacks.stack(Map.of());
    Template demo = TestStacks.template(s);
    String bucket = Cfn.id(s, s.demoTrailBucket());
    String trail = Cfn.id(s, s.demoTrail());
    var policies = Cfn.resources(demo, "AWS::S3::BucketPolicy");
    @SuppressWarnings("unchecked")
    List<Object> statements =
        policies.values().stream()
            .map(Cfn::props)
            .filter(p -> p.get("Bucket").equals(ref(bucket)))
            .map(
                p ->
                    (List<Object>) ((Map<String, Object>) p.get("PolicyDocument")).get("Statement"))
            .findFirst()
            .orElseThrow();
    Map<String, Object> trailArn =
        join(
            "arn:",
            Cfn.partition(),
            ":cloudtrail:",
            Cfn.region(),
            ":",
            Cfn.account(),
            ":trail/Trailquery-demo");
    assertThat(statements)
        .containsExactly(
            denyWithoutTls(
                "s3:*", Map.of("AWS", "*"), List.of(arn(bucket), join(arn(bucket), "/*"))),
            denyOldTls(List.of(arn(bucket), join(arn(bucket), "/*"))),
            Map.of(
                "Sid",
                "CloudTrailAclCheck",
                "Action",
                "s3:GetBucketAcl",
                "Effect",
                "Allow",
                "Principal",
                Map.of("Service", "cloudtrail.amazonaws.com"),
                "Resource",
                arn(bucket),
                "Condition",
                Map.of("StringEquals", Map.of("aws:SourceArn", trailArn))),
            Map.of(
                "Sid",
                "CloudTrailWrite",
                "Action",
                "s3:PutObject",
                "Effect",
                "Allow",
                "Principal",
                Map.of("Service", "cloudtrail.amazonaws.com"),
                "Resource",
                join(arn(bucket), "/AWSLogs/", Cfn.account(), "/*"),
                "Condition",
                Map.of(
                    "StringEquals",
                    Map.of(
                        "aws:SourceArn", trailArn, "s3:x-amz-acl", "bucket-owner-full-control"))));
    assertThat(trail).isEqualTo("DemoTrail");
  }

  /** No Allow anywhere in the template grants an action with a wildcard. */
  @Test
  void noAllowStatementHasAWildcardAction() {
    for (Template tpl : List.of(t, TestStacks.template(TestStacks.stack(Map.of())))) {
      List<String> actions = new ArrayList<>();
      collectAllowedActions(tpl.toJSON(), actions);
      assertThat(actions).isNotEmpty().noneMatch(a -> a.contains("*"));
    }
  }

  @SuppressWarnings("unchecked")
  private static void collectAllowedActions(Object node, List<String> out) {
    if (node instanceof Map<?, ?> m) {
      if ("Allow".equals(m.get("Effect")) && m.containsKey("Action")) {
        Object a = m.get("Action");
        if (a instanceof List<?> l) {
          l.forEach(x -> out.add(String.valueOf(x)));
        } else {
          out.add(String.valueOf(a));
        }
      }
      ((Map<String, Object>) m).values().forEach(v -> collectAllowedActions(v, out));
    } else if (node instanceof List<?> l) {
      l.forEach(v -> collectAllowedActions(v, out));
    }
  }

  private static Map<String, Object> denyWithoutTls(
      String action, Object principal, Object resource) {
    return Map.of(
        "Action", action,
        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")),
        "Effect", "Deny",
        "Principal", principal,
        "Resource", resource);
  }
}
