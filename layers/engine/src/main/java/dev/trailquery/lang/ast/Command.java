package dev.trailquery.lang.ast;

import dev.trailquery.lang.Span;
import java.util.List;

/** One command of a query pipeline ({@code fields ... | filter ... | stats ...}). */
public sealed interface Command {
  Span span();

  /** {@code fields expr [as alias], ...} */
  record Fields(List<Projection> items, Span span) implements Command {}

  /** {@code display expr [as alias], ...} */
  record Display(List<Projection> items, Span span) implements Command {}

  /** {@code filter expr} or {@code where expr}. */
  record Filter(Expr condition, Span span) implements Command {}

  /** {@code stats agg [as alias], ... [by expr [as alias], ...]} */
  record Stats(List<Projection> aggregates, List<Projection> groupBy, Span span)
      implements Command {}

  /** {@code sort expr [asc|desc], ...} */
  record Sort(List<SortKey> keys, Span span) implements Command {}

  /** {@code limit N} (also the deprecated {@code head N}). */
  record Limit(long count, Span span) implements Command {}

  /**
   * {@code parse source "glob * with * stars" as a, b} or {@code parse source /(?<a>re)/}. Exactly
   * one of {@code glob} and {@code regex} is non-null; for a regex, {@code names} lists its named
   * groups in order.
   */
  record Parse(Expr source, Expr.StringLit glob, Expr.RegexLit regex, List<Name> names, Span span)
      implements Command {}

  /** {@code dedup f1, f2, ...} */
  record Dedup(List<Expr.FieldRef> fields, Span span) implements Command {}

  /** A name being defined (an alias or a parse target), with where it was written. */
  record Name(String name, Span span) {}
}
