package dev.trailquery.lang;

/**
 * The size bound of a user regex, checked before RE2/J compiles it. RE2/J matches in linear time,
 * but it expands counted repetitions when compiling: {@code ((a{1000}){1000}){1000}} is a program
 * of 10^9 instructions that takes minutes and gigabytes to build. This estimate walks the regex
 * text once (linear in its length) and multiplies nested repetition counts, the way RE2 (Go, C++)
 * bounds a program's size; a regex over {@link #MAX_SIZE} is refused with a message, so a hostile
 * or careless pattern is a 400 / caret error, never an OutOfMemoryError.
 *
 * <p>The estimate counts one unit per literal, class, escape or group and multiplies a repeated
 * item by its largest count ({@code x{2,5}} = 5 copies; {@code *}, {@code +}, {@code ?} add no
 * copies). It over-approximates (alternatives add up), which is safe.
 */
public final class RegexBudget {
  /** The largest estimated program size accepted: far above any real CloudTrail pattern. */
  public static final long MAX_SIZE = 100_000;

  private RegexBudget() {}

  /** Null when {@code regex} is within the bound; else why it is refused. */
  public static String check(String regex) {
    long size = estimate(regex);
    if (size <= MAX_SIZE) {
      return null;
    }
    return "the regex is too large: its repetitions expand to more than "
        + MAX_SIZE
        + " instructions; use smaller counts (e.g. x{1,100}) or * and +";
  }

  /** The estimated program size, saturating at a value above {@link #MAX_SIZE}. */
  static long estimate(String re) {
    // Per open group: [0] = size of the group so far, [1] = size of its last item.
    int groups = 0;
    for (int k = 0; k < re.length(); k++) {
      groups += re.charAt(k) == '(' ? 1 : 0;
    }
    long[][] stack = new long[groups + 1][2];
    int depth = 0;
    int i = 0;
    int n = re.length();
    while (i < n) {
      char c = re.charAt(i);
      long[] top = stack[depth];
      switch (c) {
        case '\\' -> {
          int end = escapeEnd(re, i);
          item(top, 1);
          i = end;
          continue;
        }
        case '[' -> {
          i = classEnd(re, i);
          item(top, 1);
          continue;
        }
        case '(' -> {
          depth++;
          stack[depth][0] = 0;
          stack[depth][1] = 0;
          i++;
          continue;
        }
        case ')' -> {
          if (depth > 0) {
            long inner = stack[depth][0];
            depth--;
            item(stack[depth], inner + 1);
          }
          i++;
          continue;
        }
        case '|' -> {
          top[0] = sat(top[0] + 1);
          top[1] = 0;
          i++;
          continue;
        }
        case '*', '+', '?' -> {
          top[0] = sat(top[0] + 1);
          i++;
          continue;
        }
        case '{' -> {
          int close = re.indexOf('}', i);
          long max = close < 0 ? -1 : repeatMax(re.substring(i + 1, close));
          if (max < 0) { // not a repetition: a literal '{'
            item(top, 1);
            i++;
            continue;
          }
          long last = top[1];
          long extra = sat(mul(last, Math.max(0, max - 1)));
          top[0] = sat(top[0] + extra + 1);
          top[1] = sat(mul(last, Math.max(1, max)));
          i = close + 1;
          continue;
        }
        default -> {
          item(top, 1);
          i++;
        }
      }
    }
    long total = 0;
    for (int d = depth; d >= 0; d--) {
      total = sat(total + stack[d][0]);
    }
    return total;
  }

  private static void item(long[] frame, long size) {
    frame[0] = sat(frame[0] + size);
    frame[1] = size;
  }

  /** The largest count of a {@code {n}}, {@code {n,}} or {@code {n,m}} body; -1 if not one. */
  private static long repeatMax(String body) {
    int comma = body.indexOf(',');
    String lo = comma < 0 ? body : body.substring(0, comma);
    String hi = comma < 0 ? body : body.substring(comma + 1);
    if (!digits(lo) || (!hi.isEmpty() && !digits(hi))) {
      return -1;
    }
    String m = hi.isEmpty() ? lo : hi;
    if (m.length() > 9) {
      return 1_000_000_000L; // RE2/J refuses counts over 1000 anyway; saturate
    }
    long v = Long.parseLong(m);
    return hi.isEmpty() && comma >= 0 ? v + 1 : v;
  }

  private static boolean digits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      if (s.charAt(k) < '0' || s.charAt(k) > '9') {
        return false;
      }
    }
    return true;
  }

  /** The index after an escape starting at {@code i} ({@code \p{..}}, {@code \Q..\E}, ...). */
  private static int escapeEnd(String re, int i) {
    int n = re.length();
    if (i + 1 >= n) {
      return n;
    }
    char e = re.charAt(i + 1);
    if ((e == 'p' || e == 'P' || e == 'x') && i + 2 < n && re.charAt(i + 2) == '{') {
      int close = re.indexOf('}', i + 2);
      return close < 0 ? n : close + 1;
    }
    if (e == 'Q') {
      int close = re.indexOf("\\E", i + 2);
      return close < 0 ? n : close + 2;
    }
    return i + 2;
  }

  /** The index after a character class starting at {@code i}. */
  private static int classEnd(String re, int i) {
    int n = re.length();
    int k = i + 1;
    if (k < n && re.charAt(k) == '^') {
      k++;
    }
    if (k < n && re.charAt(k) == ']') {
      k++;
    }
    while (k < n) {
      char c = re.charAt(k);
      if (c == '\\') {
        k = escapeEnd(re, k);
      } else if (c == '[' && k + 1 < n && re.charAt(k + 1) == ':') {
        int close = re.indexOf(":]", k + 2);
        k = close < 0 ? k + 1 : close + 2;
      } else if (c == ']') {
        return k + 1;
      } else {
        k++;
      }
    }
    return n;
  }

  private static long mul(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return a > (MAX_SIZE * 16) / b ? MAX_SIZE * 16 : a * b;
  }

  private static long sat(long v) {
    return Math.min(v, MAX_SIZE * 16);
  }
}
