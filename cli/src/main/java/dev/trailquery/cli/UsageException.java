package dev.trailquery.cli;

/** Bad command-line usage: printed with a hint, exit code 2. */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message, null, false, false);
  }
}
