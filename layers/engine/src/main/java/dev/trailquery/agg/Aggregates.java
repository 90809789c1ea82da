package dev.trailquery.agg;

import dev.trailquery.eval.CompileContext;
import dev.trailquery.lang.ast.Expr;

/** The registry of aggregates. PLACEHOLDER: the real implementation replaces this file. */
public final class Aggregates {
  private Aggregates() {}

  /** Whether {@code name} (case-insensitive) is an aggregate ({@code count}, {@code pct}, ...). */
  public static boolean isAggregate(String name) {
    return false;
  }

  /** Resolves an aggregate call, checking its arguments; errors come from {@code ctx.error}. */
  public static BoundAggregate bind(Expr.Call call, CompileContext ctx) {
    throw ctx.error(call.span(), "TQ2001", "unknown aggregate '" + call.name() + "'");
  }
}
