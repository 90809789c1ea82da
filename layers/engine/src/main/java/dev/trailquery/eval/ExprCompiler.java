package dev.trailquery.eval;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.trailquery.agg.Aggregates;
import dev.trailquery.fn.FunctionDef;
import dev.trailquery.fn.Functions;
import dev.trailquery.lang.ErrorCode;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Compiles {@link Expr} trees into {@link Evaluator}s. Field names are resolved through {@link
 * CompileContext#field}; aggregate calls are handed to {@code aggregates} (null outside {@code
 * stats}, where an aggregate is an error).
 */
public final class ExprCompiler {
  private final CompileContext ctx;
  private final Function<Expr.Call, Evaluator> aggregates;

  public ExprCompiler(CompileContext ctx, Function<Expr.Call, Evaluator> aggregates) {
    this.ctx = ctx;
    this.aggregates = aggregates;
  }

  public Evaluator compile(Expr expr) {
    if (expr instanceof Expr.Call
        || expr instanceof Expr.Binary
        || expr instanceof Expr.Unary
        || expr instanceof Expr.Access) {
      Evaluator column = ctx.existingColumn(expr);
      if (column != null) {
        return column;
      }
    }
    if (expr instanceof Expr.Access || expr instanceof Expr.Call) {
      Evaluator rewritten = ctx.rewrite(expr);
      if (rewritten != null) {
        return rewritten;
      }
    }
    return switch (expr) {
      case Expr.StringLit s -> constant(s.value());
      case Expr.NumberLit n -> constant(n.value());
      case Expr.PeriodLit p ->
          throw ctx.error(
              p.span(),
              ErrorCode.PERIOD_OUT_OF_PLACE.code(),
              "a time period is only allowed as an argument of bin, datefloor or dateceil");
      case Expr.RegexLit r ->
          throw ctx.error(
              r.span(),
              ErrorCode.REGEX_OUT_OF_PLACE.code(),
              "a regular expression is only allowed after like, =~ or parse");
      case Expr.ListLit l ->
          throw ctx.error(
              l.span(),
              ErrorCode.LIST_OUT_OF_PLACE.code(),
              "a list is only allowed after in or not in");
      case Expr.FieldRef f -> ctx.field(f.name(), f.span());
      case Expr.Call c -> call(c);
      case Expr.Unary u -> unary(u);
      case Expr.Binary b -> binary(b);
      case Expr.Like l -> like(l);
      case Expr.In in -> in(in);
      case Expr.InQuery in -> inQuery(in);
      case Expr.Access a -> navigate(compile(a.target()), a.steps());
    };
  }

  /**
   * Applies access steps at run time: {@code .key} on a map, {@code [i]} on a list; anything else
   * (a scalar, a missing value) gives a missing value.
   */
  public static Evaluator navigate(Evaluator base, List<Expr.Step> steps) {
    Expr.Step[] st = steps.toArray(Expr.Step[]::new);
    return row -> {
      Object v = base.eval(row);
      for (Expr.Step s : st) {
        if (!(v instanceof dev.trailquery.value.JsonValue j)) {
          return null;
        }
        v =
            switch (s) {
              case Expr.Step.Key k -> j.get(k.name());
              case Expr.Step.Index i -> j.get(i.index());
            };
      }
      return v;
    };
  }

  private Evaluator inQuery(Expr.InQuery q) {
    Evaluator subject = compile(q.subject());
    java.util.Set<String> values = ctx.subqueryValues(q);
    boolean negated = q.negated();
    return row -> {
      Object v = subject.eval(row);
      if (v == null) {
        return Boolean.FALSE;
      }
      Object key = dev.trailquery.exec.GroupKey.canonical(v);
      String text = key instanceof String s ? s : Values.toText(key);
      return Values.bool(values.contains(text) != negated);
    };
  }

  private static Evaluator constant(Object v) {
    return row -> v;
  }

  private Evaluator call(Expr.Call c) {
    if (Aggregates.isAggregate(c.name())) {
      if (aggregates == null) {
        throw ctx.error(
            c.span(),
            ErrorCode.AGGREGATE_OUTSIDE_STATS.code(),
            c.name() + "() is an aggregate: it is only allowed in stats");
      }
      return aggregates.apply(c);
    }
    FunctionDef def = Functions.lookup(c.name());
    if (def == null) {
      throw ctx.error(
          c.span(), ErrorCode.UNKNOWN_FUNCTION.code(), "unknown function '" + c.name() + "'");
    }
    if (c.star()) {
      throw ctx.error(
          c.span(), ErrorCode.STAR_ARGUMENT.code(), c.name() + "(*) is not allowed; only count(*)");
    }
    List<Evaluator> args = new ArrayList<>(c.args().size());
    for (Expr a : c.args()) {
      if (a instanceof Expr.PeriodLit || a instanceof Expr.RegexLit) {
        // Literal parameters are read by the function itself from the call.
        args.add(row -> null);
      } else {
        args.add(compile(a));
      }
    }
    return def.compile(c, List.copyOf(args), ctx);
  }

  private Evaluator unary(Expr.Unary u) {
    if (u.operand() instanceof Expr.PeriodLit) {
      throw ctx.error(
          u.span(),
          ErrorCode.PERIOD_OUT_OF_PLACE.code(),
          "a time period cannot be negative: bin, datefloor and dateceil need a whole, positive"
              + " number of units such as 5m or 1h, not a negative period");
    }
    Evaluator e = compile(u.operand());
    return switch (u.op()) {
      case NEG ->
          row -> {
            Double d = Values.toNumber(e.eval(row));
            return d == null ? null : -d;
          };
      case NOT -> row -> Values.bool(!Values.isTruthy(e.eval(row)));
    };
  }

  private Evaluator binary(Expr.Binary b) {
    Evaluator l = compile(b.left());
    Evaluator r = compile(b.right());
    return switch (b.op()) {
      case AND -> row -> Values.bool(Values.isTruthy(l.eval(row)) && Values.isTruthy(r.eval(row)));
      case OR -> row -> Values.bool(Values.isTruthy(l.eval(row)) || Values.isTruthy(r.eval(row)));
      case EQ -> row -> Values.bool(cmp(l, r, row) == 0);
      case NE -> row -> Values.bool(cmpOr(l, r, row, 0) != 0);
      case LT -> row -> Values.bool(cmpOr(l, r, row, 0) < 0);
      case LE -> row -> Values.bool(cmpOr(l, r, row, 1) <= 0);
      case GT -> row -> Values.bool(cmpOr(l, r, row, 0) > 0);
      case GE -> row -> Values.bool(cmpOr(l, r, row, -1) >= 0);
      case ADD, SUB, MUL, DIV, MOD, POW -> arithmetic(b.op(), l, r);
    };
  }

  /** Comparison result, or a sentinel that makes every operator false when a side is missing. */
  private static int cmp(Evaluator l, Evaluator r, Object[] row) {
    Integer c = Values.compare(l.eval(row), r.eval(row));
    return c == null ? Integer.MIN_VALUE : Integer.signum(c);
  }

  /**
   * Like {@link #cmp} but returns {@code whenMissing}, chosen per operator so that the operator is
   * false: 0 for {@code != < >}, 1 for {@code <=}, -1 for {@code >=}.
   */
  private static int cmpOr(Evaluator l, Evaluator r, Object[] row, int whenMissing) {
    Integer c = Values.compare(l.eval(row), r.eval(row));
    return c == null ? whenMissing : Integer.signum(c);
  }

  private static Evaluator arithmetic(Expr.BinaryOp op, Evaluator l, Evaluator r) {
    return row -> {
      Double a = Values.toNumber(l.eval(row));
      if (a == null) {
        return null;
      }
      Double b = Values.toNumber(r.eval(row));
      if (b == null) {
        return null;
      }
      double x = a;
      double y = b;
      double v =
          switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> y == 0 ? Double.NaN : x / y;
            case MOD -> y == 0 ? Double.NaN : x % y;
            case POW -> Math.pow(x, y);
            default -> throw new IllegalStateException(op.name());
          };
      return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    };
  }

  private Evaluator like(Expr.Like l) {
    Evaluator subject = compile(l.subject());
    boolean negated = l.negated();
    return switch (l.pattern()) {
      case Expr.StringLit s -> {
        String needle = s.value();
        yield row -> {
          String text = Values.toText(subject.eval(row));
          if (text == null) {
            return Boolean.FALSE;
          }
          return Values.bool(text.contains(needle) != negated);
        };
      }
      case Expr.RegexLit r -> {
        Pattern p = regex(r);
        java.util.function.Predicate<String> test = literalTest(r.pattern());
        if (test == null) {
          test = text -> p.matcher(text).find();
        }
        java.util.function.Predicate<String> matches = test;
        yield row -> {
          String text = Values.toText(subject.eval(row));
          if (text == null) {
            return Boolean.FALSE;
          }
          return Values.bool(matches.test(text) != negated);
        };
      }
      default ->
          throw ctx.error(
              l.pattern().span(),
              ErrorCode.BAD_LIKE_PATTERN.code(),
              "expected a string or a /regex/ after like");
    };
  }

  /**
   * A plain string test equivalent to a regex that is only literal text, optionally anchored:
   * {@code /^Delete/} is a prefix test, {@code /Operation$/} a suffix test, {@code /Decrypt/} a
   * substring test, {@code /^GetObject$/} equality. Null when the regex uses any metacharacter (or
   * flags), which then runs through RE2/J. The CIS queries are full of these.
   */
  static java.util.function.Predicate<String> literalTest(String regex) {
    boolean start = regex.startsWith("^");
    boolean end = regex.endsWith("$") && regex.length() > (start ? 1 : 0);
    String body = regex.substring(start ? 1 : 0, regex.length() - (end ? 1 : 0));
    if (body.isEmpty()) {
      return null;
    }
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (!(Character.isLetterOrDigit(c)
          || c == '_'
          || c == '-'
          || c == ' '
          || c == ':'
          || c == '@'
          || c == '/'
          || c == ','
          || c == '='
          || c == '#'
          || c == '%'
          || c == '\''
          || c == '"')) {
        return null;
      }
      if (c > 127) {
        return null;
      }
    }
    if (start && end) {
      return body::equals;
    }
    if (start) {
      return t -> t.startsWith(body);
    }
    if (end) {
      return t -> t.endsWith(body);
    }
    return t -> t.contains(body);
  }

  /** Compiles a user regex with RE2/J (linear time); a bad pattern is an error at its span. */
  public Pattern regex(Expr.RegexLit r) {
    String tooLarge = dev.trailquery.lang.RegexBudget.check(r.pattern());
    if (tooLarge != null) {
      throw ctx.error(r.span(), ErrorCode.INVALID_REGEX.code(), tooLarge);
    }
    try {
      return Pattern.compile(r.pattern());
    } catch (PatternSyntaxException e) {
      throw ctx.error(
          r.span(),
          ErrorCode.INVALID_REGEX.code(),
          "invalid regular expression: " + e.getDescription());
    }
  }

  private Evaluator in(Expr.In in) {
    Evaluator subject = compile(in.subject());
    List<Object> items = new ArrayList<>();
    for (Expr item : in.list().items()) {
      items.add(
          switch (item) {
            case Expr.StringLit s -> s.value();
            case Expr.NumberLit n -> n.value(); // (the parser reads -5 in a list as one number)
            default ->
                throw ctx.error(
                    item.span(),
                    ErrorCode.LIST_OUT_OF_PLACE.code(),
                    "a list may only hold strings and numbers");
          });
    }
    Object[] list = items.toArray();
    boolean negated = in.negated();
    return row -> {
      Object v = subject.eval(row);
      if (v == null) {
        return Boolean.FALSE;
      }
      boolean found = false;
      for (Object item : list) {
        if (Values.equalsValue(v, item)) {
          found = true;
          break;
        }
      }
      return Values.bool(found != negated);
    };
  }
}
