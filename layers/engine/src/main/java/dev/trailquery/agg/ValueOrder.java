package dev.trailquery.agg;

import dev.trailquery.value.NaturalOrder;
import dev.trailquery.value.Timestamp;

/**
 * {@link NaturalOrder} made total, for aggregates that pick one value: values it ranks equal but of
 * different types ({@code 1}, {@code "1"}, {@code true}) order by type, string < number < boolean <
 * timestamp, so the pick never depends on the order rows arrive in.
 */
final class ValueOrder {
  private ValueOrder() {}

  static int compare(Object a, Object b) {
    int c = NaturalOrder.INSTANCE.compare(a, b);
    return c != 0 ? c : Integer.compare(rank(a), rank(b));
  }

  private static int rank(Object v) {
    return switch (v) {
      case String s -> 0;
      case Double d -> 1;
      case Boolean b -> 2;
      case Timestamp t -> 3;
      default -> 4;
    };
  }
}
