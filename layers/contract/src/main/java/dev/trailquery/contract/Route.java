package dev.trailquery.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every route of the query API: the router ({@code functions/.../api/Api}) dispatches on these, the
 * CDK stack creates one API Gateway method (IAM authorization) for each, and the tests check both
 * against the synthesized template. A path parameter {@code {name}} is one segment; {@code {name+}}
 * (API Gateway's greedy variable) is one or more, so saved-query names may hold {@code /}.
 *
 * <p>Adding a route: a constant here (methods of one path in the order a 405 lists them), a case in
 * the router's switch; the stack and the route tests pick it up.
 */
public enum Route {
  LIST_QUERIES("GET", "/queries"),
  START_QUERY("POST", "/queries"),
  GET_QUERY("GET", "/queries/{id}"),
  STOP_QUERY("DELETE", "/queries/{id}"),

  LIST_SAVED_QUERIES("GET", "/saved-queries"),
  GET_SAVED_QUERY("GET", "/saved-queries/{name+}"),
  PUT_SAVED_QUERY("PUT", "/saved-queries/{name+}"),
  DELETE_SAVED_QUERY("DELETE", "/saved-queries/{name+}"),

  LIST_SUBSCRIPTIONS("GET", "/subscriptions"),
  GET_SUBSCRIPTION("GET", "/subscriptions/{name}"),
  PUT_SUBSCRIPTION("PUT", "/subscriptions/{name}"),
  DELETE_SUBSCRIPTION("DELETE", "/subscriptions/{name}"),
  GET_SUBSCRIPTION_RESULTS("GET", "/subscriptions/{name}/results"),
  GET_SUBSCRIPTION_ALARM("GET", "/subscriptions/{name}/alarm"),
  PUT_SUBSCRIPTION_ALARM("PUT", "/subscriptions/{name}/alarm"),
  DELETE_SUBSCRIPTION_ALARM("DELETE", "/subscriptions/{name}/alarm"),

  LIST_ALARMS("GET", "/alarms"),
  PUT_PACK("PUT", "/packs/{pack}"),

  LIST_LOOKUP_TABLES("GET", "/lookup-tables"),
  GET_LOOKUP_TABLE("GET", "/lookup-tables/{name}"),
  PUT_LOOKUP_TABLE("PUT", "/lookup-tables/{name}"),
  DELETE_LOOKUP_TABLE("DELETE", "/lookup-tables/{name}");

  /** The stage API Gateway serves the routes under ({@code https://.../v1/queries}). */
  public static final String STAGE = "v1";

  private final String method;
  private final String path;
  private final List<String> template;

  Route(String method, String path) {
    this.method = method;
    this.path = path;
    this.template = segments(path);
  }

  /** GET, PUT, POST or DELETE. */
  public String method() {
    return method;
  }

  /** The API Gateway resource path, e.g. {@code /subscriptions/{name}/alarm}. */
  public String path() {
    return path;
  }

  /**
   * The path parameters when {@code segments} (a request path split at {@code /}, empty ones
   * dropped, percent-decoded) fit this route's path, whatever the method; else null.
   */
  public Map<String, String> bind(List<String> segments) {
    Map<String, String> params = new LinkedHashMap<>();
    int i = 0;
    for (int t = 0; t < template.size(); t++) {
      String part = template.get(t);
      if (part.startsWith("{") && part.endsWith("+}")) {
        if (t != template.size() - 1 || i >= segments.size()) {
          return null;
        }
        params.put(
            part.substring(1, part.length() - 2),
            String.join("/", segments.subList(i, segments.size())));
        return params;
      }
      if (i >= segments.size()) {
        return null;
      }
      String seg = segments.get(i++);
      if (part.startsWith("{")) {
        params.put(part.substring(1, part.length() - 1), seg);
      } else if (!part.equals(seg)) {
        return null;
      }
    }
    return i == segments.size() ? params : null;
  }

  /** A request resolved to a route: the route and its path parameters. */
  public record Match(Route route, Map<String, String> params) {
    public String param(String name) {
      return params.get(name);
    }
  }

  /** What a request resolves to: a route, a path served with other methods (405), or nothing. */
  public sealed interface Resolution {}

  public record Found(Match match) implements Resolution {}

  /** The path is served, not with this method: {@code allowed} in the order of this enum. */
  public record NotAllowed(List<String> allowed) implements Resolution {}

  public record NotFound() implements Resolution {}

  /** Resolves a request's method and path (without the stage) to a route. */
  public static Resolution resolve(String method, String path) {
    List<String> seg = segments(path == null ? "/" : path);
    List<String> allowed = new ArrayList<>();
    for (Route r : values()) {
      Map<String, String> params = r.bind(seg);
      if (params == null) {
        continue;
      }
      if (r.method.equalsIgnoreCase(method)) {
        return new Found(new Match(r, params));
      }
      allowed.add(r.method);
    }
    return allowed.isEmpty() ? new NotFound() : new NotAllowed(allowed);
  }

  /** The non-empty segments of a path. */
  public static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }
}
