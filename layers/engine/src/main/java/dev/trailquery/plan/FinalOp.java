package dev.trailquery.plan;

/** A step of the final stage, run once over the merged rows. */
public sealed interface FinalOp {
  /** A per-row step (filter, fields, parse, sort-key capture). */
  record Rows(RowOp op) implements FinalOp {}

  /** {@code sort}. */
  record Sort(Order order) implements FinalOp {}

  /** {@code limit}. */
  record Limit(long count) implements FinalOp {}

  /** {@code dedup}: first row per combination of these slots; rows with a missing key all stay. */
  record Dedup(int[] slots) implements FinalOp {}

  /**
   * {@code countFrequent}'s rows: the frequent-items result in {@code resultSlot} becomes one row
   * per combination, its fields in {@code keySlots} and its count in {@code countSlot}.
   */
  record Explode(int resultSlot, int[] keySlots, int countSlot, StatsSpec.ScopeWidth width)
      implements FinalOp {}

  /** A second (or later) {@code stats}, computed in memory; rows change layout after it. */
  record Stats(StatsSpec spec) implements FinalOp {}
}
