package dev.trailquery.functions.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/** Queries in memory: the embedded default of {@code ./trailquery serve}. */
public final class InMemoryQueryStore implements QueryStore {
  /** Queries kept at most; the oldest go first. */
  public static final int MAX_QUERIES = 1000;

  private final Map<String, QueryRecord> queries = new LinkedHashMap<>();
  private final LongSupplier clock;

  public InMemoryQueryStore() {
    this(System::currentTimeMillis);
  }

  public InMemoryQueryStore(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void create(QueryRecord record) {
    expire();
    queries.put(record.queryId(), record);
    while (queries.size() > MAX_QUERIES) {
      queries.remove(queries.keySet().iterator().next());
    }
  }

  @Override
  public synchronized Optional<QueryRecord> get(String queryId) {
    expire();
    return Optional.ofNullable(queries.get(queryId));
  }

  @Override
  public synchronized boolean progress(QueryRecord record) {
    QueryRecord current = queries.get(record.queryId());
    if (current == null || current.status().finished()) {
      return false;
    }
    queries.put(record.queryId(), record);
    return true;
  }

  @Override
  public synchronized void finish(QueryRecord record) {
    queries.put(record.queryId(), record);
  }

  @Override
  public synchronized boolean cancel(String queryId, long now) {
    QueryRecord current = queries.get(queryId);
    if (current == null || current.status().finished()) {
      return false;
    }
    queries.put(
        queryId,
        current.finished(
            QueryStatus.Cancelled,
            now,
            current.statistics(),
            current.results(),
            current.warnings(),
            "stopped by request"));
    return true;
  }

  @Override
  public synchronized List<QueryRecord> recent(int max) {
    expire();
    List<QueryRecord> all = new ArrayList<>(queries.values());
    all.sort(Comparator.comparingLong(QueryRecord::createTime).reversed());
    return all.subList(0, Math.min(max, all.size())).stream()
        .map(r -> r.withProgress(r.status(), r.statistics(), List.of()))
        .toList();
  }

  private void expire() {
    long cutoff = clock.getAsLong() - RETENTION_MILLIS;
    queries.values().removeIf(r -> r.createTime() < cutoff);
  }
}
