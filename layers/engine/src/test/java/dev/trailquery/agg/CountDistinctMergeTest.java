package dev.trailquery.agg;

import static dev.trailquery.agg.AggTesting.fn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Every branch of {@code count_distinct}'s merge (exact into exact, exact into sketch, sketch into
 * exact, sketch into sketch), each checked against the hand-counted size of the union: the sketch's
 * relative error is ~1.6%, so the bounds (3 sigma) are far tighter than the difference between the
 * right union and any wrong one (a side dropped, values counted twice).
 */
class CountDistinctMergeTest {
  static final double TOLERANCE = 3 * 0.0163;

  static Accumulator of(String prefix, int from, int to) {
    Accumulator a = fn("count_distinct").create();
    for (int i = from; i < to; i++) {
      a.add(prefix + i, 0);
    }
    return a;
  }

  static boolean exact(Accumulator a) {
    return ((CountDistinct.Acc) a).isExact();
  }

  @Test
  void exactIntoExact() {
    Accumulator a = of("v", 0, 100);
    a.merge(of("v", 50, 150));
    assertThat(exact(a)).isTrue();
    assertThat(a.result()).isEqualTo(150.0);
    Accumulator empty = fn("count_distinct").create();
    empty.merge(a);
    assertThat(empty.result()).isEqualTo(150.0);
  }

  @Test
  void exactIntoSketch() {
    Accumulator big = of("v", 0, 20_000);
    assertThat(exact(big)).isFalse();
    big.merge(of("w", 0, 5_000)); // 5,000 new values
    assertThat((double) big.result()).isCloseTo(25_000, within(25_000 * TOLERANCE));
    Accumulator again = of("v", 0, 20_000);
    again.merge(of("v", 0, 5_000)); // nothing new
    assertThat((double) again.result()).isCloseTo(20_000, within(20_000 * TOLERANCE));
  }

  @Test
  void sketchIntoExact() {
    Accumulator small = of("w", 0, 5_000);
    assertThat(exact(small)).isTrue();
    small.merge(of("v", 0, 20_000));
    assertThat(exact(small)).isFalse();
    assertThat((double) small.result()).isCloseTo(25_000, within(25_000 * TOLERANCE));
  }

  @Test
  void sketchIntoSketch() {
    Accumulator a = of("v", 0, 20_000);
    a.merge(of("v", 10_000, 40_000));
    assertThat((double) a.result()).isCloseTo(40_000, within(40_000 * TOLERANCE));
    Accumulator b = of("x", 0, 15_000);
    b.merge(of("y", 0, 15_000));
    assertThat((double) b.result()).isCloseTo(30_000, within(30_000 * TOLERANCE));
  }
}
