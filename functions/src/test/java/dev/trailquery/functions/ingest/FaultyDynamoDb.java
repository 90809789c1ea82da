package dev.trailquery.functions.ingest;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The real DynamoDB client (against dynalite) that dies like a killed Lambda after a number of
 * writes: the write-th write throws {@link Crash}, an Error the handler does not catch.
 */
final class FaultyDynamoDb implements DynamoDbClient {
  /** The simulated death of the process. */
  static final class Crash extends Error {
    Crash() {
      super("simulated crash mid-object");
    }
  }

  private final DynamoDbClient real;
  private final AtomicInteger writesLeft;

  FaultyDynamoDb(DynamoDbClient real, int crashAtWrite) {
    this.real = real;
    this.writesLeft = new AtomicInteger(crashAtWrite);
  }

  boolean crashed() {
    return writesLeft.get() <= 0;
  }

  private void write() {
    if (writesLeft.decrementAndGet() == 0) {
      throw new Crash();
    }
  }

  @Override
  public PutItemResponse putItem(PutItemRequest r) {
    write();
    return real.putItem(r);
  }

  @Override
  public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest r) {
    write();
    return real.batchWriteItem(r);
  }

  @Override
  public software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse updateItem(
      software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest r) {
    write();
    return real.updateItem(r);
  }

  @Override
  public QueryResponse query(QueryRequest r) {
    return real.query(r);
  }

  @Override
  public ScanResponse scan(ScanRequest r) {
    return real.scan(r);
  }

  @Override
  public GetItemResponse getItem(GetItemRequest r) {
    return real.getItem(r);
  }

  @Override
  public DeleteItemResponse deleteItem(DeleteItemRequest r) {
    return real.deleteItem(r);
  }

  @Override
  public String serviceName() {
    return real.serviceName();
  }

  @Override
  public void close() {}
}
