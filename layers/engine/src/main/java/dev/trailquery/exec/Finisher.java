package dev.trailquery.exec;

import dev.trailquery.agg.Accumulator;
import dev.trailquery.agg.BoundAggregate;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.ErrorCode;
import dev.trailquery.lang.Span;
import dev.trailquery.plan.FinalOp;
import dev.trailquery.plan.Order;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.StatsSpec;
import dev.trailquery.value.Timestamp;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs a plan's final stage over a merged partial state. */
public final class Finisher {
  private Finisher() {}

  public static Result finish(PartialState state) {
    Plan plan = state.plan();
    List<Object[]> rows;
    if (plan.isAggregate()) {
      rows = statsRows(state.stats(), state.groups());
    } else {
      rows = state.topRows();
    }
    for (FinalOp op : plan.finalOps()) {
      rows = apply(op, rows);
    }
    int[] slots = plan.outputSlots();
    List<Object[]> out = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      Object[] o = new Object[slots.length];
      for (int i = 0; i < slots.length; i++) {
        o[i] = row[slots[i]];
      }
      out.add(o);
    }
    return new Result(
        plan.outputFields(),
        out,
        state.statistics(),
        warnings(plan, state),
        List.copyOf(state.skipped()));
  }

  private static List<Diagnostic> warnings(Plan plan, PartialState state) {
    List<Diagnostic> warnings = new ArrayList<>(plan.warnings());
    if (state.recordsScanned == 0) {
      return warnings;
    }
    BitSet seen = state.seenPaths;
    List<String> paths = plan.read().paths();
    for (Map.Entry<String, Span> e : plan.pathSpans().entrySet()) {
      int i = paths.indexOf(e.getKey());
      if (i >= 0 && !seen.get(i)) {
        warnings.add(
            Diagnostic.warning(
                ErrorCode.FIELD_NEVER_SEEN.code(),
                "no scanned record has a field '"
                    + e.getKey()
                    + "': conditions on it never match (check its spelling and case)",
                e.getValue()));
      }
    }
    return warnings;
  }

  private static List<Object[]> apply(FinalOp op, List<Object[]> rows) {
    return switch (op) {
      case FinalOp.Rows r -> {
        List<Object[]> kept = new ArrayList<>(rows.size());
        dev.trailquery.plan.RowOp[] ops = {r.op()};
        for (Object[] row : rows) {
          dev.trailquery.plan.Pipeline.run(ops, row, -1, kept::add);
        }
        yield kept;
      }
      case FinalOp.Explode x -> {
        List<Object[]> out = new ArrayList<>();
        for (Object[] row : rows) {
          if (row[x.resultSlot()] instanceof dev.trailquery.agg.FrequentItems.Rows found) {
            for (int i = 0; i < found.size(); i++) {
              Object[] o = new Object[x.width().width()];
              Object[] key = found.key(i);
              for (int k = 0; k < key.length; k++) {
                o[x.keySlots()[k]] = key[k];
              }
              o[x.countSlot()] = (double) found.count(i);
              out.add(o);
            }
          }
        }
        yield out;
      }
      case FinalOp.Sort s -> {
        List<Object[]> sorted = new ArrayList<>(rows);
        sorted.sort(s.order());
        yield sorted;
      }
      case FinalOp.Limit l ->
          rows.size() <= l.count() ? rows : new ArrayList<>(rows.subList(0, (int) l.count()));
      case FinalOp.Dedup d -> {
        List<Object[]> kept = new ArrayList<>();
        Set<GroupKey> seen = new HashSet<>();
        for (Object[] row : rows) {
          Object[] key = new Object[d.slots().length];
          boolean missing = false;
          for (int i = 0; i < key.length; i++) {
            key[i] = GroupKey.canonical(row[d.slots()[i]]);
            missing |= key[i] == null;
          }
          if (missing || seen.add(new GroupKey(key))) {
            kept.add(row);
          }
        }
        yield kept;
      }
      case FinalOp.Stats s -> {
        Map<GroupKey, Accumulator[]> groups = new LinkedHashMap<>();
        StatsSpec spec = s.spec();
        for (Object[] row : rows) {
          Object[] key = new Object[spec.groupBy().length];
          for (int i = 0; i < key.length; i++) {
            key[i] = GroupKey.canonical(spec.groupBy()[i].eval(row));
          }
          Accumulator[] accs =
              groups.computeIfAbsent(new GroupKey(key), k -> newAccumulators(spec));
          int ts = spec.inputTimestampSlot();
          long millis = ts >= 0 && row[ts] instanceof Timestamp t ? t.millis() : Long.MIN_VALUE;
          for (int i = 0; i < accs.length; i++) {
            var arg = spec.aggregateArgs()[i];
            accs[i].add(arg == null ? Boolean.TRUE : arg.eval(row), millis);
          }
        }
        yield statsRows(spec, groups);
      }
    };
  }

  private static Accumulator[] newAccumulators(StatsSpec spec) {
    BoundAggregate[] aggs = spec.aggregates();
    Accumulator[] accs = new Accumulator[aggs.length];
    for (int i = 0; i < aggs.length; i++) {
      accs[i] = aggs[i].function().create();
    }
    return accs;
  }

  /**
   * One output row per group, in the default order: group keys ascending by natural order, except
   * time keys ({@code bin()}), newest first. A {@code stats} without {@code by} over no rows still
   * gives one row (count 0).
   */
  static List<Object[]> statsRows(StatsSpec spec, Map<GroupKey, Accumulator[]> groups) {
    int width = spec.output().width();
    if (groups.isEmpty() && spec.groupBy().length == 0) {
      groups = Map.of(new GroupKey(new Object[0]), newAccumulators(spec));
    }
    List<Object[]> rows = new ArrayList<>(groups.size());
    boolean[] timeKey = new boolean[spec.groupSlots().length];
    for (Map.Entry<GroupKey, Accumulator[]> e : groups.entrySet()) {
      Object[] row = new Object[width];
      Object[] key = e.getKey().values();
      for (int i = 0; i < key.length; i++) {
        row[spec.groupSlots()[i]] = key[i];
        timeKey[i] |= key[i] instanceof Timestamp;
      }
      Accumulator[] accs = e.getValue();
      for (int i = 0; i < accs.length; i++) {
        row[spec.aggregateSlots()[i]] = accs[i].result();
      }
      for (int i = 0; i < spec.items().length; i++) {
        row[spec.itemSlots()[i]] = spec.items()[i].eval(row);
      }
      rows.add(row);
    }
    if (spec.groupSlots().length > 0) {
      rows.sort(new Order(spec.groupSlots(), timeKey));
    }
    return rows;
  }
}
