package dev.trailquery.exec;

import java.util.Arrays;

/** The values of a group's {@code by} expressions, compared by value. */
public record GroupKey(Object[] values) {
  /**
   * The value a group is keyed by. Logs Insights groups by the value as shown, so the JSON number
   * {@code 1} and the string {@code "1"} are one group: a string that is exactly a number's
   * canonical text becomes that number. Other strings ({@code "01"}, {@code "1.0"}) stay strings.
   */
  public static Object canonical(Object v) {
    if (v instanceof String s && !s.isEmpty() && s.length() <= 15) {
      char c = s.charAt(0);
      if ((c >= '0' && c <= '9') || c == '-') {
        Double d = dev.trailquery.value.Values.parseNumber(s);
        if (d != null && dev.trailquery.value.Values.formatNumber(d).equals(s)) {
          return d;
        }
      }
    }
    return v;
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
