package dev.trailquery.plan;

import dev.trailquery.agg.BoundAggregate;
import dev.trailquery.eval.Evaluator;
import java.util.List;

/**
 * One {@code stats} command, compiled.
 *
 * @param groupBy group key expressions, evaluated on input rows
 * @param aggregates the aggregate calls found in the items, in order
 * @param aggregateArgs for each aggregate, its argument evaluated on input rows (null for count(*))
 * @param inputTimestampSlot the input rows' {@code @timestamp} slot, or -1
 * @param groupSlots where each group key goes in an output row
 * @param aggregateSlots where each aggregate's result goes in an output row (hidden)
 * @param itemSlots where each stats item goes in an output row
 * @param items each item, evaluated on the output row after groups and aggregates are set
 * @param output the output scope (its width is final once planning is done)
 * @param outputNames group names then item names: the columns this stats produces
 */
public record StatsSpec(
    Evaluator[] groupBy,
    BoundAggregate[] aggregates,
    Evaluator[] aggregateArgs,
    int inputTimestampSlot,
    int[] groupSlots,
    int[] aggregateSlots,
    int[] itemSlots,
    Evaluator[] items,
    ScopeWidth output,
    List<String> outputNames) {

  /** The width of output rows, read once planning is complete. */
  @FunctionalInterface
  public interface ScopeWidth {
    int width();
  }
}
