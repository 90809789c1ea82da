package dev.trailquery.functions.api;

/** An HTTP response: a status and a JSON body. */
public record ApiResponse(int status, String body) {
  public static final String CONTENT_TYPE = "application/json; charset=utf-8";
}
