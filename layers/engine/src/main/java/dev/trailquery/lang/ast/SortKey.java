package dev.trailquery.lang.ast;

import dev.trailquery.lang.Span;

/** {@code expr [asc|desc]}; {@code descending} is false when no direction is written. */
public record SortKey(Expr expr, boolean descending, boolean explicit, Span span) {}
