package dev.trailquery.fn;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.trailquery.eval.CompileContext;
import dev.trailquery.eval.Evaluator;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.value.Values;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * String functions. Arguments are read as text ({@link Values#toText}); a missing subject gives a
 * missing result, except for the predicates, which answer false ({@code isempty}/{@code isblank}:
 * true).
 */
final class StringFunctions {
  private StringFunctions() {}

  static List<FunctionDef> all() {
    return List.of(
        new Def(
            "isempty",
            1,
            1,
            (call, args, ctx) -> {
              Evaluator a = args.getFirst();
              return row -> {
                String s = Values.toText(a.eval(row));
                return Values.bool(s == null || s.isEmpty());
              };
            }),
        new Def(
            "isblank",
            1,
            1,
            (call, args, ctx) -> {
              Evaluator a = args.getFirst();
              return row -> {
                String s = Values.toText(a.eval(row));
                return Values.bool(s == null || s.isBlank());
              };
            }),
        new Def(
            "concat",
            1,
            Def.VARIADIC,
            (call, args, ctx) -> {
              Evaluator[] as = args.toArray(Evaluator[]::new);
              return row -> {
                StringBuilder sb = new StringBuilder();
                for (Evaluator a : as) {
                  String s = Values.toText(a.eval(row));
                  if (s != null) {
                    sb.append(s);
                  }
                }
                return sb.toString();
              };
            }),
        trim("ltrim", true, false),
        trim("rtrim", false, true),
        trim("trim", true, true),
        text("strlen", s -> (double) s.codePointCount(0, s.length())),
        text("toupper", s -> s.toUpperCase(Locale.ROOT)),
        text("tolower", s -> s.toLowerCase(Locale.ROOT)),
        new Def(
            "substr",
            2,
            3,
            (call, args, ctx) -> {
              Evaluator a = args.get(0);
              Evaluator start = args.get(1);
              Evaluator len = args.size() == 3 ? args.get(2) : null;
              return row -> {
                String s = Values.toText(a.eval(row));
                Double st = Values.toNumber(start.eval(row));
                if (s == null || st == null) {
                  return null;
                }
                if (len == null) {
                  return substr(s, st, Double.POSITIVE_INFINITY);
                }
                Double l = Values.toNumber(len.eval(row));
                return l == null ? null : substr(s, st, l);
              };
            }),
        new Def(
            "replace",
            3,
            3,
            (call, args, ctx) -> {
              Evaluator a = args.get(0);
              Evaluator search = args.get(1);
              Evaluator repl = args.get(2);
              return row -> {
                String s = Values.toText(a.eval(row));
                String f = Values.toText(search.eval(row));
                String r = Values.toText(repl.eval(row));
                if (s == null || f == null || r == null) {
                  return null;
                }
                return f.isEmpty() ? s : s.replace(f, r);
              };
            }),
        match("strcontains", String::contains),
        match("startsWith", String::startsWith),
        match("endsWith", String::endsWith),
        new Def("regexReplace", 3, 3, StringFunctions::regexReplace),
        text("urlencode", s -> URLEncoder.encode(s, StandardCharsets.UTF_8)),
        text("urldecode", StringFunctions::urldecode),
        text(
            "base64encode",
            s -> Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))),
        text("base64decode", StringFunctions::base64decode),
        text("hexToAscii", StringFunctions::hexToAscii),
        text("hexToDec", StringFunctions::hexToDec),
        new Def(
            "decToHex",
            1,
            1,
            (call, args, ctx) -> {
              Evaluator a = args.getFirst();
              return row -> {
                Double d = Values.toNumber(a.eval(row));
                if (d == null || !Double.isFinite(d) || Math.abs(d) >= 0x1p63) {
                  return null;
                }
                return Long.toHexString((long) (double) d);
              };
            }));
  }

  /** A one-argument function of the argument's text; missing in, missing out. */
  private static Def text(String name, Function<String, Object> f) {
    return new Def(
        name,
        1,
        1,
        (call, args, ctx) -> {
          Evaluator a = args.getFirst();
          return row -> {
            String s = Values.toText(a.eval(row));
            return s == null ? null : f.apply(s);
          };
        });
  }

  private static Def trim(String name, boolean left, boolean right) {
    return new Def(
        name,
        1,
        2,
        (call, args, ctx) -> {
          Evaluator a = args.get(0);
          if (args.size() == 1) {
            return row -> {
              String s = Values.toText(a.eval(row));
              if (s == null) {
                return null;
              }
              return left && right ? s.strip() : left ? s.stripLeading() : s.stripTrailing();
            };
          }
          String lit = Args.stringLit(call, 1);
          Evaluator chars = lit != null ? row -> lit : args.get(1);
          return row -> {
            String s = Values.toText(a.eval(row));
            String cs = Values.toText(chars.eval(row));
            return s == null || cs == null ? null : stripChars(s, cs, left, right);
          };
        });
  }

  /** Strips, from the chosen ends of {@code s}, every code point that occurs in {@code chars}. */
  static String stripChars(String s, String chars, boolean left, boolean right) {
    int begin = 0;
    int end = s.length();
    if (left) {
      while (begin < end) {
        int cp = s.codePointAt(begin);
        if (chars.indexOf(cp) < 0) {
          break;
        }
        begin += Character.charCount(cp);
      }
    }
    if (right) {
      while (end > begin) {
        int cp = s.codePointBefore(end);
        if (chars.indexOf(cp) < 0) {
          break;
        }
        end -= Character.charCount(cp);
      }
    }
    return s.substring(begin, end);
  }

  /**
   * The code points {@code [start, start + len)} of {@code s}, 0-based, with both ends clamped to
   * the string; fractions are truncated; a negative length gives "".
   */
  static String substr(String s, double start, double len) {
    int count = s.codePointCount(0, s.length());
    long st = Math.clamp((long) start, 0, count);
    long l = (long) len;
    long end = l <= 0 ? st : Math.min(count, l >= count ? count : st + l);
    if (st >= end) {
      return "";
    }
    int b = s.offsetByCodePoints(0, (int) st);
    int e = s.offsetByCodePoints(b, (int) (end - st));
    return s.substring(b, e);
  }

  /**
   * {@code strcontains}, {@code startsWith}, {@code endsWith}: (s, sub[, caseInsensitive]) → true
   * or false; false when either string is missing. Case-insensitive compares lower-cased text.
   */
  private static Def match(String name, BiPredicate<String, String> test) {
    return new Def(
        name,
        2,
        3,
        (call, args, ctx) -> {
          Evaluator a = args.get(0);
          Evaluator b = args.get(1);
          Boolean flag = args.size() == 3 ? Args.flagLit(call, 2) : Boolean.FALSE;
          String lit = Args.stringLit(call, 1);
          if (flag != null && lit != null) {
            // The usual case: a literal needle and a literal (or no) flag.
            String needle = flag ? lower(lit) : lit;
            boolean ci = flag;
            return row -> {
              String s = Values.toText(a.eval(row));
              return s != null && test.test(ci ? lower(s) : s, needle);
            };
          }
          Evaluator ci = args.size() == 3 ? Args.flag(call, args, 2) : row -> Boolean.FALSE;
          return row -> {
            String s = Values.toText(a.eval(row));
            String t = Values.toText(b.eval(row));
            if (s == null || t == null) {
              return Boolean.FALSE;
            }
            return ci.eval(row) == Boolean.TRUE ? test.test(lower(s), lower(t)) : test.test(s, t);
          };
        });
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static Evaluator regexReplace(Expr.Call call, List<Evaluator> args, CompileContext ctx) {
    Expr re = call.args().get(1);
    String source =
        switch (re) {
          case Expr.RegexLit r -> r.pattern();
          case Expr.StringLit s -> s.value();
          default ->
              throw ctx.error(
                  re.span(),
                  Args.NOT_LITERAL,
                  "regexReplace needs a regex literal such as /[0-9]+/ as its second argument");
        };
    String tooLarge = dev.trailquery.lang.RegexBudget.check(source);
    if (tooLarge != null) {
      throw ctx.error(re.span(), Args.BAD_LITERAL, tooLarge);
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(source);
    } catch (PatternSyntaxException e) {
      String why = e.getMessage();
      String prefix = "error parsing regexp: ";
      if (why != null && why.startsWith(prefix)) {
        why = why.substring(prefix.length());
      }
      throw ctx.error(re.span(), Args.BAD_LITERAL, "invalid regex: " + why);
    }
    Evaluator a = args.get(0);
    String lit = Args.stringLit(call, 2);
    if (lit != null) {
      Replacement repl;
      try {
        repl = Replacement.parse(lit, pattern);
      } catch (Replacement.BadReplacement e) {
        throw ctx.error(call.args().get(2).span(), Args.BAD_LITERAL, e.getMessage());
      }
      return row -> {
        String s = Values.toText(a.eval(row));
        return s == null ? null : repl.replaceAll(pattern, s);
      };
    }
    Evaluator r = args.get(2);
    return row -> {
      String s = Values.toText(a.eval(row));
      String t = Values.toText(r.eval(row));
      if (s == null || t == null) {
        return null;
      }
      try {
        return Replacement.parse(t, pattern).replaceAll(pattern, s);
      } catch (Replacement.BadReplacement e) {
        return null;
      }
    };
  }

  /** Decodes {@code %xx} escapes (UTF-8) and {@code +} as a space; null when malformed. */
  static String urldecode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Standard or URL-safe Base64, padding optional, decoded as UTF-8; null when not Base64. */
  static String base64decode(String s) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      try {
        bytes = Base64.getUrlDecoder().decode(s);
      } catch (IllegalArgumentException e2) {
        return null;
      }
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Hex digit pairs (optional {@code 0x}) decoded as UTF-8 text; null when not hex. */
  static String hexToAscii(String s) {
    String h = stripHexPrefix(s);
    if (h.isEmpty() || h.length() % 2 != 0) {
      return null;
    }
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = hexDigit(h.charAt(2 * i));
      int lo = hexDigit(h.charAt(2 * i + 1));
      if (hi < 0 || lo < 0) {
        return null;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** Up to 16 hex digits (optional {@code 0x}) as an unsigned number; null when not hex. */
  static Double hexToDec(String s) {
    String h = stripHexPrefix(s);
    if (h.isEmpty() || h.length() > 16) {
      return null;
    }
    for (int i = 0; i < h.length(); i++) {
      if (hexDigit(h.charAt(i)) < 0) {
        return null;
      }
    }
    long v = Long.parseUnsignedLong(h, 16);
    return v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1);
  }

  /** The value of an ASCII hex digit, or -1 (unlike Character.digit, no other scripts' digits). */
  static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static String stripHexPrefix(String s) {
    return s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
  }
}
