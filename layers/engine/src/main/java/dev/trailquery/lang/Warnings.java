package dev.trailquery.lang;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The heuristics and messages of the parser's warnings (TQ3001, TQ3002). */
final class Warnings {
  private Warnings() {}

  /** Last labels that make a dotted name read as a DNS name rather than a JSON path. */
  static final Set<String> TLDS =
      Set.of(
          "com",
          "net",
          "org",
          "io",
          "aws",
          "cn",
          "amazonaws",
          "edu",
          "gov",
          "info",
          "biz",
          "dev",
          "app",
          "co",
          "uk",
          "jp",
          "de",
          "eu",
          "us");

  /**
   * Whether an unquoted field name looks like a DNS name such as {@code s3.amazonaws.com}: at least
   * two segments, and the last one a top-level domain from {@link #TLDS} or any one containing
   * {@code amazonaws}.
   */
  static boolean looksLikeDnsName(String name) {
    String[] segments = name.toLowerCase(Locale.ROOT).split("\\.", -1);
    if (segments.length < 2) {
      return false;
    }
    for (String s : segments) {
      if (s.contains("amazonaws")) {
        return true;
      }
    }
    return TLDS.contains(segments[segments.length - 1]);
  }

  /**
   * The TQ3001 message for {@code subject = "value"} (or {@code !=}) where the value holds a {@code
   * *}: explains that {@code *} is literal and suggests the {@code like} that was meant.
   *
   * <ul>
   *   <li>{@code "*x"} → {@code like /x$/} (ends with)
   *   <li>{@code "x*"} → {@code like /^x/} (starts with)
   *   <li>{@code "*x*"} → {@code like "x"} (contains)
   *   <li>{@code "x*y"} and other inner stars → a regex with {@code .*}, anchored where there is no
   *       star at that end
   *   <li>{@code "*"} → {@code ispresent(subject)}
   * </ul>
   *
   * <p>Regex metacharacters of the literal parts are escaped.
   */
  static String starMessage(String value, String subject, boolean negated) {
    int lead = 0;
    while (lead < value.length() && value.charAt(lead) == '*') {
      lead++;
    }
    int trail = 0;
    while (trail < value.length() - lead && value.charAt(value.length() - 1 - trail) == '*') {
      trail++;
    }
    String core = value.substring(lead, value.length() - trail);
    String op = negated ? "!=" : "=";
    String like = negated ? " not like " : " like ";
    String description;
    String suggestion;
    if (core.isEmpty()) {
      description = negated ? "to keep events without the field" : "to test that the field is set";
      suggestion = (negated ? "not ispresent(" : "ispresent(") + subject + ")";
    } else if (core.indexOf('*') < 0) {
      String verb = negated ? "to exclude values " : "to match values ";
      if (lead > 0 && trail > 0) {
        description = verb + "containing " + Parser.quote(core);
        suggestion = subject + like + Parser.quote(core);
      } else if (lead > 0) {
        description = verb + "ending in " + Parser.quote(core);
        suggestion = subject + like + "/" + escapeRegex(core) + "$/";
      } else {
        description = verb + "starting with " + Parser.quote(core);
        suggestion = subject + like + "/^" + escapeRegex(core) + "/";
      }
    } else {
      List<String> parts = new ArrayList<>();
      for (String part : core.split("\\*+")) {
        parts.add(escapeRegex(part));
      }
      String regex = (lead > 0 ? "" : "^") + String.join(".*", parts) + (trail > 0 ? "" : "$");
      description = (negated ? "to exclude values" : "to match values") + " of that shape";
      suggestion = subject + like + "/" + regex + "/";
    }
    return "'*' is not a wildcard with '"
        + op
        + "': this compares with the exact text "
        + Parser.quote(value)
        + "; "
        + description
        + ", write: "
        + suggestion;
  }

  /** Escapes regex metacharacters, and {@code /} for use inside {@code /.../}. */
  static String escapeRegex(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\.+*?()|[]{}^$/".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
