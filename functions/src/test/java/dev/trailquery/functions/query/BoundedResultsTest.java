package dev.trailquery.functions.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 D3: {@code serve} keeps query results bounded by bytes. 100 finished queries of 10,000
 * rows with a 1,000-character {@code @message} each (~20 MB apiece, 2 GB together) leave the newest
 * results within {@link InMemoryQueryStore#MAX_RESULT_BYTES}; the oldest say theirs were evicted.
 */
class BoundedResultsTest {
  static final QueryRequest REQUEST =
      new QueryRequest("fields @message | limit 10000", 0, 1, null, List.of(), List.of());

  @Test
  void resultsAreBoundedByBytesAndTheOldestEvicted() {
    List<List<ResultField>> rows = new ArrayList<>();
    String message = "m".repeat(1_000);
    for (int i = 0; i < 10_000; i++) {
      rows.add(List.of(new ResultField("@message", message)));
    }
    long oneResult = InMemoryQueryStore.size(rows);
    assertThat(oneResult).isBetween(20_000_000L, 21_500_000L); // 10,000 × (48 + 64 + 2 × 1,008)
    InMemoryQueryStore store = new InMemoryQueryStore(() -> 1_000L);
    for (int i = 0; i < 100; i++) {
      QueryRecord r = QueryRecord.scheduled("q" + i, REQUEST, 1_000L);
      store.create(r);
      store.finish(
          r.finished(QueryStatus.Complete, 1_001L, QueryStats.EMPTY, rows, List.of(), null));
      assertThat(store.resultBytes()).isLessThanOrEqualTo(InMemoryQueryStore.MAX_RESULT_BYTES);
    }
    long kept = InMemoryQueryStore.MAX_RESULT_BYTES / oneResult; // 4
    for (int i = 0; i < 100; i++) {
      QueryRecord r = store.get("q" + i).orElseThrow();
      assertThat(r.status()).isEqualTo(QueryStatus.Complete);
      if (i >= 100 - kept) {
        assertThat(r.results()).hasSize(10_000);
        assertThat(r.warnings()).isEmpty();
      } else {
        assertThat(r.results()).as("q" + i).isEmpty();
        assertThat(r.warnings()).containsExactly(InMemoryQueryStore.EVICTED);
      }
    }
  }

  @Test
  void oneResultOverItsBoundKeepsTheRowsThatFit() {
    List<List<ResultField>> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(List.of(new ResultField("@message", "x".repeat(1_000))));
    }
    long perRow = InMemoryQueryStore.size(List.of(rows.getFirst())) - 16;
    InMemoryQueryStore store = new InMemoryQueryStore(() -> 1L, 1L << 30, 16 + 10 * perRow);
    QueryRecord r = QueryRecord.scheduled("big", REQUEST, 1L);
    store.create(r);
    store.finish(r.finished(QueryStatus.Complete, 2L, QueryStats.EMPTY, rows, List.of(), null));
    QueryRecord got = store.get("big").orElseThrow();
    assertThat(got.results()).hasSize(10);
    assertThat(got.warnings()).singleElement().asString().contains("first 10 rows");
  }
}
