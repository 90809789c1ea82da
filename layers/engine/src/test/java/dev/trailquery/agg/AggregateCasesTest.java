package dev.trailquery.agg;

import static dev.trailquery.agg.AggTesting.bind;
import static dev.trailquery.agg.AggTesting.fn;
import static dev.trailquery.agg.AggTesting.over;
import static dev.trailquery.agg.AggTesting.roundTrip;
import static dev.trailquery.agg.AggTesting.star;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trailquery.value.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small cases computed by hand. */
class AggregateCasesTest {

  private static Object result(AggregateFunction f, Object... values) {
    Accumulator acc = over(f, values);
    Object r = acc.result();
    assertThat(acc.result()).as("result() does not consume").isEqualTo(r);
    assertThat(roundTrip(f, acc).result()).as("after a round trip").isEqualTo(r);
    return r;
  }

  private static Object[] oneTo(int n) {
    Object[] v = new Object[n];
    for (int i = 0; i < n; i++) {
      v[i] = (double) (n - i); // descending, so the exact state has to sort
    }
    return v;
  }

  // ---- count -------------------------------------------------------------------------------

  @Test
  void countCountsPresentValues() {
    assertThat(result(fn("count"), 1.0, null, "a", false, "")).isEqualTo(4.0);
    assertThat(result(fn("count"))).isEqualTo(0.0);
    // count(*) is fed TRUE for every row by the planner.
    AggregateFunction all = bind(star("count")).function();
    assertThat(result(all, true, true, true)).isEqualTo(3.0);
  }

  // ---- count_distinct ----------------------------------------------------------------------

  @Test
  void countDistinctComparesText() {
    // "1", 1.0 and true all read as "1"; "B" and "b" differ; missing is not a value.
    assertThat(result(fn("count_distinct"), "a", "b", "a", 1.0, "1", true, null, "B", ""))
        .isEqualTo(5.0);
    assertThat(result(fn("countDistinct"))).isEqualTo(0.0);
  }

  @Test
  void countDistinctIsExactUpToTenThousandDistinctValues() {
    AggregateFunction f = fn("count_distinct");
    CountDistinct.Acc acc = (CountDistinct.Acc) f.create();
    for (int i = 0; i < 10_000; i++) {
      acc.add("user-" + i, 0);
      acc.add("user-" + i, 0);
    }
    assertThat(acc.isExact()).isTrue();
    assertThat(acc.result()).isEqualTo(10_000.0);
    acc.add("one more", 0);
    assertThat(acc.isExact()).isFalse();
    assertThat((double) acc.result()).isCloseTo(10_001, within(10_001 * 3 * 0.0163));
  }

  @Test
  void mergingExactCountDistinctStaysExactWhileTheUnionFits() {
    AggregateFunction f = fn("count_distinct");
    Accumulator a = f.create();
    Accumulator b = f.create();
    for (int i = 0; i < 6_000; i++) {
      a.add((double) i, 0);
      b.add((double) (i + 3_000), 0);
    }
    a.merge(b);
    assertThat(((CountDistinct.Acc) a).isExact()).isTrue();
    assertThat(a.result()).isEqualTo(9_000.0);
    Accumulator c = f.create();
    for (int i = 0; i < 2_000; i++) {
      c.add("x" + i, 0);
    }
    a.merge(c);
    assertThat(((CountDistinct.Acc) a).isExact()).isFalse();
    assertThat((double) a.result()).isCloseTo(11_000, within(11_000 * 3 * 0.0163));
  }

  // ---- sum / avg ---------------------------------------------------------------------------

  @Test
  void sumAndAvgTakeNumericValuesOnly() {
    Object[] values = {1.0, "2", true, "x", null, 2.5, false, "1e1", Double.NaN};
    assertThat(result(fn("sum"), values)).isEqualTo(16.5);
    assertThat(result(fn("avg"), values)).isEqualTo(16.5 / 6);
    assertThat(result(fn("sum"), "x", null)).isNull();
    assertThat(result(fn("avg"))).isNull();
  }

  @Test
  void sumOfBooleansCountsMatches() {
    assertThat(result(fn("sum"), true, false, true, true)).isEqualTo(3.0);
  }

  @Test
  void sumIsCompensated() {
    assertThat(result(fn("sum"), 1e16, 1.0, -1e16)).isEqualTo(1.0);
    assertThat(result(fn("sum"), 1e100, 1.0, -1e100)).isEqualTo(1.0);
    Object[] tenths = new Object[10];
    java.util.Arrays.fill(tenths, 0.1);
    assertThat(result(fn("sum"), tenths)).isEqualTo(1.0);
    // Merging keeps the compensation.
    AggregateFunction f = fn("sum");
    Accumulator a = over(f, 1e16, 1.0);
    a.merge(roundTrip(f, over(f, -1e16, 1.0)));
    assertThat(a.result()).isEqualTo(2.0);
  }

  @Test
  void sumOverflowsToInfinityNotNaN() {
    assertThat(result(fn("sum"), Double.MAX_VALUE, Double.MAX_VALUE))
        .isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(result(fn("sum"), Double.POSITIVE_INFINITY, 1.0))
        .isEqualTo(Double.POSITIVE_INFINITY);
    assertThat((Double) result(fn("sum"), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY))
        .isNaN();
  }

  // ---- min / max ---------------------------------------------------------------------------

  @Test
  void minMaxPreferNumbers() {
    Object[] values = {3.0, "10", "abc", 2.5, null, true};
    assertThat(result(fn("min"), values)).isEqualTo(1.0);
    assertThat(result(fn("max"), values)).isEqualTo(10.0);
    assertThat(result(fn("min"), "b", "a10", "a9")).isEqualTo("a9");
    assertThat(result(fn("max"), "b", "a10", "a9")).isEqualTo("b");
    assertThat(result(fn("max"), "a10", "a9")).isEqualTo("a10");
    assertThat(result(fn("max"))).isNull();
  }

  @Test
  void minMaxOfTimestampsAreTimestamps() {
    Timestamp t1 = new Timestamp(1_700_000_000_000L);
    Timestamp t2 = new Timestamp(1_700_000_000_500L);
    assertThat(result(fn("max"), t1, t2, "x")).isEqualTo(t2);
    assertThat(result(fn("min"), t2, t1)).isEqualTo(t1);
    // A number beyond every timestamp wins as a number.
    assertThat(result(fn("max"), t1, 2e12)).isEqualTo(2e12);
    // A tie between a number and a timestamp goes to the timestamp, in either order.
    assertThat(result(fn("min"), 5.0, new Timestamp(5))).isEqualTo(new Timestamp(5));
    assertThat(result(fn("min"), new Timestamp(5), 5.0)).isEqualTo(new Timestamp(5));
  }

  @Test
  void minMaxMergeTextThenNumber() {
    AggregateFunction max = fn("max");
    Accumulator text = over(max, "zzz");
    Accumulator num = over(max, 1.0);
    text.merge(roundTrip(max, num));
    assertThat(text.result()).isEqualTo(1.0);
    num.merge(over(max, "zzz"));
    assertThat(num.result()).isEqualTo(1.0);
  }

  // ---- pct ---------------------------------------------------------------------------------

  @Test
  void pctIsNearestRank() {
    Object[] v = oneTo(10);
    assertThat(result(fn("pct", 50), v)).isEqualTo(5.0);
    assertThat(result(fn("pct", 90), v)).isEqualTo(9.0);
    assertThat(result(fn("pct", 100), v)).isEqualTo(10.0);
    assertThat(result(fn("pct", 0), v)).isEqualTo(1.0);
    assertThat(result(fn("pct", 10), v)).isEqualTo(1.0);
    assertThat(result(fn("pct", 11), v)).isEqualTo(2.0);
    assertThat(result(fn("pct", 95), v)).isEqualTo(10.0);
    assertThat(result(fn("pct", 99.9), oneTo(1000))).isEqualTo(999.0);
    assertThat(result(fn("pct", 50), "x", 7.0, null, "3")).isEqualTo(3.0);
    assertThat(result(fn("pct", 50), "x")).isNull();
  }

  @Test
  void pctIsExactUpToTenThousandValuesThenWithinRankError() {
    AggregateFunction f = fn("pct", 90);
    Percentile.Acc acc = (Percentile.Acc) over(f, oneTo(10_000));
    assertThat(acc.isExact()).isTrue();
    assertThat(acc.result()).isEqualTo(9_000.0);
    Accumulator a = over(f, oneTo(5_000));
    a.merge(over(f, oneTo(5_000)));
    assertThat(((Percentile.Acc) a).isExact()).isTrue();
    assertThat(a.result()).isEqualTo(4_500.0);
    acc.add(10_001.0, 0);
    assertThat(acc.isExact()).isFalse();
    double q = (double) acc.result();
    assertThat(q / 10_001).isCloseTo(0.9, within(0.0133));
  }

  // ---- stddev / variance -------------------------------------------------------------------

  @Test
  void stddevAndVarianceAreSample() {
    Object[] v = {2.0, 4.0, 4.0, "4", 5.0, 5.0, 7.0, 9.0, "x", null};
    assertThat((double) result(fn("stddev"), v)).isCloseTo(2.138089935, within(1e-9));
    assertThat((double) result(fn("variance"), v)).isCloseTo(32.0 / 7, within(1e-12));
    assertThat(result(fn("stddev"), 3.0)).isEqualTo(0.0);
    assertThat(result(fn("variance"), 3.0)).isEqualTo(0.0);
    assertThat(result(fn("stddev"), "x")).isNull();
  }

  @Test
  void varianceMergesWithChan() {
    AggregateFunction f = fn("variance");
    Accumulator a = over(f, 2.0, 4.0, 4.0);
    a.merge(roundTrip(f, over(f, 4.0, 5.0, 5.0, 7.0, 9.0)));
    assertThat((double) a.result()).isCloseTo(32.0 / 7, within(1e-12));
    a.merge(f.create());
    assertThat((double) a.result()).isCloseTo(32.0 / 7, within(1e-12));
    Accumulator empty = f.create();
    empty.merge(a);
    assertThat((double) empty.result()).isCloseTo(32.0 / 7, within(1e-12));
  }

  // ---- earliest / latest -------------------------------------------------------------------

  private static Object timed(String name, Object... valueThenMillis) {
    AggregateFunction f = fn(name);
    List<Accumulator> parts = new ArrayList<>();
    Accumulator whole = f.create();
    for (int i = 0; i < valueThenMillis.length; i += 2) {
      Accumulator part = f.create();
      part.add(valueThenMillis[i], (long) valueThenMillis[i + 1]);
      whole.add(valueThenMillis[i], (long) valueThenMillis[i + 1]);
      parts.add(part);
    }
    // Merging one-row parts in reverse must agree with one pass.
    Accumulator merged = f.create();
    for (int i = parts.size() - 1; i >= 0; i--) {
      merged.merge(roundTrip(f, parts.get(i)));
    }
    assertThat(merged.result()).isEqualTo(whole.result());
    return whole.result();
  }

  @Test
  void earliestAndLatestFollowTheTimestamp() {
    Object[] rows = {"b", 100L, "a", 100L, "c", 50L, null, 10L, "e", 200L, "d", 200L, null, 300L};
    assertThat(timed("earliest", rows)).isEqualTo("c");
    assertThat(timed("latest", rows)).isEqualTo("e");
  }

  @Test
  void earliestAndLatestBreakTiesByNaturalOrder() {
    Object[] rows = {"x10", 10L, "x9", 10L, 5.0, 10L, "5", 10L};
    // Texts sort before numbers; 5.0 and "5" tie in natural order, then string before number.
    assertThat(timed("earliest", rows)).isEqualTo("x9");
    assertThat(timed("latest", rows)).isEqualTo(5.0);
  }

  @Test
  void earliestAndLatestKeepTheValueType() {
    Timestamp t = new Timestamp(42);
    assertThat(timed("earliest", t, 1L, "later", 2L)).isEqualTo(t);
    assertThat(timed("latest", true, 9L, "earlier", 2L)).isEqualTo(true);
  }

  @Test
  void unknownTimestampsCountOnlyWithoutKnownOnes() {
    assertThat(timed("earliest", "u", Long.MIN_VALUE, "k", 500L)).isEqualTo("k");
    assertThat(timed("latest", "k", 500L, "u", Long.MIN_VALUE)).isEqualTo("k");
    assertThat(timed("latest", "u", Long.MIN_VALUE, "v", Long.MIN_VALUE)).isEqualTo("v");
    assertThat(timed("earliest")).isNull();
  }

  // ---- sortsFirst / sortsLast --------------------------------------------------------------

  @Test
  void sortsFirstAndLastUseNaturalOrder() {
    Object[] v = {"b", "a10", null, "a9", 5.0, "10", "B"};
    assertThat(result(fn("sortsFirst"), v)).isEqualTo("B");
    assertThat(result(fn("sortsLast"), v)).isEqualTo("10");
    assertThat(result(fn("sortsFirst"), "a10", "a9")).isEqualTo("a9");
    assertThat(result(fn("sortsLast"), new Timestamp(3), 2.0)).isEqualTo(new Timestamp(3));
    assertThat(result(fn("sortsLast"))).isNull();
  }

  // ---- common ------------------------------------------------------------------------------

  @Test
  void everyAggregateAcceptsEmptyStatesAndReportsASize() {
    for (String name : Aggregates.names()) {
      AggregateFunction f = name.equals("pct") ? fn(name, 50) : fn(name);
      Accumulator a = over(f, 1.0, "x");
      Object before = a.result();
      a.merge(f.create());
      a.merge(roundTrip(f, f.create()));
      assertThat(a.result()).as(name).isEqualTo(before);
      Accumulator empty = f.create();
      empty.merge(a);
      assertThat(empty.result()).as(name).isEqualTo(before);
      assertThat(a.sizeBytes()).as(name).isPositive();
      assertThat(AggTesting.bytes(f.create())[0]).as(name).isEqualTo((byte) 1);
    }
  }
}
