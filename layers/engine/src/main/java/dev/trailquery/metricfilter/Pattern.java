package dev.trailquery.metricfilter;

import com.google.re2j.Matcher;
import dev.trailquery.lang.Span;

/** The AST of a JSON metric-filter pattern. */
public sealed interface Pattern {

  Span span();

  /** The empty pattern: every event matches. */
  record All(Span span) implements Pattern {}

  record And(Pattern left, Pattern right, Span span) implements Pattern {}

  record Or(Pattern left, Pattern right, Span span) implements Pattern {}

  /** {@code selector op value}. */
  record Compare(Selector selector, Op op, Value value, Span span) implements Pattern {}

  /** {@code selector IS NULL|TRUE|FALSE}. */
  record Is(Selector selector, Literal literal, Span span) implements Pattern {}

  /** {@code selector NOT EXISTS}. */
  record NotExists(Selector selector, Span span) implements Pattern {}

  enum Op {
    EQ("="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    final String text;

    Op(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  enum Literal {
    NULL,
    TRUE,
    FALSE
  }

  /** A value on the right of an operator. */
  sealed interface Value {
    Span span();
  }

  /**
   * A string, quoted or bare; {@code *} is a wildcard matching any run of characters (also none).
   * {@code pieces} are the literal parts between the wildcards (one piece when there is none).
   */
  record Str(String text, String[] pieces, boolean quoted, Span span) implements Value {
    /** Glob match of the whole of {@code s}. */
    public boolean matches(String s) {
      if (pieces.length == 1) {
        return s.equals(pieces[0]);
      }
      String first = pieces[0];
      String last = pieces[pieces.length - 1];
      if (s.length() < first.length() + last.length()
          || !s.startsWith(first)
          || !s.endsWith(last)) {
        return false;
      }
      int pos = first.length();
      int end = s.length() - last.length();
      for (int i = 1; i < pieces.length - 1; i++) {
        int at = s.indexOf(pieces[i], pos);
        if (at < 0 || at + pieces[i].length() > end) {
          return false;
        }
        pos = at + pieces[i].length();
      }
      return true;
    }
  }

  /** A number (sign, decimals, exponent). */
  record Num(double value, String text, Span span) implements Value {}

  /** {@code %regex%}: matches when the regex is found anywhere in the value (RE2/J). */
  record Regex(String source, com.google.re2j.Pattern regex, Span span) implements Value {
    public boolean find(String s) {
      Matcher m = regex.matcher(s);
      return m.find();
    }
  }
}
