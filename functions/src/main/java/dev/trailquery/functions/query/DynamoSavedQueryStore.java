package dev.trailquery.functions.query;

import static dev.trailquery.functions.query.DynamoQueryStore.key;
import static dev.trailquery.functions.query.DynamoQueryStore.n;
import static dev.trailquery.functions.query.DynamoQueryStore.s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** Saved queries in the queries table: {@code pk = "saved"}, {@code sk = name}. */
public final class DynamoSavedQueryStore implements SavedQueryStore {
  private static final String SAVED = "saved";

  private final DynamoDbClient ddb;
  private final String table;

  public DynamoSavedQueryStore(DynamoDbClient ddb, String table) {
    this.ddb = ddb;
    this.table = table;
  }

  @Override
  public void put(QueryDefinition q) {
    Map<String, AttributeValue> item = new HashMap<>(key(SAVED, q.name()));
    item.put("queryString", s(q.queryString()));
    if (q.description() != null) {
      item.put("description", s(q.description()));
    }
    item.put("lastModified", n(q.lastModified()));
    if (!q.parameters().isEmpty()) {
      item.put("parameters", s(SavedParameters.toJson(q.parameters())));
    }
    ddb.putItem(PutItemRequest.builder().tableName(table).item(item).build());
  }

  private static QueryDefinition definition(Map<String, AttributeValue> item) {
    return new QueryDefinition(
        item.get("sk").s(),
        item.get("queryString").s(),
        item.containsKey("description") ? item.get("description").s() : null,
        Long.parseLong(item.get("lastModified").n()),
        item.containsKey("parameters")
            ? SavedParameters.fromJson(item.get("parameters").s())
            : java.util.List.of());
  }

  @Override
  public Optional<QueryDefinition> get(String name) {
    var item =
        ddb.getItem(b -> b.tableName(table).key(key(SAVED, name)).consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(definition(item));
  }

  @Override
  public boolean delete(String name) {
    var r =
        ddb.deleteItem(
            b -> b.tableName(table).key(key(SAVED, name)).returnValues(ReturnValue.ALL_OLD));
    return r.attributes() != null && !r.attributes().isEmpty();
  }

  @Override
  public List<QueryDefinition> list() {
    List<QueryDefinition> out = new ArrayList<>();
    var req =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("pk = :pk")
            .expressionAttributeValues(Map.of(":pk", s(SAVED)))
            .build();
    for (var page : ddb.queryPaginator(req)) {
      page.items().forEach(i -> out.add(definition(i)));
    }
    return out;
  }
}
