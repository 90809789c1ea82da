package dev.trailquery.agg;

import dev.trailquery.eval.CompileContext;
import dev.trailquery.lang.ErrorCode;
import dev.trailquery.lang.ast.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry of aggregates: which names are aggregates, and binding a call to an {@link
 * AggregateFunction} with its literal parameters.
 *
 * <p>Errors (thrown as {@code ctx.error}): {@link ErrorCode#UNKNOWN_AGGREGATE} (TQ2301), {@link
 * ErrorCode#AGGREGATE_ARITY} (TQ2302: wrong number of arguments, or {@code *} where a field is
 * needed), {@link ErrorCode#AGGREGATE_PARAMETER} (TQ2303: a literal parameter out of range or not a
 * literal), {@link ErrorCode#AGGREGATE_IN_ARGUMENT} (TQ2304: an aggregate inside an aggregate's
 * argument).
 *
 * <p>A state is restored with the bound function: {@code bound.function().read(in)}; its image
 * carries the aggregate's kind, so reading another aggregate's state fails with an {@link
 * java.io.IOException}.
 */
public final class Aggregates {
  private Aggregates() {}

  private static final Map<String, Kind> BY_NAME = new HashMap<>();
  private static final List<String> NAMES;

  static {
    List<String> names = new ArrayList<>();
    for (Kind k : Kind.values()) {
      if (k == Kind.FREQUENT) {
        continue; // a command, not an aggregate of stats
      }
      names.add(k.canonical);
      BY_NAME.put(k.canonical.toLowerCase(Locale.ROOT), k);
      for (String alias : k.aliases) {
        BY_NAME.put(alias.toLowerCase(Locale.ROOT), k);
      }
    }
    NAMES = List.copyOf(names);
  }

  /** Whether {@code name} (case-insensitive) is an aggregate ({@code count}, {@code pct}, ...). */
  public static boolean isAggregate(String name) {
    return name != null && BY_NAME.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /**
   * The canonical name of every aggregate, e.g. {@code count_distinct}, {@code sortsFirst}. Aliases
   * ({@code countDistinct}, {@code percentile}) are accepted by {@link #isAggregate} and {@link
   * #bind} but not listed.
   */
  public static List<String> names() {
    return NAMES;
  }

  /** Resolves an aggregate call, checking its arguments; errors come from {@code ctx.error}. */
  public static BoundAggregate bind(Expr.Call call, CompileContext ctx) {
    Kind kind = BY_NAME.get(call.name().toLowerCase(Locale.ROOT));
    if (kind == null) {
      throw ctx.error(
          call.span(),
          ErrorCode.UNKNOWN_AGGREGATE.code(),
          "unknown aggregate '" + call.name() + "'");
    }
    List<Expr> args = call.args();
    for (Expr arg : args) {
      checkNoAggregate(arg, ctx);
    }
    String name = call.name();
    return switch (kind) {
      case COUNT -> {
        if (call.star() || args.isEmpty()) {
          yield new BoundAggregate(new Count(), null);
        }
        if (args.size() > 1) {
          throw ctx.error(
              call.span(),
              ErrorCode.AGGREGATE_ARITY.code(),
              name
                  + " takes at most one argument: "
                  + name
                  + "(*), "
                  + name
                  + "() or "
                  + name
                  + "(field)");
        }
        yield new BoundAggregate(new Count(), args.getFirst());
      }
      case PCT -> {
        String usage = name + " takes a field and a percentile between 0 and 100";
        if (call.star() || args.size() != 2) {
          throw ctx.error(call.span(), ErrorCode.AGGREGATE_ARITY.code(), usage);
        }
        if (!(args.get(1) instanceof Expr.NumberLit p) || !(p.value() >= 0 && p.value() <= 100)) {
          throw ctx.error(args.get(1).span(), ErrorCode.AGGREGATE_PARAMETER.code(), usage);
        }
        yield new BoundAggregate(new Percentile(p.value()), args.getFirst());
      }
      default -> {
        if (call.star() || args.size() != 1) {
          throw ctx.error(
              call.span(),
              ErrorCode.AGGREGATE_ARITY.code(),
              name + " takes one argument: " + name + "(field)");
        }
        yield new BoundAggregate(function(kind), args.getFirst());
      }
    };
  }

  private static AggregateFunction function(Kind kind) {
    return switch (kind) {
      case COUNT -> new Count();
      case COUNT_DISTINCT -> new CountDistinct();
      case SUM -> new SumAvg(false);
      case AVG -> new SumAvg(true);
      case MIN -> new MinMax(false);
      case MAX -> new MinMax(true);
      case PCT -> throw new IllegalArgumentException("pct needs a percentile");
      case STDDEV -> new Variance(true);
      case VARIANCE -> new Variance(false);
      case EARLIEST -> new EarliestLatest(false);
      case LATEST -> new EarliestLatest(true);
      case SORTS_FIRST -> new SortsFirstLast(false);
      case SORTS_LAST -> new SortsFirstLast(true);
      case FREQUENT -> throw new IllegalArgumentException("countFrequent is a command");
    };
  }

  private static void checkNoAggregate(Expr e, CompileContext ctx) {
    switch (e) {
      case Expr.Call c -> {
        if (isAggregate(c.name())) {
          throw ctx.error(
              c.span(),
              ErrorCode.AGGREGATE_IN_ARGUMENT.code(),
              "aggregate '" + c.name() + "' inside another aggregate");
        }
        for (Expr a : c.args()) {
          checkNoAggregate(a, ctx);
        }
      }
      case Expr.Unary u -> checkNoAggregate(u.operand(), ctx);
      case Expr.Binary b -> {
        checkNoAggregate(b.left(), ctx);
        checkNoAggregate(b.right(), ctx);
      }
      case Expr.Like l -> {
        checkNoAggregate(l.subject(), ctx);
        checkNoAggregate(l.pattern(), ctx);
      }
      case Expr.In in -> checkNoAggregate(in.subject(), ctx);
      case Expr.InQuery in -> checkNoAggregate(in.subject(), ctx);
      case Expr.Access a -> checkNoAggregate(a.target(), ctx);
      case Expr.ListLit l -> {
        for (Expr item : l.items()) {
          checkNoAggregate(item, ctx);
        }
      }
      case Expr.StringLit s -> {}
      case Expr.NumberLit n -> {}
      case Expr.RegexLit r -> {}
      case Expr.PeriodLit p -> {}
      case Expr.FieldRef f -> {}
    }
  }
}
