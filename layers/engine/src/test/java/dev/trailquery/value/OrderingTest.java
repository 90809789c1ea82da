package dev.trailquery.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Comparisons and orders that a mutation run showed were unguarded or guarded by one test only:
 * numeric strings compare as numbers, natural order compares digit runs by length then digits, week
 * bins start on Monday. Expected values are worked out by hand.
 */
class OrderingTest {
  static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void numericStringsCompareAsNumbers() {
    assertThat(Values.compare("9", "10")).isNegative(); // as text "9" > "10"
    assertThat(Values.compare("10", "9")).isPositive();
    assertThat(Values.compare("2.5", "10")).isNegative();
    assertThat(Values.compare("-3", "2")).isNegative();
    assertThat(Values.compare("1e3", "999")).isPositive();
    assertThat(Values.compare("10", "10.0")).isZero();
    // Only when both read as numbers: otherwise code-point order.
    assertThat(Values.compare("9", "10a")).isPositive();
    assertThat(Values.compare("abc", "abd")).isNegative();
    assertThat(Values.compare(null, "1")).isNull();
  }

  @Test
  void naturalOrderComparesDigitRunsByLengthThenDigits() {
    List<Object> names =
        new ArrayList<>(
            List.of("file10", "file2", "file1", "file02", "file100", "fileA", "file9b", "file9a"));
    names.sort(NaturalOrder.INSTANCE);
    // Runs of digits: shorter first (2 < 10 < 100), same length by digits; "02" has length 2 so it
    // sorts with 10 and before it ("02" < "10"); letters by code point ("9a" < "9b" < "A" since
    // '9' < 'A').
    assertThat(names)
        .containsExactly(
            "file1", "file2", "file9a", "file9b", "file02", "file10", "file100", "fileA");
    assertThat(NaturalOrder.compareText("a10b", "a10c")).isNegative();
    assertThat(NaturalOrder.compareText("a10", "a10x")).isNegative();
    assertThat(NaturalOrder.compareText("a123", "a124")).isNegative();
    assertThat(NaturalOrder.compareText("a124", "a123")).isPositive();
    assertThat(NaturalOrder.compareText("x5", "x5")).isZero();
    // Numbers after non-numbers; numbers by value.
    List<Object> mixed = new ArrayList<>(List.of(10.0, "b", "9", "a", 2.0));
    mixed.sort(NaturalOrder.INSTANCE);
    assertThat(mixed).containsExactly("a", "b", 2.0, "9", 10.0);
  }

  @Test
  void weekBinsStartOnMonday() {
    Periods week = Periods.of(1, "w");
    // 2026-12-03 is a Thursday; its week starts Monday 2026-11-30.
    assertThat(week.floor(at("2026-12-03T15:20:00Z"))).isEqualTo(at("2026-11-30T00:00:00Z"));
    assertThat(week.floor(at("2026-11-30T00:00:00Z"))).isEqualTo(at("2026-11-30T00:00:00Z"));
    assertThat(week.floor(at("2026-11-29T23:59:59Z"))).isEqualTo(at("2026-11-23T00:00:00Z"));
    // Before the epoch too: 1969-12-31 (a Wednesday) is in the week of Monday 1969-12-29.
    assertThat(week.floor(at("1969-12-31T12:00:00Z"))).isEqualTo(at("1969-12-29T00:00:00Z"));
    assertThat(week.next(at("2026-11-30T00:00:00Z"))).isEqualTo(at("2026-12-07T00:00:00Z"));
    assertThat(week.ceil(at("2026-12-03T15:20:00Z"))).isEqualTo(at("2026-12-07T00:00:00Z"));
    // Two-week bins are aligned to Monday 1970-01-05 (the first Monday after the epoch).
    Periods two = Periods.of(2, "w");
    assertThat(two.floor(at("1970-01-18T00:00:00Z"))).isEqualTo(at("1970-01-05T00:00:00Z"));
    assertThat(two.floor(at("1970-01-19T00:00:00Z"))).isEqualTo(at("1970-01-19T00:00:00Z"));
  }
}
