package dev.trailquery.fn;

import dev.trailquery.value.Timestamp;
import dev.trailquery.value.Values;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Reading values as points in time; time zones; Java date patterns for {@code parseDate}. */
public final class Times {
  private Times() {}

  private static final long DAY_MS = 86_400_000L;

  /**
   * A value as epoch milliseconds, or null: a {@link Timestamp}; a number (epoch ms, fractions
   * floored, at most {@link #MAX_MILLIS} either way); a string holding a number, or an ISO-8601
   * date-time such as CloudTrail's {@code 2023-07-10T11:42:18Z} (see {@link #parseIso}).
   */
  static Long toMillis(Object v) {
    return switch (v) {
      case Timestamp t -> t.millis();
      case Double d -> fromNumber(d);
      case String s -> {
        Long iso = parseIso(s);
        yield iso != null ? iso : fromNumber(Values.parseNumber(s));
      }
      case null, default -> null;
    };
  }

  /** Numbers beyond this many epoch ms either way (about year 318,857) are not times. */
  static final double MAX_MILLIS = 1e16;

  private static Long fromNumber(Double d) {
    return d != null && Math.abs(d) <= MAX_MILLIS ? (long) Math.floor(d) : null;
  }

  /**
   * Parses {@code yyyy-MM-dd[(T|t|space)HH:mm[:ss[(.|,)fraction]]][Z|z|±HH[[:]mm]]}: CloudTrail's
   * {@code eventTime}, ISO-8601 with an offset, and the rendering of a {@link Timestamp}. Without
   * an offset the time is UTC; without a time it is midnight. Fractions beyond milliseconds are
   * truncated. Returns null for anything else.
   */
  public static Long parseIso(String s) {
    int n = s.length();
    if (n < 10 || n > 40) {
      return null;
    }
    int y = digits(s, 0, 4);
    int mo = digits(s, 5, 2);
    int d = digits(s, 8, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      return null;
    }
    if (d > LocalDate.of(y, mo, 1).lengthOfMonth()) {
      return null;
    }
    long ms = LocalDate.of(y, mo, d).toEpochDay() * DAY_MS;
    int i = 10;
    if (i < n && (s.charAt(i) == 'T' || s.charAt(i) == 't' || s.charAt(i) == ' ')) {
      int hh = digits(s, i + 1, 2);
      int mm = digits(s, i + 4, 2);
      if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || i + 3 >= n || s.charAt(i + 3) != ':') {
        return null;
      }
      ms += hh * 3_600_000L + mm * 60_000L;
      i += 6;
      if (i < n && s.charAt(i) == ':') {
        int ss = digits(s, i + 1, 2);
        if (ss < 0 || ss > 59) {
          return null;
        }
        ms += ss * 1000L;
        i += 3;
        if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
          i++;
          int start = i;
          int frac = 0;
          while (i < n && isDigit(s.charAt(i))) {
            if (i - start < 3) {
              frac = frac * 10 + (s.charAt(i) - '0');
            }
            i++;
          }
          int count = i - start;
          if (count == 0 || count > 9) {
            return null;
          }
          for (int k = count; k < 3; k++) {
            frac *= 10;
          }
          ms += frac;
        }
      }
    }
    if (i == n) {
      return ms;
    }
    char c = s.charAt(i);
    if ((c == 'Z' || c == 'z') && i + 1 == n) {
      return ms;
    }
    if (c != '+' && c != '-') {
      return null;
    }
    int oh = digits(s, i + 1, 2);
    if (oh < 0 || oh > 18) {
      return null;
    }
    i += 3;
    int om = 0;
    if (i < n) {
      if (s.charAt(i) == ':') {
        i++;
      }
      om = digits(s, i, 2);
      if (om < 0 || om > 59 || i + 2 != n) {
        return null;
      }
    }
    long offset = (oh * 60L + om) * 60_000L;
    return c == '+' ? ms - offset : ms + offset;
  }

  /** The {@code count} ASCII digits at {@code from} as a number, or -1. */
  private static int digits(String s, int from, int count) {
    if (from < 0 || from + count > s.length()) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static volatile Map<String, String> zoneIdsByLowerCase;

  /**
   * A time zone: a region ({@code America/New_York}, case-insensitive), {@code UTC}, an offset
   * ({@code +05:30}, {@code UTC-3}) or a common abbreviation ({@code EST}, {@code PST}); null if
   * unknown. Never touches the network.
   */
  static ZoneId zone(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) {
      return null;
    }
    try {
      return ZoneId.of(s, ZoneId.SHORT_IDS);
    } catch (DateTimeException e) {
      // Try again without regard to case: "utc", "europe/paris".
    }
    Map<String, String> ids = zoneIdsByLowerCase;
    if (ids == null) {
      ids = new HashMap<>();
      for (String id : ZoneId.getAvailableZoneIds()) {
        ids.put(id.toLowerCase(Locale.ROOT), id);
      }
      for (Map.Entry<String, String> e : ZoneId.SHORT_IDS.entrySet()) {
        ids.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
      }
      zoneIdsByLowerCase = ids;
    }
    String id = ids.get(s.toLowerCase(Locale.ROOT));
    if (id == null) {
      String upper = s.toUpperCase(Locale.ROOT);
      if (upper.startsWith("UTC") || upper.startsWith("GMT")) {
        id = upper;
      } else {
        return null;
      }
    }
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** A Java date pattern for {@code parseDate}, case-insensitive, English month/day names. */
  static DateTimeFormatter javaPattern(String pattern) {
    return new DateTimeFormatterBuilder()
        .parseCaseInsensitive()
        .appendPattern(pattern)
        .toFormatter(Locale.ENGLISH);
  }

  /**
   * Parses {@code s} with {@code format}; the text's own offset or zone wins over {@code zone}; a
   * pattern without a time of day gives midnight. Null if the text doesn't match or has no date.
   */
  static Long parse(String s, DateTimeFormatter format, ZoneId zone) {
    try {
      TemporalAccessor t = format.parse(s);
      if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
        long ms = Math.multiplyExact(t.getLong(ChronoField.INSTANT_SECONDS), 1000L);
        return t.isSupported(ChronoField.MILLI_OF_SECOND)
            ? ms + t.get(ChronoField.MILLI_OF_SECOND)
            : ms;
      }
      LocalDate date = t.query(TemporalQueries.localDate());
      if (date == null) {
        return null;
      }
      LocalTime time = t.query(TemporalQueries.localTime());
      ZoneId z = t.query(TemporalQueries.zone());
      return LocalDateTime.of(date, time == null ? LocalTime.MIDNIGHT : time)
          .atZone(z == null ? zone : z)
          .toInstant()
          .toEpochMilli();
    } catch (DateTimeException | ArithmeticException e) {
      return null;
    }
  }
}
