package dev.trailquery.fn;

import static dev.trailquery.fn.Fx.both;
import static dev.trailquery.fn.Fx.eval;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trailquery.value.Timestamp;
import org.junit.jupiter.api.Test;

class NumericFunctionsTest {

  @Test
  void abs() {
    assertThat(both("abs", -3.5)).isEqualTo(3.5);
    assertThat(both("abs", 2)).isEqualTo(2.0);
    assertThat(both("abs", "-2")).isEqualTo(2.0);
    assertThat(eval("abs", true)).isEqualTo(1.0);
    assertThat(both("abs", "abc")).isNull();
    assertThat(eval("abs", (Object) null)).isNull();
  }

  @Test
  void ceilAndFloor() {
    assertThat(both("ceil", 1.2)).isEqualTo(2.0);
    assertThat(both("ceil", -1.2)).isEqualTo(-1.0);
    assertThat(both("ceil", -0.5)).isEqualTo(0.0); // not -0.0
    assertThat(both("ceil", 3)).isEqualTo(3.0);
    assertThat(both("floor", 1.8)).isEqualTo(1.0);
    assertThat(both("floor", -1.2)).isEqualTo(-2.0);
    assertThat(both("floor", "7.9")).isEqualTo(7.0);
    assertThat(eval("floor", (Object) null)).isNull();
    assertThat(both("ceil", "x")).isNull();
  }

  @Test
  void greatestAndLeastIgnoreMissingAndNonNumericArguments() {
    assertThat(both("greatest", 1, 5, 3)).isEqualTo(5.0);
    assertThat(eval("greatest", null, "7", "abc", 2)).isEqualTo(7.0);
    assertThat(both("greatest", "10", "9")).isEqualTo(10.0);
    assertThat(eval("greatest", (Object) null)).isNull();
    assertThat(both("least", 4, -2, "10")).isEqualTo(-2.0);
    assertThat(eval("least", 4, null, 8)).isEqualTo(4.0);
    assertThat(both("least", "abc")).isNull();
    assertThat(eval("greatest", new Timestamp(10), 3)).isEqualTo(10.0);
  }

  @Test
  void logIsNaturalAndMissingOutsideItsDomain() {
    assertThat(both("log", 1)).isEqualTo(0.0);
    assertThat(both("log", Math.E)).isEqualTo(1.0);
    assertThat((Double) both("log", 100)).isCloseTo(4.605170185988092, within(1e-12));
    assertThat(both("log", 0)).isNull();
    assertThat(both("log", -1)).isNull();
    assertThat(eval("log", (Object) null)).isNull();
  }

  @Test
  void sqrt() {
    assertThat(both("sqrt", 16)).isEqualTo(4.0);
    assertThat((Double) both("sqrt", 2)).isCloseTo(1.4142135623730951, within(1e-15));
    assertThat(both("sqrt", 0)).isEqualTo(0.0);
    assertThat(both("sqrt", -1)).isNull();
    assertThat(eval("sqrt", (Object) null)).isNull();
  }

  @Test
  void roundHalfAwayFromZero() {
    assertThat(both("round", 2.5)).isEqualTo(3.0);
    assertThat(both("round", -2.5)).isEqualTo(-3.0);
    assertThat(both("round", 2.4)).isEqualTo(2.0);
    assertThat(both("round", -2.4)).isEqualTo(-2.0);
    assertThat(both("round", -0.4)).isEqualTo(0.0); // not -0.0
    assertThat(both("round", 0.49999999999999994)).isEqualTo(0.0);
    assertThat(both("round", "3.7")).isEqualTo(4.0);
    assertThat(both("round", 7)).isEqualTo(7.0);
  }

  @Test
  void roundToDigits() {
    assertThat(both("round", 1.005, 2)).isEqualTo(1.01);
    assertThat(both("round", 2.675, 2)).isEqualTo(2.68);
    assertThat(both("round", 3.14159, 3)).isEqualTo(3.142);
    assertThat(both("round", -1.45, 1)).isEqualTo(-1.5);
    assertThat(both("round", 1234.5678, -2)).isEqualTo(1200.0);
    assertThat(both("round", 1250, -2)).isEqualTo(1300.0);
    assertThat(both("round", 5, 2)).isEqualTo(5.0);
    assertThat(both("round", 0.1, 1000)).isEqualTo(0.1);
  }

  @Test
  void roundWithMissingArguments() {
    assertThat(eval("round", (Object) null)).isNull();
    assertThat(eval("round", 1.5, null)).isNull();
    assertThat(both("round", "x")).isNull();
  }

  @Test
  void toNumberAndToDouble() {
    for (String fn : new String[] {"toNumber", "toDouble"}) {
      assertThat(both(fn, "42")).isEqualTo(42.0);
      assertThat(both(fn, "-1.5")).isEqualTo(-1.5);
      assertThat(both(fn, "1e3")).isEqualTo(1000.0);
      assertThat(both(fn, 7)).isEqualTo(7.0);
      assertThat(eval(fn, true)).isEqualTo(1.0);
      assertThat(eval(fn, new Timestamp(5))).isEqualTo(5.0);
      assertThat(both(fn, "abc")).isNull();
      assertThat(both(fn, "")).isNull();
      assertThat(eval(fn, (Object) null)).isNull();
    }
  }

  @Test
  void toIntTruncatesWithin32Bits() {
    assertThat(both("toInt", "3.7")).isEqualTo(3.0);
    assertThat(both("toInt", "-3.7")).isEqualTo(-3.0);
    assertThat(both("toInt", -0.5)).isEqualTo(0.0);
    assertThat(both("toInt", 2147483647)).isEqualTo(2147483647.0);
    assertThat(both("toInt", -2147483648.0)).isEqualTo(-2147483648.0);
    assertThat(both("toInt", 2147483648.0)).isNull();
    assertThat(both("toInt", -2147483649.0)).isNull();
    assertThat(both("toInt", "x")).isNull();
    assertThat(eval("toInt", (Object) null)).isNull();
  }

  @Test
  void toLongTruncatesWithin64Bits() {
    assertThat(both("toLong", "1e18")).isEqualTo(1e18);
    assertThat(both("toLong", "-9.7")).isEqualTo(-9.0);
    assertThat(both("toLong", "123456789012")).isEqualTo(123456789012.0);
    assertThat(both("toLong", 1e19)).isNull();
    assertThat(both("toLong", -1e19)).isNull();
    assertThat(both("toLong", "x")).isNull();
    assertThat(eval("toLong", (Object) null)).isNull();
  }

  @Test
  void haversineIsInKilometres() {
    // One degree of longitude on the equator: 2πR/360 with R = 6371 km.
    assertThat((Double) both("haversine", 0, 0, 0, 1))
        .isCloseTo(6371 * Math.PI / 180, within(1e-9));
    // Pole to pole: πR.
    assertThat((Double) both("haversine", 90, 0, -90, 0)).isCloseTo(6371 * Math.PI, within(1e-6));
    assertThat(both("haversine", 48.8566, 2.3522, 48.8566, 2.3522)).isEqualTo(0.0);
    // Paris to London is about 344 km.
    assertThat((Double) both("haversine", 48.8566, 2.3522, 51.5074, -0.1278))
        .isCloseTo(344, within(2.0));
    assertThat(eval("haversine", 0, 0, null, 1)).isNull();
  }
}
