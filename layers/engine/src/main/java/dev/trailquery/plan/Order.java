package dev.trailquery.plan;

import dev.trailquery.value.NaturalOrder;
import java.util.Comparator;

/**
 * A row order over slots: each key ascending or descending by {@link NaturalOrder}, missing values
 * last in either direction.
 */
public record Order(int[] slots, boolean[] descending) implements Comparator<Object[]> {
  @Override
  public int compare(Object[] a, Object[] b) {
    for (int i = 0; i < slots.length; i++) {
      Object x = a[slots[i]];
      Object y = b[slots[i]];
      if (x == null || y == null) {
        if (x != y) {
          return x == null ? 1 : -1;
        }
        continue;
      }
      int c = NaturalOrder.INSTANCE.compare(x, y);
      if (c != 0) {
        return descending[i] ? -c : c;
      }
    }
    return 0;
  }
}
