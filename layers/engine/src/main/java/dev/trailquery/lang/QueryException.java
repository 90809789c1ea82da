package dev.trailquery.lang;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A query that cannot run: a syntax error, an unknown function, a misplaced command. Carries every
 * diagnostic found (at least one error) and the source text so it can render carets.
 */
public final class QueryException extends RuntimeException {
  private final transient List<Diagnostic> diagnostics;
  private final String source;

  public QueryException(String source, List<Diagnostic> diagnostics) {
    super(firstMessage(source, diagnostics), null, false, false);
    this.source = source;
    this.diagnostics = List.copyOf(diagnostics);
  }

  public QueryException(String source, Diagnostic diagnostic) {
    this(source, List.of(diagnostic));
  }

  private static String firstMessage(String source, List<Diagnostic> diagnostics) {
    Diagnostic d =
        diagnostics.stream()
            .filter(x -> x.severity() == Severity.ERROR)
            .findFirst()
            .orElse(diagnostics.getFirst());
    return "line " + d.line(source) + ", column " + d.column(source) + ": " + d.message();
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** The first error. */
  public Diagnostic error() {
    return diagnostics.stream()
        .filter(x -> x.severity() == Severity.ERROR)
        .findFirst()
        .orElse(diagnostics.getFirst());
  }

  public String source() {
    return source;
  }

  /** Every diagnostic rendered with its caret line, separated by blank lines. */
  public String render() {
    return diagnostics.stream().map(d -> d.render(source)).collect(Collectors.joining("\n\n"));
  }
}
