package dev.trailquery.fn;

import dev.trailquery.eval.Evaluator;
import dev.trailquery.value.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Numeric functions. Arguments are read as numbers ({@link Values#toNumber}: numbers, numeric
 * strings, timestamps as epoch ms, booleans as 1/0); anything else, and any result that is not a
 * finite number ({@code log(0)}, {@code sqrt(-1)}), is missing.
 */
final class NumericFunctions {
  private NumericFunctions() {}

  /** Earth's mean radius in kilometres, for {@code haversine}. */
  static final double EARTH_RADIUS_KM = 6371.0;

  static List<FunctionDef> all() {
    return List.of(
        math("abs", Math::abs),
        math("ceil", Math::ceil),
        math("floor", Math::floor),
        extreme("greatest", true),
        extreme("least", false),
        math("log", Math::log),
        math("sqrt", Math::sqrt),
        new Def(
            "round",
            1,
            2,
            (call, args, ctx) -> {
              Evaluator a = args.get(0);
              Evaluator digits = args.size() == 2 ? args.get(1) : row -> Values.ZERO;
              return row -> {
                Double x = Values.toNumber(a.eval(row));
                Double d = Values.toNumber(digits.eval(row));
                return x == null || d == null ? null : round(x, d);
              };
            }),
        math("toNumber", x -> x),
        math("toDouble", x -> x),
        integral("toInt", Integer.MIN_VALUE, Integer.MAX_VALUE),
        integral("toLong", -0x1p63, 0x1p63),
        new Def(
            "haversine",
            4,
            4,
            (call, args, ctx) -> {
              Evaluator[] as = args.toArray(Evaluator[]::new);
              return row -> {
                double[] v = new double[4];
                for (int i = 0; i < 4; i++) {
                  Double d = Values.toNumber(as[i].eval(row));
                  if (d == null) {
                    return null;
                  }
                  v[i] = d;
                }
                return finite(haversine(v[0], v[1], v[2], v[3]));
              };
            }));
  }

  /** A finite result as a value (-0 as 0); NaN and infinities are missing. */
  static Double finite(double d) {
    if (!Double.isFinite(d)) {
      return null;
    }
    return d == 0 ? Values.ZERO : d;
  }

  private static Def math(String name, DoubleUnaryOperator f) {
    return new Def(
        name,
        1,
        1,
        (call, args, ctx) -> {
          Evaluator a = args.getFirst();
          return row -> {
            Double x = Values.toNumber(a.eval(row));
            return x == null ? null : finite(f.applyAsDouble(x));
          };
        });
  }

  /** {@code greatest}/{@code least}: the extreme of the numeric arguments, ignoring the others. */
  private static Def extreme(String name, boolean max) {
    return new Def(
        name,
        1,
        Def.VARIADIC,
        (call, args, ctx) -> {
          Evaluator[] as = args.toArray(Evaluator[]::new);
          return row -> {
            Double best = null;
            for (Evaluator a : as) {
              Double x = Values.toNumber(a.eval(row));
              if (x == null || x.isNaN()) {
                continue;
              }
              if (best == null || (max ? x > best : x < best)) {
                best = x;
              }
            }
            return best;
          };
        });
  }

  /** Truncates toward zero; missing when outside {@code [lo, hi]} (exclusive hi for toLong). */
  private static Def integral(String name, double lo, double hi) {
    boolean inclusiveHi = hi == Integer.MAX_VALUE;
    return math(
        name,
        x -> {
          double t = x < 0 ? Math.ceil(x) : Math.floor(x);
          boolean ok = t >= lo && (inclusiveHi ? t <= hi : t < hi);
          return ok ? t : Double.NaN;
        });
  }

  /**
   * Rounds {@code x} to {@code digits} decimal places (negative: tens, hundreds...), ties away from
   * zero, on the shortest decimal text of {@code x} ({@code round(2.675, 2)} is 2.68).
   */
  static Double round(double x, double digits) {
    if (!Double.isFinite(x)) {
      return null;
    }
    int d = Math.clamp((long) digits, -400, 400);
    if (d >= 0 && x == Math.rint(x)) {
      return finite(x);
    }
    return finite(BigDecimal.valueOf(x).setScale(d, RoundingMode.HALF_UP).doubleValue());
  }

  static double haversine(double lat1, double lon1, double lat2, double lon2) {
    double p1 = Math.toRadians(lat1);
    double p2 = Math.toRadians(lat2);
    double dp = Math.toRadians(lat2 - lat1);
    double dl = Math.toRadians(lon2 - lon1);
    double h =
        Math.sin(dp / 2) * Math.sin(dp / 2)
            + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
  }
}
