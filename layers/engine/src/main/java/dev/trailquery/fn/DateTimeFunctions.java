package dev.trailquery.fn;

import dev.trailquery.eval.CompileContext;
import dev.trailquery.eval.Evaluator;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.value.Periods;
import dev.trailquery.value.Timestamp;
import dev.trailquery.value.Values;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Date and time functions. A time argument may be a timestamp, a number (epoch ms) or an ISO-8601
 * string ({@link Times#toMillis}); anything else gives a missing result.
 */
final class DateTimeFunctions {
  private DateTimeFunctions() {}

  static List<FunctionDef> all() {
    return List.of(
        new Def(
            "bin",
            1,
            1,
            (call, args, ctx) -> {
              Periods p = Args.period("bin", call, 0, ctx);
              Evaluator ts = ctx.field("@timestamp");
              return row -> {
                Long ms = Times.toMillis(ts.eval(row));
                return ms == null ? null : new Timestamp(p.floor(ms));
              };
            }),
        new Def(
            "datefloor",
            2,
            2,
            (call, args, ctx) -> {
              Periods p = Args.period("datefloor", call, 1, ctx);
              Evaluator a = args.getFirst();
              return row -> {
                Long ms = Times.toMillis(a.eval(row));
                return ms == null ? null : new Timestamp(p.floor(ms));
              };
            }),
        new Def(
            "dateceil",
            2,
            2,
            (call, args, ctx) -> {
              Periods p = Args.period("dateceil", call, 1, ctx);
              Evaluator a = args.getFirst();
              return row -> {
                Long ms = Times.toMillis(a.eval(row));
                return ms == null ? null : new Timestamp(p.ceil(ms));
              };
            }),
        new Def(
            "fromMillis",
            1,
            1,
            (call, args, ctx) -> {
              Evaluator a = args.getFirst();
              return row -> {
                Long ms = Times.toMillis(a.eval(row));
                return ms == null ? null : new Timestamp(ms);
              };
            }),
        new Def(
            "toMillis",
            1,
            1,
            (call, args, ctx) -> {
              Evaluator a = args.getFirst();
              return row -> {
                Long ms = Times.toMillis(a.eval(row));
                return ms == null ? null : (Object) (double) ms;
              };
            }),
        new Def(
            "now",
            0,
            0,
            (call, args, ctx) -> {
              Double secs = (double) Math.floorDiv(ctx.nowMillis(), 1000L);
              return row -> secs;
            }),
        new Def("parseDate", 2, 3, DateTimeFunctions::parseDate),
        new Def("formatDate", 2, 3, DateTimeFunctions::formatDate),
        new Def("strftime", 2, 3, DateTimeFunctions::formatDate));
  }

  /** A per-row time zone: the literal's, compiled once, or the argument's value (null: unknown). */
  @FunctionalInterface
  private interface ZoneArg {
    ZoneId get(Object[] row);
  }

  private static ZoneArg zoneArg(
      String fn, Expr.Call call, List<Evaluator> args, int i, CompileContext ctx) {
    if (args.size() <= i) {
      return row -> ZoneOffset.UTC;
    }
    String lit = Args.stringLit(call, i);
    if (lit != null) {
      ZoneId z = Times.zone(lit);
      if (z == null) {
        throw ctx.error(
            call.args().get(i).span(),
            Args.BAD_LITERAL,
            fn + ": unknown time zone '" + lit + "'; use e.g. UTC, America/New_York or +05:30");
      }
      return row -> z;
    }
    Evaluator e = args.get(i);
    return row -> Times.zone(Values.toText(e.eval(row)));
  }

  private static Evaluator parseDate(Expr.Call call, List<Evaluator> args, CompileContext ctx) {
    Evaluator a = args.get(0);
    ZoneArg zone = zoneArg("parseDate", call, args, 2, ctx);
    String lit = Args.stringLit(call, 1);
    if (lit != null) {
      DateTimeFormatter f;
      try {
        f = Times.javaPattern(lit);
      } catch (IllegalArgumentException e) {
        throw ctx.error(
            call.args().get(1).span(),
            Args.BAD_LITERAL,
            "parseDate: invalid date pattern: " + e.getMessage());
      }
      return row -> {
        String s = Values.toText(a.eval(row));
        ZoneId z = zone.get(row);
        if (s == null || z == null) {
          return null;
        }
        Long ms = Times.parse(s, f, z);
        return ms == null ? null : new Timestamp(ms);
      };
    }
    Evaluator fmt = args.get(1);
    return row -> {
      String s = Values.toText(a.eval(row));
      String p = Values.toText(fmt.eval(row));
      ZoneId z = zone.get(row);
      if (s == null || p == null || z == null) {
        return null;
      }
      DateTimeFormatter f;
      try {
        f = Times.javaPattern(p);
      } catch (IllegalArgumentException e) {
        return null;
      }
      Long ms = Times.parse(s, f, z);
      return ms == null ? null : new Timestamp(ms);
    };
  }

  private static Evaluator formatDate(Expr.Call call, List<Evaluator> args, CompileContext ctx) {
    String fn = call.name();
    Evaluator a = args.get(0);
    ZoneArg zone = zoneArg(fn, call, args, 2, ctx);
    String lit = Args.stringLit(call, 1);
    if (lit != null) {
      Strftime f;
      try {
        f = Strftime.compile(lit);
      } catch (IllegalArgumentException e) {
        throw ctx.error(call.args().get(1).span(), Args.BAD_LITERAL, fn + ": " + e.getMessage());
      }
      return row -> {
        Long ms = Times.toMillis(a.eval(row));
        ZoneId z = zone.get(row);
        return ms == null || z == null ? null : f.format(ms, z);
      };
    }
    Evaluator fmt = args.get(1);
    return row -> {
      Long ms = Times.toMillis(a.eval(row));
      String p = Values.toText(fmt.eval(row));
      ZoneId z = zone.get(row);
      if (ms == null || p == null || z == null) {
        return null;
      }
      try {
        return Strftime.compile(p).format(ms, z);
      } catch (IllegalArgumentException e) {
        return null;
      }
    };
  }
}
