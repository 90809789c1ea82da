package dev.trailquery.exec;

import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.ErrorCode;
import dev.trailquery.lang.Parser;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.ast.Command;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.value.Values;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code filter FIELD in ( QUERY )}: the inner query runs first, over the same sources and time
 * range, and its distinct values become the set the outer query tests. The inner query's values are
 * those of its output column named like {@code FIELD}, or of its only output column. More than
 * {@link #MAX_VALUES} distinct values is an error that gives their number (TQ2117).
 *
 * <p>How the inner query runs is the caller's: one pass here in the CLI, a fan-out in the API.
 */
public final class Subqueries {
  private Subqueries() {}

  /** The most distinct values a subquery may give (as Logs Insights' join keys). */
  public static final int MAX_VALUES = 50_000;

  /** Runs an inner query's plan to its result. */
  @FunctionalInterface
  public interface Runner {
    Result run(Plan inner);
  }

  /** Every subquery of a query, in order. */
  public static List<Expr.InQuery> find(Query query) {
    List<Expr.InQuery> found = new ArrayList<>();
    Consumer<Expr> visit =
        e -> {
          if (e instanceof Expr.InQuery q) {
            found.add(q);
          }
        };
    for (Command c : query.commands()) {
      for (Expr e : c.expressions()) {
        walk(e, visit);
      }
    }
    return found;
  }

  /** The inner query's plan, set up to keep one group per value of the column the outer tests. */
  public static Plan innerPlan(Expr.InQuery q, Planner.Options outer) {
    // run from the inner text alone: what a worker is given, so their plans agree
    return Planner.plan(Parser.parse(q.source()), outer.forSubquery(innerColumn(q, outer)));
  }

  /** The inner query's column whose values the outer query tests. */
  public static String innerColumn(Expr.InQuery q, Planner.Options outer) {
    // planned over the whole query's text, so that errors point into it
    Plan probe = Planner.plan(q.query(), outer.forSubquery(null));
    return column(q, probe.outputFields());
  }

  /**
   * Runs every subquery of {@code query} with {@code runner} and returns {@code options} with their
   * values; {@code options} unchanged when there is none.
   */
  public static Planner.Options resolve(Query query, Planner.Options options, Runner runner) {
    List<Expr.InQuery> subqueries = find(query);
    if (subqueries.isEmpty()) {
      return options;
    }
    Map<String, Set<String>> values = new LinkedHashMap<>();
    for (Expr.InQuery q : subqueries) {
      if (values.containsKey(q.source())) {
        continue;
      }
      Plan inner = innerPlan(q, options);
      values.put(q.source(), values(q, runner.run(inner), query.source()));
    }
    return options.withSubqueries(values);
  }

  /** The distinct values (their text) of an inner query's result; TQ2117 beyond the limit. */
  public static Set<String> values(Expr.InQuery q, Result inner, String outerSource) {
    int column = inner.fields().size() == 1 ? 0 : -1;
    String subject = q.subject() instanceof Expr.FieldRef f ? f.name() : null;
    if (column < 0 && subject != null) {
      column = inner.fields().indexOf(subject);
    }
    Set<String> out = new HashSet<>();
    if (column < 0) {
      return out;
    }
    for (Object[] row : inner.rows()) {
      Object v = row[column];
      if (v != null) {
        out.add(text(v));
      }
    }
    if (out.size() > MAX_VALUES) {
      throw new QueryException(
          outerSource,
          Diagnostic.error(
              ErrorCode.SUBQUERY_TOO_MANY_VALUES.code(),
              "the subquery gives "
                  + out.size()
                  + " distinct values; the limit is "
                  + MAX_VALUES
                  + " (narrow the inner query or the time range)",
              q.span()));
    }
    return out;
  }

  /** A value as the subquery set holds it: its text as it groups (numbers as shown). */
  public static String text(Object v) {
    Object k = GroupKey.canonical(v);
    return k instanceof String s ? s : Values.toText(k);
  }

  /** TQ2118 when a query has a subquery (subscriptions: they are not incremental). */
  public static void refuse(Query query, String where) {
    List<Expr.InQuery> found = find(query);
    if (!found.isEmpty()) {
      throw new QueryException(
          query.source(),
          Diagnostic.error(
              ErrorCode.SUBQUERY_NOT_ALLOWED.code(),
              "subqueries cannot be used in "
                  + where
                  + ": the inner query would have to run again over all past data for every new"
                  + " object; run it with ./trailquery query or POST /queries",
              found.getFirst().span()));
    }
  }

  private static String column(Expr.InQuery q, List<String> fields) {
    if (fields.size() == 1) {
      return fields.getFirst();
    }
    if (q.subject() instanceof Expr.FieldRef f && fields.contains(f.name())) {
      return f.name();
    }
    throw new QueryException(
        q.query().source(),
        Diagnostic.error(
            ErrorCode.SUBQUERY_COLUMNS.code(),
            "the subquery gives the columns "
                + String.join(", ", fields)
                + "; end it with 'fields NAME' to say which one holds the values",
            q.span()));
  }

  private static void walk(Expr e, Consumer<Expr> visit) {
    visit.accept(e);
    switch (e) {
      case Expr.Call c -> c.args().forEach(a -> walk(a, visit));
      case Expr.Unary u -> walk(u.operand(), visit);
      case Expr.Binary b -> {
        walk(b.left(), visit);
        walk(b.right(), visit);
      }
      case Expr.Like l -> walk(l.subject(), visit);
      case Expr.In i -> walk(i.subject(), visit);
      case Expr.InQuery i -> walk(i.subject(), visit);
      case Expr.Access a -> walk(a.target(), visit);
      default -> {}
    }
  }
}
