package dev.trailquery.functions.aws;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * AWS SDK clients configured the trailquery way: the lightweight URLConnection HTTP client, the
 * default credential and region chains, endpoints from the SDK's standard {@code
 * AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL} variables, and path-style S3 addressing when an
 * endpoint is set (S3-compatible servers rarely support virtual-hosted buckets).
 */
public final class AwsClients {
  private AwsClients() {}

  public static S3Client s3() {
    boolean customEndpoint =
        System.getenv("AWS_ENDPOINT_URL_S3") != null || System.getenv("AWS_ENDPOINT_URL") != null;
    return S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .forcePathStyle(customEndpoint)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /**
   * DynamoDB; {@code AWS_ENDPOINT_URL_DYNAMODB} (or {@code AWS_ENDPOINT_URL}) sets the endpoint.
   */
  public static DynamoDbClient dynamo() {
    return DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }
}
