package dev.trailquery.fn;

import dev.trailquery.eval.Evaluator;
import dev.trailquery.value.Timestamp;
import dev.trailquery.value.Values;
import java.util.List;

/**
 * General functions: {@code ispresent}, {@code coalesce}, {@code if}, {@code case}, {@code
 * isNumeric}, {@code messageSize}, {@code queryStartTime}, {@code queryEndTime}, {@code
 * queryTimeRange}.
 */
final class GeneralFunctions {
  private GeneralFunctions() {}

  /** {@code case} takes at most this many condition/value pairs, as Logs Insights documents. */
  static final int CASE_MAX_BRANCHES = 10;

  static List<FunctionDef> all() {
    return List.of(
        new Def(
            "ispresent",
            1,
            1,
            (call, args, ctx) -> {
              Evaluator a = args.getFirst();
              return row -> Values.bool(a.eval(row) != null);
            }),
        new Def(
            "coalesce",
            1,
            Def.VARIADIC,
            (call, args, ctx) -> {
              Evaluator[] as = args.toArray(Evaluator[]::new);
              return row -> {
                for (Evaluator a : as) {
                  Object v = a.eval(row);
                  if (v != null) {
                    return v;
                  }
                }
                return null;
              };
            }),
        new Def(
            "if",
            2,
            3,
            (call, args, ctx) -> {
              Evaluator c = args.get(0);
              Evaluator a = args.get(1);
              Evaluator b = args.size() == 3 ? args.get(2) : row -> null;
              return row -> Values.isTruthy(c.eval(row)) ? a.eval(row) : b.eval(row);
            }),
        new Def(
            "case",
            2,
            Def.VARIADIC,
            (call, args, ctx) -> {
              if (args.size() > 2 * CASE_MAX_BRANCHES + 1) {
                throw ctx.error(
                    call.span(),
                    Args.ARITY,
                    "case takes at most "
                        + (2 * CASE_MAX_BRANCHES + 1)
                        + " arguments ("
                        + CASE_MAX_BRANCHES
                        + " condition/value pairs and a default), got "
                        + args.size());
              }
              int pairs = args.size() / 2;
              Evaluator[] conds = new Evaluator[pairs];
              Evaluator[] vals = new Evaluator[pairs];
              for (int i = 0; i < pairs; i++) {
                conds[i] = args.get(2 * i);
                vals[i] = args.get(2 * i + 1);
              }
              Evaluator dflt = args.size() % 2 == 1 ? args.getLast() : row -> null;
              return row -> {
                for (int i = 0; i < conds.length; i++) {
                  if (Values.isTruthy(conds[i].eval(row))) {
                    return vals[i].eval(row);
                  }
                }
                return dflt.eval(row);
              };
            }),
        new Def(
            "isNumeric",
            1,
            1,
            (call, args, ctx) -> {
              Evaluator a = args.getFirst();
              return row -> Values.bool(isNumeric(a.eval(row)));
            }),
        new Def(
            "messageSize",
            1,
            1,
            (call, args, ctx) -> {
              Evaluator a = args.getFirst();
              return row -> {
                String s = Values.toText(a.eval(row));
                return s == null ? null : (Object) (double) utf8Length(s);
              };
            }),
        new Def(
            "queryStartTime",
            0,
            0,
            (call, args, ctx) -> {
              Double v = (double) ctx.queryStartMillis();
              return row -> v;
            }),
        new Def(
            "queryEndTime",
            0,
            0,
            (call, args, ctx) -> {
              Double v = (double) ctx.queryEndMillis();
              return row -> v;
            }),
        new Def(
            "queryTimeRange",
            0,
            0,
            (call, args, ctx) -> {
              Double v = (double) (ctx.queryEndMillis() - ctx.queryStartMillis());
              return row -> v;
            }));
  }

  /**
   * Numbers and timestamps are numeric, strings when they read as a decimal number; not booleans.
   */
  static boolean isNumeric(Object v) {
    return switch (v) {
      case Double d -> true;
      case Timestamp t -> true;
      case String s -> Values.parseNumber(s) != null;
      case null, default -> false;
    };
  }

  /** The number of bytes of {@code s} in UTF-8 (a lone surrogate counts as the 1-byte '?'). */
  static long utf8Length(String s) {
    long n = 0;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
