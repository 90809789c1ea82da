package dev.trailquery.functions.ingest;

import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which object keys are CloudTrail log files: {@code [prefix/]AWSLogs/[o-org/]ACCOUNT/CloudTrail/
 * REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_RANDOM.json.gz}. Digests ({@code
 * CloudTrail-Digest/}), Insights events ({@code CloudTrail-Insight/}) and anything else are not.
 */
public final class CloudTrailKeys {
  private static final Pattern LOG = Pattern.compile("(^|/)AWSLogs/(.+/)?CloudTrail/.+[^/]$");
  private static final Pattern DATE =
      Pattern.compile("/CloudTrail/[^/]+/(\\d{4})/(\\d{2})/(\\d{2})/");

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
}
