package dev.trailquery.functions.query;

import java.util.List;
import java.util.Optional;

/**
 * Where queries live: what was asked, their status, statistics and results. In memory for {@code
 * ./trailquery serve}; DynamoDB (results over 400 KB in S3) with a 7-day TTL in AWS.
 */
public interface QueryStore {
  /** How long finished queries are kept, as Logs Insights keeps results. */
  long RETENTION_MILLIS = 7L * 24 * 3600 * 1000;

  void create(QueryRecord record);

  Optional<QueryRecord> get(String queryId);

  /**
   * Records progress of a query that is still Scheduled or Running; returns false (and writes
   * nothing) when it has finished meanwhile, e.g. because it was cancelled.
   */
  boolean progress(QueryRecord record);

  /** Records a query's final state (the coordinator's last word). */
  void finish(QueryRecord record);

  /**
   * Marks a Scheduled or Running query Cancelled; false when it had already finished. The
   * coordinator notices and stops its workers.
   */
  boolean cancel(String queryId, long now);

  /** The most recent queries, newest first, without their results. */
  List<QueryRecord> recent(int max);

  /**
   * The queries still Scheduled or Running that started at or after {@code sinceMillis}, without
   * their results (what the running-query caps count).
   */
  default List<QueryRecord> running(long sinceMillis) {
    return recent(InMemoryQueryStore.MAX_QUERIES).stream()
        .filter(r -> r.runningSince(sinceMillis))
        .toList();
  }
}
