package dev.trailquery.functions.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * A loopback HTTP server that speaks the part of SNS's Query protocol alarms use: {@code
 * Action=Publish} (form-encoded {@code TopicArn}, {@code Message}, {@code Subject}), answered with
 * a {@code PublishResponse} carrying a MessageId, and recorded. No SNS emulator installs here
 * without network access, so the real SDK {@link SnsClient} is pointed at this instead. {@link
 * #failing} makes it answer 500 (the SDK retries, then throws).
 */
public final class FakeSns implements AutoCloseable {
  /** One Publish received. */
  public record Published(String topicArn, String subject, String message) {}

  private final HttpServer server;
  private final List<Published> published = new CopyOnWriteArrayList<>();
  private final AtomicBoolean failing = new AtomicBoolean();

  public FakeSns() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Map<String, String> form = form(body);
          int status;
          String xml;
          if (failing.get()) {
            status = 500;
            xml = error("InternalError", "failing on purpose");
          } else if (!"Publish".equals(form.get("Action"))) {
            status = 400;
            xml = error("InvalidAction", "only Publish is implemented: " + form.get("Action"));
          } else if (form.get("TopicArn") == null || form.get("Message") == null) {
            status = 400;
            xml = error("InvalidParameter", "TopicArn and Message are required");
          } else {
            String subject = form.get("Subject");
            if (subject != null && subject.length() > 100) {
              status = 400;
              xml = error("InvalidParameter", "Subject longer than 100 characters");
            } else {
              published.add(new Published(form.get("TopicArn"), subject, form.get("Message")));
              status = 200;
              xml =
                  "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                      + "<PublishResult><MessageId>"
                      + UUID.randomUUID()
                      + "</MessageId></PublishResult><ResponseMetadata><RequestId>"
                      + UUID.randomUUID()
                      + "</RequestId></ResponseMetadata></PublishResponse>";
            }
          }
          byte[] out = xml.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/xml");
          exchange.sendResponseHeaders(status, out.length);
          try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
          }
        });
    server.start();
  }

  private static String error(String code, String message) {
    return "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error>"
        + "<Type>Sender</Type><Code>"
        + code
        + "</Code><Message>"
        + message
        + "</Message></Error><RequestId>"
        + UUID.randomUUID()
        + "</RequestId></ErrorResponse>";
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A real SDK client pointed at this server. */
  public SnsClient client() {
    return SnsClient.builder()
        .endpointOverride(endpoint())
        .region(Region.of(Emulators.REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(Emulators.ACCESS_KEY, Emulators.SECRET_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  public List<Published> published() {
    return List.copyOf(published);
  }

  public void clear() {
    published.clear();
  }

  public void failing(boolean fail) {
    failing.set(fail);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
