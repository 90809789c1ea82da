package dev.trailquery.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times on the command line: ISO-8601 ({@code 2026-11-01}, {@code 2026-11-01T10:00}, {@code
 * 2026-11-01T10:00:00Z}, with an offset; no zone means UTC), relative to now ({@code -2h}, {@code
 * -30m}, {@code -7d}, {@code -1w}), {@code now}, or epoch seconds.
 */
final class Times {
  private static final Pattern RELATIVE = Pattern.compile("-(\\d+)(s|m|h|d|w)");

  private Times() {}

  static long parseMillis(String text, Instant now) {
    String t = text.trim();
    if (t.equals("now")) {
      return now.toEpochMilli();
    }
    Matcher m = RELATIVE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
      return now.minus(d).toEpochMilli();
    }
    if (t.matches("\\d{9,11}")) {
      return Long.parseLong(t) * 1000;
    }
    Long iso = dev.trailquery.fn.Times.parseIso(t);
    if (iso != null) {
      return iso;
    }
    throw new UsageException(
        "cannot read the time '"
            + text
            + "': use ISO-8601 (2026-11-01T10:00:00Z), a relative time (-2h, -7d), now, or epoch"
            + " seconds");
  }
}
