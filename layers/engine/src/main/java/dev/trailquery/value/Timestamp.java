package dev.trailquery.value;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A point in time, in epoch milliseconds. {@code @timestamp}, {@code bin()}, {@code datefloor()}
 * and friends produce it; it behaves as a number (milliseconds) in arithmetic and comparisons and
 * renders as {@code yyyy-MM-dd HH:mm:ss.SSS} UTC, as Logs Insights shows it.
 */
public record Timestamp(long millis) implements Comparable<Timestamp> {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  public String render() {
    return FORMAT.format(Instant.ofEpochMilli(millis));
  }

  @Override
  public int compareTo(Timestamp o) {
    return Long.compare(millis, o.millis);
  }

  @Override
  public String toString() {
    return render();
  }
}
