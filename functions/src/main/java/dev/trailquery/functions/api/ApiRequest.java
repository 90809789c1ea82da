package dev.trailquery.functions.api;

import java.util.Map;

/**
 * An HTTP request as the API sees it, whether it came from API Gateway or from {@code serve}.
 *
 * @param path the decoded path, e.g. {@code /queries/abc}
 * @param query query-string parameters (first value of each)
 * @param body the body text, or null
 */
public record ApiRequest(String method, String path, Map<String, String> query, String body) {
  public ApiRequest {
    query = query == null ? Map.of() : Map.copyOf(query);
  }
}
