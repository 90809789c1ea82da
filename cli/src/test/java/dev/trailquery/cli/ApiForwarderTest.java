package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.trailquery.functions.api.ApiRequest;
import dev.trailquery.functions.api.ApiResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code serve --api}: requests reach a loopback "API Gateway" that checks their SigV4 signature
 * with a known key — its own implementation of the algorithm (canonical request with the path
 * encoded twice as for every service but S3, string to sign, HMAC key chain), not the SDK's.
 */
class ApiForwarderTest {
  static final String KEY_ID = "AKIDEXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String REGION = "eu-west-3";
  static HttpServer gateway;
  static final List<String> seen = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    gateway.createContext("/", ApiForwarderTest::verify);
    gateway.start();
  }

  @AfterAll
  static void stop() {
    gateway.stop(0);
  }

  static String stage() {
    return "http://127.0.0.1:" + gateway.getAddress().getPort() + "/prod";
  }

  // ---- the verifying endpoint

  static final Pattern AUTH =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,"
              + " ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})");

  static void verify(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String verdict;
    try {
      verdict = check(ex, body, auth);
    } catch (Exception e) {
      verdict = "error: " + e;
    }
    seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " " + verdict);
    String reply =
        verdict.equals("ok")
            ? "{\"signed\":true,\"path\":\""
                + ex.getRequestURI().getRawPath()
                + "\",\"query\":\""
                + (ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery())
                + "\",\"body\":"
                + (body.length == 0 ? "null" : new String(body, StandardCharsets.UTF_8))
                + "}"
            : "{\"message\":\"" + verdict.replace("\"", "'").replace("\n", "\\n") + "\"}";
    byte[] out = reply.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(verdict.equals("ok") ? 200 : 403, out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  static String check(HttpExchange ex, byte[] body, String auth) throws Exception {
    if (auth == null) {
      return "no Authorization header";
    }
    Matcher m = AUTH.matcher(auth);
    if (!m.matches()) {
      return "malformed Authorization: " + auth;
    }
    if (!m.group(1).equals(KEY_ID) || !m.group(3).equals(REGION)) {
      return "wrong key or region: " + auth;
    }
    if (!m.group(4).equals("execute-api")) {
      return "wrong service: " + m.group(4);
    }
    String amzDate = ex.getRequestHeaders().getFirst("X-Amz-Date");
    if (amzDate == null || !amzDate.startsWith(m.group(2))) {
      return "X-Amz-Date does not match the scope";
    }
    String payloadHash = hex(sha256(body));
    String claimed = ex.getRequestHeaders().getFirst("X-Amz-Content-Sha256");
    if (claimed != null && !claimed.equals(payloadHash)) {
      return "x-amz-content-sha256 is not the body's";
    }
    // Canonical URI: each segment of the path as sent, encoded once more.
    StringBuilder uri = new StringBuilder();
    for (String seg : ex.getRequestURI().getRawPath().split("/", -1)) {
      if (!uri.isEmpty() || !seg.isEmpty()) {
        uri.append('/').append(uriEncode(seg, true));
      }
    }
    if (uri.isEmpty()) {
      uri.append('/');
    }
    String canonicalUri = uri.toString().replaceFirst("^//", "/");
    // Canonical query: decoded pairs, re-encoded, sorted.
    TreeMap<String, String> params = new TreeMap<>();
    String rawQuery = ex.getRequestURI().getRawQuery();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String p : rawQuery.split("&")) {
        int eq = p.indexOf('=');
        String k =
            java.net.URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
        String v =
            eq < 0 ? "" : java.net.URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
        params.put(uriEncode(k, false), uriEncode(v, false));
      }
    }
    StringBuilder query = new StringBuilder();
    params.forEach(
        (k, v) -> query.append(query.isEmpty() ? "" : "&").append(k).append('=').append(v));
    String signedHeaders = m.group(5);
    StringBuilder headers = new StringBuilder();
    for (String h : signedHeaders.split(";")) {
      List<String> values = ex.getRequestHeaders().get(h);
      if (values == null) {
        return "signed header " + h + " was not sent";
      }
      headers.append(h.toLowerCase(Locale.ROOT)).append(':');
      headers.append(
          String.join(",", values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList()));
      headers.append('\n');
    }
    if (!(";" + signedHeaders + ";").contains(";host;")) {
      return "host is not signed";
    }
    String canonical =
        String.join(
            "\n",
            ex.getRequestMethod(),
            canonicalUri,
            query.toString(),
            headers.toString(),
            signedHeaders,
            claimed != null ? claimed : payloadHash);
    String scope = m.group(2) + "/" + REGION + "/execute-api/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] k = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), m.group(2));
    k = hmac(k, REGION);
    k = hmac(k, "execute-api");
    k = hmac(k, "aws4_request");
    String expected = hex(hmac(k, toSign));
    return expected.equals(m.group(6))
        ? "ok"
        : "signature mismatch; canonical request:\n" + canonical;
  }

  /** RFC 3986 encoding of SigV4: unreserved characters kept, '/' kept only in paths... */
  static String uriEncode(String s, boolean pathSegment) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || "-_.~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  // ---- tests

  static ApiForwarder forwarder(String secret) {
    return new ApiForwarder(
        URI.create(stage()),
        REGION,
        StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, secret)));
  }

  @Test
  void signedRequestsPassTheVerifierWithPathQueryAndBody() throws Exception {
    ApiForwarder f = forwarder(SECRET);
    ApiResponse post =
        f.apply(
            new ApiRequest(
                "POST",
                "/queries",
                Map.of(),
                "{\"queryString\":\"stats count(*) by eventSource\",\"startTime\":1,\"endTime\":2}"));
    assertThat(post.status()).as(post.body()).isEqualTo(200);
    JsonNode p = MainTest.JSON.readTree(post.body());
    assertThat(p.get("path").asText()).isEqualTo("/prod/queries");
    assertThat(p.get("body").get("queryString").asText())
        .isEqualTo("stats count(*) by eventSource");

    // A saved-query name with '/' and a space, and query parameters needing encoding.
    ApiResponse get =
        f.apply(
            new ApiRequest(
                "GET",
                "/subscriptions/team a/results",
                Map.of("granularity", "bin", "startTime", "2026-11-20T10:00:00Z"),
                null));
    assertThat(get.status()).as(get.body()).isEqualTo(200);
    JsonNode g = MainTest.JSON.readTree(get.body());
    assertThat(g.get("path").asText()).isEqualTo("/prod/subscriptions/team%20a/results");
    assertThat(g.get("query").asText())
        .isEqualTo("granularity=bin&startTime=2026-11-20T10%3A00%3A00Z");

    ApiResponse delete = f.apply(new ApiRequest("DELETE", "/queries/abc", Map.of(), null));
    assertThat(delete.status()).as(delete.body()).isEqualTo(200);
  }

  @Test
  void aWrongKeyIsRefused() {
    ApiResponse r =
        forwarder("not-the-secret").apply(new ApiRequest("GET", "/queries", Map.of(), null));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("signature mismatch");
  }

  @Test
  void serveForwardsTheApiWithTheDefaultCredentialsChainAndServesTheConsoleItself()
      throws Exception {
    String id = System.getProperty("aws.accessKeyId");
    String secret = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.accessKeyId", KEY_ID);
    System.setProperty("aws.secretAccessKey", SECRET);
    try (ServeCommand.Server server =
        ServeCommand.start(ApiForwarder.of(stage() + "/", REGION), "127.0.0.1", 0, null)) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/saved-queries")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
      assertThat(MainTest.JSON.readTree(list.body()).get("path").asText())
          .isEqualTo("/prod/saved-queries");
      int before = seen.size();
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
      assertThat(page.body()).contains("data-testid=\"query-editor\"");
      assertThat(seen).hasSize(before); // the console is not forwarded
    } finally {
      restore("aws.accessKeyId", id);
      restore("aws.secretAccessKey", secret);
    }
  }

  static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void theRegionComesFromTheExecuteApiHostName() {
    assertThat(ApiForwarder.regionOf("a1b2c3d4e5.execute-api.eu-west-3.amazonaws.com"))
        .isEqualTo("eu-west-3");
    assertThat(ApiForwarder.regionOf("a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn"))
        .isEqualTo("cn-north-1");
    assertThat(ApiForwarder.regionOf("api.example.com")).isNull();
    assertThat(
            ApiForwarder.of("https://x1.execute-api.us-east-2.amazonaws.com/prod", null).region())
        .isEqualTo("us-east-2");
    assertThat(MainTest.run("serve", "--api", "ftp://nope").err()).contains("--api needs");
    assertThat(MainTest.run("serve", "--region", "us-east-1").err())
        .contains("--region goes with --api");
  }

  /** A raw HTTP/1.1 request (the JDK client cannot set Host), its status line. */
  static String raw(int port, String request) throws IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new java.io.BufferedReader(
              new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  @Test
  void otherSitesPagesCannotUseTheServer() throws Exception {
    String id = System.getProperty("aws.accessKeyId");
    String secret = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.accessKeyId", KEY_ID);
    System.setProperty("aws.secretAccessKey", SECRET);
    try (ServeCommand.Server server =
        ServeCommand.start(ApiForwarder.of(stage(), REGION), "127.0.0.1", 0, null)) {
      int port = server.port();
      int before = seen.size();
      String post =
          "POST /queries HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: %s\r\n"
              + "Content-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
      // A page of another site posting to the local server (CSRF).
      assertThat(raw(port, post.formatted(port, "https://evil.example"))).contains(" 403 ");
      // DNS rebinding: the other site's name resolving to 127.0.0.1.
      assertThat(
              raw(
                  port,
                  "GET /saved-queries HTTP/1.1\r\nHost: evil.example:"
                      + port
                      + "\r\nConnection: close\r\n\r\n"))
          .contains(" 403 ");
      assertThat(seen).hasSize(before); // nothing was forwarded
      // The console's own pages, and clients without an Origin, are served.
      assertThat(raw(port, post.formatted(port, "http://127.0.0.1:" + port))).contains(" 200 ");
      assertThat(
              raw(
                  port,
                  "GET /saved-queries HTTP/1.1\r\nHost: localhost:"
                      + port
                      + "\r\nConnection: close\r\n\r\n"))
          .contains(" 200 ");
      assertThat(seen).hasSize(before + 2);
    } finally {
      restore("aws.accessKeyId", id);
      restore("aws.secretAccessKey", secret);
    }
  }
}
