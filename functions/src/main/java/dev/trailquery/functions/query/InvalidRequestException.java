package dev.trailquery.functions.query;

/**
 * A request whose fields are wrong (a missing query string, a time that is not one, ...): the API
 * answers 400 {@code InvalidParameter} with this message.
 */
public final class InvalidRequestException extends RuntimeException {
  public InvalidRequestException(String message) {
    super(message, null, false, false);
  }
}
