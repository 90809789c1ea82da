package dev.trailquery.value;

/**
 * The value model shared by every part of the engine. A value is one of:
 *
 * <ul>
 *   <li>{@code null}: the field is missing (JSON {@code null} also reads as missing);
 *   <li>{@link String};
 *   <li>{@link Double}: every number (JSON integers with more than 15 digits stay strings so no
 *       digit is lost; they still compare numerically);
 *   <li>{@link Boolean}: JSON {@code true}/{@code false} and the result of comparisons; behaves as
 *       1/0 in arithmetic and renders as {@code 1}/{@code 0} like Logs Insights;
 *   <li>{@link Timestamp}: a point in time; behaves as epoch milliseconds;
 *   <li>{@link JsonValue}: a map or list (a JSON object or array of the record, or what {@code
 *       jsonParse} and {@code split} return); its text is its compact JSON.
 * </ul>
 *
 * Comparison rule: when both sides are numbers (or strings that read as numbers) they compare
 * numerically, otherwise as strings by code point. Any comparison with a missing value is false.
 */
public final class Values {
  private Values() {}

  public static final Double ZERO = 0.0;
  public static final Double ONE = 1.0;

  public static boolean isMissing(Object v) {
    return v == null;
  }

  /**
   * Whether a value counts as true in {@code filter}: true, a non-zero number, a non-empty string.
   */
  public static boolean isTruthy(Object v) {
    return switch (v) {
      case null -> false;
      case Boolean b -> b;
      case Double d -> d != 0.0 && !d.isNaN();
      case Timestamp t -> true;
      case String s -> !s.isEmpty() && !s.equals("0") && !s.equalsIgnoreCase("false");
      default -> true;
    };
  }

  /** The value as a number, or {@code null} when it is missing or not numeric. */
  public static Double toNumber(Object v) {
    return switch (v) {
      case null -> null;
      case Double d -> d;
      case Boolean b -> b ? ONE : ZERO;
      case Timestamp t -> (double) t.millis();
      case String s -> parseNumber(s);
      default -> null;
    };
  }

  /**
   * Reads a string as a number if the whole string is a decimal number ({@code 42}, {@code -1.5},
   * {@code 1e3}); otherwise {@code null}. Hex, {@code NaN}, {@code Infinity} and surrounding spaces
   * are not numbers.
   */
  public static Double parseNumber(String s) {
    int n = s.length();
    if (n == 0 || n > 64) {
      return null;
    }
    int i = 0;
    char c = s.charAt(0);
    if (c == '-' || c == '+') {
      i++;
    }
    boolean digits = false;
    boolean dot = false;
    boolean exp = false;
    for (; i < n; i++) {
      c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits = true;
      } else if (c == '.' && !dot && !exp) {
        dot = true;
      } else if ((c == 'e' || c == 'E') && digits && !exp) {
        exp = true;
        digits = false;
        if (i + 1 < n && (s.charAt(i + 1) == '-' || s.charAt(i + 1) == '+')) {
          i++;
        }
      } else {
        return null;
      }
    }
    // what the loop accepts ([sign] digits and one dot, [e [sign] digits]) parseDouble reads
    return digits ? Double.parseDouble(s) : null;
  }

  /** The value as text: what string functions see and what a table shows. Missing is null. */
  public static String toText(Object v) {
    return switch (v) {
      case null -> null;
      case String s -> s;
      case Double d -> formatNumber(d);
      case Boolean b -> b ? "1" : "0";
      case Timestamp t -> t.render();
      case JsonValue j -> j.text();
      default -> v.toString();
    };
  }

  /** {@code 3.0} → {@code "3"}, {@code 0.5} → {@code "0.5"}; never scientific below 1e21. */
  public static String formatNumber(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.toString(d);
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e18) {
      return Long.toString((long) d);
    }
    if (Math.abs(d) >= 1e-6 && Math.abs(d) < 1e21) {
      // stripped: 1.0E-4 is "0.0001", not "0.00010"
      return new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
    return Double.toString(d);
  }

  /**
   * Equality as {@code =} sees it: numeric when both sides are numbers, else string equality of
   * their text. Missing on either side: not equal (and {@code !=} is false too; see {@link
   * #compare}).
   */
  public static boolean equalsValue(Object a, Object b) {
    Integer c = compare(a, b);
    return c != null && c == 0;
  }

  /**
   * Compares two values for {@code < <= > >= = !=}: numerically when both are numbers, else by the
   * code points of their text. Returns {@code null} when either is missing (the comparison is then
   * false, whatever the operator).
   */
  public static Integer compare(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (a instanceof String sa && b instanceof String sb) {
      // Both strings: numeric only when both read as numbers.
      Double na = parseNumber(sa);
      if (na != null) {
        Double nb = parseNumber(sb);
        if (nb != null) {
          return Double.compare(na, nb) == 0 ? 0 : Double.compare(na, nb);
        }
      }
      return sa.compareTo(sb);
    }
    Double na = toNumber(a);
    Double nb = toNumber(b);
    if (na != null && nb != null) {
      return na.doubleValue() == nb.doubleValue() ? 0 : Double.compare(na, nb);
    }
    if (a instanceof Boolean || b instanceof Boolean) {
      // true = "true" as well as 1.
      String ta = a instanceof Boolean ba ? ba.toString() : toText(a);
      String tb = b instanceof Boolean bb ? bb.toString() : toText(b);
      return ta.compareTo(tb);
    }
    return toText(a).compareTo(toText(b));
  }

  /** Wraps a Java boolean as a value. */
  public static Boolean bool(boolean b) {
    return b ? Boolean.TRUE : Boolean.FALSE;
  }
}
