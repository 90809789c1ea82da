package dev.trailquery.exec;

import java.util.Arrays;

/** The values of a group's {@code by} expressions, compared by value. */
public record GroupKey(Object[] values) {
  /**
   * The value a group is keyed by. Logs Insights groups by the value as shown (every value is text
   * in its results), so the JSON number {@code 100} and the string {@code "100"} are one group: a
   * number becomes its text. Timestamps ({@code bin()}) and booleans keep their type.
   */
  public static Object canonical(Object v) {
    if (v instanceof dev.trailquery.value.JsonValue j) {
      return j.text(); // a map or list groups by its JSON text, as it shows
    }
    return v instanceof Double d ? dev.trailquery.value.Values.formatNumber(d) : v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupKey k && Arrays.equals(values, k.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return Arrays.toString(values);
  }
}
