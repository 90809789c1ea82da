package dev.trailquery.blocks;

import dev.trailquery.lang.Parser;
import dev.trailquery.lang.ast.Command;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.lang.ast.Projection;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.plan.Plan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which chunks a query cannot match, derived from its {@code filter} commands and time range: no
 * query change needed. A chunk is skipped only when it provably holds no record the query would
 * keep — when unsure, it is read.
 *
 * <p>Understood: {@code field = literal} (either side), {@code field in [literals]}, {@code
 * ispresent(field)}, {@code and}, {@code or}, on the summarised fields ({@link
 * Compactor#SUMMARY_FIELDS}). Only filters that see records as read count: those before the first
 * {@code stats}, {@code limit} or {@code dedup} (which decide which records a later filter sees),
 * and only on fields no earlier {@code fields}, {@code display} or {@code parse} redefined.
 */
public final class Skipping {
  /** A condition on a chunk: true when the chunk may hold a matching record. */
  @FunctionalInterface
  public interface ChunkTest {
    boolean mayMatch(Manifest.Chunk chunk);
  }

  private static final ChunkTest ALWAYS = c -> true;

  private final List<ChunkTest> tests;
  private boolean wide;
  private final long start;
  private final long end;

  private Skipping(List<ChunkTest> tests, long start, long end) {
    this.tests = tests;
    this.start = start;
    this.end = end;
  }

  /** The skipping rules of a plan (its source is parsed again for the filters). */
  public static Skipping of(Plan plan) {
    return of(Parser.parse(plan.source()), plan.startMillis(), plan.endMillis());
  }

  public static Skipping of(Query query, long start, long end) {
    List<ChunkTest> tests = new ArrayList<>();
    Set<String> shadowed = new HashSet<>();
    loop:
    for (Command c : query.commands()) {
      switch (c) {
        case Command.Filter f -> tests.add(test(f.condition(), shadowed));
        case Command.Fields f -> f.items().forEach(p -> shadowed.add(p.name()));
        case Command.Display d -> d.items().forEach((Projection p) -> shadowed.add(p.name()));
        case Command.Parse p -> p.names().forEach(n -> shadowed.add(n.name()));
        case Command.Sort s -> {}
        case Command.Stats s -> {
          break loop;
        }
        case Command.Limit l -> {
          break loop;
        }
        case Command.Dedup d -> {
          break loop;
        }
        case Command.CountFrequent f -> {
          break loop;
        }
        // rows that multiply or gain fields: what they define no longer reads the record
        case Command.Unnest u -> shadowed.add(u.into().name());
        case Command.Expand x -> shadowed.add(x.field().name());
        case Command.Lookup l -> l.outputs().forEach(o -> shadowed.add(o.field().name()));
      }
    }
    tests.removeIf(t -> t == ALWAYS);
    Skipping s = new Skipping(List.copyOf(tests), start, end);
    s.wide =
        query.commands().stream()
            .anyMatch(c -> c instanceof Command.Filter f && mentionsWide(f.condition()));
    return s;
  }

  /** Whether a query could keep any record of the chunk. */
  public boolean mayMatch(Manifest.Chunk chunk) {
    boolean bounded = start != Long.MIN_VALUE || end != Long.MAX_VALUE;
    if (bounded) {
      // records without a time never pass a bounded range
      if (chunk.records() == chunk.untimed()) {
        return false;
      }
      if (chunk.maxTime() < start || chunk.minTime() >= end) {
        return false;
      }
    }
    for (ChunkTest t : tests) {
      if (!t.mayMatch(chunk)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a filter names a wide field (whose chunk indexes live apart from the manifest). */
  public boolean usesWide() {
    return wide;
  }

  private static boolean mentionsWide(Expr e) {
    return switch (e) {
      case Expr.FieldRef f -> Compactor.WIDE_FIELDS.contains(f.name());
      case Expr.Binary b -> mentionsWide(b.left()) || mentionsWide(b.right());
      case Expr.Unary u -> mentionsWide(u.operand());
      case Expr.In in -> mentionsWide(in.subject());
      case Expr.Like l -> mentionsWide(l.subject());
      case Expr.Call c -> c.args().stream().anyMatch(Skipping::mentionsWide);
      default -> false;
    };
  }

  /** Whether the filters give the planner anything to skip with (besides time). */
  public boolean filters() {
    return !tests.isEmpty();
  }

  private static ChunkTest test(Expr e, Set<String> shadowed) {
    switch (e) {
      case Expr.Binary b when b.op() == Expr.BinaryOp.AND -> {
        ChunkTest l = test(b.left(), shadowed);
        ChunkTest r = test(b.right(), shadowed);
        if (l == ALWAYS) {
          return r;
        }
        if (r == ALWAYS) {
          return l;
        }
        return c -> l.mayMatch(c) && r.mayMatch(c);
      }
      case Expr.Binary b when b.op() == Expr.BinaryOp.OR -> {
        ChunkTest l = test(b.left(), shadowed);
        ChunkTest r = test(b.right(), shadowed);
        if (l == ALWAYS || r == ALWAYS) {
          return ALWAYS;
        }
        return c -> l.mayMatch(c) || r.mayMatch(c);
      }
      case Expr.Binary b when b.op() == Expr.BinaryOp.EQ -> {
        String field = field(b.left(), shadowed);
        Object lit = literal(b.right());
        if (field == null || lit == null) {
          field = field(b.right(), shadowed);
          lit = literal(b.left());
        }
        if (field == null || lit == null) {
          return ALWAYS;
        }
        String f = field;
        Object v = lit;
        return c -> index(c, f) == null || index(c, f).mayEqual(v);
      }
      case Expr.In in when !in.negated() -> {
        String field = field(in.subject(), shadowed);
        if (field == null) {
          return ALWAYS;
        }
        List<Object> values = new ArrayList<>();
        for (Expr item : in.list().items()) {
          Object lit = literal(item);
          if (lit == null) {
            return ALWAYS;
          }
          values.add(lit);
        }
        return c -> {
          FieldIndex idx = index(c, field);
          if (idx == null) {
            return true;
          }
          for (Object v : values) {
            if (idx.mayEqual(v)) {
              return true;
            }
          }
          return false;
        };
      }
      case Expr.Call call
          when call.name().toLowerCase(Locale.ROOT).equals("ispresent")
              && call.args().size() == 1 -> {
        String field = field(call.args().getFirst(), shadowed);
        if (field == null) {
          return ALWAYS;
        }
        return c -> index(c, field) == null || index(c, field).present();
      }
      default -> {
        return ALWAYS;
      }
    }
  }

  private static FieldIndex index(Manifest.Chunk c, String field) {
    return c.fields().get(field);
  }

  private static String field(Expr e, Set<String> shadowed) {
    if (e instanceof Expr.FieldRef f
        && Compactor.SUMMARY_FIELDS.contains(f.name())
        && !shadowedPath(f.name(), shadowed)) {
      return f.name();
    }
    return null;
  }

  /** Whether the name or a map it starts with ({@code u} of {@code u.arn}) was redefined. */
  private static boolean shadowedPath(String name, Set<String> shadowed) {
    if (shadowed.contains(name)) {
      return true;
    }
    for (int i = name.indexOf('.'); i > 0; i = name.indexOf('.', i + 1)) {
      if (shadowed.contains(name.substring(0, i))) {
        return true;
      }
    }
    return false;
  }

  private static Object literal(Expr e) {
    return switch (e) {
      case Expr.StringLit s -> s.value();
      case Expr.NumberLit n -> n.value();
      default -> null;
    };
  }
}
