package dev.trailquery.fn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trailquery.eval.CompileContext;
import dev.trailquery.eval.Evaluator;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.Span;
import dev.trailquery.lang.ast.Expr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test support: builds calls, compiles them through {@link Functions} with a small {@link
 * CompileContext}, and evaluates them on one row.
 *
 * <p>Plain Java values given as arguments are put in row slots and read through a field reference
 * (the per-row path); {@link Expr} arguments (see {@link #str}, {@link #num}, {@link #period},
 * {@link #re}) are literals (the compile-once path). Argument {@code i} of a call spans {@link
 * #argSpan(int)}; the call spans {@link #CALL_SPAN}.
 */
final class Fx {
  private Fx() {}

  static final Span CALL_SPAN = new Span(0, 100);

  /** now(), queryStartTime(), queryEndTime() of the test context. */
  static final long NOW = Instant.parse("2023-07-10T11:42:18.750Z").toEpochMilli();

  static final long START = Instant.parse("2023-07-10T10:00:00Z").toEpochMilli();
  static final long END = Instant.parse("2023-07-10T12:00:00Z").toEpochMilli();

  static Span argSpan(int i) {
    return new Span(10 + 10 * i, 15 + 10 * i);
  }

  static Expr.StringLit str(String s) {
    return new Expr.StringLit(s, new Span(0, 0));
  }

  static Expr.NumberLit num(double d) {
    return new Expr.NumberLit(d, Double.toString(d), new Span(0, 0));
  }

  static Expr.PeriodLit period(double amount, String unit) {
    return new Expr.PeriodLit(amount, unit, new Span(0, 0));
  }

  static Expr.RegexLit re(String pattern) {
    return new Expr.RegexLit(pattern, new Span(0, 0));
  }

  static Expr.FieldRef field(String name) {
    return new Expr.FieldRef(name, new Span(0, 0));
  }

  /** A call whose arguments are already expressions; argument i gets {@link #argSpan}(i). */
  static Expr.Call call(String name, Expr... args) {
    List<Expr> spanned = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      spanned.add(withSpan(args[i], argSpan(i)));
    }
    return new Expr.Call(name, spanned, false, CALL_SPAN);
  }

  private static Expr withSpan(Expr e, Span s) {
    return switch (e) {
      case Expr.StringLit x -> new Expr.StringLit(x.value(), s);
      case Expr.NumberLit x -> new Expr.NumberLit(x.value(), x.text(), s);
      case Expr.PeriodLit x -> new Expr.PeriodLit(x.amount(), x.unit(), s);
      case Expr.RegexLit x -> new Expr.RegexLit(x.pattern(), s);
      case Expr.FieldRef x -> new Expr.FieldRef(x.name(), s);
      case Expr.Call x -> new Expr.Call(x.name(), x.args(), x.star(), s);
      default -> e;
    };
  }

  /** Evaluates {@code fn(args...)}; plain values are per-row fields, Exprs are literals. */
  static Object eval(String fn, Object... args) {
    return new Row().eval(fn, args);
  }

  /** Like {@link #eval} on a row whose {@code @timestamp} is {@code timestamp}. */
  static Object evalAt(Object timestamp, String fn, Object... args) {
    Row r = new Row();
    r.set("@timestamp", timestamp);
    return r.eval(fn, args);
  }

  /**
   * Evaluates with every string/number argument once as a per-row value and once as a literal,
   * checks both paths agree and returns the result.
   */
  static Object both(String fn, Object... args) {
    Object dynamic = eval(fn, args);
    Object[] lits = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      lits[i] =
          switch (args[i]) {
            case String s -> str(s);
            case Number n -> num(n.doubleValue());
            default -> args[i];
          };
    }
    Object literal = eval(fn, lits);
    assertThat(literal).as("literal vs per-row result of %s", fn).isEqualTo(dynamic);
    return dynamic;
  }

  /** Compiles {@code fn(args...)} expecting a compile error; returns its diagnostic. */
  static Diagnostic error(String fn, Object... args) {
    Row r = new Row();
    QueryException e = catchThrowableOfType(QueryException.class, () -> r.compile(fn, args));
    assertThat(e).as("%s should not compile", fn).isNotNull();
    return e.error();
  }

  /** Compiles a ready-made call expecting a compile error. */
  static Diagnostic error(Expr.Call call) {
    Ctx ctx = new Ctx();
    QueryException e = catchThrowableOfType(QueryException.class, () -> ctx.compile(call));
    assertThat(e).as("%s should not compile", call.name()).isNotNull();
    return e.error();
  }

  /** Compiles a ready-made call and evaluates it on an empty row. */
  static Object evalCall(Expr.Call call) {
    Ctx ctx = new Ctx();
    Evaluator e = ctx.compile(call);
    return e.eval(new Object[ctx.slots.size()]);
  }

  /** A row under construction: named slots and their values. */
  static final class Row {
    final Ctx ctx = new Ctx();
    final List<Object> values = new ArrayList<>();

    void set(String name, Object value) {
      ctx.slot(name);
      values.add(normalize(value));
    }

    Evaluator compile(String fn, Object... args) {
      Expr[] exprs = new Expr[args.length];
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof Expr e) {
          exprs[i] = e;
        } else {
          String name = "$arg" + i;
          set(name, args[i]);
          exprs[i] = field(name);
        }
      }
      return ctx.compile(call(fn, exprs));
    }

    Object eval(String fn, Object... args) {
      Evaluator e = compile(fn, args);
      return e.eval(values.toArray());
    }

    private static Object normalize(Object v) {
      return switch (v) {
        case Integer i -> (double) i;
        case Long l -> (double) l;
        case null, default -> v;
      };
    }
  }

  /** The test compile context: fields are slots by name; literals are constants. */
  static final class Ctx implements CompileContext {
    final Map<String, Integer> slots = new LinkedHashMap<>();

    int slot(String name) {
      return slots.computeIfAbsent(name, n -> slots.size());
    }

    @Override
    public String source() {
      return " ".repeat(200);
    }

    @Override
    public Evaluator compile(Expr expr) {
      return switch (expr) {
        case Expr.StringLit s -> row -> s.value();
        case Expr.NumberLit n -> {
          Double d = n.value();
          yield row -> d;
        }
        case Expr.FieldRef f -> field(f.name());
        case Expr.Call c -> {
          FunctionDef def = Functions.lookup(c.name());
          if (def == null) {
            throw error(c.span(), "TQ2001", "unknown function '" + c.name() + "'");
          }
          List<Evaluator> args = c.args().stream().map(this::compile).toList();
          yield def.compile(c, args, this);
        }
        // Periods and regexes are read from the call at compile time, never evaluated.
        case Expr.PeriodLit p ->
            row -> {
              throw new AssertionError("a period argument was evaluated");
            };
        case Expr.RegexLit r ->
            row -> {
              throw new AssertionError("a regex argument was evaluated");
            };
        default -> throw new UnsupportedOperationException(expr.toString());
      };
    }

    @Override
    public Evaluator field(String name) {
      int i = slot(name);
      return row -> i < row.length ? row[i] : null;
    }

    @Override
    public long queryStartMillis() {
      return START;
    }

    @Override
    public long queryEndMillis() {
      return END;
    }

    @Override
    public long nowMillis() {
      return NOW;
    }

    @Override
    public QueryException error(Span span, String code, String message) {
      return new QueryException(source(), Diagnostic.error(code, message, span));
    }
  }
}
