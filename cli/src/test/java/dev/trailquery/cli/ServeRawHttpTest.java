package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.functions.api.ApiResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code serve}'s HTTP front over a real socket with raw request bytes (issue 15, D11): whatever a
 * client sends — a target that is no valid URI, a 500 KB request line, too many headers, a broken
 * body framing, a failing handler — the answer is the API's {@code {"error":{code,message}}} with
 * the right status, and ordinary requests (persistent connections, chunked and 100-continue bodies,
 * HEAD) work.
 */
class ServeRawHttpTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static ServeCommand.Server server;

  /** Echoes the request the API would get; {@code /boom} fails. */
  @BeforeAll
  static void start() throws IOException {
    server =
        ServeCommand.start(
            req -> {
              if (req.path().equals("/boom")) {
                throw new IllegalStateException("secret internal detail");
              }
              var out = JSON.createObjectNode();
              out.put("method", req.method()).put("path", req.path());
              out.putPOJO("query", req.query());
              out.put("body", req.body());
              return new ApiResponse(200, out.toString());
            },
            "127.0.0.1",
            0,
            null);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Reply(int status, Map<String, String> headers, byte[] body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  static Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout(30_000);
    return s;
  }

  static Reply exchange(String request) throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return read(s.getInputStream(), false);
    }
  }

  /** Reads one response (a body by Content-Length or chunked; none for HEAD). */
  static Reply read(InputStream in, boolean head) throws IOException {
    String status = line(in);
    assertThat(status).startsWith("HTTP/1.1 ");
    int code = Integer.parseInt(status.substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h; !(h = line(in)).isEmpty(); ) {
      int c = h.indexOf(':');
      headers.put(h.substring(0, c).toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (head) {
      return new Reply(code, headers, body.toByteArray());
    }
    if ("chunked".equals(headers.get("transfer-encoding"))) {
      for (int n; (n = Integer.parseInt(line(in), 16)) > 0; ) {
        body.write(in.readNBytes(n));
        assertThat(line(in)).isEmpty();
      }
      assertThat(line(in)).isEmpty();
    } else {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    }
    return new Reply(code, headers, body.toByteArray());
  }

  static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("connection ended; got " + sb);
      }
      sb.append((char) c);
    }
    assertThat(sb.toString()).endsWith("\r");
    return sb.substring(0, sb.length() - 1);
  }

  /** The API's error shape, exactly: {"error":{"code":C,"message":M}} and a JSON content type. */
  static void assertError(Reply r, int status, String code) throws IOException {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.headers().get("content-type")).isEqualTo(ApiResponse.CONTENT_TYPE);
    JsonNode j = r.json();
    assertThat(j.size()).isEqualTo(1);
    assertThat(j.get("error").get("code").asText()).isEqualTo(code);
    assertThat(j.get("error").get("message").asText()).isNotBlank();
    assertThat(j.get("error").size()).isEqualTo(2);
  }

  @Test
  void aBadEscapeInThePathIsA400InTheApiShape() throws IOException {
    Reply r = exchange("GET /queries/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertError(r, 400, "BadRequest");
    assertThat(r.json().at("/error/message").asText())
        .contains("Malformed escape pair")
        .contains("character 10");
  }

  @Test
  void aBadEscapeInTheQueryIsA400InTheApiShape() throws IOException {
    assertError(
        exchange("GET /queries?maxResults=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
        400,
        "BadRequest");
    assertError(
        exchange("GET /queries?%zz=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 400, "BadRequest");
  }

  @Test
  void aHalfMegabyteRequestLineIsA414InTheApiShape() throws IOException {
    String target = "/queries?nextToken=" + "a".repeat(500_000);
    Reply r = exchange("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertError(r, 414, "UriTooLong");
    assertThat(r.headers().get("connection")).isEqualTo("close");
    assertThat(r.body().length).isLessThan(200); // the target is not echoed back
  }

  @Test
  void aRequestLineAtTheLimitIsServed() throws IOException {
    String prefix = "GET /q?x=";
    String suffix = " HTTP/1.1";
    String line = prefix + "a".repeat(16 * 1024 - prefix.length() - suffix.length()) + suffix;
    assertThat(line).hasSize(16 * 1024);
    Reply r = exchange(line + "\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/query/x").asText()).hasSize(16 * 1024 - 18);
    assertError(
        exchange(line.replace("/q?x=", "/q?xy=") + "\r\nHost: 127.0.0.1\r\n\r\n"),
        414,
        "UriTooLong");
  }

  @Test
  void tooManyOrTooLargeHeadersAreA431InTheApiShape() throws IOException {
    StringBuilder many = new StringBuilder("GET /queries HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (int i = 0; i < 200; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    assertError(exchange(many + "\r\n"), 431, "RequestHeaderFieldsTooLarge");
    String big =
        "GET /queries HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + "c".repeat(200_000) + "\r\n\r\n";
    assertError(exchange(big), 431, "RequestHeaderFieldsTooLarge");
  }

  @Test
  void malformedHeadsAndFramingAreRefusedInTheApiShape() throws IOException {
    assertError(exchange("GARBAGE\r\n\r\n"), 400, "BadRequest");
    assertError(
        exchange("GET /queries HTTP/2.0\r\nHost: h\r\n\r\n"), 505, "HttpVersionNotSupported");
    assertError(exchange("GET /queries HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n"), 400, "BadRequest");
    assertError(
        exchange("GET /queries HTTP/1.1\r\nHost: 127.0.0.1\r\n folded\r\n\r\n"), 400, "BadRequest");
    assertError(
        exchange("POST /queries HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n"),
        400,
        "BadRequest");
    assertError(
        exchange(
            "POST /queries HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n"
                + "Content-Length: 2\r\n\r\nab"),
        400,
        "BadRequest");
    assertError(
        exchange("POST /queries HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
        501,
        "NotImplemented");
    assertError(
        exchange(
            "POST /queries HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\n"),
        400,
        "BadRequest");
  }

  @Test
  void aFailingHandlerIsA500WithoutDetails() throws IOException {
    Reply r = exchange("GET /boom HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertError(r, 500, "InternalError");
    assertThat(r.text()).doesNotContain("secret").doesNotContain("Exception");
  }

  @Test
  void ordinaryRequestsShareAConnection() throws IOException {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      // two pipelined requests, then a chunked body, a 100-continue body and HEAD on one connection
      out.write(
          ("GET /queries?status=Complete&a=%41%2Fb HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  + "POST /queries HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
              .getBytes(StandardCharsets.ISO_8859_1));
      Reply a = read(in, false);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.json().at("/path").asText()).isEqualTo("/queries");
      assertThat(a.json().at("/query/status").asText()).isEqualTo("Complete");
      assertThat(a.json().at("/query/a").asText()).isEqualTo("A/b");
      Reply b = read(in, false);
      assertThat(b.json().at("/method").asText()).isEqualTo("POST");
      assertThat(b.json().at("/body").asText()).isEqualTo("{\"a\":1}");

      out.write(
          ("POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + "3;ext=1\r\n{\"b\r\n4\r\n\":2}\r\n0\r\nTrailer: t\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      assertThat(read(in, false).json().at("/body").asText()).isEqualTo("{\"b\":2}");

      out.write(
          "PUT /y HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
      assertThat(line(in)).isEqualTo("HTTP/1.1 100 Continue");
      assertThat(line(in)).isEmpty();
      out.write("[]".getBytes(StandardCharsets.ISO_8859_1));
      assertThat(read(in, false).json().at("/body").asText()).isEqualTo("[]");

      out.write(
          "HEAD /queries HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
      Reply h = read(in, true);
      assertThat(h.status()).isEqualTo(200);
      assertThat(Integer.parseInt(h.headers().get("content-length"))).isPositive();

      // the connection is still usable after HEAD (no body was sent)
      out.write(
          "GET /z HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
      Reply z = read(in, false);
      assertThat(z.json().at("/path").asText()).isEqualTo("/z");
      assertThat(z.headers().get("connection")).isEqualTo("close");
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void anHttp10RequestIsAnsweredAndClosed() throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write("GET /ten HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      Reply r = read(s.getInputStream(), false);
      // no Host header: LocalGuard's 403, in the API shape, over HTTP/1.0
      assertError(r, 403, "Forbidden");
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }
}
