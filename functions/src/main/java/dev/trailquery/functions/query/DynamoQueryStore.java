package dev.trailquery.functions.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Queries in DynamoDB, one item each ({@code pk = "query"}, {@code sk = queryId}; ids sort by time
 * so the newest come first), with a {@code ttl} 7 days after the start. Results are gzipped JSON in
 * the item; over {@link #MAX_INLINE_RESULTS} bytes they go to S3 ({@code resultsKey}) — the bucket
 * should expire them after 7 days too. Saved queries share the table ({@link
 * DynamoSavedQueryStore}).
 */
public final class DynamoQueryStore implements QueryStore {
  /** Gzipped results kept in the item; DynamoDB items are at most 400 KB. */
  static final int MAX_INLINE_RESULTS = 350_000;

  private static final String QUERY = "query";
  private static final Map<String, String> STATUS = Map.of("#s", "status");

  private final DynamoDbClient ddb;
  private final String table;
  private final S3Client s3;
  private final String resultsBucket;
  private final String resultsPrefix;
  private final LongSupplier clock;

  public DynamoQueryStore(
      DynamoDbClient ddb,
      String table,
      S3Client s3,
      String resultsBucket,
      String resultsPrefix,
      LongSupplier clock) {
    this.ddb = ddb;
    this.table = table;
    this.s3 = s3;
    this.resultsBucket = resultsBucket;
    this.resultsPrefix = resultsPrefix == null ? "" : resultsPrefix;
    this.clock = clock;
  }

  /** Creates the table (pk, sk strings; on-demand) unless it exists: for local servers. */
  public static void createTable(DynamoDbClient ddb, String table) {
    try {
      ddb.createTable(
          CreateTableRequest.builder()
              .tableName(table)
              .billingMode(BillingMode.PAY_PER_REQUEST)
              .attributeDefinitions(
                  AttributeDefinition.builder()
                      .attributeName("pk")
                      .attributeType(ScalarAttributeType.S)
                      .build(),
                  AttributeDefinition.builder()
                      .attributeName("sk")
                      .attributeType(ScalarAttributeType.S)
                      .build())
              .keySchema(
                  KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                  KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
              .build());
    } catch (ResourceInUseException e) {
      // already there
    }
  }

  static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of("pk", s(pk), "sk", s(sk));
  }

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  private Map<String, AttributeValue> item(QueryRecord r) {
    Map<String, AttributeValue> item = new HashMap<>(key(QUERY, r.queryId()));
    item.put("request", s(RecordCodec.request(r.request())));
    item.put("status", s(r.status().name()));
    item.put("createTime", n(r.createTime()));
    item.put("finishTime", n(r.finishTime()));
    item.put("stats", s(RecordCodec.stats(r.statistics())));
    item.put("warnings", s(RecordCodec.strings(r.warnings())));
    if (r.message() != null) {
      item.put("message", s(r.message()));
    }
    if (r.createdBy() != null) {
      item.put("createdBy", s(r.createdBy()));
    }
    byte[] results = RecordCodec.results(r.results());
    if (results.length > MAX_INLINE_RESULTS && s3 != null && resultsBucket != null) {
      String k = resultsPrefix + r.queryId() + ".json.gz";
      s3.putObject(
          PutObjectRequest.builder().bucket(resultsBucket).key(k).build(),
          RequestBody.fromBytes(results));
      item.put("resultsKey", s(k));
    } else {
      item.put("results", AttributeValue.fromB(SdkBytes.fromByteArray(results)));
    }
    item.put("ttl", n((r.createTime() + RETENTION_MILLIS) / 1000));
    return item;
  }

  private QueryRecord record(Map<String, AttributeValue> item, boolean withResults) {
    List<List<ResultField>> results = List.of();
    if (withResults) {
      if (item.containsKey("resultsKey")) {
        byte[] gz =
            s3.getObjectAsBytes(
                    GetObjectRequest.builder()
                        .bucket(resultsBucket)
                        .key(item.get("resultsKey").s())
                        .build())
                .asByteArray();
        results = RecordCodec.results(gz);
      } else if (item.containsKey("results")) {
        results = RecordCodec.results(item.get("results").b().asByteArray());
      }
    }
    return new QueryRecord(
        item.get("sk").s(),
        RecordCodec.request(item.get("request").s()),
        QueryStatus.valueOf(item.get("status").s()),
        Long.parseLong(item.get("createTime").n()),
        Long.parseLong(item.get("finishTime").n()),
        RecordCodec.stats(item.get("stats").s()),
        results,
        RecordCodec.strings(item.get("warnings").s()),
        item.containsKey("message") ? item.get("message").s() : null,
        item.containsKey("createdBy") ? item.get("createdBy").s() : null);
  }

  private boolean expired(Map<String, AttributeValue> item) {
    return item.containsKey("ttl")
        && Long.parseLong(item.get("ttl").n()) * 1000 < clock.getAsLong();
  }

  @Override
  public void create(QueryRecord record) {
    ddb.putItem(PutItemRequest.builder().tableName(table).item(item(record)).build());
  }

  @Override
  public Optional<QueryRecord> get(String queryId) {
    var item =
        ddb.getItem(b -> b.tableName(table).key(key(QUERY, queryId)).consistentRead(true)).item();
    if (item == null || item.isEmpty() || expired(item)) {
      return Optional.empty();
    }
    return Optional.of(record(item, true));
  }

  @Override
  public boolean progress(QueryRecord record) {
    try {
      ddb.putItem(
          PutItemRequest.builder()
              .tableName(table)
              .item(item(record))
              .conditionExpression("#s IN (:a, :b)")
              .expressionAttributeNames(STATUS)
              .expressionAttributeValues(
                  Map.of(
                      ":a", s(QueryStatus.Scheduled.name()), ":b", s(QueryStatus.Running.name())))
              .build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  @Override
  public void finish(QueryRecord record) {
    create(record);
  }

  @Override
  public boolean cancel(String queryId, long now) {
    try {
      ddb.updateItem(
          UpdateItemRequest.builder()
              .tableName(table)
              .key(key(QUERY, queryId))
              .updateExpression("SET #s = :c, finishTime = :now, message = :m")
              .conditionExpression("#s IN (:a, :b)")
              .expressionAttributeNames(STATUS)
              .expressionAttributeValues(
                  Map.of(
                      ":a", s(QueryStatus.Scheduled.name()),
                      ":b", s(QueryStatus.Running.name()),
                      ":c", s(QueryStatus.Cancelled.name()),
                      ":now", n(now),
                      ":m", s("stopped by request")))
              .build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /**
   * One Query of the ids from {@code sinceMillis} on (UUIDv7 ids sort by start time), only the
   * unfinished ones, without their results.
   */
  @Override
  public List<QueryRecord> running(long sinceMillis) {
    String from = new java.util.UUID(Math.max(0, sinceMillis) << 16, 0).toString();
    var req =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("pk = :pk AND sk >= :from")
            .filterExpression("#s IN (:a, :b)")
            .projectionExpression("#pk, #sk, #rq, #s, #ct, #ft, #st, #w, #m, #cb, #t")
            .expressionAttributeNames(
                Map.ofEntries(
                    Map.entry("#pk", "pk"),
                    Map.entry("#sk", "sk"),
                    Map.entry("#rq", "request"),
                    Map.entry("#s", "status"),
                    Map.entry("#ct", "createTime"),
                    Map.entry("#ft", "finishTime"),
                    Map.entry("#st", "stats"),
                    Map.entry("#w", "warnings"),
                    Map.entry("#m", "message"),
                    Map.entry("#cb", "createdBy"),
                    Map.entry("#t", "ttl")))
            .expressionAttributeValues(
                Map.of(
                    ":pk", s(QUERY),
                    ":from", s(from),
                    ":a", s(QueryStatus.Scheduled.name()),
                    ":b", s(QueryStatus.Running.name())))
            .build();
    List<QueryRecord> out = new ArrayList<>();
    for (var page : ddb.queryPaginator(req)) {
      for (var item : page.items()) {
        QueryRecord r = record(item, false);
        if (!expired(item) && r.runningSince(sinceMillis)) {
          out.add(r);
        }
      }
    }
    return out;
  }

  @Override
  public List<QueryRecord> recent(int max) {
    List<QueryRecord> out = new ArrayList<>();
    var req =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("pk = :pk")
            .expressionAttributeValues(Map.of(":pk", s(QUERY)))
            .scanIndexForward(false)
            .build();
    for (var page : ddb.queryPaginator(req)) {
      for (var item : page.items()) {
        if (!expired(item)) {
          out.add(record(item, false));
        }
        if (out.size() >= max) {
          return out;
        }
      }
    }
    return out;
  }
}
