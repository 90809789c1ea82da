package dev.trailquery.lang;

import dev.trailquery.lang.ast.Query;

/** PLACEHOLDER: the real implementation replaces this file. */
public final class Parser {
  private Parser() {}

  /**
   * Parses a query. Throws {@link QueryException} with every error found; warnings are in {@link
   * Query#warnings()}.
   */
  public static Query parse(String source) {
    throw new QueryException(source, Diagnostic.error("TQ1000", "not implemented", Span.at(0)));
  }
}
