package dev.trailquery.fn;

import dev.trailquery.eval.CompileContext;
import dev.trailquery.eval.Evaluator;
import dev.trailquery.lang.ast.Expr;
import java.util.List;

/**
 * A scalar function of the language ({@code strlen}, {@code bin}, {@code isIpInSubnet}, ...).
 * {@link #compile} checks the arguments (count, literal parameters such as periods and regexes) and
 * returns an evaluator; constant work (compiling a regex, parsing a CIDR) happens there, once.
 */
public interface FunctionDef {
  /** The documented spelling, e.g. {@code isValidIpV4}. Lookup is case-insensitive. */
  String name();

  /**
   * @param call the call as written, for spans in errors and for literal arguments
   * @param args the compiled arguments, in order
   */
  Evaluator compile(Expr.Call call, List<Evaluator> args, CompileContext ctx);
}
