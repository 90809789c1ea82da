package dev.trailquery.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * A message about a query, tied to a span of its text.
 *
 * <p>{@code code} is stable and meant for tests and scripts (e.g. {@code TQ1001}); {@code message}
 * is for people, e.g. "unexpected ')'" or "expected an expression". Line and column are 1-based and
 * computed from the source by {@link #render(String)}.
 */
public record Diagnostic(Severity severity, String code, String message, Span span) {

  public static Diagnostic error(String code, String message, Span span) {
    return new Diagnostic(Severity.ERROR, code, message, span);
  }

  public static Diagnostic warning(String code, String message, Span span) {
    return new Diagnostic(Severity.WARNING, code, message, span);
  }

  public int line(String source) {
    return position(source)[0];
  }

  public int column(String source) {
    return position(source)[1];
  }

  private int[] position(String source) {
    int line = 1;
    int col = 1;
    int end = Math.min(span.start(), source.length());
    for (int i = 0; i < end; i++) {
      if (source.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new int[] {line, col};
  }

  /**
   * Renders the diagnostic the way the CLI prints it:
   *
   * <pre>
   * error: line 2, column 44: unexpected ')'
   *   | filter eventName = "ConsoleLogin" and errorMessage = "Failed authentication")
   *   |                                                                           ^
   * </pre>
   */
  public String render(String source) {
    int[] pos = position(source);
    StringBuilder sb = new StringBuilder();
    sb.append(severity == Severity.ERROR ? "error" : "warning")
        .append(": line ")
        .append(pos[0])
        .append(", column ")
        .append(pos[1])
        .append(": ")
        .append(message)
        .append(" [")
        .append(code)
        .append("]\n");
    String lineText = lineText(source, pos[0]);
    int col = Math.max(0, pos[1] - 1);
    int width = Math.max(1, Math.min(span.length(), lineText.length() - col));
    // A long line (a generated or pasted query) is shown as a window around the error, so the
    // output stays a few lines whatever the query's length.
    int from = 0;
    int to = lineText.length();
    if (lineText.length() > WINDOW) {
      from = Math.max(0, Math.min(col - WINDOW / 2, lineText.length() - WINDOW));
      to = Math.min(lineText.length(), from + WINDOW);
    }
    String prefix = from > 0 ? "..." : "";
    String suffix = to < lineText.length() ? "..." : "";
    width = Math.max(1, Math.min(width, to - col));
    sb.append("  | ")
        .append(prefix)
        .append(lineText.substring(from, to).replace('\t', ' '))
        .append(suffix)
        .append('\n');
    sb.append("  | ")
        .append(" ".repeat(prefix.length() + Math.max(0, col - from)))
        .append("^".repeat(width));
    return sb.toString();
  }

  /** The widest part of a source line {@link #render} shows. */
  static final int WINDOW = 120;

  private static String lineText(String source, int line) {
    List<String> lines = new ArrayList<>(List.of(source.split("\n", -1)));
    return line - 1 < lines.size() ? stripCr(lines.get(line - 1)) : "";
  }

  private static String stripCr(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
