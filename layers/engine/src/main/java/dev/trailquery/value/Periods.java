package dev.trailquery.value;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Time periods ({@code 5m}, {@code 1h}, {@code 1mo}) as {@code bin}, {@code datefloor} and {@code
 * dateceil} use them. Units and caps follow the Logs Insights reference: {@code ms}≤1000, {@code
 * s}≤60, {@code m}≤60, {@code h}≤24 (larger amounts are clamped, so {@code bin(300s)} is 60 s).
 */
public record Periods(long amount, Unit unit) {

  public enum Unit {
    MILLISECOND(1L, 1000),
    SECOND(1000L, 60),
    MINUTE(60_000L, 60),
    HOUR(3_600_000L, 24),
    DAY(86_400_000L, Integer.MAX_VALUE),
    WEEK(7 * 86_400_000L, Integer.MAX_VALUE),
    MONTH(0, Integer.MAX_VALUE),
    QUARTER(0, Integer.MAX_VALUE),
    YEAR(0, Integer.MAX_VALUE);

    final long millis;
    final int cap;

    Unit(long millis, int cap) {
      this.millis = millis;
      this.cap = cap;
    }
  }

  /** Parses a unit as written; {@code null} if it is not a unit. */
  public static Unit unit(String written) {
    String u = written.toLowerCase(java.util.Locale.ROOT);
    return switch (u) {
      case "ms", "msec", "msecs", "millisecond", "milliseconds" -> Unit.MILLISECOND;
      case "s", "sec", "secs", "second", "seconds" -> Unit.SECOND;
      case "m", "min", "mins", "minute", "minutes" -> Unit.MINUTE;
      case "h", "hr", "hrs", "hour", "hours" -> Unit.HOUR;
      case "d", "day", "days" -> Unit.DAY;
      case "w", "week", "weeks" -> Unit.WEEK;
      case "mo", "mon", "mons", "month", "months" -> Unit.MONTH;
      case "q", "qtr", "qtrs", "quarter", "quarters" -> Unit.QUARTER;
      case "y", "yr", "yrs", "year", "years" -> Unit.YEAR;
      default -> null;
    };
  }

  /** A period from an amount and a written unit, clamped to the unit's cap; null if no unit. */
  public static Periods of(double amount, String writtenUnit) {
    Unit u = unit(writtenUnit);
    if (u == null) {
      return null;
    }
    long a = Math.max(1, (long) amount);
    return new Periods(Math.min(a, u.cap), u);
  }

  /** The period's length in milliseconds for fixed-length units; 0 for calendar units. */
  public long fixedMillis() {
    return amount * unit.millis;
  }

  /** The start of the period containing {@code millis} (UTC, aligned to the epoch or calendar). */
  public long floor(long millis) {
    return switch (unit) {
      case MONTH, QUARTER, YEAR -> calendarFloor(millis);
      case WEEK -> {
        // Weeks start on Monday, as ISO weeks do; 1970-01-01 was a Thursday.
        long monday = 4 * 86_400_000L;
        long len = fixedMillis();
        yield Math.floorDiv(millis - monday, len) * len + monday;
      }
      default -> {
        long len = fixedMillis();
        yield Math.floorDiv(millis, len) * len;
      }
    };
  }

  /** The end of the period containing {@code millis} (equal to it when already aligned). */
  public long ceil(long millis) {
    long f = floor(millis);
    return f == millis ? millis : next(f);
  }

  /** The start of the period after the one starting at {@code floor}. */
  public long next(long floor) {
    return switch (unit) {
      case MONTH, QUARTER, YEAR -> {
        ZonedDateTime z = Instant.ofEpochMilli(floor).atZone(ZoneOffset.UTC);
        long months = monthsPerStep();
        yield z.plusMonths(months).toInstant().toEpochMilli();
      }
      default -> floor + fixedMillis();
    };
  }

  private long monthsPerStep() {
    return switch (unit) {
      case MONTH -> amount;
      case QUARTER -> 3 * amount;
      case YEAR -> 12 * amount;
      default -> throw new IllegalStateException();
    };
  }

  private long calendarFloor(long millis) {
    LocalDate d = Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate();
    long step = monthsPerStep();
    long index = (long) d.getYear() * 12 + (d.getMonthValue() - 1);
    long floored = Math.floorDiv(index, step) * step;
    LocalDate f =
        LocalDate.of((int) Math.floorDiv(floored, 12), (int) Math.floorMod(floored, 12) + 1, 1);
    return f.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
