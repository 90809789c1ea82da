package dev.trailquery.value;

import java.util.Comparator;

/**
 * The ascending order of {@code sort}, {@code sortsFirst} and {@code sortsLast}: Logs Insights'
 * "natural sort".
 *
 * <ol>
 *   <li>Every non-number sorts before every number. A number is a numeric value, a timestamp, a
 *       boolean (1/0), or a string that reads as a decimal number.
 *   <li>Numbers compare by value; equal values tie-break by their text ({@code 0} before {@code
 *       01}).
 *   <li>Other strings are split into runs of digits and runs of non-digits. Two digit runs compare
 *       by length, then by digits; otherwise runs compare character by character by code point.
 * </ol>
 *
 * Missing values are not ordered here: callers put them last in either direction.
 */
public final class NaturalOrder implements Comparator<Object> {
  public static final NaturalOrder INSTANCE = new NaturalOrder();

  private NaturalOrder() {}

  @Override
  public int compare(Object a, Object b) {
    Double na = numeric(a);
    Double nb = numeric(b);
    if (na != null && nb != null) {
      int c = Double.compare(na, nb);
      if (c != 0) {
        return c;
      }
      return Values.toText(a).compareTo(Values.toText(b));
    }
    if (na != null) {
      return 1;
    }
    if (nb != null) {
      return -1;
    }
    return compareText(Values.toText(a), Values.toText(b));
  }

  private static Double numeric(Object v) {
    return switch (v) {
      case Double d -> d;
      case Timestamp t -> (double) t.millis();
      case Boolean b -> b ? 1.0 : 0.0;
      case String s -> Values.parseNumber(s);
      default -> null;
    };
  }

  static int compareText(String a, String b) {
    int i = 0;
    int j = 0;
    int n = a.length();
    int m = b.length();
    while (i < n && j < m) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      boolean da = isDigit(ca);
      boolean db = isDigit(cb);
      if (da && db) {
        int ie = i;
        while (ie < n && isDigit(a.charAt(ie))) {
          ie++;
        }
        int je = j;
        while (je < m && isDigit(b.charAt(je))) {
          je++;
        }
        int la = ie - i;
        int lb = je - j;
        if (la != lb) {
          return Integer.compare(la, lb);
        }
        for (int k = 0; k < la; k++) {
          int c = Character.compare(a.charAt(i + k), b.charAt(j + k));
          if (c != 0) {
            return c;
          }
        }
        i = ie;
        j = je;
      } else {
        int c = Integer.compare(a.codePointAt(i), b.codePointAt(j));
        if (c != 0) {
          return c;
        }
        i += Character.charCount(a.codePointAt(i));
        j += Character.charCount(b.codePointAt(j));
      }
    }
    return Integer.compare(n - i, m - j);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
