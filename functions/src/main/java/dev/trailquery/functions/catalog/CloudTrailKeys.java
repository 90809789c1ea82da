package dev.trailquery.functions.catalog;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key format CloudTrail writes, in one place (ingest and the query catalogs both read it):
 * {@code [prefix/]AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/
 * ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_RANDOM.json.gz}. Digests ({@code CloudTrail-Digest/}),
 * Insights events ({@code CloudTrail-Insight/}) and anything else are not log files.
 */
public final class CloudTrailKeys {
  private static final Pattern LOG = Pattern.compile("(^|/)AWSLogs/(.+/)?CloudTrail/.+[^/]$");
  private static final Pattern DATE =
      Pattern.compile("/CloudTrail/[^/]+/(\\d{4})/(\\d{2})/(\\d{2})/");
  private static final Pattern NAME =
      Pattern.compile("(\\d{12})_CloudTrail_([a-z0-9-]+)_(\\d{8}T\\d{4})Z_[^/]*");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd/");

  /** The folder under {@code [o-org/]ACCOUNT/} that holds the log files, by region. */
  public static final String CLOUDTRAIL = "CloudTrail/";

  /** Fields of a CloudTrail log file name. */
  public record FileName(String account, String region, long deliveredMillis) {}

  private CloudTrailKeys() {}

  public static boolean isLog(String key) {
    return key != null
        && LOG.matcher(key).find()
        && !key.contains("CloudTrail-Digest")
        && !key.contains("CloudTrail-Insight");
  }

  /** The delivery day in the key's path ({@code yyyy-MM-dd}), or null. */
  public static String day(String key) {
    Matcher m = DATE.matcher(key);
    if (!m.find()) {
      return null;
    }
    try {
      return LocalDate.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)))
          .toString();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Parses a CloudTrail log file name (the last segment of a key); null when it is not one. */
  public static FileName parseName(String key) {
    int slash = key.lastIndexOf('/');
    String name = key.substring(slash + 1);
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      return null;
    }
    try {
      long millis = LocalDateTime.parse(m.group(3), STAMP).toInstant(ZoneOffset.UTC).toEpochMilli();
      return new FileName(m.group(1), m.group(2), millis);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The day folder of a date under a region's prefix: {@code YYYY/MM/DD/}. */
  public static String dayFolder(LocalDate day) {
    return DAY.format(day);
  }

  /** Whether a folder name is a 12-digit account id. */
  public static boolean isAccount(String name) {
    return ACCOUNT.matcher(name).matches();
  }
}
