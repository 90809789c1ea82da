package dev.trailquery.lang.ast;

import dev.trailquery.lang.Span;

/**
 * {@code expr [as alias]} in {@code fields}, {@code display} and {@code stats}. {@code name} is the
 * output column: the alias if given, else the expression's source text (Logs Insights names {@code
 * count(*)} and {@code bin(1h)} that way), except a plain field reference, named by its path.
 */
public record Projection(Expr expr, String alias, String name, Span span) {}
