package dev.trailquery;

import dev.trailquery.exec.Finisher;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.lang.Parser;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * The engine's front door: compile a query, run it over object sources, get a {@link Result}.
 *
 * <pre>{@code
 * Plan plan = Trailquery.compile("stats count(*) by eventSource", Planner.Options.defaults());
 * Result r = Trailquery.run(plan, List.of(new LocalFileSource(Path.of("logs"))), 4, Scan.Listener.NONE);
 * }</pre>
 *
 * Fan-out and incremental ingest use the parts directly: {@link Scan} into a {@link PartialState}
 * per part, {@link PartialState#toBytes()} / {@link PartialState#fromBytes} to move it, {@link
 * PartialState#merge}, then {@link Finisher#finish}.
 */
public final class Trailquery {
  private Trailquery() {}

  /** Parses and plans a query; throws {@link dev.trailquery.lang.QueryException} when invalid. */
  public static Plan compile(String query, Planner.Options options) {
    Query q = Parser.parse(query);
    return Planner.plan(q, options);
  }

  /**
   * Scans every object of every source with {@code threads} threads, listing the sources as the
   * scan goes ({@link ObjectSource#objects}) rather than holding the whole list.
   */
  public static Result run(
      Plan plan, List<? extends ObjectSource> sources, int threads, Scan.Listener listener)
      throws IOException {
    return runInputs(plan, Scan.inputs(sources), threads, listener);
  }

  /** Scans the objects {@code inputs} yields with {@code threads} threads; finishes the result. */
  public static Result runInputs(
      Plan plan, Iterator<Scan.Input> inputs, int threads, Scan.Listener listener) {
    PartialState state = new Scan(plan).scanAll(inputs, threads, listener, () -> false, false);
    return Finisher.finish(state);
  }

  /** Scans the given objects with {@code threads} threads and finishes the result. */
  public static Result runInputs(
      Plan plan, List<Scan.Input> inputs, int threads, Scan.Listener listener) {
    PartialState state = new Scan(plan).scanAll(inputs, threads, listener);
    return Finisher.finish(state);
  }
}
