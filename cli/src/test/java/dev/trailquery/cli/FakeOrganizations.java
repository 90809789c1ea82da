package dev.trailquery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.organizations.OrganizationsClient;

/**
 * A loopback server speaking the part of AWS Organizations' JSON protocol (awsJson1_1, {@code
 * X-Amz-Target: AWSOrganizationsV20161128.ListAccounts}) that {@code lookup-table accounts} uses:
 * accounts in pages of {@code pageSize}, continued with {@code NextToken}. The real SDK client is
 * pointed at it, as {@code FakeSns} does for SNS.
 */
final class FakeOrganizations implements AutoCloseable {
  record Acc(String id, String name, String email, String status) {}

  private static final ObjectMapper M = new ObjectMapper();
  private final HttpServer server;
  final AtomicInteger calls = new AtomicInteger();

  FakeOrganizations(List<Acc> accounts, int pageSize) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          calls.incrementAndGet();
          String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
          JsonNode body = M.readTree(exchange.getRequestBody().readAllBytes());
          int status = 200;
          ObjectNode out = M.createObjectNode();
          if (!"AWSOrganizationsV20161128.ListAccounts".equals(target)) {
            status = 400;
            out.put("__type", "InvalidInputException");
            out.put("Message", "only ListAccounts is implemented: " + target);
          } else {
            int from =
                body.hasNonNull("NextToken") ? Integer.parseInt(body.get("NextToken").asText()) : 0;
            int to = Math.min(accounts.size(), from + pageSize);
            ArrayNode list = out.putArray("Accounts");
            for (Acc a : accounts.subList(from, to)) {
              ObjectNode n = list.addObject();
              n.put("Id", a.id());
              n.put(
                  "Arn",
                  "arn:aws:organizations::" + accounts.getFirst().id() + ":account/o-x/" + a.id());
              n.put("Email", a.email());
              n.put("Name", a.name());
              n.put("Status", a.status());
              n.put("JoinedMethod", "CREATED");
              n.put("JoinedTimestamp", 1.7e9);
            }
            if (to < accounts.size()) {
              out.put("NextToken", Integer.toString(to));
            }
          }
          byte[] bytes = M.writeValueAsBytes(out);
          exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream o = exchange.getResponseBody()) {
            o.write(bytes);
          }
        });
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  OrganizationsClient client() {
    return OrganizationsClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
