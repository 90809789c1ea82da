package dev.trailquery.cli.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * A request the server itself refuses before (or while) the handler reads it — a malformed or
 * over-long request line, too many or too large headers, a broken body framing — answered in the
 * API's error shape {@code {"error":{"code":..,"message":..}}} with its HTTP status.
 */
public final class HttpError extends IOException {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int status;
  private final String code;

  public HttpError(int status, String code, String message) {
    super(message, null);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The JSON body: {@code {"error":{"code":..,"message":..}}}. */
  public String body() {
    return body(code, getMessage());
  }

  static String body(String code, String message) {
    ObjectNode out = JSON.createObjectNode();
    out.putObject("error").put("code", code).put("message", message);
    return out.toString();
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, "BadRequest", message);
  }
}
