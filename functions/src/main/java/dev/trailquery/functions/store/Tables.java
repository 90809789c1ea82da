package dev.trailquery.functions.store;

import dev.trailquery.contract.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The DynamoDB tables of the ingest path and their key schemas: the one definition that {@code
 * ./trailquery local-init} and the stores use; the key schemas are the contract's ({@link
 * dev.trailquery.contract.Tables}), which the CDK stack uses too. See docs/INGEST.md for the item
 * layout.
 *
 * <ul>
 *   <li>subscriptions: partition key {@code name} (S), one item per subscription;
 *   <li>results: partition key {@code pk} (S), sort key {@code sk} (S), TTL attribute {@code ttl};
 *       per-object partial-state bundles, the day index and skipped objects.
 * </ul>
 */
public final class Tables {
  public static final String SUB_NAME = dev.trailquery.contract.Tables.SUBSCRIPTIONS.partitionKey();
  public static final String PK = dev.trailquery.contract.Tables.RESULTS.partitionKey();
  public static final String SK = dev.trailquery.contract.Tables.RESULTS.sortKey();
  public static final String TTL = dev.trailquery.contract.Tables.RESULTS.ttlAttribute();

  /**
   * Puts {@code item} into the results table {@code table} unless an item with its key is there:
   * the conditional write that makes a claim, a first write or a marker happen once.
   *
   * @return true if this call wrote it, false if the key was taken
   */
  public static boolean putIfAbsent(
      DynamoDbClient db, String table, Map<String, AttributeValue> item) {
    try {
      db.putItem(
          b ->
              b.tableName(table)
                  .item(item)
                  .conditionExpression("attribute_not_exists(#pk)")
                  .expressionAttributeNames(Map.of("#pk", PK)));
      return true;
    } catch (ConditionalCheckFailedException taken) {
      return false;
    }
  }

  /** Environment variable naming the subscriptions table. */
  public static final String ENV_SUBSCRIPTIONS = Env.SUBSCRIPTIONS_TABLE.var();

  /** Environment variable naming the results table. */
  public static final String ENV_RESULTS = Env.RESULTS_TABLE.var();

  /** Environment variable naming the query API's table (queries and saved queries). */
  public static final String ENV_QUERIES = Env.QUERIES_TABLE.var();

  public static final String DEFAULT_SUBSCRIPTIONS = Env.SUBSCRIPTIONS_TABLE.defaultValue();
  public static final String DEFAULT_RESULTS = Env.RESULTS_TABLE.defaultValue();
  public static final String DEFAULT_QUERIES = Env.QUERIES_TABLE.defaultValue();

  private Tables() {}

  /** One table's definition: name, partition key, optional sort key, optional TTL attribute. */
  public record Definition(String name, String partitionKey, String sortKey, String ttlAttribute) {
    public CreateTableRequest createRequest() {
      List<AttributeDefinition> attrs = new ArrayList<>();
      List<KeySchemaElement> keys = new ArrayList<>();
      attrs.add(attr(partitionKey));
      keys.add(
          KeySchemaElement.builder().attributeName(partitionKey).keyType(KeyType.HASH).build());
      if (sortKey != null) {
        attrs.add(attr(sortKey));
        keys.add(KeySchemaElement.builder().attributeName(sortKey).keyType(KeyType.RANGE).build());
      }
      return CreateTableRequest.builder()
          .tableName(name)
          .billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(attrs)
          .keySchema(keys)
          .build();
    }

    private static AttributeDefinition attr(String name) {
      return AttributeDefinition.builder()
          .attributeName(name)
          .attributeType(ScalarAttributeType.S)
          .build();
    }
  }

  public static Definition subscriptions(String name) {
    return of(name, dev.trailquery.contract.Tables.SUBSCRIPTIONS);
  }

  public static Definition results(String name) {
    return of(name, dev.trailquery.contract.Tables.RESULTS);
  }

  private static Definition of(String name, dev.trailquery.contract.Tables.Schema schema) {
    return new Definition(name, schema.partitionKey(), schema.sortKey(), schema.ttlAttribute());
  }

  /**
   * The query API's table (queries and saved queries, {@code DynamoQueryStore}): the same key
   * schema as the results table.
   */
  public static Definition queries(String name) {
    return of(name, dev.trailquery.contract.Tables.QUERIES);
  }

  public static String subscriptionsName() {
    return subscriptionsName(System::getenv);
  }

  public static String resultsName() {
    return resultsName(System::getenv);
  }

  public static String subscriptionsName(Function<String, String> env) {
    return Env.SUBSCRIPTIONS_TABLE.get(env);
  }

  public static String resultsName(Function<String, String> env) {
    return Env.RESULTS_TABLE.get(env);
  }

  public static String queriesName(Function<String, String> env) {
    return Env.QUERIES_TABLE.get(env);
  }

  /**
   * Creates the table if it does not exist and waits until it is active; enables TTL where the
   * server supports it. Returns true when it created the table.
   */
  public static boolean createIfMissing(DynamoDbClient db, Definition def) {
    boolean created = false;
    try {
      db.describeTable(b -> b.tableName(def.name()));
    } catch (ResourceNotFoundException missing) {
      try {
        db.createTable(def.createRequest());
        created = true;
      } catch (ResourceInUseException raced) {
        // created meanwhile by someone else
      }
    }
    for (int i = 0; i < 600; i++) {
      TableStatus status = db.describeTable(b -> b.tableName(def.name())).table().tableStatus();
      if (status == TableStatus.ACTIVE) {
        break;
      }
      sleep(100);
    }
    if (created && def.ttlAttribute() != null) {
      try {
        db.updateTimeToLive(
            b ->
                b.tableName(def.name())
                    .timeToLiveSpecification(
                        t -> t.attributeName(def.ttlAttribute()).enabled(true)));
      } catch (DynamoDbException unsupported) {
        // e.g. dynalite has no UpdateTimeToLive; expired items are also ignored on read
      }
    }
    return created;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
