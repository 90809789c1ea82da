package dev.trailquery.functions.api;

import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.QueryException;

/**
 * A request the API refuses, rendered as {@code {"error": {"code", "message", "line"?, "column"?}}}
 * with an HTTP status.
 *
 * @param status the HTTP status (4xx for the caller's mistakes)
 * @param code a stable code: {@code MalformedQuery}, {@code InvalidParameter}, {@code NotFound},
 *     {@code MethodNotAllowed}, {@code NotImplemented}...
 * @param line 1-based line of a query error, or 0
 * @param column 1-based column of a query error, or 0
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final int line;
  private final int column;

  public ApiException(int status, String code, String message) {
    this(status, code, message, 0, 0);
  }

  public ApiException(int status, String code, String message, int line, int column) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.line = line;
    this.column = column;
  }

  public static ApiException invalid(String message) {
    return new ApiException(400, "InvalidParameter", message);
  }

  /**
   * The one mapping of a query (or pattern, or rule) error to a 400: {@code code} ({@code
   * MalformedQuery}, {@code MalformedFilterPattern}, {@code MalformedRule}), the diagnostic's
   * message with its {@code [TQnnnn]}, and its line and column in {@code source}.
   */
  public static ApiException malformed(String code, QueryException e, String source) {
    Diagnostic d = e.error();
    return new ApiException(
        400, code, d.message() + " [" + d.code() + "]", d.line(source), d.column(source));
  }

  /** A malformed query ({@code MalformedQuery}): {@link #malformed} for a query string. */
  public static ApiException malformedQuery(QueryException e, String queryString) {
    return malformed("MalformedQuery", e, queryString);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "NotFound", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
