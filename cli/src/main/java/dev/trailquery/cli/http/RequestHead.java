package dev.trailquery.cli.http;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A request's line and headers, read byte by byte within {@link Limits} (RFC 9112 sections 2-3,
 * 5-6), so that nothing a client sends is held beyond them and every refusal is an {@link
 * HttpError}.
 *
 * @param bodyLength the Content-Length, 0 when absent, -1 for a chunked body
 */
record RequestHead(
    String method, URI uri, String version, Headers headers, long bodyLength, boolean close) {

  /** HTTP/1.0 (the rest of this class speaks HTTP/1.1). */
  boolean http10() {
    return version.equals("HTTP/1.0");
  }

  /**
   * Reads the next request's head; null when the connection ends (or only blank lines came) before
   * one starts.
   */
  static RequestHead read(InputStream in, Limits limits) throws IOException {
    String line;
    do {
      line = line(in, limits.maxRequestLine(), true);
      if (line == null) {
        return null;
      }
    } while (line.isEmpty()); // RFC 9112 2.2: blank lines before a request are ignored
    return parse(line, headers(in, limits));
  }

  private static RequestHead parse(String line, Headers headers) throws HttpError {
    int a = line.indexOf(' ');
    int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
    if (a <= 0 || b < 0 || line.indexOf(' ', b + 1) >= 0) {
      throw HttpError.badRequest(
          "the request line is not 'METHOD target HTTP/1.1': " + shown(line));
    }
    String method = line.substring(0, a);
    String target = line.substring(a + 1, b);
    String version = line.substring(b + 1);
    if (!isToken(method)) {
      throw HttpError.badRequest("the method is not a token: " + shown(method));
    }
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      if (version.matches("HTTP/[0-9]\\.[0-9]")) {
        throw new HttpError(
            505, "HttpVersionNotSupported", version + " is not supported (HTTP/1.1 is)");
      }
      throw HttpError.badRequest("the request line ends in " + shown(version) + ", not HTTP/1.1");
    }
    URI uri = target(method, target);
    boolean close;
    String connection = String.join(",", values(headers, "Connection")).toLowerCase(Locale.ROOT);
    if (version.equals("HTTP/1.0")) {
      close = !connection.contains("keep-alive");
    } else {
      close = connection.contains("close");
    }
    return new RequestHead(method, uri, version, headers, bodyLength(headers), close);
  }

  /** The target as a URI: origin-form, absolute-form (its path and query kept) or {@code *}. */
  private static URI target(String method, String target) throws HttpError {
    if (target.equals("*") && method.equals("OPTIONS")) {
      return URI.create("*");
    }
    URI uri;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      int at = e.getIndex();
      throw HttpError.badRequest(
          "the request target is not a valid URI: "
              + e.getReason()
              + (at >= 0 ? " at character " + (at + 1) + " (" + window(target, at) + ")" : ""));
    }
    if (target.startsWith("/")) {
      return uri;
    }
    String scheme = uri.getScheme();
    if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
        && uri.getRawAuthority() != null) {
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      return URI.create(path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }
    throw HttpError.badRequest("the request target must start with '/': " + shown(target));
  }

  private static long bodyLength(Headers headers) throws HttpError {
    List<String> te = values(headers, "Transfer-Encoding");
    List<String> cl = values(headers, "Content-Length");
    if (!te.isEmpty()) {
      if (!cl.isEmpty()) {
        throw HttpError.badRequest("both Transfer-Encoding and Content-Length are set");
      }
      if (te.size() == 1 && te.getFirst().trim().equalsIgnoreCase("chunked")) {
        return -1;
      }
      throw new HttpError(
          501,
          "NotImplemented",
          "Transfer-Encoding " + shown(String.join(", ", te)) + " is not supported (chunked is)");
    }
    if (cl.isEmpty()) {
      return 0;
    }
    String first = cl.getFirst().trim();
    for (String v : cl) {
      if (!v.trim().equals(first)) {
        throw HttpError.badRequest("conflicting Content-Length headers");
      }
    }
    if (first.isEmpty() || first.length() > 18 || !first.chars().allMatch(Character::isDigit)) {
      throw HttpError.badRequest("Content-Length is not a number of bytes: " + shown(first));
    }
    return Long.parseLong(first);
  }

  private static List<String> values(Headers headers, String name) {
    List<String> v = headers.get(name);
    return v == null ? List.of() : v;
  }

  private static Headers headers(InputStream in, Limits limits) throws IOException {
    Headers headers = new Headers();
    int budget = limits.maxHeaderBytes();
    int count = 0;
    while (true) {
      String line = line(in, Math.max(0, budget), false);
      if (line == null) {
        throw HttpError.badRequest("the connection ended inside the request's headers");
      }
      if (line.isEmpty()) {
        return headers;
      }
      budget -= line.length() + 2;
      if (++count > limits.maxHeaders()) {
        throw tooLarge("more than " + limits.maxHeaders() + " header lines");
      }
      char c0 = line.charAt(0);
      if (c0 == ' ' || c0 == '\t') {
        throw HttpError.badRequest("a header line is folded (obsolete line folding)");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        throw HttpError.badRequest("a header line is not 'Name: value': " + shown(line));
      }
      headers.add(line.substring(0, colon), line.substring(colon + 1).strip());
    }
  }

  private static HttpError tooLarge(String what) {
    return new HttpError(
        431, "RequestHeaderFieldsTooLarge", "the request's headers are too large: " + what);
  }

  /**
   * One line up to LF (a CR before it dropped), of at most {@code max} bytes; null at the end of
   * the input before any byte. Past {@code max} it throws 414 (the request line) or 431.
   */
  private static String line(InputStream in, int max, boolean requestLine) throws IOException {
    byte[] buf = new byte[Math.min(max, 256) + 1];
    int n = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (n == 0) {
          return null;
        }
        throw HttpError.badRequest("the connection ended inside the request's head");
      }
      if (b == '\n') {
        break;
      }
      if (n >= max + 1) { // max bytes and a CR before the LF are allowed
        if (requestLine) {
          throw new HttpError(
              414,
              "UriTooLong",
              "the request line is over " + max + " bytes (the URI is too long)");
        }
        throw tooLarge("over " + max + " bytes in all");
      }
      if (n == buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.min(max + 1, buf.length * 2));
      }
      buf[n++] = (byte) b;
    }
    if (n > 0 && buf[n - 1] == '\r') {
      n--;
    }
    if (n > max) {
      throw requestLine
          ? new HttpError(
              414, "UriTooLong", "the request line is over " + max + " bytes (the URI is too long)")
          : tooLarge("over " + max + " bytes in all");
    }
    for (int i = 0; i < n; i++) {
      int c = buf[i] & 0xff;
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw HttpError.badRequest("a control character (byte " + c + ") in the request's head");
      }
    }
    return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
  }

  /** RFC 9110 5.6.2 token. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Up to 60 characters of client text, quoted. */
  private static String shown(String s) {
    return "'" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "'";
  }

  private static String window(String s, int at) {
    int from = Math.max(0, at - 20);
    int to = Math.min(s.length(), at + 20);
    return (from > 0 ? "..." : "") + s.substring(from, to) + (to < s.length() ? "..." : "");
  }
}
