package dev.trailquery.functions.query;

import java.util.List;

/**
 * Everything the API knows about one query: what was asked, where it stands, and its (partial)
 * results.
 *
 * @param createTime epoch ms when it was started
 * @param finishTime epoch ms when it ended, or 0 while it runs
 * @param results rows so far (partial while Running); final once finished
 * @param warnings query warnings, rendered as {@code line L, column C: message [code]}
 * @param message why it failed, was cancelled or timed out; null otherwise
 * @param createdBy the ARN of the caller who started it ({@link Caller#arn()}), or null where
 *     nobody signs requests
 */
public record QueryRecord(
    String queryId,
    QueryRequest request,
    QueryStatus status,
    long createTime,
    long finishTime,
    QueryStats statistics,
    List<List<ResultField>> results,
    List<String> warnings,
    String message,
    String createdBy) {

  public static QueryRecord scheduled(String id, QueryRequest request, long now) {
    return scheduled(id, request, now, null);
  }

  public static QueryRecord scheduled(String id, QueryRequest request, long now, String createdBy) {
    return new QueryRecord(
        id,
        request,
        QueryStatus.Scheduled,
        now,
        0,
        QueryStats.EMPTY,
        List.of(),
        List.of(),
        null,
        createdBy);
  }

  /** Whether it is Scheduled or Running and started after {@code sinceMillis}. */
  public boolean runningSince(long sinceMillis) {
    return !status.finished() && createTime >= sinceMillis;
  }

  public QueryRecord withProgress(
      QueryStatus status, QueryStats stats, List<List<ResultField>> results) {
    return new QueryRecord(
        queryId,
        request,
        status,
        createTime,
        finishTime,
        stats,
        results,
        warnings,
        message,
        createdBy);
  }

  public QueryRecord finished(
      QueryStatus status,
      long now,
      QueryStats stats,
      List<List<ResultField>> results,
      List<String> warnings,
      String message) {
    return new QueryRecord(
        queryId, request, status, createTime, now, stats, results, warnings, message, createdBy);
  }
}
