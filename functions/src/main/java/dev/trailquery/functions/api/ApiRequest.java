package dev.trailquery.functions.api;

import dev.trailquery.functions.query.Caller;
import java.util.Map;

/**
 * An HTTP request as the API sees it, whether it came from API Gateway or from {@code serve}.
 *
 * @param path the decoded path, e.g. {@code /queries/abc}
 * @param query query-string parameters (first value of each)
 * @param body the body text, or null
 * @param caller who signed it ({@link Caller#UNKNOWN} where nobody signs requests)
 * @param requestId API Gateway's request id (also in its access log), or null
 */
public record ApiRequest(
    String method,
    String path,
    Map<String, String> query,
    String body,
    Caller caller,
    String requestId) {
  public ApiRequest {
    query = query == null ? Map.of() : Map.copyOf(query);
    caller = caller == null ? Caller.UNKNOWN : caller;
  }

  /** An unsigned request ({@code serve}, tests). */
  public ApiRequest(String method, String path, Map<String, String> query, String body) {
    this(method, path, query, body, Caller.UNKNOWN, null);
  }
}
