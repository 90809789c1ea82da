package dev.trailquery.eval;

/**
 * A compiled expression. A row is an {@code Object[]} whose slots the planner assigned to field
 * names; values follow {@link dev.trailquery.value.Values}. Evaluators are stateless and safe to
 * share between threads.
 */
@FunctionalInterface
public interface Evaluator {
  Object eval(Object[] row);
}
