package dev.trailquery.plan;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs per-row steps over one row, the way every scan does (the CLI's and the API's {@link
 * dev.trailquery.exec.Scan}, the ingest Lambda's one read for every subscription, the final stage):
 * steps in order, a false {@link RowOp#apply} drops the row, and an {@link RowOp.Unnest} runs the
 * rest of the steps once per element, on a copy of the row.
 */
public final class Pipeline {
  private Pipeline() {}

  /** Whether any step makes several rows of one. */
  public static boolean multiplies(List<RowOp> ops) {
    return ops.stream().anyMatch(op -> op instanceof RowOp.Unnest);
  }

  /**
   * Runs {@code ops} over {@code row} and hands each row that comes out to {@code sink}. When
   * {@code elementSlot} is not -1, every row that comes out is numbered there (0, 1, ... per input
   * row, in order), so that rows made from one record by {@code unnest} have an order that does not
   * depend on how the input was split.
   */
  public static void run(RowOp[] ops, Object[] row, int elementSlot, Consumer<Object[]> sink) {
    new Run(ops, elementSlot, sink).from(0, row);
  }

  private static final class Run {
    final RowOp[] ops;
    final int elementSlot;
    final Consumer<Object[]> sink;
    int count;

    Run(RowOp[] ops, int elementSlot, Consumer<Object[]> sink) {
      this.ops = ops;
      this.elementSlot = elementSlot;
      this.sink = sink;
    }

    void from(int start, Object[] row) {
      for (int i = start; i < ops.length; i++) {
        RowOp op = ops[i];
        if (op instanceof RowOp.Unnest u) {
          List<Object> elements = u.elements(row);
          if (elements == null) {
            continue;
          }
          for (Object e : elements) {
            Object[] copy = row.clone();
            copy[u.slot()] = e;
            from(i + 1, copy);
          }
          return;
        }
        if (!op.apply(row)) {
          return;
        }
      }
      if (elementSlot >= 0) {
        row[elementSlot] = (double) count++;
      }
      sink.accept(row);
    }
  }
}
