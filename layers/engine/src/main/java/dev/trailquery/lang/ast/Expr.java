package dev.trailquery.lang.ast;

import dev.trailquery.lang.Span;
import java.util.List;

/**
 * An expression of the Logs Insights language. Every node carries the {@link Span} of its source
 * text; an unaliased output column is named by that text ({@code count(*)}, {@code bin(1h)}).
 */
public sealed interface Expr {
  Span span();

  /** {@code "text"} or {@code 'text'}, escapes already resolved. */
  record StringLit(String value, Span span) implements Expr {}

  /** {@code 42}, {@code 0.5}, {@code 1e3}. {@code text} is the literal as written. */
  record NumberLit(double value, String text, Span span) implements Expr {}

  /** {@code /pattern/}: the pattern between the slashes, with {@code \/} turned into {@code /}. */
  record RegexLit(String pattern, Span span) implements Expr {}

  /** {@code [a, b, ...]}: only literals (strings, numbers, negated numbers). */
  record ListLit(List<Expr> items, Span span) implements Expr {}

  /**
   * A time period such as {@code 5m}, {@code 1h}, {@code 30s}. {@code unit} is the unit as written
   * ({@code m}, {@code min}, {@code hours}); {@link dev.trailquery.value.Periods} interprets it.
   */
  record PeriodLit(double amount, String unit, Span span) implements Expr {}

  /**
   * A field: {@code eventName}, {@code userIdentity.type}, {@code resources.0.ARN}, {@code
   * @timestamp}, or a backtick name {@code `detail-type`}. {@code name} is the full dotted path as
   * one string, without backticks.
   */
  record FieldRef(String name, Span span) implements Expr {}

  /**
   * A function or aggregate call. {@code name} is as written (matching is case-insensitive). {@code
   * star} is true for {@code count(*)} (then {@code args} is empty).
   */
  record Call(String name, List<Expr> args, boolean star, Span span) implements Expr {}

  /** {@code -x}, {@code not x}, {@code !x}. */
  record Unary(UnaryOp op, Expr operand, Span span) implements Expr {}

  /** Arithmetic, comparison and boolean operators. */
  record Binary(BinaryOp op, Expr left, Expr right, Span span) implements Expr {}

  /**
   * {@code subject like pattern}, {@code subject not like pattern}, {@code subject =~ /re/}. {@code
   * pattern} is a {@link StringLit} (substring test) or a {@link RegexLit} (unanchored regex
   * search).
   */
  record Like(Expr subject, Expr pattern, boolean negated, Span span) implements Expr {}

  /** {@code subject in [..]}, {@code subject not in [..]}. */
  record In(Expr subject, ListLit list, boolean negated, Span span) implements Expr {}

  /**
   * {@code target[0].name}, {@code jsonParse(@message).a.b}: keys of a map and indexes of a list,
   * applied in order to the value of {@code target}.
   */
  record Access(Expr target, List<Step> steps, Span span) implements Expr {
    public Access {
      steps = List.copyOf(steps);
    }
  }

  /** One step of an {@link Access}. */
  sealed interface Step {
    /** {@code .name}, {@code .`odd name`}, {@code ["name"]}. */
    record Key(String name) implements Step {}

    /** {@code [i]}. */
    record Index(int index) implements Step {}
  }

  /**
   * {@code subject in ( QUERY )}, {@code subject not in ( QUERY )}: a subquery over the same
   * sources and time range, whose one output column gives the values. {@code source} is the inner
   * query's text, {@code query} its parse.
   */
  record InQuery(Expr subject, Query query, String source, boolean negated, Span span)
      implements Expr {}

  enum UnaryOp {
    NEG,
    NOT
  }

  enum BinaryOp {
    ADD("+"),
    SUB("-"),
    MUL("*"),
    DIV("/"),
    MOD("%"),
    POW("^"),
    EQ("="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    AND("and"),
    OR("or");

    public final String symbol;

    BinaryOp(String symbol) {
      this.symbol = symbol;
    }
  }
}
