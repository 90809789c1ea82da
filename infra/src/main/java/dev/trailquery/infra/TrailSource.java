package dev.trailquery.infra;

import dev.trailquery.contract.Keys;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudtrail.CfnTrail;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;

/**
 * Where the trail writes: the user's existing bucket ({@code trailBucket}), or a demo trail of this
 * account and region with its own bucket. Part of {@link TrailqueryStack} (built in the stack's
 * scope, so logical IDs stay those of the deployed stacks).
 */
final class TrailSource {
  final IBucket bucket;

  /** The demo trail's bucket and trail, or null with an existing trail. */
  final Bucket demoBucket;

  final CfnTrail demoTrail;

  TrailSource(Stack stack, TrailqueryConfig config) {
    if (!config.demoTrail()) {
      demoBucket = null;
      demoTrail = null;
      bucket = Bucket.fromBucketName(stack, "TrailBucket", config.trailBucket());
      return;
    }
    demoBucket =
        Bucket.Builder.create(stack, "DemoTrailBucket")
            .encryption(BucketEncryption.S3_MANAGED)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
            .enforceSsl(true)
            .minimumTlsVersion(TrailqueryStack.MINIMUM_TLS)
            .eventBridgeEnabled(config.security().eventBridge())
            .lifecycleRules(
                List.of(LifecycleRule.builder().id("expire").expiration(Duration.days(90)).build()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    // CDK's Trail construct would write the bucket policy without aws:SourceArn (confused-deputy
    // protection); this one names the trail, so CloudTrail may write here for this trail only.
    String trailName = stack.getStackName() + "-demo";
    String trailArn =
        stack.formatArn(
            ArnComponents.builder()
                .service("cloudtrail")
                .resource("trail")
                .resourceName(trailName)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
    ServicePrincipal cloudtrail = new ServicePrincipal("cloudtrail.amazonaws.com");
    demoBucket.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("CloudTrailAclCheck")
            .effect(Effect.ALLOW)
            .principals(List.of(cloudtrail))
            .actions(List.of("s3:GetBucketAcl"))
            .resources(List.of(demoBucket.getBucketArn()))
            .conditions(Map.of("StringEquals", Map.of("aws:SourceArn", trailArn)))
            .build());
    demoBucket.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("CloudTrailWrite")
            .effect(Effect.ALLOW)
            .principals(List.of(cloudtrail))
            .actions(List.of("s3:PutObject"))
            .resources(List.of(demoBucket.arnForObjects(Keys.AWS_LOGS + stack.getAccount() + "/*")))
            .conditions(
                Map.of(
                    "StringEquals",
                    Map.of("aws:SourceArn", trailArn, "s3:x-amz-acl", "bucket-owner-full-control")))
            .build());
    demoTrail =
        CfnTrail.Builder.create(stack, "DemoTrail")
            .trailName(trailName)
            .s3BucketName(demoBucket.getBucketName())
            .isLogging(true)
            .isMultiRegionTrail(false)
            .includeGlobalServiceEvents(true)
            .enableLogFileValidation(true)
            .build();
    demoTrail.getNode().addDependency(demoBucket.getPolicy());
    bucket = demoBucket;
  }

  /** {@code s3:ListBucket} on the trail bucket, only for keys under the trail's log prefix. */
  PolicyStatement listLogs(TrailqueryConfig config) {
    return PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(List.of("s3:ListBucket"))
        .resources(List.of(bucket.getBucketArn()))
        .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(config.logsPrefix() + "*"))))
        .build();
  }

  /**
   * With a KMS-encrypted trail ({@code trailKmsKeyArn}): {@code kms:Decrypt} on that key, only
   * through S3 in this region (the key cannot be used directly with these roles), and only for what
   * a CloudTrail trail encrypted (its encryption context; {@code trailArn} names the trail).
   */
  void grantDecrypt(Stack stack, TrailqueryConfig config, IRole role) {
    if (config.trailKmsKeyArn() == null) {
      return;
    }
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .effect(Effect.ALLOW)
            .actions(List.of("kms:Decrypt"))
            .resources(List.of(config.trailKmsKeyArn()))
            .conditions(
                Map.of(
                    "StringEquals",
                    Map.of("kms:ViaService", "s3." + stack.getRegion() + ".amazonaws.com"),
                    "StringLike",
                    Map.of(
                        "kms:EncryptionContext:aws:cloudtrail:arn",
                        config.security().trailArn() != null
                            ? config.security().trailArn()
                            : "arn:" + stack.getPartition() + ":cloudtrail:*:*:trail/*")))
            .build());
  }

  /**
   * The trail's log objects (for {@code s3:GetObject}): CloudTrail's own keys ({@code
   * [prefix/]AWSLogs/[o-org/]ACCOUNT/CloudTrail/...}), not all of {@code AWSLogs/}, where Config,
   * ELB and flow logs live too.
   */
  String logObjects(TrailqueryConfig config) {
    return bucket.arnForObjects(config.logsPrefix() + TrailqueryStack.CLOUDTRAIL_KEYS);
  }
}
