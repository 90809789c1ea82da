package dev.trailquery.agg;

import dev.trailquery.lang.ast.Expr;

/**
 * An aggregate call resolved by {@link Aggregates#bind}: the function with its parameters, and the
 * expression whose value each row feeds it ({@code null} for {@code count(*)} and {@code count()}).
 */
public record BoundAggregate(AggregateFunction function, Expr argument) {}
