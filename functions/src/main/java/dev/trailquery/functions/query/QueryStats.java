package dev.trailquery.functions.query;

import dev.trailquery.exec.Statistics;

/**
 * A query's statistics as the API reports them: the engine's {@link Statistics} plus how much of
 * the fan-out is done.
 *
 * @param objectsListed objects the time range selected
 * @param batches worker invocations planned
 * @param batchesDone worker results merged
 */
public record QueryStats(
    long recordsMatched,
    long recordsScanned,
    long bytesScanned,
    long bytesRead,
    long objectsScanned,
    long objectsSkipped,
    long objectsListed,
    int batches,
    int batchesDone) {
  public static final QueryStats EMPTY = new QueryStats(0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** The engine's statistics of these. */
  public Statistics engine() {
    return new Statistics(
        recordsScanned, recordsMatched, bytesScanned, bytesRead, objectsScanned, objectsSkipped);
  }

  public static QueryStats of(Statistics s, long objectsListed, int batches, int batchesDone) {
    return new QueryStats(
        s.recordsMatched(),
        s.recordsScanned(),
        s.bytesScanned(),
        s.bytesRead(),
        s.objectsScanned(),
        s.objectsSkipped(),
        objectsListed,
        batches,
        batchesDone);
  }
}
