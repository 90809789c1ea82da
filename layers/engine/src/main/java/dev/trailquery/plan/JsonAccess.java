package dev.trailquery.plan;

import dev.trailquery.lang.ast.Command;
import dev.trailquery.lang.ast.Expr;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the planner needs to know about maps and lists before compiling: which functions return
 * them, and whether a {@code jsonParse(@message)} alias is ever used as a whole (else only its
 * paths are read, by the reader, and the record's text is never held).
 */
final class JsonAccess {
  private JsonAccess() {}

  /** Functions whose result is always a map or a list (lowercase). */
  static final Set<String> STRUCTURED_FUNCTIONS = Set.of("jsonparse", "split");

  /**
   * Whether {@code name} is used by {@code later} commands other than through a path below it
   * ({@code name.a.b}, {@code name[0].c}), or is an output column (no later display or stats).
   */
  static boolean usedWhole(String name, List<Command> later) {
    boolean[] whole = {false};
    boolean replaced = false;
    for (Command c : later) {
      if (c instanceof Command.Display
          || c instanceof Command.Stats
          || c instanceof Command.CountFrequent) {
        replaced = true;
      }
      Consumer<Expr> check =
          e -> {
            if (e instanceof Expr.FieldRef f && f.name().equals(name)) {
              whole[0] = true;
            }
          };
      for (Expr e : c.expressions()) {
        walk(e, check);
      }
      if (c instanceof Command.Dedup d) {
        d.fields().forEach(f -> check.accept(f));
      }
      if (c instanceof Command.Expand x) {
        check.accept(x.field());
      }
      if (c instanceof Command.Lookup l) {
        l.matches().forEach(m -> whole[0] |= m.field().name().equals(name));
      }
    }
    return whole[0] || !replaced;
  }

  /** Visits {@code e} and every sub-expression (not the inside of a subquery). */
  static void walk(Expr e, Consumer<Expr> visit) {
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
      case Expr.Access a -> {
        // a path below the name is not a whole use; anything else under it is
        if (!(a.target() instanceof Expr.FieldRef)) {
          walk(a.target(), visit);
        }
      }
      default -> {}
    }
  }
}
