package dev.trailquery.eval;

import dev.trailquery.lang.ErrorCode;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.Span;
import dev.trailquery.lang.ast.Expr;

/** What a function or aggregate sees while it is being compiled. */
public interface CompileContext {
  /** The query text, for error messages. */
  String source();

  /** Compiles a sub-expression in the current scope. */
  Evaluator compile(Expr expr);

  /** An evaluator reading a field by name in the current scope, e.g. {@code @timestamp}. */
  Evaluator field(String name);

  /** Like {@link #field(String)}, with where the name was written (for errors and warnings). */
  default Evaluator field(String name, Span span) {
    return field(name);
  }

  /**
   * A column already named by this expression's text, if any: after {@code stats count(*)}, the
   * expression {@code count(*)} in a later command reads that column. Null when there is none.
   */
  default Evaluator existingColumn(Expr expr) {
    return null;
  }

  /**
   * A context-specific compilation of {@code expr} (record paths reached through {@code
   * jsonParse(@message)} or an access, read by the reader instead of navigated), or null to compile
   * it the general way.
   */
  default Evaluator rewrite(Expr expr) {
    return null;
  }

  /**
   * The values of a subquery that has already run (their text), for {@code f in ( QUERY )}; an
   * error where subqueries cannot run.
   */
  default java.util.Set<String> subqueryValues(Expr.InQuery query) {
    throw error(
        query.span(),
        ErrorCode.SUBQUERY_NOT_AVAILABLE.code(),
        "a subquery is not available here; it runs with ./trailquery query and the query API");
  }

  /** The query's start time ({@code --start}), epoch ms; the time of the run when unbounded. */
  long queryStartMillis();

  /** The query's end time ({@code --end}), epoch ms; the time of the run when unbounded. */
  long queryEndMillis();

  /** The time the query started running, epoch ms ({@code now()}). */
  long nowMillis();

  /**
   * An error at {@code span} to throw: {@code throw ctx.error(span, ErrorCode.STAR_ARGUMENT.code(),
   * "...")}.
   */
  QueryException error(Span span, String code, String message);
}
