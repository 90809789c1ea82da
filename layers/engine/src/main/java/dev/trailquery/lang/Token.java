package dev.trailquery.lang;

import java.util.Locale;
import java.util.Set;

/**
 * One token of a query, as the {@link Lexer} produces it.
 *
 * @param kind what the token is
 * @param text the source text it covers, exactly as written
 * @param value the meaning: a field name without backticks, a string with its escapes resolved, a
 *     regex pattern with {@code \/} turned into {@code /}, the unit of a period; for an {@link
 *     Kind#ERROR} token, the error message
 * @param quoted for a {@link Kind#NAME}, whether any part of it was written in backticks (then it
 *     is never a keyword nor a function name); for an {@link Kind#ERROR}, unused
 * @param code for an {@link Kind#ERROR} token, its diagnostic code; otherwise null
 * @param span where it is in the source
 */
public record Token(Kind kind, String text, String value, boolean quoted, String code, Span span) {

  /** Words with a meaning of their own in expressions; backticks make them field names again. */
  public static final Set<String> KEYWORDS =
      Set.of("and", "or", "not", "like", "in", "as", "by", "asc", "desc");

  public enum Kind {
    NAME,
    NUMBER,
    PERIOD,
    STRING,
    REGEX,
    PIPE,
    COMMA,
    LPAREN,
    RPAREN,
    LBRACKET,
    RBRACKET,
    PLUS,
    MINUS,
    STAR,
    SLASH,
    PERCENT,
    CARET,
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    MATCH,
    BANG,
    /** {@code .} between an access and a key: {@code x[0].name}, {@code jsonParse(s).a}. */
    DOT,
    EOF,
    ERROR
  }

  public int start() {
    return span.start();
  }

  public int end() {
    return span.end();
  }

  /** Whether this is the keyword {@code word} (lower case), written in any case, unquoted. */
  public boolean isKeyword(String word) {
    return kind == Kind.NAME && !quoted && text.equalsIgnoreCase(word);
  }

  /** Whether this is any keyword (see {@link #KEYWORDS}). */
  public boolean isAnyKeyword() {
    return kind == Kind.NAME && !quoted && KEYWORDS.contains(text.toLowerCase(Locale.ROOT));
  }

  /** A name that may be used as a field: not a keyword. */
  public boolean isFieldName() {
    return kind == Kind.NAME && !isAnyKeyword();
  }

  /** How an error message refers to this token: {@code ')'}, {@code end of query}. */
  public String describe() {
    return switch (kind) {
      case EOF -> "end of query";
      case STRING -> "string " + abbreviate(text);
      case REGEX -> "regex " + abbreviate(text);
      case NUMBER, PERIOD -> "number " + abbreviate(text);
      default -> "'" + abbreviate(text) + "'";
    };
  }

  private static String abbreviate(String s) {
    String oneLine = s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 37) + "...";
  }
}
