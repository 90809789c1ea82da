package dev.trailquery.infra;

import dev.trailquery.contract.Keys;
import dev.trailquery.contract.Tables;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;

/**
 * The state: the three DynamoDB tables (key schemas from the contract) and the bucket of query
 * results too big for a DynamoDB item. All retained when the stack is deleted.
 */
final class Storage {
  final Table subscriptions;
  final Table aggregates;
  final Table queries;
  final Bucket results;

  Storage(Stack stack) {
    subscriptions = table(stack, "SubscriptionsTable", Tables.SUBSCRIPTIONS);
    aggregates = table(stack, "AggregatesTable", Tables.RESULTS);
    queries = table(stack, "QueriesTable", Tables.QUERIES);
    results =
        Bucket.Builder.create(stack, "ResultsBucket")
            .encryption(BucketEncryption.S3_MANAGED)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
            .enforceSsl(true)
            .minimumTlsVersion(TrailqueryStack.MINIMUM_TLS)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("expire-query-results")
                        .prefix(Keys.QUERY_RESULTS_PREFIX)
                        .expiration(Duration.days(7))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
  }

  /** The query results' objects (the only keys the functions may read or write there). */
  String queryResultObjects() {
    return results.arnForObjects(Keys.QUERY_RESULTS_PREFIX + "*");
  }

  /** Worker partial states over the inline bound of a Lambda response, taken once read. */
  String spilledStateObjects() {
    return results.arnForObjects(Keys.QUERY_RESULTS_PREFIX + "spill/*");
  }

  /** The lookup tables' objects ({@code PUT /lookup-tables/{name}}). */
  String lookupTableObjects() {
    return results.arnForObjects(Keys.LOOKUP_TABLES_PREFIX + "*");
  }

  private static Table table(Stack stack, String id, Tables.Schema schema) {
    Table.Builder b =
        Table.Builder.create(stack, id)
            .partitionKey(key(schema.partitionKey()))
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .encryption(TableEncryption.AWS_MANAGED)
            .deletionProtection(false)
            .removalPolicy(RemovalPolicy.RETAIN);
    if (schema.sortKey() != null) {
      b.sortKey(key(schema.sortKey()));
    }
    if (schema.ttlAttribute() != null) {
      b.timeToLiveAttribute(schema.ttlAttribute());
    }
    return b.build();
  }

  private static Attribute key(String name) {
    return Attribute.builder().name(name).type(AttributeType.STRING).build();
  }
}
