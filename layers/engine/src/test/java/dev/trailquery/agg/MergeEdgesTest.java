package dev.trailquery.agg;

import static dev.trailquery.agg.AggTesting.fn;
import static dev.trailquery.agg.AggTesting.over;
import static dev.trailquery.agg.AggTesting.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Merges across the exact/sketch switch of {@code pct} and {@code count_distinct}, and of {@code
 * min}/{@code max} states holding text. Expected values are counted by hand: for {@code pct} over
 * the integers 1..n the true p-th percentile is p·n/100, and KLL's rank error (1.33% of n at this
 * size, as {@code AggregateCasesTest} uses) bounds how far the sketch may be from it.
 */
class MergeEdgesTest {
  static final double RANK_ERROR = 0.0133;

  static Accumulator range(AggregateFunction f, int from, int to) {
    Accumulator a = f.create();
    for (int i = from; i <= to; i++) {
      a.add((double) i, 0);
    }
    return a;
  }

  static boolean exact(Accumulator a) {
    return ((Percentile.Acc) a).isExact();
  }

  @Test
  void pctExactIntoSketch() {
    AggregateFunction f = fn("pct", 50);
    Accumulator sketch = range(f, 1, 10_001);
    assertThat(exact(sketch)).isFalse();
    sketch.merge(roundTrip(f, range(f, 10_002, 12_000))); // now 1..12,000: median 6,000
    assertThat((double) sketch.result()).isCloseTo(6_000, within(12_000 * RANK_ERROR));
  }

  @Test
  void pctSketchIntoExact() {
    AggregateFunction f = fn("pct", 90);
    Accumulator small = range(f, 1, 100);
    small.merge(range(f, 101, 20_000)); // 1..20,000: the 90th percentile is 18,000
    assertThat(exact(small)).isFalse();
    assertThat((double) small.result()).isCloseTo(18_000, within(20_000 * RANK_ERROR));
  }

  @Test
  void pctTwoExactStatesOverTheLimitBecomeASketch() {
    AggregateFunction f = fn("pct", 25);
    Accumulator a = range(f, 1, 6_000);
    a.merge(range(f, 6_001, 12_000)); // 1..12,000: the 25th percentile is 3,000
    assertThat(exact(a)).isFalse();
    assertThat((double) a.result()).isCloseTo(3_000, within(12_000 * RANK_ERROR));
    // exactly at the limit: still exact, and the nearest rank of 10,000 values
    Accumulator b = range(f, 1, 6_000);
    b.merge(range(f, 6_001, 10_000));
    assertThat(exact(b)).isTrue();
    assertThat(b.result()).isEqualTo(2_500.0);
  }

  @Test
  void pctOfAStateMergedWithItselfCountsEachValueTwice() {
    AggregateFunction f = fn("pct", 50);
    Accumulator a = range(f, 1, 10); // 1..10 twice: 20 values, the 10th smallest is 5
    a.merge(a);
    assertThat(a.result()).isEqualTo(5.0);
    Accumulator big = range(f, 1, 6_000); // 12,000 values over the limit: a sketch, median 3,000
    big.merge(big);
    assertThat(exact(big)).isFalse();
    assertThat((double) big.result()).isCloseTo(3_000, within(12_000 * RANK_ERROR));
  }

  @Test
  void countDistinctUnionOfExactlyTheLimitStaysExact() {
    AggregateFunction f = fn("count_distinct");
    Accumulator a = over(f);
    Accumulator b = over(f);
    for (int i = 0; i < 6_000; i++) {
      a.add("a" + i, 0);
    }
    for (int i = 0; i < 4_000; i++) {
      b.add("b" + i, 0);
    }
    a.merge(b);
    assertThat(((CountDistinct.Acc) a).isExact()).isTrue();
    assertThat(a.result()).isEqualTo(10_000.0);
  }

  @Test
  void minMaxOfTextStatesMerge() {
    AggregateFunction max = fn("max");
    AggregateFunction min = fn("min");
    // natural order: "a9" < "a10" < "b"
    Accumulator m = over(max, "a9");
    m.merge(roundTrip(max, over(max, "a10")));
    assertThat(m.result()).isEqualTo("a10");
    m.merge(over(max)); // an empty state changes nothing
    assertThat(m.result()).isEqualTo("a10");
    Accumulator n = over(min, "b");
    n.merge(roundTrip(min, over(min, "a10", "a9")));
    assertThat(n.result()).isEqualTo("a9");
    // text after a number is ignored, also through an image and a merge
    Accumulator withNumber = roundTrip(max, over(max, 3.0, "zzz"));
    assertThat(withNumber.result()).isEqualTo(3.0);
    Accumulator empty = over(max);
    empty.merge(withNumber);
    empty.merge(over(max, "zzz"));
    assertThat(empty.result()).isEqualTo(3.0);
  }
}
