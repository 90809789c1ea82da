package dev.trailquery.metricfilter;

import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.ErrorCode;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.Span;
import dev.trailquery.metricfilter.Pattern.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hand-written recursive-descent parser of the JSON metric-filter pattern syntax (CloudWatch Logs
 * "filter and pattern syntax", JSON log events):
 *
 * <pre>
 * pattern    = ws* [ "{" expr "}" ] ws* ;              (empty: every event matches)
 * expr       = and { "||" and } ;                      ("&amp;&amp;" binds tighter than "||")
 * and        = unary { "&amp;&amp;" unary } ;
 * unary      = "(" expr ")" | test ;
 * test       = selector ( op value | "IS" ("NULL"|"TRUE"|"FALSE") | "NOT" "EXISTS" ) ;
 * selector   = "$" { "." name | "." "*" | "[" digits "]" | "[" "*" "]" | ["."] "['" chars "']" } ;
 * op         = "=" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" ;
 * value      = '"' chars '"' | "%" regex "%" | bare ;  (bare: a number, or a word of [A-Za-z0-9_.*:/@+-])
 * </pre>
 *
 * <p>Errors are {@link QueryException}s whose spans point into the pattern. Codes: TQ4001 not a
 * JSON pattern (text and space-delimited patterns are not supported), TQ4002 unexpected character
 * or end, TQ4003 bad selector, TQ4004 unterminated string or regex, TQ4005 bad value, TQ4006 bad
 * regex, TQ4007 relational operator with a non-number, TQ4008 unsupported {@code IS NOT} / {@code
 * EXISTS}, TQ4009 a limit exceeded (length 1,024, 2 regexes, 1 wildcard per selector, 3 wildcard
 * selectors per pattern), TQ4010 nested too deeply.
 */
public final class PatternParser {
  public static final int MAX_LENGTH = 1024;
  public static final int MAX_REGEXES = 2;
  public static final int MAX_WILDCARD_SELECTORS = 3;
  private static final int MAX_DEPTH = 100;
  private static final String REGEX_SYMBOLS = ":_#=@/;,-^$?[]{}|\\*+.";

  private final String src;
  private int pos;
  private int depth;
  private int regexes;
  private int wildcardSelectors;
  private final List<Selector> selectors = new ArrayList<>();

  private PatternParser(String src) {
    this.src = src;
  }

  /** The parse of {@code text} with the selectors it uses, in order of appearance. */
  public record Parsed(String text, Pattern pattern, List<Selector> selectors) {}

  public static Parsed parse(String text) {
    PatternParser p = new PatternParser(text);
    Pattern pattern = p.pattern();
    return new Parsed(text, pattern, List.copyOf(p.selectors));
  }

  private QueryException error(String code, String message, int start, int end) {
    return new QueryException(
        src,
        Diagnostic.error(
            code, message, new Span(Math.min(start, src.length()), Math.min(end, src.length()))));
  }

  private QueryException unexpected(String expected) {
    if (pos >= src.length()) {
      return error(
          ErrorCode.PATTERN_SYNTAX.code(),
          "unexpected end of pattern, expected " + expected,
          pos,
          pos);
    }
    int cp = src.codePointAt(pos);
    return error(
        ErrorCode.PATTERN_SYNTAX.code(),
        "unexpected '" + new String(Character.toChars(cp)) + "', expected " + expected,
        pos,
        pos + Character.charCount(cp));
  }

  private void ws() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
      pos++;
    }
  }

  private boolean at(String s) {
    return src.startsWith(s, pos);
  }

  private Pattern pattern() {
    if (src.length() > MAX_LENGTH) {
      throw error(
          ErrorCode.PATTERN_LIMIT.code(),
          "pattern longer than " + MAX_LENGTH + " characters",
          MAX_LENGTH,
          src.length());
    }
    ws();
    if (pos == src.length()) {
      return new Pattern.All(new Span(0, src.length()));
    }
    if (!at("{")) {
      String kind =
          at("[")
              ? "space-delimited patterns ([a, b = x, ...]) are not supported"
              : "text patterns are not supported";
      throw error(
          ErrorCode.NOT_A_JSON_PATTERN.code(),
          "not a JSON pattern: expected '{' ("
              + kind
              + "; trailquery takes JSON patterns such as { $.eventName = ConsoleLogin })",
          pos,
          pos + 1);
    }
    pos++;
    ws();
    if (at("}")) {
      throw error(
          ErrorCode.PATTERN_SYNTAX.code(),
          "empty pattern '{}', expected a test such as $.field = value",
          pos,
          pos + 1);
    }
    Pattern p = expr();
    ws();
    if (!at("}")) {
      if (pos >= src.length()) {
        throw error(
            ErrorCode.PATTERN_SYNTAX.code(),
            "unexpected end of pattern, expected '}' to close the '{'",
            pos,
            pos);
      }
      throw unexpected(at(")") ? "'}' (unbalanced ')')" : "'&&', '||' or '}'");
    }
    pos++;
    ws();
    if (pos < src.length()) {
      throw unexpected("the end of the pattern after '}'");
    }
    return p;
  }

  // expr = and { "||" and }
  private Pattern expr() {
    if (++depth > MAX_DEPTH) {
      throw error(ErrorCode.PATTERN_TOO_DEEP.code(), "pattern nested too deeply", pos, pos + 1);
    }
    Pattern left = and();
    ws();
    while (at("||")) {
      pos += 2;
      ws();
      Pattern right = and();
      left = new Pattern.Or(left, right, left.span().to(right.span()));
      ws();
    }
    depth--;
    return left;
  }

  // and = unary { "&&" unary }
  private Pattern and() {
    Pattern left = unary();
    ws();
    while (at("&&")) {
      pos += 2;
      ws();
      Pattern right = unary();
      left = new Pattern.And(left, right, left.span().to(right.span()));
      ws();
    }
    return left;
  }

  // unary = "(" expr ")" | test
  private Pattern unary() {
    ws();
    if (at("(")) {
      int open = pos++;
      ws();
      Pattern inner = expr();
      ws();
      if (!at(")")) {
        if (pos >= src.length() || at("}")) {
          throw error(
              ErrorCode.PATTERN_SYNTAX.code(),
              (pos >= src.length() ? "unexpected end of pattern" : "unexpected '}'")
                  + ", expected ')' to close the '(' at column "
                  + (open + 1),
              pos,
              pos + (pos < src.length() ? 1 : 0));
        }
        throw unexpected("'&&', '||' or ')'");
      }
      pos++;
      return inner;
    }
    if (at("&&") || at("||")) {
      throw unexpected(
          "a test such as $.field = value before '" + src.substring(pos, pos + 2) + "'");
    }
    return test();
  }

  // test = selector ( op value | IS ... | NOT EXISTS )
  private Pattern test() {
    Selector sel = selector();
    ws();
    int opStart = pos;
    Op op = null;
    if (at("!=")) {
      op = Op.NE;
    } else if (at("<=")) {
      op = Op.LE;
    } else if (at(">=")) {
      op = Op.GE;
    } else if (at("==")) {
      throw error(
          ErrorCode.PATTERN_SYNTAX.code(), "unexpected '==', use '=' to compare", pos, pos + 2);
    } else if (at("=")) {
      op = Op.EQ;
    } else if (at("<")) {
      op = Op.LT;
    } else if (at(">")) {
      op = Op.GT;
    }
    if (op != null) {
      pos += op.text().length();
      ws();
      Pattern.Value v = value(op);
      return new Pattern.Compare(sel, op, v, sel.span().to(v.span()));
    }
    String word = word();
    String upper = word.toUpperCase(Locale.ROOT);
    if (upper.equals("IS")) {
      ws();
      int litStart = pos;
      String lit = word().toUpperCase(Locale.ROOT);
      Pattern.Literal l =
          switch (lit) {
            case "NULL" -> Pattern.Literal.NULL;
            case "TRUE" -> Pattern.Literal.TRUE;
            case "FALSE" -> Pattern.Literal.FALSE;
            case "NOT" ->
                throw error(
                    ErrorCode.UNSUPPORTED_OPERATOR.code(),
                    "'IS NOT' is not supported by metric filters; use '!=' or NOT EXISTS",
                    opStart,
                    pos);
            default -> {
              pos = litStart;
              throw unexpected("NULL, TRUE or FALSE after IS");
            }
          };
      return new Pattern.Is(sel, l, new Span(sel.span().start(), pos));
    }
    if (upper.equals("NOT")) {
      ws();
      int w = pos;
      if (!word().toUpperCase(Locale.ROOT).equals("EXISTS")) {
        pos = w;
        throw unexpected("EXISTS after NOT");
      }
      return new Pattern.NotExists(sel, new Span(sel.span().start(), pos));
    }
    if (upper.equals("EXISTS")) {
      throw error(
          ErrorCode.UNSUPPORTED_OPERATOR.code(),
          "'EXISTS' is not supported by metric filters; use '= \"*\"' to require a value, or NOT"
              + " EXISTS",
          opStart,
          pos);
    }
    pos = opStart;
    throw unexpected("an operator (=, !=, <, <=, >, >=), IS or NOT EXISTS after " + sel.text());
  }

  private String word() {
    int s = pos;
    while (pos < src.length() && Character.isLetter(src.charAt(pos))) {
      pos++;
    }
    return src.substring(s, pos);
  }

  // selector = "$" { ... }
  private Selector selector() {
    int start = pos;
    if (!at("$")) {
      throw unexpected("a selector such as $.eventName");
    }
    pos++;
    List<Selector.Segment> segs = new ArrayList<>();
    int wildcards = 0;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '.') {
        pos++;
        if (at("*")) {
          pos++;
          segs.add(new Selector.AnyField());
          wildcards++;
        } else if (at("[")) {
          continue; // $.['name']
        } else {
          int s = pos;
          while (pos < src.length() && nameChar(src.charAt(pos))) {
            pos++;
          }
          if (s == pos) {
            throw error(
                ErrorCode.BAD_SELECTOR.code(),
                pos < src.length()
                    ? "unexpected '" + src.charAt(pos) + "' in selector, expected a property name"
                    : "unexpected end of pattern, expected a property name after '.'",
                pos,
                pos + 1);
          }
          segs.add(new Selector.Field(src.substring(s, pos)));
        }
      } else if (c == '[') {
        int open = pos++;
        if (at("*]")) {
          pos += 2;
          segs.add(new Selector.AnyElement());
          wildcards++;
        } else if (at("'")) {
          int close = src.indexOf("']", pos + 1);
          if (close < 0) {
            throw error(
                ErrorCode.BAD_SELECTOR.code(),
                "unterminated ['name'] in selector",
                open,
                src.length());
          }
          segs.add(new Selector.Field(src.substring(pos + 1, close)));
          pos = close + 2;
        } else if (at("\"")) {
          throw error(
              ErrorCode.BAD_SELECTOR.code(),
              "quote a property name in brackets with single quotes: ['name']",
              pos,
              pos + 1);
        } else {
          int s = pos;
          while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
          }
          if (s == pos || !at("]")) {
            throw error(
                ErrorCode.BAD_SELECTOR.code(),
                "expected an index, '*' or a quoted name in brackets, like [0], [*] or ['a.b']",
                s,
                s + 1);
          }
          int index;
          try {
            index = Integer.parseInt(src.substring(s, pos));
          } catch (NumberFormatException e) {
            throw error(ErrorCode.BAD_SELECTOR.code(), "index too large", s, pos);
          }
          pos++;
          segs.add(new Selector.Index(index));
        }
      } else {
        break;
      }
    }
    Span span = new Span(start, pos);
    if (segs.isEmpty()) {
      throw error(
          ErrorCode.BAD_SELECTOR.code(),
          "a selector needs a property after '$', like $.eventName",
          start,
          pos);
    }
    if (wildcards > 1) {
      throw error(
          ErrorCode.PATTERN_LIMIT.code(),
          "a selector may have at most one wildcard ([*] or .*)",
          start,
          pos);
    }
    if (wildcards == 1 && ++wildcardSelectors > MAX_WILDCARD_SELECTORS) {
      throw error(
          ErrorCode.PATTERN_LIMIT.code(),
          "a pattern may have at most " + MAX_WILDCARD_SELECTORS + " selectors with wildcards",
          start,
          pos);
    }
    Selector sel = new Selector(src.substring(start, pos), segs, span);
    selectors.add(sel);
    return sel;
  }

  private static boolean nameChar(char c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_');
  }

  private static boolean bareChar(char c) {
    return c < 128
        && (Character.isLetterOrDigit(c)
            || c == '_'
            || c == '.'
            || c == '*'
            || c == '-'
            || c == '+'
            || c == ':'
            || c == '/'
            || c == '@');
  }

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private Pattern.Value value(Op op) {
    int start = pos;
    if (pos >= src.length()) {
      throw unexpected("a value after '" + op.text() + "'");
    }
    char c = src.charAt(pos);
    Pattern.Value v;
    if (c == '"') {
      v = quoted();
    } else if (c == '%') {
      v = regex();
    } else {
      while (pos < src.length() && bareChar(src.charAt(pos))) {
        pos++;
      }
      if (pos == start) {
        throw unexpected(
            "a value after '" + op.text() + "' (a number, a word, \"text\" or %regex%)");
      }
      String text = src.substring(start, pos);
      if (pos < src.length()
          && !Character.isWhitespace(src.charAt(pos))
          && ")}&|".indexOf(src.charAt(pos)) < 0) {
        throw error(
            ErrorCode.BAD_UNQUOTED_VALUE.code(),
            "unexpected '" + src.charAt(pos) + "' in an unquoted value; quote the value: \"...\"",
            pos,
            pos + 1);
      }
      Span span = new Span(start, pos);
      if (NUMBER.matcher(text).matches()) {
        v = new Pattern.Num(Double.parseDouble(text), text, span);
      } else {
        v = new Pattern.Str(text, text.split("\\*", -1), false, span);
      }
    }
    if (op != Op.EQ && op != Op.NE && !(v instanceof Pattern.Num)) {
      throw error(
          ErrorCode.NOT_A_NUMBER.code(),
          "'" + op.text() + "' compares numbers; " + v.span().text(src) + " is not a number",
          v.span().start(),
          v.span().end());
    }
    return v;
  }

  private Pattern.Str quoted() {
    int start = pos++;
    StringBuilder piece = new StringBuilder();
    StringBuilder text = new StringBuilder();
    List<String> pieces = new ArrayList<>();
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '"') {
        pos++;
        pieces.add(piece.toString());
        return new Pattern.Str(
            text.toString(), pieces.toArray(String[]::new), true, new Span(start, pos));
      }
      if (c == '\\' && pos + 1 < src.length()) {
        char n = src.charAt(pos + 1);
        piece.append(n); // \" \\ and \* stand for the character itself
        text.append(n);
        pos += 2;
        continue;
      }
      if (c == '*') {
        pieces.add(piece.toString());
        piece.setLength(0);
      } else {
        piece.append(c);
      }
      text.append(c);
      pos++;
    }
    throw error(ErrorCode.PATTERN_UNTERMINATED.code(), "unterminated string", start, src.length());
  }

  private Pattern.Regex regex() {
    int start = pos++;
    int end = pos;
    while (end < src.length() && src.charAt(end) != '%') {
      if (src.charAt(end) == '\\' && end + 1 < src.length()) {
        end++;
      }
      end++;
    }
    if (end >= src.length()) {
      throw error(
          ErrorCode.PATTERN_UNTERMINATED.code(),
          "unterminated regex: expected a closing '%'",
          start,
          src.length());
    }
    String body = src.substring(pos, end);
    if (body.isEmpty()) {
      throw error(ErrorCode.PATTERN_BAD_REGEX.code(), "empty regex", start, end + 1);
    }
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (!(c < 128 && Character.isLetterOrDigit(c)) && REGEX_SYMBOLS.indexOf(c) < 0) {
        String what =
            c == '(' || c == ')'
                ? "groups '(' ')' are not supported in metric-filter regexes"
                : c >= 128
                    ? "non-ASCII characters are not supported in metric-filter regexes"
                    : "'" + c + "' is not supported in metric-filter regexes";
        throw error(ErrorCode.PATTERN_BAD_REGEX.code(), what, pos + i, pos + i + 1);
      }
    }
    if (++regexes > MAX_REGEXES) {
      throw error(
          ErrorCode.PATTERN_LIMIT.code(),
          "a pattern may have at most " + MAX_REGEXES + " regexes",
          start,
          end + 1);
    }
    com.google.re2j.Pattern re;
    try {
      re = com.google.re2j.Pattern.compile(body);
    } catch (com.google.re2j.PatternSyntaxException e) {
      throw error(
          ErrorCode.PATTERN_BAD_REGEX.code(), "bad regex: " + e.getDescription(), start, end + 1);
    }
    pos = end + 1;
    return new Pattern.Regex(body, re, new Span(start, pos));
  }
}
