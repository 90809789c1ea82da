package dev.trailquery.cli;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The browser console, served by {@code serve} at {@code /} (its files at {@code /console/...})
 * from the jar: {@code src/main/console} bundled by the Maven build into {@code console/} on the
 * class path. Everything else is the API's.
 */
final class ConsoleAssets {
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "txt", "text/plain; charset=utf-8",
          "png", "image/png",
          "svg", "image/svg+xml");

  private ConsoleAssets() {}

  /** The class-path resource a GET of {@code path} serves, or null when the path is the API's. */
  static String resource(String method, String path) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return null;
    }
    if (path.equals("/") || path.equals("/index.html")) {
      return "console/index.html";
    }
    if (path.startsWith("/console/")) {
      String name = path.substring("/console/".length());
      if (name.isEmpty() || name.contains("..") || name.contains("\\") || name.startsWith("/")) {
        return "console/-";
      }
      return "console/" + name;
    }
    return null;
  }

  /** Serves the console's file for this exchange; false when the request is for the API. */
  static boolean serve(HttpExchange ex) throws IOException {
    String name = resource(ex.getRequestMethod(), ex.getRequestURI().getPath());
    if (name == null) {
      return false;
    }
    byte[] body;
    int status;
    String type;
    try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        status = 404;
        type = TYPES.get("txt");
        body =
            (name.equals("console/index.html")
                    ? "the console is not in this build (the CLI's Maven build bundles it from"
                        + " cli/src/main/console with Node.js 20+)\n"
                    : "not found\n")
                .getBytes(StandardCharsets.UTF_8);
      } else {
        status = 200;
        String ext = name.substring(name.lastIndexOf('.') + 1);
        type = TYPES.getOrDefault(ext, "application/octet-stream");
        body = in.readAllBytes();
      }
    }
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline';"
                + " connect-src 'self'; frame-ancestors 'none'");
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
    return true;
  }
}
