package dev.trailquery.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The first {@code k} rows under an order, optionally keeping only the first row per dedup key.
 * Mergeable: the top k of a union is the top k of the parts' top k, also with dedup, because a row
 * among the first k distinct keys of the whole is among the first k of any part holding it.
 */
final class TopK {
  private final Comparator<Object[]> order;
  private final int[] dedupSlots;
  private final long k;
  // Without dedup: a heap whose head is the worst row kept.
  private final PriorityQueue<Object[]> heap;
  // With dedup: rows in order, and the row kept per key.
  private final TreeSet<Object[]> sorted;
  private final Map<GroupKey, Object[]> byKey;

  TopK(Comparator<Object[]> order, int[] dedupSlots, long k) {
    this.order = order;
    this.dedupSlots = dedupSlots;
    this.k = k;
    if (dedupSlots == null) {
      heap = new PriorityQueue<>(order.reversed());
      sorted = null;
      byKey = null;
    } else {
      heap = null;
      sorted = new TreeSet<>(order);
      byKey = new HashMap<>();
    }
  }

  void offer(Object[] row) {
    if (k <= 0) {
      return;
    }
    if (heap != null) {
      if (heap.size() < k) {
        heap.add(row);
      } else if (order.compare(row, heap.peek()) < 0) {
        heap.poll();
        heap.add(row);
      }
      return;
    }
    GroupKey key = dedupKey(row);
    if (key != null) {
      Object[] current = byKey.get(key);
      if (current != null) {
        if (order.compare(row, current) >= 0) {
          return;
        }
        sorted.remove(current);
        byKey.remove(key);
      }
    }
    if (sorted.size() >= k && order.compare(row, sorted.last()) >= 0) {
      return;
    }
    sorted.add(row);
    if (key != null) {
      byKey.put(key, row);
    }
    if (sorted.size() > k) {
      Object[] worst = sorted.pollLast();
      GroupKey wk = dedupKey(worst);
      if (wk != null && byKey.get(wk) == worst) {
        byKey.remove(wk);
      }
    }
  }

  /** The dedup key, or null when there is no dedup or a key field is missing (never deduped). */
  private GroupKey dedupKey(Object[] row) {
    Object[] values = new Object[dedupSlots.length];
    for (int i = 0; i < dedupSlots.length; i++) {
      Object v = row[dedupSlots[i]];
      if (v == null) {
        return null;
      }
      values[i] = GroupKey.canonical(v);
    }
    return new GroupKey(values);
  }

  void merge(TopK other) {
    for (Object[] row : other.rows()) {
      offer(row);
    }
  }

  /** The rows kept, best first. */
  List<Object[]> rows() {
    List<Object[]> rows = new ArrayList<>(heap != null ? heap : sorted);
    rows.sort(order);
    return rows;
  }

  int size() {
    return heap != null ? heap.size() : sorted.size();
  }
}
