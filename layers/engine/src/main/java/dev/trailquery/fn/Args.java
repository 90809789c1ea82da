package dev.trailquery.fn;

import dev.trailquery.eval.CompileContext;
import dev.trailquery.eval.Evaluator;
import dev.trailquery.lang.ErrorCode;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.value.Periods;
import dev.trailquery.value.Values;
import java.util.List;

/** Argument helpers shared by the function families: error codes, literal arguments. */
final class Args {
  private Args() {}

  /** Wrong number of arguments (or {@code *} given to a scalar function). */
  static final String ARITY = ErrorCode.FUNCTION_ARITY.code();

  /** An argument that must be a literal (a period, a regex, a string) is something else. */
  static final String NOT_LITERAL = ErrorCode.NOT_A_LITERAL.code();

  /** A literal argument is malformed: a bad regex, CIDR, date pattern, time zone or period. */
  static final String BAD_LITERAL = ErrorCode.BAD_LITERAL.code();

  /** The argument's text if it is a string literal, else null. */
  static String stringLit(Expr.Call call, int i) {
    return i < call.args().size() && call.args().get(i) instanceof Expr.StringLit s
        ? s.value()
        : null;
  }

  /**
   * A boolean flag written as a literal: {@code true}/{@code false} (which parse as field names), a
   * number, or a string; null when the argument is not a literal (evaluate it per row then).
   */
  static Boolean flagLit(Expr.Call call, int i) {
    return switch (call.args().get(i)) {
      case Expr.FieldRef f
          when f.name().equalsIgnoreCase("true") || f.name().equalsIgnoreCase("false") ->
          f.name().equalsIgnoreCase("true");
      case Expr.NumberLit n -> n.value() != 0;
      case Expr.StringLit s -> Values.isTruthy(s.value());
      default -> null;
    };
  }

  /** An evaluator for a flag argument: constant when written as a literal. */
  static Evaluator flag(Expr.Call call, List<Evaluator> args, int i) {
    Boolean lit = flagLit(call, i);
    if (lit != null) {
      return row -> lit;
    }
    Evaluator e = args.get(i);
    return row -> Values.isTruthy(e.eval(row));
  }

  /**
   * The period written as argument {@code i}, e.g. {@code 5m}; a compile error unless it is a
   * period literal with a known unit and a whole, positive amount.
   */
  static Periods period(String fn, Expr.Call call, int i, CompileContext ctx) {
    Expr arg = call.args().get(i);
    if (!(arg instanceof Expr.PeriodLit p)) {
      String which = i == 0 ? "" : i == 1 ? " as its second argument" : " as argument " + (i + 1);
      throw ctx.error(
          arg.span(), NOT_LITERAL, fn + " needs a time period such as 5m or 1h" + which);
    }
    if (p.amount() < 1 || p.amount() != Math.rint(p.amount())) {
      throw ctx.error(
          p.span(), BAD_LITERAL, fn + " needs a whole, positive number of units such as 5m or 1h");
    }
    Periods period = Periods.of(p.amount(), p.unit());
    if (period == null) {
      throw ctx.error(
          p.span(),
          BAD_LITERAL,
          "unknown time unit '"
              + p.unit()
              + "'; use ms, s, m, h, d, w, mo, q or y (e.g. 5m or 1h)");
    }
    return period;
  }
}
