package dev.trailquery.infra;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.services.logs.RetentionDays;

/** CloudWatch Logs retention periods accepted by the {@code logRetentionDays} context value. */
final class Logs {
  private Logs() {}

  static final Map<Integer, RetentionDays> RETENTION = new TreeMap<>();

  static {
    RETENTION.put(1, RetentionDays.ONE_DAY);
    RETENTION.put(3, RetentionDays.THREE_DAYS);
    RETENTION.put(5, RetentionDays.FIVE_DAYS);
    RETENTION.put(7, RetentionDays.ONE_WEEK);
    RETENTION.put(14, RetentionDays.TWO_WEEKS);
    RETENTION.put(30, RetentionDays.ONE_MONTH);
    RETENTION.put(60, RetentionDays.TWO_MONTHS);
    RETENTION.put(90, RetentionDays.THREE_MONTHS);
    RETENTION.put(120, RetentionDays.FOUR_MONTHS);
    RETENTION.put(150, RetentionDays.FIVE_MONTHS);
    RETENTION.put(180, RetentionDays.SIX_MONTHS);
    RETENTION.put(365, RetentionDays.ONE_YEAR);
    RETENTION.put(400, RetentionDays.THIRTEEN_MONTHS);
    RETENTION.put(545, RetentionDays.EIGHTEEN_MONTHS);
    RETENTION.put(731, RetentionDays.TWO_YEARS);
  }
}
