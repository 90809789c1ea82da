package dev.trailquery.fn;

import static dev.trailquery.fn.Fx.NOW;
import static dev.trailquery.fn.Fx.argSpan;
import static dev.trailquery.fn.Fx.both;
import static dev.trailquery.fn.Fx.error;
import static dev.trailquery.fn.Fx.eval;
import static dev.trailquery.fn.Fx.evalAt;
import static dev.trailquery.fn.Fx.field;
import static dev.trailquery.fn.Fx.num;
import static dev.trailquery.fn.Fx.period;
import static dev.trailquery.fn.Fx.str;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.lang.Diagnostic;
import dev.trailquery.value.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DateTimeFunctionsTest {

  private static long ms(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  private static Timestamp ts(String iso) {
    return new Timestamp(ms(iso));
  }

  /** A CloudTrail eventTime as @timestamp: Monday 2023-07-10 11:42:18.123 UTC. */
  private static final Timestamp T = ts("2023-07-10T11:42:18.123Z");

  @Test
  void binFloorsTimestamp() {
    assertThat(evalAt(T, "bin", period(5, "m"))).isEqualTo(ts("2023-07-10T11:40:00Z"));
    assertThat(evalAt(T, "bin", period(1, "h"))).isEqualTo(ts("2023-07-10T11:00:00Z"));
    assertThat(evalAt(T, "bin", period(1, "hour"))).isEqualTo(ts("2023-07-10T11:00:00Z"));
    assertThat(evalAt(T, "bin", period(30, "s"))).isEqualTo(ts("2023-07-10T11:42:00Z"));
    assertThat(evalAt(T, "bin", period(1, "d"))).isEqualTo(ts("2023-07-10T00:00:00Z"));
    assertThat(evalAt(T, "bin", period(100, "ms"))).isEqualTo(ts("2023-07-10T11:42:18.100Z"));
  }

  @Test
  void binClampsLargeAmountsToTheUnitCap() {
    // 300s is clamped to 60s: a minute, not five.
    assertThat(evalAt(T, "bin", period(300, "s"))).isEqualTo(ts("2023-07-10T11:42:00Z"));
    assertThat(evalAt(T, "bin", period(90, "m"))).isEqualTo(ts("2023-07-10T11:00:00Z"));
    assertThat(evalAt(T, "bin", period(48, "h"))).isEqualTo(ts("2023-07-10T00:00:00Z"));
    assertThat(evalAt(T, "bin", period(5000, "ms"))).isEqualTo(ts("2023-07-10T11:42:18Z"));
  }

  @Test
  void binByCalendarPeriods() {
    Timestamp thursday = ts("2023-07-13T08:00:00Z");
    // Weeks start on Monday.
    assertThat(evalAt(thursday, "bin", period(1, "w"))).isEqualTo(ts("2023-07-10T00:00:00Z"));
    assertThat(evalAt(T, "bin", period(1, "w"))).isEqualTo(ts("2023-07-10T00:00:00Z"));
    assertThat(evalAt(thursday, "bin", period(1, "mo"))).isEqualTo(ts("2023-07-01T00:00:00Z"));
    assertThat(evalAt(ts("2023-08-31T23:59:59Z"), "bin", period(1, "month")))
        .isEqualTo(ts("2023-08-01T00:00:00Z"));
    assertThat(evalAt(ts("2023-08-15T00:00:00Z"), "bin", period(1, "q")))
        .isEqualTo(ts("2023-07-01T00:00:00Z"));
    assertThat(evalAt(thursday, "bin", period(1, "y"))).isEqualTo(ts("2023-01-01T00:00:00Z"));
  }

  @Test
  void binBeforeTheEpochFloorsDown() {
    assertThat(evalAt(ts("1969-12-31T23:30:00Z"), "bin", period(1, "h")))
        .isEqualTo(ts("1969-12-31T23:00:00Z"));
  }

  @Test
  void binReadsTimestampsGivenAsTextOrNumbers() {
    assertThat(evalAt("2023-07-10T11:42:18Z", "bin", period(5, "m")))
        .isEqualTo(ts("2023-07-10T11:40:00Z"));
    assertThat(evalAt((double) T.millis(), "bin", period(1, "h")))
        .isEqualTo(ts("2023-07-10T11:00:00Z"));
    assertThat(evalAt(null, "bin", period(1, "h"))).isNull();
    assertThat(eval("bin", period(1, "h"))).isNull(); // no @timestamp at all
    assertThat(evalAt("not a time", "bin", period(1, "h"))).isNull();
  }

  @Test
  void binNeedsAPeriod() {
    Diagnostic d = error("bin", num(30));
    assertThat(d.code()).isEqualTo("TQ2203");
    assertThat(d.span()).isEqualTo(argSpan(0));
    assertThat(d.message()).isEqualTo("bin needs a time period such as 5m or 1h");

    d = error("bin", field("x"));
    assertThat(d.code()).isEqualTo("TQ2203");
    assertThat(d.span()).isEqualTo(argSpan(0));

    d = error("bin", period(5, "parsecs"));
    assertThat(d.code()).isEqualTo("TQ2204");
    assertThat(d.span()).isEqualTo(argSpan(0));
    assertThat(d.message()).contains("parsecs");

    assertThat(error("bin", period(1.5, "h")).code()).isEqualTo("TQ2204");
    assertThat(error("bin", period(0, "m")).code()).isEqualTo("TQ2204");
  }

  @Test
  void datefloorAndDateceil() {
    assertThat(eval("datefloor", T, period(1, "h"))).isEqualTo(ts("2023-07-10T11:00:00Z"));
    assertThat(eval("dateceil", T, period(1, "h"))).isEqualTo(ts("2023-07-10T12:00:00Z"));
    assertThat(eval("dateceil", T, period(15, "m"))).isEqualTo(ts("2023-07-10T11:45:00Z"));
    assertThat(eval("dateceil", T, period(1, "mo"))).isEqualTo(ts("2023-08-01T00:00:00Z"));
    assertThat(eval("datefloor", "2023-07-10T11:42:18Z", period(1, "d")))
        .isEqualTo(ts("2023-07-10T00:00:00Z"));
    Timestamp aligned = ts("2023-07-10T11:00:00Z");
    assertThat(eval("dateceil", aligned, period(1, "h"))).isEqualTo(aligned);
    assertThat(eval("datefloor", aligned, period(1, "h"))).isEqualTo(aligned);
    assertThat(eval("datefloor", null, period(1, "h"))).isNull();
    assertThat(eval("dateceil", "nope", period(1, "h"))).isNull();
  }

  @Test
  void datefloorNeedsAPeriod() {
    Diagnostic d = error("datefloor", T, str("1h"));
    assertThat(d.code()).isEqualTo("TQ2203");
    assertThat(d.span()).isEqualTo(argSpan(1));
    assertThat(d.message())
        .isEqualTo("datefloor needs a time period such as 5m or 1h as its second argument");
    assertThat(error("dateceil", T, num(60)).span()).isEqualTo(argSpan(1));
  }

  @Test
  void fromMillisAndToMillis() {
    long t = T.millis();
    assertThat(both("fromMillis", (double) t)).isEqualTo(T);
    assertThat(both("fromMillis", Long.toString(t))).isEqualTo(T);
    assertThat(eval("fromMillis", T)).isEqualTo(T);
    assertThat(both("fromMillis", 0)).isEqualTo(new Timestamp(0));
    assertThat(both("fromMillis", "abc")).isNull();
    assertThat(eval("fromMillis", (Object) null)).isNull();

    assertThat(eval("toMillis", T)).isEqualTo((double) t);
    assertThat(both("toMillis", 5)).isEqualTo(5.0);
    assertThat(eval("toMillis", (Object) null)).isNull();
    assertThat(eval("toMillis", true)).isNull();
  }

  @Test
  void absurdNumbersAreNotTimes() {
    // 1e16 ms is about the year 318,857; beyond that a number is not read as a time.
    assertThat(both("fromMillis", 1e16)).isEqualTo(new Timestamp(10_000_000_000_000_000L));
    assertThat(both("fromMillis", 1e17)).isNull();
    assertThat(both("dateceil", 1e300, period(1, "h"))).isNull();
    assertThat(both("formatDate", -1e17, "%Y")).isNull();
  }

  @Test
  void timestampsAsIsoText() {
    double t = ms("2023-07-10T11:42:18Z");
    assertThat(both("toMillis", "2023-07-10T11:42:18Z")).isEqualTo(t);
    assertThat(both("toMillis", "2023-07-10t11:42:18z")).isEqualTo(t);
    assertThat(both("toMillis", "2023-07-10T13:42:18+02:00")).isEqualTo(t);
    assertThat(both("toMillis", "2023-07-10T06:12:18-0530")).isEqualTo(t);
    assertThat(both("toMillis", "2023-07-10T13:42:18+02")).isEqualTo(t);
    assertThat(both("toMillis", "2023-07-10T11:42:18")).isEqualTo(t);
    assertThat(both("toMillis", "2023-07-10 11:42:18.123")).isEqualTo(t + 123);
    assertThat(both("toMillis", "2023-07-10T11:42:18.123456Z")).isEqualTo(t + 123);
    assertThat(both("toMillis", "2023-07-10T11:42:18.5Z")).isEqualTo(t + 500);
    assertThat(both("toMillis", "2023-07-10T11:42Z")).isEqualTo(t - 18_000);
    assertThat(both("toMillis", "2023-07-10")).isEqualTo((double) ms("2023-07-10T00:00:00Z"));
    assertThat(both("toMillis", "2024-02-29T00:00:00Z"))
        .isEqualTo((double) ms("2024-02-29T00:00:00Z"));
    // Not times.
    assertThat(both("toMillis", "2023-02-29T00:00:00Z")).isNull();
    assertThat(both("toMillis", "2023-13-01T00:00:00Z")).isNull();
    assertThat(both("toMillis", "2023-07-10T24:00:00Z")).isNull();
    assertThat(both("toMillis", "2023-07-10T11:42:18Q")).isNull();
    assertThat(both("toMillis", "2023-07-10T11:42:18.Z")).isNull();
    assertThat(both("toMillis", "2023-07-10T11")).isNull();
    assertThat(both("toMillis", "July 10")).isNull();
    assertThat(both("toMillis", "")).isNull();
  }

  @Test
  void timestampRenderingReadsBack() {
    assertThat(eval("toMillis", T.render())).isEqualTo((double) T.millis());
  }

  @Test
  void nowIsEpochSecondsFloored() {
    // NOW is 2023-07-10T11:42:18.750Z: floored, not rounded, to 11:42:18.
    assertThat(eval("now"))
        .isEqualTo((double) Instant.parse("2023-07-10T11:42:18Z").getEpochSecond());
    assertThat((Double) eval("now")).isEqualTo(Math.floor(NOW / 1000.0));
  }

  @Test
  void parseDateWithAJavaPattern() {
    assertThat(both("parseDate", "2023-07-10 11:42:18", "yyyy-MM-dd HH:mm:ss"))
        .isEqualTo(ts("2023-07-10T11:42:18Z"));
    assertThat(both("parseDate", "2023-07-10 11:42:18", "yyyy-MM-dd HH:mm:ss", "America/New_York"))
        .isEqualTo(ts("2023-07-10T15:42:18Z"));
    assertThat(both("parseDate", "2023-07-10 11:42:18", "yyyy-MM-dd HH:mm:ss", "+05:30"))
        .isEqualTo(ts("2023-07-10T06:12:18Z"));
    assertThat(both("parseDate", "2023-01-10 11:42:18", "yyyy-MM-dd HH:mm:ss", "est"))
        .isEqualTo(ts("2023-01-10T16:42:18Z"));
    assertThat(both("parseDate", "2023-07-10 11:42:18", "yyyy-MM-dd HH:mm:ss", "utc"))
        .isEqualTo(ts("2023-07-10T11:42:18Z"));
    // The text's own offset wins over the time zone argument.
    assertThat(both("parseDate", "10/Jul/2023:11:42:18 +0200", "dd/MMM/yyyy:HH:mm:ss Z", "UTC"))
        .isEqualTo(ts("2023-07-10T09:42:18Z"));
    assertThat(both("parseDate", "10 jul 2023", "dd MMM yyyy"))
        .isEqualTo(ts("2023-07-10T00:00:00Z"));
    assertThat(both("parseDate", "2023-07-10T11:42:18.123", "yyyy-MM-dd'T'HH:mm:ss.SSS"))
        .isEqualTo(T);
    assertThat(both("parseDate", "07/10/2023 01:05 PM", "MM/dd/yyyy hh:mm a"))
        .isEqualTo(ts("2023-07-10T13:05:00Z"));
  }

  @Test
  void parseDateMismatchesAreMissing() {
    assertThat(both("parseDate", "garbage", "yyyy-MM-dd")).isNull();
    assertThat(both("parseDate", "2023-07-10 extra", "yyyy-MM-dd")).isNull();
    assertThat(both("parseDate", "11:42", "HH:mm")).isNull(); // no date
    assertThat(eval("parseDate", null, str("yyyy-MM-dd"))).isNull();
    assertThat(eval("parseDate", "2023-07-10", "yyyy-bb")).isNull(); // bad per-row pattern
    assertThat(eval("parseDate", "2023-07-10", str("yyyy-MM-dd"), "Mars/Olympus")).isNull();
  }

  @Test
  void parseDateLiteralErrors() {
    Diagnostic d = error("parseDate", "x", str("yyyy-bb"));
    assertThat(d.code()).isEqualTo("TQ2204");
    assertThat(d.span()).isEqualTo(argSpan(1));
    assertThat(d.message()).startsWith("parseDate: invalid date pattern");

    d = error("parseDate", "x", str("yyyy"), str("Mars/Olympus"));
    assertThat(d.code()).isEqualTo("TQ2204");
    assertThat(d.span()).isEqualTo(argSpan(2));
    assertThat(d.message()).contains("unknown time zone 'Mars/Olympus'");
  }

  @Test
  void formatDateWithStrftimeDirectives() {
    assertThat(both("formatDate", T, "%Y-%m-%d %H:%M:%S")).isEqualTo("2023-07-10 11:42:18");
    assertThat(both("formatDate", T, "%Y-%m-%d %H:%M:%S", "Asia/Tokyo"))
        .isEqualTo("2023-07-10 20:42:18");
    assertThat(both("formatDate", T, "%a %A %b %B %h")).isEqualTo("Mon Monday Jul July Jul");
    assertThat(both("formatDate", T, "%Y/%j")).isEqualTo("2023/191");
    assertThat(both("formatDate", T, "%I %p %P %l")).isEqualTo("11 AM am 11");
    assertThat(both("formatDate", ts("2023-07-05T13:05:09Z"), "%I:%M %p|%e|%-d|%k|%-H|%-m"))
        .isEqualTo("01:05 PM| 5|5|13|13|7");
    assertThat(both("formatDate", T, "%L|%f")).isEqualTo("123|123000");
    assertThat(both("formatDate", T, "%s"))
        .isEqualTo(Long.toString(Instant.parse("2023-07-10T11:42:18Z").getEpochSecond()));
    assertThat(both("formatDate", T, "%z %Z")).isEqualTo("+0000 UTC");
    assertThat(both("formatDate", T, "%z", "+05:30")).isEqualTo("+0530");
    assertThat(both("formatDate", T, "%z", "America/New_York")).isEqualTo("-0400");
    assertThat(both("formatDate", T, "100%%")).isEqualTo("100%");
    assertThat(both("formatDate", T, "%T|%R|%F|%D"))
        .isEqualTo("11:42:18|11:42|2023-07-10|07/10/23");
    assertThat(both("formatDate", T, "%c")).isEqualTo("Mon Jul 10 11:42:18 2023");
    assertThat(both("formatDate", T, "%u %w %U %W %V %G %g %C %y"))
        .isEqualTo("1 1 28 28 28 2023 23 20 23");
    assertThat(both("formatDate", T, "a%nb%tc")).isEqualTo("a\nb\tc");
    assertThat(both("formatDate", T, "plain text")).isEqualTo("plain text");
  }

  @Test
  void formatDateWeekNumbersAroundNewYear() {
    // 2023-01-01 is a Sunday: week 1 with Sunday-first weeks, week 0 with Monday-first weeks,
    // and ISO week 52 of 2022.
    assertThat(both("formatDate", ts("2023-01-01T00:00:00Z"), "%U %W %V %G"))
        .isEqualTo("01 00 52 2022");
  }

  @Test
  void formatDateAcceptsNumbersAndIsoText() {
    assertThat(both("formatDate", 0, "%Y-%m-%dT%H:%M:%S")).isEqualTo("1970-01-01T00:00:00");
    assertThat(both("formatDate", "2023-07-10T11:42:18Z", "%H:%M")).isEqualTo("11:42");
    assertThat(eval("formatDate", null, str("%Y"))).isNull();
    assertThat(eval("formatDate", "nope", str("%Y"))).isNull();
  }

  @Test
  void strftimeIsAnAliasOfFormatDate() {
    assertThat(both("strftime", T, "%Y-%m-%d %H:%M:%S")).isEqualTo("2023-07-10 11:42:18");
    assertThat(both("strftime", T, "%H:%M", "Europe/Paris")).isEqualTo("13:42");
  }

  @Test
  void formatDateLiteralErrorsAndBadPerRowFormats() {
    Diagnostic d = error("formatDate", T, str("%Y-%Q"));
    assertThat(d.code()).isEqualTo("TQ2204");
    assertThat(d.span()).isEqualTo(argSpan(1));
    assertThat(d.message()).contains("'%Q'");

    d = error("strftime", T, str("%Y %"));
    assertThat(d.code()).isEqualTo("TQ2204");
    assertThat(d.message()).startsWith("strftime: ");

    d = error("formatDate", T, str("%Y"), str("Nowhere/Land"));
    assertThat(d.code()).isEqualTo("TQ2204");
    assertThat(d.span()).isEqualTo(argSpan(2));

    assertThat(eval("formatDate", T, "%Q")).isNull();
    assertThat(eval("formatDate", T, str("%Y"), "Nowhere/Land")).isNull();
  }
}
