package dev.trailquery.functions.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;

class EmulatorsTest {
  @Test
  void s3ProxyStoresAndReturnsAnObject() {
    try (S3Client s3 = Emulators.s3()) {
      s3.createBucket(b -> b.bucket("emulators-test"));
      s3.putObject(b -> b.bucket("emulators-test").key("a/b.json"), RequestBody.fromString("{}"));
      assertThat(
              s3.getObjectAsBytes(b -> b.bucket("emulators-test").key("a/b.json")).asUtf8String())
          .isEqualTo("{}");
    }
  }

  @Test
  void dynaliteStoresAndReturnsAnItem() {
    try (DynamoDbClient db = Emulators.dynamo()) {
      db.createTable(
          b ->
              b.tableName("emulators-test")
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName("pk")
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder()
                          .attributeName("pk")
                          .keyType(KeyType.HASH)
                          .build()));
      db.waiter().waitUntilTableExists(b -> b.tableName("emulators-test"));
      db.putItem(
          b ->
              b.tableName("emulators-test")
                  .item(Map.of("pk", AttributeValue.fromS("x"), "v", AttributeValue.fromN("42"))));
      assertThat(
              db.getItem(
                      b ->
                          b.tableName("emulators-test")
                              .key(Map.of("pk", AttributeValue.fromS("x")))
                              .consistentRead(true))
                  .item()
                  .get("v")
                  .n())
          .isEqualTo("42");
    }
  }
}
