package dev.trailquery.read;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Parses CloudTrail {@code eventTime} values to epoch milliseconds. CloudTrail writes {@code
 * yyyy-MM-ddTHH:mm:ssZ}; that form is parsed by hand without allocating. Anything else (fractional
 * seconds, offsets, a space instead of {@code T}, no zone meaning UTC) goes through {@code
 * java.time}.
 */
final class EventTimes {
  private EventTimes() {}

  /** Returned when the text is not a time. */
  static final long NONE = Long.MIN_VALUE;

  private static final DateTimeFormatter FALLBACK =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .appendValue(ChronoField.HOUR_OF_DAY, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
          .optionalStart()
          .appendLiteral(':')
          .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH:MM:ss", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHmm", "Z")
          .optionalEnd()
          .toFormatter();

  static long parse(CharSequence s) {
    int n = s.length();
    if (n == 20) {
      char[] c = new char[20];
      for (int i = 0; i < 20; i++) {
        c[i] = s.charAt(i);
      }
      return parse(c, 0, 20);
    }
    return fallback(s.toString());
  }

  /** Parses {@code len} chars of {@code c} from {@code off}; {@link #NONE} when not a time. */
  static long parse(char[] c, int off, int len) {
    if (len == 20
        && c[off + 4] == '-'
        && c[off + 7] == '-'
        && c[off + 10] == 'T'
        && c[off + 13] == ':'
        && c[off + 16] == ':'
        && c[off + 19] == 'Z') {
      int year = digits(c, off, 4);
      int month = digits(c, off + 5, 2);
      int day = digits(c, off + 8, 2);
      int hour = digits(c, off + 11, 2);
      int minute = digits(c, off + 14, 2);
      int second = digits(c, off + 17, 2);
      if (year >= 0
          && month >= 1
          && month <= 12
          && day >= 1
          && day <= lengthOfMonth(year, month)
          && hour >= 0
          && hour <= 23
          && minute >= 0
          && minute <= 59
          && second >= 0
          && second <= 59) {
        long days = daysFromCivil(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L;
      }
      return NONE;
    }
    if (len < 10 || len > 64) {
      return NONE;
    }
    return fallback(new String(c, off, len));
  }

  private static long fallback(String s) {
    try {
      var parsed = FALLBACK.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
      if (parsed instanceof OffsetDateTime odt) {
        return odt.toInstant().toEpochMilli();
      }
      return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      return NONE;
    }
  }

  /** The value of {@code n} decimal digits, or -1 if one is not a digit. */
  private static int digits(char[] c, int off, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      int d = c[off + i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int lengthOfMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (year ≥ 0). */
  static long daysFromCivil(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097L + doe - 719468;
  }
}
