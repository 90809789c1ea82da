package dev.trailquery.functions.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Queries in memory: the embedded default of {@code ./trailquery serve}.
 *
 * <p>Bounded by bytes, not only by count: the results of all queries kept together take at most
 * {@link #MAX_RESULT_BYTES} (estimated as Java strings). Over that, the results of the oldest
 * finished queries are evicted (their status, statistics and query stay, with a warning that says
 * to run the query again); a single result over {@link #MAX_QUERY_RESULT_BYTES} keeps its first
 * rows that fit, with a warning. So a burst of {@code fields @message | limit 10000} queries cannot
 * fill the heap of a laptop or a 512 MB Lambda.
 */
public final class InMemoryQueryStore implements QueryStore {
  /** Queries kept at most; the oldest go first. */
  public static final int MAX_QUERIES = 1000;

  /** Estimated bytes of all kept results together. */
  public static final long MAX_RESULT_BYTES = 96L << 20;

  /** Estimated bytes of one query's kept results. */
  public static final long MAX_QUERY_RESULT_BYTES = 32L << 20;

  static final String EVICTED =
      "results evicted: this server keeps at most "
          + (MAX_RESULT_BYTES >> 20)
          + " MB of query results in memory; run the query again";

  private final Map<String, QueryRecord> queries = new LinkedHashMap<>();
  private final Map<String, Long> sizes = new java.util.HashMap<>();
  private final LongSupplier clock;
  private final long maxBytes;
  private final long maxQueryBytes;
  private long bytes;

  public InMemoryQueryStore() {
    this(System::currentTimeMillis);
  }

  public InMemoryQueryStore(LongSupplier clock) {
    this(clock, MAX_RESULT_BYTES, MAX_QUERY_RESULT_BYTES);
  }

  /** With other bounds (tests). */
  public InMemoryQueryStore(LongSupplier clock, long maxBytes, long maxQueryBytes) {
    this.clock = clock;
    this.maxBytes = maxBytes;
    this.maxQueryBytes = maxQueryBytes;
  }

  /** Estimated heap bytes of results: two bytes a character plus object overheads. */
  static long size(List<List<ResultField>> results) {
    long n = 16;
    for (List<ResultField> row : results) {
      n += 48;
      for (ResultField f : row) {
        n += 64 + 2L * f.field().length() + (f.value() == null ? 0 : 2L * f.value().length());
      }
    }
    return n;
  }

  /** {@code r} with its results cut to the rows that fit {@link #maxQueryBytes}. */
  private QueryRecord capped(QueryRecord r) {
    if (size(r.results()) <= maxQueryBytes) {
      return r;
    }
    List<List<ResultField>> kept = new ArrayList<>();
    long n = 16;
    for (List<ResultField> row : r.results()) {
      long s = size(List.of(row)) - 16;
      if (n + s > maxQueryBytes) {
        break;
      }
      n += s;
      kept.add(row);
    }
    List<String> warnings = new ArrayList<>(r.warnings());
    warnings.add(
        "the results are cut to their first "
            + kept.size()
            + " rows: this server keeps at most "
            + (maxQueryBytes >> 20)
            + " MB of one query's results in memory");
    return new QueryRecord(
        r.queryId(),
        r.request(),
        r.status(),
        r.createTime(),
        r.finishTime(),
        r.statistics(),
        List.copyOf(kept),
        List.copyOf(warnings),
        r.message(),
        r.createdBy());
  }

  /** Stores {@code r} (results capped), then evicts the oldest finished results over the bound. */
  private void put(QueryRecord record) {
    QueryRecord r = capped(record);
    queries.put(r.queryId(), r);
    long s = size(r.results());
    Long old = sizes.put(r.queryId(), s);
    bytes += s - (old == null ? 0 : old);
    if (bytes <= maxBytes) {
      return;
    }
    for (QueryRecord q : new ArrayList<>(queries.values())) {
      if (bytes <= maxBytes) {
        break;
      }
      if (!q.status().finished() || q.results().isEmpty() || q.queryId().equals(r.queryId())) {
        continue;
      }
      List<String> warnings = new ArrayList<>(q.warnings());
      warnings.add(EVICTED);
      queries.put(
          q.queryId(),
          new QueryRecord(
              q.queryId(),
              q.request(),
              q.status(),
              q.createTime(),
              q.finishTime(),
              q.statistics(),
              List.of(),
              List.copyOf(warnings),
              q.message(),
              q.createdBy()));
      long freed = sizes.put(q.queryId(), size(List.of()));
      bytes -= freed - size(List.of());
    }
  }

  private void remove(String queryId) {
    queries.remove(queryId);
    Long s = sizes.remove(queryId);
    bytes -= s == null ? 0 : s;
  }

  /** Estimated bytes of the results kept now. */
  public synchronized long resultBytes() {
    return bytes;
  }

  @Override
  public synchronized void create(QueryRecord record) {
    expire();
    put(record);
    while (queries.size() > MAX_QUERIES) {
      remove(queries.keySet().iterator().next());
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
    put(record);
    return true;
  }

  @Override
  public synchronized void finish(QueryRecord record) {
    put(record);
  }

  @Override
  public synchronized boolean cancel(String queryId, long now) {
    QueryRecord current = queries.get(queryId);
    if (current == null || current.status().finished()) {
      return false;
    }
    put(
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
    for (QueryRecord r : new ArrayList<>(queries.values())) {
      if (r.createTime() < cutoff) {
        remove(r.queryId());
      }
    }
  }
}
