package dev.trailquery.fn;

import dev.trailquery.eval.CompileContext;
import dev.trailquery.eval.Evaluator;
import dev.trailquery.lang.ast.Expr;
import java.util.List;

/**
 * A {@link FunctionDef} with an argument-count range, checked before {@code body} compiles the
 * call. {@code max} is {@link #VARIADIC} for functions taking any number of arguments from {@code
 * min} on.
 */
record Def(String name, int min, int max, Body body) implements FunctionDef {
  static final int VARIADIC = Integer.MAX_VALUE;

  /** Compiles a call whose argument count is already known to be in range. */
  @FunctionalInterface
  interface Body {
    Evaluator compile(Expr.Call call, List<Evaluator> args, CompileContext ctx);
  }

  @Override
  public Evaluator compile(Expr.Call call, List<Evaluator> args, CompileContext ctx) {
    if (call.star()) {
      throw ctx.error(call.span(), Args.ARITY, name + " does not take '*'; only count(*) does");
    }
    int n = args.size();
    if (n < min || n > max) {
      throw ctx.error(call.span(), Args.ARITY, arityMessage(n));
    }
    return body.compile(call, args, ctx);
  }

  String arityMessage(int got) {
    String takes;
    if (max == VARIADIC) {
      takes = "at least " + plural(min);
    } else if (min == max) {
      takes = min == 0 ? "no arguments" : plural(min);
    } else if (max == min + 1) {
      takes = min + " or " + plural(max);
    } else {
      takes = min + " to " + plural(max);
    }
    return name + " takes " + takes + ", got " + got;
  }

  private static String plural(int n) {
    return n + (n == 1 ? " argument" : " arguments");
  }
}
