package dev.trailquery.lang.ast;

import dev.trailquery.lang.Span;
import java.util.List;

/** One command of a query pipeline ({@code fields ... | filter ... | stats ...}). */
public sealed interface Command {
  /** The expressions this command holds (in the order it evaluates them). */
  default List<Expr> expressions() {
    return switch (this) {
      case Fields f -> f.items().stream().map(Projection::expr).toList();
      case Display d -> d.items().stream().map(Projection::expr).toList();
      case Filter f -> List.of(f.condition());
      case Stats s ->
          java.util.stream.Stream.concat(s.aggregates().stream(), s.groupBy().stream())
              .map(Projection::expr)
              .toList();
      case Sort s -> s.keys().stream().map(SortKey::expr).toList();
      case Parse p -> List.of(p.source());
      case Unnest u -> List.of(u.source());
      case CountFrequent f -> f.items().stream().map(Projection::expr).toList();
      case Limit l -> List.of();
      case Dedup d -> List.of();
      case Expand e -> List.of();
      case Lookup l -> List.of();
    };
  }

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

  /** {@code unnest expr into name}: one row per element of the list {@code expr} gives. */
  record Unnest(Expr source, Name into, Span span) implements Command {}

  /** {@code expand field}: one row per element of the JSON array the field holds. */
  record Expand(Expr.FieldRef field, Span span) implements Command {}

  /**
   * {@code countFrequent f1[, f2...]}: the most frequent combinations with their approximate count
   * in {@code _approxcount}, highest first.
   */
  record CountFrequent(List<Projection> items, Span span) implements Command {}

  /**
   * {@code lookup TABLE col [as logField], ... OUTPUT|OUTPUTNEW out [as name], ...}.
   *
   * @param matches the table's columns to match, each with the log field it matches
   * @param outputNew true for {@code OUTPUTNEW} (fill missing fields only), false for {@code
   *     OUTPUT}
   * @param outputs the table's columns to copy, each with the field it goes to
   */
  record Lookup(
      Name table, List<Column> matches, boolean outputNew, List<Column> outputs, Span span)
      implements Command {}

  /**
   * A lookup table's column and the field it pairs with ({@code col as field}; same name if no as).
   */
  record Column(Name column, Name field) {}

  /** A name being defined (an alias or a parse target), with where it was written. */
  record Name(String name, Span span) {}
}
