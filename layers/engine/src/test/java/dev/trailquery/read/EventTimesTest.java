package dev.trailquery.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventTimesTest {
  static final DateTimeFormatter CLOUDTRAIL =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @Test
  void fastPathAgreesWithJavaTime() {
    Random rnd = new Random(1);
    for (int i = 0; i < 200_000; i++) {
      long sec = rnd.nextLong(-2_208_988_800L, 4_102_444_800L); // 1900 .. 2100
      String s = CLOUDTRAIL.format(Instant.ofEpochSecond(sec));
      assertThat(EventTimes.parse(s)).as(s).isEqualTo(sec * 1000);
      assertThat(EventTimes.parse(s.toCharArray(), 0, 20)).isEqualTo(sec * 1000);
    }
  }

  @Test
  void daysFromCivilAgreesWithLocalDate() {
    for (LocalDate d = LocalDate.of(1600, 1, 1); d.getYear() < 2500; d = d.plusDays(1)) {
      assertThat(EventTimes.daysFromCivil(d.getYear(), d.getMonthValue(), d.getDayOfMonth()))
          .isEqualTo(d.toEpochDay());
    }
  }

  @Test
  void otherForms() {
    assertThat(EventTimes.parse("2020-09-14T00:44:23.000Z"))
        .isEqualTo(Instant.parse("2020-09-14T00:44:23Z").toEpochMilli());
    assertThat(EventTimes.parse("2020-09-14T00:44:23.123456Z"))
        .isEqualTo(Instant.parse("2020-09-14T00:44:23.123Z").toEpochMilli());
    assertThat(EventTimes.parse("2022-02-08 09:23:37+11:00"))
        .isEqualTo(Instant.parse("2022-02-07T22:23:37Z").toEpochMilli());
    assertThat(EventTimes.parse("2022-02-08T09:23:37-0130"))
        .isEqualTo(Instant.parse("2022-02-08T10:53:37Z").toEpochMilli());
    assertThat(EventTimes.parse("2022-02-08T09:23:37")) // no zone: UTC
        .isEqualTo(Instant.parse("2022-02-08T09:23:37Z").toEpochMilli());
    assertThat(EventTimes.parse("2022-02-08t09:23:37z"))
        .isEqualTo(Instant.parse("2022-02-08T09:23:37Z").toEpochMilli());
    assertThat(EventTimes.parse("2024-02-29T23:59:59Z"))
        .isEqualTo(Instant.parse("2024-02-29T23:59:59Z").toEpochMilli());
  }

  @Test
  void notTimes() {
    for (String s :
        new String[] {
          "",
          "redacted",
          "...",
          "2023-02-29T00:00:00Z",
          "2023-04-31T00:00:00Z",
          "2023-13-01T00:00:00Z",
          "2023-00-01T00:00:00Z",
          "2023-01-01T24:00:00Z",
          "2023-01-01T23:60:00Z",
          "2023-01-01T23:00:61Z",
          "2023-01-0xT00:00:00Z",
          "2023/01/01T00:00:00Z",
          "1688989356000",
          "2023-07-10T12:00:00Zjunk"
        }) {
      assertThat(EventTimes.parse(s)).as(s).isEqualTo(EventTimes.NONE);
    }
  }
}
