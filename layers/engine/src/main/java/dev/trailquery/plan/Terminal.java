package dev.trailquery.plan;

/** How the partial stage ends: what each part keeps so that parts merge. */
public sealed interface Terminal {
  /** The first {@code stats}: per group, mergeable accumulators. */
  record Aggregate(StatsSpec spec) implements Terminal {}

  /**
   * No {@code stats}: the first {@code k} rows under {@code order} (after {@code dedup} on {@code
   * dedupSlots} when not null). Ties break on the object and the record's position in it, so the
   * result does not depend on how the input was split.
   */
  record TopK(Order order, int[] dedupSlots, long k) implements Terminal {}
}
