package dev.trailquery.lang;

import dev.trailquery.lang.Token.Kind;
import dev.trailquery.value.Periods;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits query text into {@link Token}s, on demand.
 *
 * <ul>
 *   <li>Whitespace (newlines included) separates tokens; {@code #} outside a string, regex or
 *       backtick name starts a comment that runs to the end of the line.
 *   <li>A name is one or more segments joined by {@code .}; a segment is made of letters, digits,
 *       {@code _}, {@code @}, {@code $} and backtick-quoted parts ({@code a.`b-c`} is the name
 *       {@code a.b-c}). Segments after a dot may be all digits ({@code resources.0.ARN}).
 *   <li>Strings are {@code "..."} or {@code '...'}; the escapes {@code \" \' \\ \n \t \r \/} are
 *       resolved, any other backslash is kept together with the character after it ({@code "\d"}
 *       stays backslash-d).
 *   <li>A number directly followed by a time unit ({@code 5m}, {@code 2days}) is a period; directly
 *       followed by other letters it is an error.
 *   <li>{@code /} starts a regex only where an operand is expected, that is when the previous token
 *       cannot end an operand; otherwise it is division. Inside a regex, {@code \/} stands for
 *       {@code /} and every other escape is kept for the regex engine. A regex ends at the line's
 *       end.
 * </ul>
 *
 * <p>Errors do not throw: they come back as {@link Kind#ERROR} tokens carrying a code and message,
 * and lexing goes on after them.
 */
public final class Lexer {
  private final String src;
  private final int n;
  private int pos;
  private int lastEnd;
  private Token prev;
  private Token prevPrev;

  public Lexer(String source) {
    this.src = source;
    this.n = source.length();
  }

  /** Every token up to and including {@link Kind#EOF}. */
  public static List<Token> tokenize(String source) {
    Lexer lexer = new Lexer(source);
    List<Token> out = new ArrayList<>();
    Token t;
    do {
      t = lexer.next();
      out.add(t);
    } while (t.kind() != Kind.EOF);
    return out;
  }

  /** The next token; {@link Kind#EOF} (positioned just after the last token) at the end. */
  public Token next() {
    skipSpaceAndComments();
    if (pos >= n) {
      return new Token(Kind.EOF, "", "", false, null, Span.at(lastEnd));
    }
    Token t = lexOne();
    prevPrev = prev;
    prev = t;
    lastEnd = t.end();
    return t;
  }

  /**
   * Lexes a regex starting at {@code offset} (which must hold a {@code /}), whatever came before:
   * the parser calls this where only an operand can follow but the {@code /} was read as division,
   * e.g. in {@code parse @message /(?<user>\w+)/}. Lexing resumes after the regex.
   */
  public Token regexAt(int offset) {
    pos = offset;
    Token t = lexRegex();
    prevPrev = prev;
    prev = t;
    lastEnd = t.end();
    return t;
  }

  private void skipSpaceAndComments() {
    while (pos < n) {
      char c = src.charAt(pos);
      if (c == '#') {
        while (pos < n && src.charAt(pos) != '\n') {
          pos++;
        }
      } else if (Character.isWhitespace(c) || c == '\u00a0' || c == '\ufeff') {
        pos++;
      } else {
        return;
      }
    }
  }

  private Token lexOne() {
    int start = pos;
    char c = src.charAt(pos);
    if (isDigit(c)) {
      return lexNumber();
    }
    if (isNameChar(c) || c == '`') {
      return lexName();
    }
    return switch (c) {
      case '"', '\'' -> lexString();
      case '/' -> regexAllowed() ? lexRegex() : punct(Kind.SLASH, 1);
      case '|' ->
          at(pos + 1) == '|'
              ? error(
                  ErrorCode.BAD_CHARACTER.code(),
                  "unexpected '||'; combine conditions with 'or' ('|' separates commands)",
                  2)
              : punct(Kind.PIPE, 1);
      case ',' -> punct(Kind.COMMA, 1);
      case '(' -> punct(Kind.LPAREN, 1);
      case ')' -> punct(Kind.RPAREN, 1);
      case '[' -> punct(Kind.LBRACKET, 1);
      case ']' -> punct(Kind.RBRACKET, 1);
      case '+' -> punct(Kind.PLUS, 1);
      case '-' -> punct(Kind.MINUS, 1);
      case '*' -> punct(Kind.STAR, 1);
      case '%' -> punct(Kind.PERCENT, 1);
      case '^' -> punct(Kind.CARET, 1);
      case '=' -> at(pos + 1) == '~' ? punct(Kind.MATCH, 2) : punct(Kind.EQ, 1);
      case '!' -> at(pos + 1) == '=' ? punct(Kind.NE, 2) : punct(Kind.BANG, 1);
      case '<' -> at(pos + 1) == '=' ? punct(Kind.LE, 2) : punct(Kind.LT, 1);
      case '>' -> at(pos + 1) == '=' ? punct(Kind.GE, 2) : punct(Kind.GT, 1);
      case '&' ->
          at(pos + 1) == '&'
              ? error(
                  ErrorCode.BAD_CHARACTER.code(),
                  "unexpected '&&'; combine conditions with 'and'",
                  2)
              : error(ErrorCode.BAD_CHARACTER.code(), "unexpected character '&'", 1);
      case '.' ->
          prev != null
                  && (prev.kind() == Kind.RBRACKET || prev.kind() == Kind.RPAREN)
                  && prev.end() == pos
                  && (isNameChar(at(pos + 1)) || at(pos + 1) == '`')
              ? punct(Kind.DOT, 1)
              : error(ErrorCode.BAD_CHARACTER.code(), "unexpected character '.'", 1);
      case '\u201c', '\u201d', '\u2018', '\u2019' ->
          error(
              ErrorCode.BAD_CHARACTER.code(),
              "unexpected character '" + c + "'; quote strings with straight quotes \" or '",
              1);
      default -> {
        int cp = src.codePointAt(start);
        yield error(
            ErrorCode.BAD_CHARACTER.code(),
            "unexpected character '" + new String(Character.toChars(cp)) + "'",
            Character.charCount(cp));
      }
    };
  }

  /** Whether a {@code /} here starts a regex: the previous token cannot end an operand. */
  private boolean regexAllowed() {
    if (prev == null) {
      return true;
    }
    return switch (prev.kind()) {
      case NUMBER, PERIOD, STRING, REGEX, RPAREN, RBRACKET -> false;
      // A command word (first word, or first after '|') is followed by an operand.
      case NAME -> prev.isAnyKeyword() || prevPrev == null || prevPrev.kind() == Kind.PIPE;
      default -> true;
    };
  }

  private Token punct(Kind kind, int length) {
    int start = pos;
    pos += length;
    String text = src.substring(start, pos);
    return new Token(kind, text, text, false, null, new Span(start, pos));
  }

  private Token error(String code, String message, int length) {
    int start = pos;
    pos = Math.min(n, pos + length);
    return errorToken(code, message, start, pos);
  }

  private Token errorToken(String code, String message, int start, int end) {
    return new Token(
        Kind.ERROR, src.substring(start, end), message, false, code, new Span(start, end));
  }

  // number = digits ["." digits] [("e"|"E") ["+"|"-"] digits] [unit]
  private Token lexNumber() {
    int start = pos;
    skipDigits();
    if (at(pos) == '.' && isDigit(at(pos + 1))) {
      pos++;
      skipDigits();
    }
    if (at(pos) == 'e' || at(pos) == 'E') {
      int save = pos;
      pos++;
      if (at(pos) == '+' || at(pos) == '-') {
        pos++;
      }
      if (isDigit(at(pos))) {
        skipDigits();
      } else {
        pos = save;
      }
    }
    int numberEnd = pos;
    if (at(pos) == '.' && isDigit(at(pos + 1))) {
      // 10.0.0.1: an address written without quotes.
      while (isDigit(at(pos)) || at(pos) == '.') {
        pos++;
      }
      String text = src.substring(start, pos);
      return errorToken(
          ErrorCode.BAD_NUMBER.code(),
          "'" + text + "' is not a number; if it is a value, quote it: \"" + text + "\"",
          start,
          pos);
    }
    if (isNameChar(at(pos))) {
      int unitStart = pos;
      while (isNameChar(at(pos))) {
        pos++;
      }
      String unit = src.substring(unitStart, pos);
      String text = src.substring(start, pos);
      if (unit.chars().allMatch(ch -> ch < 128 && Character.isLetter(ch))
          && Periods.unit(unit) != null) {
        return new Token(Kind.PERIOD, text, unit, false, null, new Span(start, pos));
      }
      return errorToken(
          ErrorCode.BAD_NUMBER.code(),
          "invalid number '"
              + text
              + "': a number can only be followed by a time unit (ms, s, m, h, d, w, mo, q, y)",
          start,
          pos);
    }
    String text = src.substring(start, numberEnd);
    return new Token(Kind.NUMBER, text, text, false, null, new Span(start, numberEnd));
  }

  // name = segment {"." segment} ; segment = (namechar | "`" {any but "`"} "`") {...}
  private Token lexName() {
    int start = pos;
    StringBuilder name = new StringBuilder();
    boolean quoted = false;
    while (true) {
      while (pos < n) {
        char c = src.charAt(pos);
        if (isNameChar(c)) {
          name.append(c);
          pos++;
        } else if (c == '`') {
          quoted = true;
          int close = pos + 1;
          while (close < n && src.charAt(close) != '`' && src.charAt(close) != '\n') {
            close++;
          }
          if (close >= n || src.charAt(close) != '`') {
            int end = close;
            pos = end;
            return errorToken(ErrorCode.UNTERMINATED.code(), "unterminated `name`", start, end);
          }
          if (close == pos + 1) {
            pos = close + 1;
            return errorToken(ErrorCode.BAD_CHARACTER.code(), "empty name ``", start, pos);
          }
          name.append(src, pos + 1, close);
          pos = close + 1;
        } else {
          break;
        }
      }
      if (at(pos) == '.' && (isNameChar(at(pos + 1)) || at(pos + 1) == '`')) {
        name.append('.');
        pos++;
        continue;
      }
      break;
    }
    return new Token(
        Kind.NAME, src.substring(start, pos), name.toString(), quoted, null, new Span(start, pos));
  }

  // string = '"' {char | escape} '"' | "'" {char | escape} "'"
  private Token lexString() {
    int start = pos;
    char quote = src.charAt(pos++);
    StringBuilder sb = new StringBuilder();
    while (pos < n) {
      char c = src.charAt(pos);
      if (c == quote) {
        pos++;
        return new Token(
            Kind.STRING,
            src.substring(start, pos),
            sb.toString(),
            false,
            null,
            new Span(start, pos));
      }
      if (c == '\\' && pos + 1 < n) {
        char e = src.charAt(pos + 1);
        switch (e) {
          case '"', '\'', '\\', '/' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          default -> sb.append(c).append(e);
        }
        pos += 2;
        continue;
      }
      sb.append(c);
      pos++;
    }
    pos = n;
    return errorToken(ErrorCode.UNTERMINATED.code(), "unterminated string", start, n);
  }

  // regex = "/" {char | "\" char} "/"   (on one line)
  private Token lexRegex() {
    int start = pos;
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < n) {
      char c = src.charAt(pos);
      if (c == '/') {
        pos++;
        return new Token(
            Kind.REGEX,
            src.substring(start, pos),
            sb.toString(),
            false,
            null,
            new Span(start, pos));
      }
      if (c == '\n') {
        break;
      }
      if (c == '\\' && pos + 1 < n && src.charAt(pos + 1) != '\n') {
        char e = src.charAt(pos + 1);
        if (e == '/') {
          sb.append('/');
        } else {
          sb.append(c).append(e);
        }
        pos += 2;
        continue;
      }
      sb.append(c);
      pos++;
    }
    int end = pos > start + 1 && src.charAt(pos - 1) == '\r' ? pos - 1 : pos;
    return errorToken(ErrorCode.UNTERMINATED.code(), "unterminated regex", start, end);
  }

  private void skipDigits() {
    while (isDigit(at(pos))) {
      pos++;
    }
  }

  private char at(int i) {
    return i < n ? src.charAt(i) : '\0';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Letters, digits, {@code _}, {@code @} and {@code $}: what unquoted names are made of. */
  static boolean isNameChar(char c) {
    return c == '_'
        || c == '@'
        || c == '$'
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || isDigit(c)
        || (c > 127 && Character.isLetterOrDigit(c));
  }
}
