package dev.trailquery.fn;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * The replacement text of {@code regexReplace}, parsed once: literal text, {@code $n} (group n;
 * more digits are taken while the number stays a group of the regex, as in Java), {@code ${name}}
 * (a named group), {@code \x} (the character x, so {@code \$} is a dollar sign). A {@code $} that
 * starts no reference is literal. A group that did not take part in the match inserts nothing.
 */
final class Replacement {
  private final String[] literals;
  private final int[] groups;

  private Replacement(String[] literals, int[] groups) {
    this.literals = literals;
    this.groups = groups;
  }

  /** Thrown for a reference to a group the regex doesn't have. */
  static final class BadReplacement extends Exception {
    BadReplacement(String message) {
      super(message, null, false, false);
    }
  }

  static Replacement parse(String text, Pattern pattern) throws BadReplacement {
    List<String> lits = new ArrayList<>();
    List<Integer> refs = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int groupCount = pattern.groupCount();
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < n) {
        cur.append(text.charAt(i + 1));
        i += 2;
      } else if (c == '$' && i + 1 < n && isDigit(text.charAt(i + 1))) {
        int g = text.charAt(i + 1) - '0';
        if (g > groupCount) {
          throw new BadReplacement(
              "the replacement refers to group $" + g + " but the regex has " + groups(groupCount));
        }
        i += 2;
        while (i < n && isDigit(text.charAt(i))) {
          int next = g * 10 + (text.charAt(i) - '0');
          if (next > groupCount) {
            break;
          }
          g = next;
          i++;
        }
        lits.add(cur.toString());
        cur.setLength(0);
        refs.add(g);
      } else if (c == '$' && i + 1 < n && text.charAt(i + 1) == '{') {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          throw new BadReplacement("the replacement has '${' without a closing '}'");
        }
        String name = text.substring(i + 2, close);
        Integer g = pattern.namedGroups().get(name);
        if (g == null) {
          throw new BadReplacement(
              "the replacement refers to group ${"
                  + name
                  + "} but the regex has no group so named");
        }
        lits.add(cur.toString());
        cur.setLength(0);
        refs.add(g);
        i = close + 1;
      } else {
        cur.append(c);
        i++;
      }
    }
    lits.add(cur.toString());
    return new Replacement(
        lits.toArray(String[]::new), refs.stream().mapToInt(Integer::intValue).toArray());
  }

  private static String groups(int n) {
    return n == 0 ? "no groups" : n == 1 ? "1 group" : n + " groups";
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Replaces every match of {@code pattern} in {@code s}. */
  String replaceAll(Pattern pattern, String s) {
    Matcher m = pattern.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    int last = 0;
    do {
      sb.append(s, last, m.start());
      for (int k = 0; k < groups.length; k++) {
        sb.append(literals[k]);
        String g = m.group(groups[k]);
        if (g != null) {
          sb.append(g);
        }
      }
      sb.append(literals[groups.length]);
      last = m.end();
    } while (m.find());
    sb.append(s, last, s.length());
    return sb.toString();
  }
}
