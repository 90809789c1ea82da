package dev.trailquery.cli;

import com.sun.net.httpserver.HttpExchange;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Keeps other web sites out of {@code serve}'s API: a page from another origin may make the browser
 * send requests to 127.0.0.1 (with {@code --api} they would be signed with the user's AWS
 * credentials). A request is refused when its {@code Origin} is not the server's own, or — on a
 * loopback address — when its {@code Host} is a name other than {@code localhost} (DNS rebinding).
 * Clients without an {@code Origin} (curl, SDKs) are not affected.
 */
final class LocalGuard {
  private LocalGuard() {}

  /** Why the request is refused, or null when it may go on. */
  static String refusal(HttpExchange ex) {
    String host = ex.getRequestHeaders().getFirst("Host");
    String origin = ex.getRequestHeaders().getFirst("Origin");
    InetAddress bound = ex.getLocalAddress().getAddress();
    return refusal(host, origin, bound != null && bound.isLoopbackAddress());
  }

  static String refusal(String host, String origin, boolean loopback) {
    if (host == null) {
      return "no Host header";
    }
    if (loopback) {
      String name = hostName(host);
      if (!name.equals("localhost") && !isIpLiteral(name)) {
        return "Host '" + host + "' is not this server's address";
      }
    }
    if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
      return "requests from " + origin + " are not accepted (only from this server's own pages)";
    }
    return null;
  }

  /** The API's error shape: {@code {"error": {"code": "Forbidden", "message"}}}. */
  static String errorBody(String message) {
    var out = dev.trailquery.functions.api.Json.MAPPER.createObjectNode();
    out.putObject("error").put("code", "Forbidden").put("message", message);
    return out.toString();
  }

  private static String hostName(String host) {
    try {
      String h = URI.create("http://" + host).getHost();
      return h == null ? host : h.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return host.toLowerCase(Locale.ROOT);
    }
  }

  private static boolean isIpLiteral(String name) {
    return name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || name.startsWith("[");
  }
}
