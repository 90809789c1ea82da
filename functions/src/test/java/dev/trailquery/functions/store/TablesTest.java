package dev.trailquery.functions.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.functions.testing.Emulators;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** The tables' names from the environment, their key schemas, and creating them on dynalite. */
class TablesTest {
  @Test
  void namesComeFromTheEnvironmentElseTheDefaults() {
    assertThat(Tables.subscriptionsName(k -> null)).isEqualTo("trailquery-subscriptions");
    assertThat(Tables.resultsName(k -> null)).isEqualTo("trailquery-results");
    assertThat(Tables.queriesName(k -> null)).isEqualTo(Tables.DEFAULT_QUERIES);
    Map<String, String> env =
        Map.of(
            "TRAILQUERY_SUBSCRIPTIONS_TABLE", "s1",
            "TRAILQUERY_RESULTS_TABLE", "r1",
            "TRAILQUERY_QUERIES_TABLE", "q1");
    assertThat(Tables.subscriptionsName(env::get)).isEqualTo("s1");
    assertThat(Tables.resultsName(env::get)).isEqualTo("r1");
    assertThat(Tables.queriesName(env::get)).isEqualTo("q1");
    assertThat(Tables.subscriptionsName()).isEqualTo(Tables.subscriptionsName(System::getenv));
    assertThat(Tables.resultsName()).isEqualTo(Tables.resultsName(System::getenv));
  }

  @Test
  void keySchemas() {
    CreateTableRequest subs = Tables.subscriptions("s").createRequest();
    assertThat(subs.tableName()).isEqualTo("s");
    assertThat(subs.keySchema()).hasSize(1);
    assertThat(subs.keySchema().get(0).attributeName()).isEqualTo(Tables.SUB_NAME);
    assertThat(subs.keySchema().get(0).keyType()).isEqualTo(KeyType.HASH);
    assertThat(subs.attributeDefinitions()).hasSize(1);
    CreateTableRequest results = Tables.results("r").createRequest();
    assertThat(results.keySchema())
        .extracting(k -> k.attributeName() + ":" + k.keyType())
        .containsExactly(Tables.PK + ":HASH", Tables.SK + ":RANGE");
    assertThat(results.attributeDefinitions()).hasSize(2);
    assertThat(Tables.results("r").ttlAttribute()).isEqualTo(Tables.TTL);
    assertThat(Tables.queries("q").createRequest().keySchema()).hasSize(2);
  }

  @Test
  void aTableIsCreatedOnceAndIsActiveWhenCreateIfMissingReturns() {
    DynamoDbClient db = Emulators.dynamo();
    String name = "tables-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(Tables.createIfMissing(db, Tables.results(name))).isTrue();
    assertThat(db.describeTable(b -> b.tableName(name)).table().tableStatus())
        .isEqualTo(TableStatus.ACTIVE);
    assertThat(Tables.createIfMissing(db, Tables.results(name))).isFalse();
    Map<String, AttributeValue> item =
        Map.of(Tables.PK, AttributeValue.fromS("p"), Tables.SK, AttributeValue.fromS("s"));
    assertThat(Tables.putIfAbsent(db, name, item)).isTrue();
    assertThat(Tables.putIfAbsent(db, name, item)).isFalse();
  }
}
