package dev.trailquery.agg;

import static dev.trailquery.agg.AggTesting.bind;
import static dev.trailquery.agg.AggTesting.bytes;
import static dev.trailquery.agg.AggTesting.call;
import static dev.trailquery.agg.AggTesting.field;
import static dev.trailquery.agg.AggTesting.star;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.lang.ast.Expr;
import dev.trailquery.value.NaturalOrder;
import dev.trailquery.value.Timestamp;
import dev.trailquery.value.Values;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Modelled on DataFusion's {@code state_compat}: for every aggregate, any split of the input, each
 * part written to bytes, read back and merged in random order, gives what one pass gives, and both
 * agree with an oracle computed here from the rows (exactly, or for sums within 1e-9 relative; for
 * sketches within their documented error of the true value). Seeded: a failure names its seed.
 */
class StateCompatTest {

  /** Every aggregate and the calls that exercise it. A name missing here fails the build. */
  private static final Map<String, List<Expr.Call>> CALLS = new LinkedHashMap<>();

  static {
    CALLS.put("count", List.of(star("count"), call("count"), call("count", field("f"))));
    CALLS.put(
        "count_distinct",
        List.of(call("count_distinct", field("f")), call("countDistinct", field("f"))));
    CALLS.put("sum", List.of(call("sum", field("f"))));
    CALLS.put("avg", List.of(call("avg", field("f"))));
    CALLS.put("min", List.of(call("min", field("f"))));
    CALLS.put("max", List.of(call("max", field("f"))));
    List<Expr.Call> pct = new ArrayList<>();
    for (String p : new String[] {"0", "1", "12.5", "50", "90", "99.9", "100"}) {
      pct.add(
          call("pct", field("f"), new Expr.NumberLit(Double.parseDouble(p), p, AggTesting.SPAN)));
    }
    pct.add(call("percentile", field("f"), AggTesting.number(75)));
    CALLS.put("pct", pct);
    CALLS.put("stddev", List.of(call("stddev", field("f"))));
    CALLS.put("variance", List.of(call("variance", field("f"))));
    CALLS.put("earliest", List.of(call("earliest", field("f"))));
    CALLS.put("latest", List.of(call("latest", field("f"))));
    CALLS.put("sortsFirst", List.of(call("sortsFirst", field("f"))));
    CALLS.put("sortsLast", List.of(call("sortsLast", field("f"))));
  }

  private static final long SEED = 0x7ea11e5L;
  private static final int[] MIXED_SIZES = {0, 1, 5, 300, 3000};
  private static final int[] DISTINCT_SIZES = {9_990, 12_000, 25_000};
  private static final int REPEATS = 3;

  /** HLL lgK 12: relative standard error 1.04/√4096; the test allows three of them. */
  private static final double HLL_BOUND = 3 * 1.04 / 64;

  /** KLL k 200: normalized rank error for one quantile at 99% confidence. */
  private static final double KLL_RANK_BOUND = 0.0133;

  @Test
  void everyAggregateIsExercised() {
    assertThat(CALLS.keySet()).containsExactlyInAnyOrderElementsOf(Aggregates.names());
  }

  record Row(Object value, long millis) {}

  @TestFactory
  Stream<DynamicTest> splitsMergeToTheSinglePassResult() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : Aggregates.names()) {
      for (Expr.Call c : CALLS.getOrDefault(name, List.of())) {
        String label = c.name() + (c.star() ? "(*)" : "") + argsLabel(c);
        tests.add(DynamicTest.dynamicTest(label, () -> runAll(c)));
      }
    }
    return tests.stream();
  }

  private static String argsLabel(Expr.Call c) {
    if (c.args().size() == 2 && c.args().get(1) instanceof Expr.NumberLit n) {
      return "(f, " + n.text() + ")";
    }
    return c.args().isEmpty() ? (c.star() ? "" : "()") : "(f)";
  }

  private static void runAll(Expr.Call c) throws IOException {
    BoundAggregate bound = bind(c);
    for (int size : MIXED_SIZES) {
      for (int rep = 0; rep < REPEATS; rep++) {
        long seed = SEED ^ Objects.hash(c.name(), c.args().size(), argsLabel(c), size, rep);
        check(bound, mixedRows(new Random(seed), size), new Random(seed + 1), seed);
      }
    }
    for (int size : DISTINCT_SIZES) {
      long seed = SEED ^ Objects.hash(c.name(), argsLabel(c), size, "distinct");
      check(bound, distinctRows(new Random(seed), size), new Random(seed + 1), seed);
    }
  }

  // ---- inputs ------------------------------------------------------------------------------

  private static final String[] WORDS = {
    "",
    "a",
    "a9",
    "a10",
    "B",
    "b",
    "ConsoleLogin",
    "AssumeRole",
    "x y",
    "É",
    "𝄞",
    "01",
    "1.50",
    "-0",
    "0x10",
    "NaN",
    "1e3",
    "true",
    "\ud800"
  };

  private static final long BASE = 1_700_000_000_000L;

  /** Numbers, numeric strings, other strings, booleans and timestamps; ~1/7 missing; tied times. */
  static List<Row> mixedRows(Random rnd, int n) {
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object v =
          switch (rnd.nextInt(14)) {
            case 0, 1 -> null;
            case 2, 3 -> (double) (rnd.nextInt(41) - 20);
            case 4 -> rnd.nextGaussian() * 1000;
            case 5 -> (rnd.nextBoolean() ? 1 : -1) * rnd.nextDouble() * 1e12;
            case 6 -> Integer.toString(rnd.nextInt(100));
            case 7 -> String.format("%.3f", rnd.nextGaussian() * 10);
            case 8, 9 -> WORDS[rnd.nextInt(WORDS.length)];
            case 10 -> "user-" + rnd.nextInt(50);
            case 11 -> rnd.nextBoolean();
            case 12 -> new Timestamp(BASE + rnd.nextInt(5000));
            default -> rnd.nextBoolean() ? 0.0 : -0.0;
          };
      long millis = rnd.nextInt(40) == 0 ? Long.MIN_VALUE : BASE + rnd.nextInt(2000);
      rows.add(new Row(v, millis));
    }
    return rows;
  }

  /** Mostly distinct values (distinct texts and numbers), ~1/7 missing: beyond exact limits. */
  static List<Row> distinctRows(Random rnd, int n) {
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object v =
          switch (rnd.nextInt(7)) {
            case 0 -> null;
            case 1, 2 -> (double) i;
            case 3 -> "id-" + i;
            case 4 -> Integer.toString(1_000_000 + i);
            case 5 -> new Timestamp(BASE + i);
            default -> i + 0.25;
          };
      rows.add(new Row(v, BASE + rnd.nextInt(n)));
    }
    Collections.shuffle(rows, rnd);
    return rows;
  }

  // ---- the check ---------------------------------------------------------------------------

  private static void feed(Accumulator acc, BoundAggregate bound, Row r) {
    acc.add(bound.argument() == null ? Boolean.TRUE : r.value(), r.millis());
  }

  private static void check(BoundAggregate bound, List<Row> rows, Random rnd, long seed)
      throws IOException {
    AggregateFunction f = bound.function();
    String what = f + " over " + rows.size() + " rows, seed " + seed;

    Accumulator single = f.create();
    for (Row r : rows) {
      feed(single, bound, r);
    }
    Object expected = single.result();
    assertThat(single.result()).as("result() does not consume: " + what).isEqualTo(expected);
    assertThat(single.sizeBytes()).as(what).isPositive();
    checkAgainstOracle(bound, rows, expected, what + ", single pass");

    int attempts = rows.size() > 5000 ? 2 : 4;
    for (int attempt = 0; attempt < attempts; attempt++) {
      int k = 1 + rnd.nextInt(rows.size() < 10 ? 12 : 8);
      List<Accumulator> parts = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        parts.add(f.create());
      }
      boolean contiguous = rnd.nextBoolean();
      int[] cuts = rnd.ints(k - 1, 0, rows.size() + 1).sorted().toArray();
      for (int i = 0, part = 0; i < rows.size(); i++) {
        if (contiguous) {
          while (part < k - 1 && cuts[part] <= i) {
            part++;
          }
          feed(parts.get(part), bound, rows.get(i));
        } else {
          feed(parts.get(rnd.nextInt(k)), bound, rows.get(i));
        }
      }
      List<Accumulator> restored = new ArrayList<>();
      for (Accumulator p : parts) {
        byte[] image = bytes(p);
        Accumulator back = AggTesting.read(f, image);
        assertThat(back.result()).as("round trip keeps the result: " + what).isEqualTo(p.result());
        if (!isSketch(back)) {
          assertThat(bytes(back)).as("image is canonical: " + what).isEqualTo(image);
        }
        restored.add(back);
      }
      Collections.shuffle(restored, rnd);
      Accumulator merged =
          rnd.nextBoolean() ? mergeInOrder(f, restored) : mergeAsTree(restored, rnd);
      merged = AggTesting.read(f, bytes(merged));
      Object actual = merged.result();
      String split = what + ", " + k + (contiguous ? " contiguous" : " scattered") + " parts";
      if (isSketch(merged) || isSketch(single)) {
        checkAgainstOracle(bound, rows, actual, split + ", merged");
      } else {
        assertSame(f, actual, expected, split);
      }
    }
  }

  private static boolean isSketch(Accumulator acc) {
    return acc instanceof CountDistinct.Acc cd && !cd.isExact()
        || acc instanceof Percentile.Acc p && !p.isExact();
  }

  private static Accumulator mergeInOrder(AggregateFunction f, List<Accumulator> parts) {
    Accumulator target = f.create();
    for (Accumulator p : parts) {
      mergeChecked(target, p);
    }
    return target;
  }

  private static Accumulator mergeAsTree(List<Accumulator> parts, Random rnd) {
    List<Accumulator> level = new ArrayList<>(parts);
    while (level.size() > 1) {
      Accumulator a = level.remove(rnd.nextInt(level.size()));
      Accumulator b = level.remove(rnd.nextInt(level.size()));
      mergeChecked(a, b);
      level.add(a);
    }
    return level.getFirst();
  }

  /** Merges and checks that {@code other} was left as it was. */
  private static void mergeChecked(Accumulator target, Accumulator other) {
    byte[] before = bytes(other);
    Object result = other.result();
    target.merge(other);
    assertThat(other.result()).as("merge leaves other's result").isEqualTo(result);
    if (!isSketch(other)) {
      assertThat(bytes(other)).as("merge leaves other unchanged").isEqualTo(before);
    } else {
      assertThat(bytes(other)).as("merge leaves other's sketch").hasSameSizeAs(before);
    }
  }

  private static void assertSame(AggregateFunction f, Object actual, Object expected, String what) {
    if (f instanceof SumAvg || f instanceof Variance) {
      assertClose(actual, expected, what);
    } else {
      assertThat(actual).as(what).isEqualTo(expected);
    }
  }

  private static void assertClose(Object actual, Object expected, String what) {
    if (expected == null || actual == null) {
      assertThat(actual).as(what).isEqualTo(expected);
      return;
    }
    double a = (Double) actual;
    double e = (Double) expected;
    if (a == e) {
      return;
    }
    double tolerance = 1e-9 * Math.max(Math.abs(a), Math.abs(e));
    assertThat(Math.abs(a - e)).as(what + ": " + a + " vs " + e).isLessThanOrEqualTo(tolerance);
  }

  // ---- the oracle: the semantics, computed straight from the rows --------------------------

  private static void checkAgainstOracle(
      BoundAggregate bound, List<Row> rows, Object actual, String what) {
    AggregateFunction f = bound.function();
    List<Object> present = new ArrayList<>();
    List<Double> numbers = new ArrayList<>();
    for (Row r : rows) {
      Object v = bound.argument() == null ? Boolean.TRUE : r.value();
      if (v != null) {
        present.add(v);
        Double d = Values.toNumber(v);
        if (d != null && !d.isNaN()) {
          numbers.add(d);
        }
      }
    }
    switch (f) {
      case Count c -> assertThat(actual).as(what).isEqualTo((double) present.size());
      case CountDistinct c -> {
        Set<String> distinct = new HashSet<>();
        for (Object v : present) {
          distinct.add(Values.toText(v));
        }
        int truth = distinct.size();
        if (truth <= StateIO.EXACT_LIMIT) {
          assertThat(actual).as(what).isEqualTo((double) truth);
        } else {
          double est = (Double) actual;
          assertThat(Math.abs(est - truth) / truth)
              .as(what + ": estimate " + est + " of " + truth)
              .isLessThanOrEqualTo(HLL_BOUND);
        }
      }
      case SumAvg s -> {
        if (numbers.isEmpty()) {
          assertThat(actual).as(what).isNull();
          break;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (double d : numbers) {
          sum = sum.add(new BigDecimal(d));
        }
        BigDecimal exact =
            s.average()
                ? sum.divide(BigDecimal.valueOf(numbers.size()), MathContext.DECIMAL128)
                : sum;
        assertClose(actual, exact.doubleValue(), what + " vs exact");
      }
      case MinMax m -> assertThat(actual).as(what).isEqualTo(oracleMinMax(present, m.max()));
      case Percentile p -> {
        if (numbers.isEmpty()) {
          assertThat(actual).as(what).isNull();
          break;
        }
        double[] sorted = numbers.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        if (n <= StateIO.EXACT_LIMIT) {
          // Nearest rank: the smallest value with at least p% of the values at or below it.
          BigDecimal want = BigDecimal.valueOf(p.percentile()).multiply(BigDecimal.valueOf(n));
          int i = 0;
          while (i < n - 1 && BigDecimal.valueOf(100L * (i + 1)).compareTo(want) < 0) {
            i++;
          }
          assertThat(actual).as(what).isEqualTo(sorted[i]);
        } else {
          double v = (Double) actual;
          int below = 0;
          int atOrBelow = 0;
          for (double d : sorted) {
            if (Double.compare(d, v) < 0) {
              below++;
            }
            if (Double.compare(d, v) <= 0) {
              atOrBelow++;
            }
          }
          double q = p.percentile() / 100;
          double lo = (double) below / n;
          double hi = (double) atOrBelow / n;
          assertThat(atOrBelow).as(what + ": " + v + " is one of the values").isGreaterThan(below);
          assertThat(Math.max(0, Math.max(lo - q, q - hi)))
              .as(what + ": rank [" + lo + ", " + hi + "] of " + v + " for " + q)
              .isLessThanOrEqualTo(KLL_RANK_BOUND);
        }
      }
      case Variance var -> {
        if (numbers.isEmpty()) {
          assertThat(actual).as(what).isNull();
          break;
        }
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal sum = BigDecimal.ZERO;
        for (double d : numbers) {
          sum = sum.add(new BigDecimal(d));
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(numbers.size()), mc);
        BigDecimal squares = BigDecimal.ZERO;
        for (double d : numbers) {
          BigDecimal dev = new BigDecimal(d).subtract(mean);
          squares = squares.add(dev.multiply(dev, mc), mc);
        }
        double variance =
            numbers.size() == 1
                ? 0
                : squares.divide(BigDecimal.valueOf(numbers.size() - 1), mc).doubleValue();
        assertClose(actual, var.stddev() ? Math.sqrt(variance) : variance, what + " vs exact");
      }
      case EarliestLatest el -> {
        Comparator<Row> order =
            Comparator.comparing((Row r) -> r.millis() == Long.MIN_VALUE) // unknown last
                .thenComparing(Row::millis)
                .thenComparing(Row::value, StateCompatTest::naturalThenType);
        if (el.latest()) {
          order =
              Comparator.comparing((Row r) -> r.millis() == Long.MIN_VALUE)
                  .thenComparing(Row::millis, Comparator.reverseOrder())
                  .thenComparing(Row::value, (a, b) -> naturalThenType(b, a));
        }
        Object want =
            rows.stream().filter(r -> r.value() != null).min(order).map(Row::value).orElse(null);
        assertThat(actual).as(what).isEqualTo(want);
      }
      case SortsFirstLast s -> {
        Comparator<Object> order = StateCompatTest::naturalThenType;
        Object want =
            (s.last() ? present.stream().max(order) : present.stream().min(order)).orElse(null);
        assertThat(actual).as(what).isEqualTo(want);
      }
      default -> throw new AssertionError("no oracle for " + f);
    }
  }

  private static int typeRank(Object v) {
    return v instanceof String ? 0 : v instanceof Double ? 1 : v instanceof Boolean ? 2 : 3;
  }

  private static int naturalThenType(Object a, Object b) {
    int c = NaturalOrder.INSTANCE.compare(a, b);
    return c != 0 ? c : Integer.compare(typeRank(a), typeRank(b));
  }

  /** Numbers win over texts; ties between equal numbers go to a timestamp. */
  private static Object oracleMinMax(List<Object> present, boolean max) {
    List<Object> numeric = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (Object v : present) {
      Double d = Values.toNumber(v);
      if (d != null) {
        if (!d.isNaN()) {
          numeric.add(v);
        }
      } else if (v instanceof String s) {
        texts.add(s);
      }
    }
    if (!numeric.isEmpty()) {
      // Sort ascending by value; for max, timestamps after plain numbers at a tie, for min before.
      Comparator<Object> byValue = Comparator.comparing(Values::toNumber, Double::compare);
      Comparator<Object> tsRank =
          Comparator.comparing(v -> v instanceof Timestamp ? (max ? 1 : -1) : 0);
      Comparator<Object> ms = Comparator.comparing(v -> v instanceof Timestamp t ? t.millis() : 0L);
      Object best =
          max
              ? numeric.stream().max(byValue.thenComparing(tsRank).thenComparing(ms)).orElseThrow()
              : numeric.stream().min(byValue.thenComparing(tsRank).thenComparing(ms)).orElseThrow();
      return best instanceof Timestamp ? best : Values.toNumber(best);
    }
    if (texts.isEmpty()) {
      return null;
    }
    Comparator<String> natural =
        Comparator.<String, String>comparing(s -> s, NaturalOrder.INSTANCE)
            .thenComparing(Comparator.naturalOrder());
    return max ? Collections.max(texts, natural) : Collections.min(texts, natural);
  }
}
