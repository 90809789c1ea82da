package dev.trailquery.lang;

import dev.trailquery.lang.ast.Command;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.lang.ast.Projection;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.lang.ast.SortKey;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders an AST as S-expressions, for tests and debugging. Commands are joined by {@code " | "}.
 *
 * <pre>
 * filter eventName = "ConsoleLogin" and not ispresent(errorCode) | stats count(*) as n by bin(1h)
 * (filter (and (= eventName "ConsoleLogin") (not (ispresent errorCode)))) | (stats (as (count *) n) (by (bin 1h)))
 * </pre>
 *
 * <ul>
 *   <li>literals: {@code "text"} (with {@code \"} {@code \\} {@code \n} {@code \t} {@code \r}
 *       escaped), numbers as written, {@code /regex/} (with {@code /} written {@code \/}), periods
 *       as amount and unit ({@code 1h}), lists {@code ["a" 1]}
 *   <li>fields by name, in backticks when the name is not a plain dotted path
 *   <li>calls {@code (name arg ...)}, {@code (count *)}; operators {@code (op left right)}, {@code
 *       (- x)}, {@code (not x)}; {@code (like x p)}, {@code (not-like x p)}, {@code (in x [..])},
 *       {@code (not-in x [..])}; {@code =~} prints as {@code like}
 *   <li>projections: the expression, or {@code (as expr alias)}; sort keys: the expression, or
 *       {@code (asc expr)} / {@code (desc expr)} when a direction is written; parse: {@code (parse
 *       source pattern (as name ...))}
 * </ul>
 */
public final class AstPrinter {
  private AstPrinter() {}

  public static String print(Query query) {
    return query.commands().stream().map(AstPrinter::print).collect(Collectors.joining(" | "));
  }

  public static String print(Command command) {
    return switch (command) {
      case Command.Fields f -> "(fields " + projections(f.items()) + ")";
      case Command.Display d -> "(display " + projections(d.items()) + ")";
      case Command.Filter f -> "(filter " + print(f.condition()) + ")";
      case Command.Stats s ->
          "(stats "
              + projections(s.aggregates())
              + (s.groupBy().isEmpty() ? "" : " (by " + projections(s.groupBy()) + ")")
              + ")";
      case Command.Sort s ->
          "(sort "
              + s.keys().stream().map(AstPrinter::sortKey).collect(Collectors.joining(" "))
              + ")";
      case Command.Limit l -> "(limit " + l.count() + ")";
      case Command.Parse p ->
          "(parse "
              + print(p.source())
              + " "
              + (p.glob() != null ? print(p.glob()) : print(p.regex()))
              + " (as "
              + p.names().stream().map(n -> name(n.name())).collect(Collectors.joining(" "))
              + "))";
      case Command.Dedup d ->
          "(dedup "
              + d.fields().stream().map(AstPrinter::print).collect(Collectors.joining(" "))
              + ")";
      case Command.Unnest u -> "(unnest " + print(u.source()) + " " + name(u.into().name()) + ")";
      case Command.Expand e -> "(expand " + print(e.field()) + ")";
      case Command.CountFrequent c -> "(countFrequent " + projections(c.items()) + ")";
      case Command.Lookup l ->
          "(lookup "
              + name(l.table().name())
              + " "
              + columns(l.matches())
              + (l.outputNew() ? " (outputnew " : " (output ")
              + columns(l.outputs())
              + "))";
    };
  }

  public static String print(Expr expr) {
    return switch (expr) {
      case Expr.StringLit s -> string(s.value());
      case Expr.NumberLit n -> n.text();
      case Expr.RegexLit r -> "/" + r.pattern().replace("/", "\\/") + "/";
      case Expr.ListLit l -> "[" + join(l.items()) + "]";
      case Expr.PeriodLit p -> number(p.amount()) + p.unit();
      case Expr.FieldRef f -> name(f.name());
      case Expr.Call c ->
          "("
              + c.name()
              + (c.star() ? " *" : "")
              + (c.args().isEmpty() ? "" : " " + join(c.args()))
              + ")";
      case Expr.Unary u ->
          "(" + (u.op() == Expr.UnaryOp.NEG ? "-" : "not") + " " + print(u.operand()) + ")";
      case Expr.Binary b ->
          "(" + b.op().symbol + " " + print(b.left()) + " " + print(b.right()) + ")";
      case Expr.Like l ->
          "("
              + (l.negated() ? "not-like " : "like ")
              + print(l.subject())
              + " "
              + print(l.pattern())
              + ")";
      case Expr.In i ->
          "("
              + (i.negated() ? "not-in " : "in ")
              + print(i.subject())
              + " "
              + print(i.list())
              + ")";
      case Expr.InQuery i ->
          "("
              + (i.negated() ? "not-in " : "in ")
              + print(i.subject())
              + " (query "
              + i.query().commands().stream()
                  .map(AstPrinter::print)
                  .collect(Collectors.joining(" "))
              + "))";
      case Expr.Access a ->
          "(. "
              + print(a.target())
              + a.steps().stream()
                  .map(
                      st ->
                          switch (st) {
                            case Expr.Step.Key k -> " " + string(k.name());
                            case Expr.Step.Index x -> " " + x.index();
                          })
                  .collect(Collectors.joining())
              + ")";
    };
  }

  private static String projections(List<Projection> items) {
    return items.stream()
        .map(
            p ->
                p.alias() == null
                    ? print(p.expr())
                    : "(as " + print(p.expr()) + " " + name(p.alias()) + ")")
        .collect(Collectors.joining(" "));
  }

  private static String columns(List<Command.Column> columns) {
    return columns.stream()
        .map(
            c ->
                c.column().name().equals(c.field().name())
                    ? name(c.column().name())
                    : "(as " + name(c.column().name()) + " " + name(c.field().name()) + ")")
        .collect(Collectors.joining(" "));
  }

  private static String sortKey(SortKey k) {
    if (!k.explicit()) {
      return print(k.expr());
    }
    return "(" + (k.descending() ? "desc " : "asc ") + print(k.expr()) + ")";
  }

  private static String join(List<Expr> items) {
    return items.stream().map(AstPrinter::print).collect(Collectors.joining(" "));
  }

  /** A field name, in backticks unless it reads back as the same name without them. */
  private static String name(String name) {
    boolean plain = !name.isEmpty() && !Lexer.isDigit(name.charAt(0));
    for (String segment : name.split("\\.", -1)) {
      if (segment.isEmpty()) {
        plain = false;
      }
      for (int i = 0; i < segment.length(); i++) {
        if (!Lexer.isNameChar(segment.charAt(i))) {
          plain = false;
        }
      }
    }
    if (plain && Token.KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
      plain = false;
    }
    return plain ? name : "`" + name + "`";
  }

  private static String number(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  private static String string(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
