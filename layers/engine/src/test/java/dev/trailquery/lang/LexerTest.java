package dev.trailquery.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.lang.Token.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {

  private static List<Kind> kinds(String source) {
    return Lexer.tokenize(source).stream().map(Token::kind).toList();
  }

  private static Token only(String source) {
    List<Token> tokens = Lexer.tokenize(source);
    assertThat(tokens).hasSize(2);
    assertThat(tokens.get(1).kind()).isEqualTo(Kind.EOF);
    return tokens.getFirst();
  }

  @Test
  void punctuationAndOperators() {
    assertThat(kinds("| , ( ) [ ] + - * % ^ = != < <= > >= =~ !"))
        .containsExactly(
            Kind.PIPE,
            Kind.COMMA,
            Kind.LPAREN,
            Kind.RPAREN,
            Kind.LBRACKET,
            Kind.RBRACKET,
            Kind.PLUS,
            Kind.MINUS,
            Kind.STAR,
            Kind.PERCENT,
            Kind.CARET,
            Kind.EQ,
            Kind.NE,
            Kind.LT,
            Kind.LE,
            Kind.GT,
            Kind.GE,
            Kind.MATCH,
            Kind.BANG,
            Kind.EOF);
  }

  @Test
  void operatorsNeedNoSpaces() {
    assertThat(kinds("a!=b<=c>=d=~/x/"))
        .containsExactly(
            Kind.NAME,
            Kind.NE,
            Kind.NAME,
            Kind.LE,
            Kind.NAME,
            Kind.GE,
            Kind.NAME,
            Kind.MATCH,
            Kind.REGEX,
            Kind.EOF);
  }

  @Test
  void spansAreHalfOpenOffsets() {
    List<Token> tokens = Lexer.tokenize("ab  != 'x'");
    assertThat(tokens.get(0).span()).isEqualTo(new Span(0, 2));
    assertThat(tokens.get(1).span()).isEqualTo(new Span(4, 6));
    assertThat(tokens.get(2).span()).isEqualTo(new Span(7, 10));
    // End of input: just after the last token, not after trailing blanks or comments.
    assertThat(tokens.get(3).span()).isEqualTo(Span.at(10));
    assertThat(Lexer.tokenize("a  # note\n  ").getLast().span()).isEqualTo(Span.at(1));
    assertThat(Lexer.tokenize("").getLast().span()).isEqualTo(Span.at(0));
  }

  @Test
  void stringEscapes() {
    assertThat(only("\"a\\\"b\"").value()).isEqualTo("a\"b");
    assertThat(only("'it\\'s'").value()).isEqualTo("it's");
    assertThat(only("\"back\\\\slash\"").value()).isEqualTo("back\\slash");
    assertThat(only("\"\\n\\t\\r\"").value()).isEqualTo("\n\t\r");
    assertThat(only("\"a\\/b\"").value()).isEqualTo("a/b");
    // Unknown escapes keep the backslash: "\d" is two characters.
    assertThat(only("\"\\d+\"").value()).isEqualTo("\\d+");
    assertThat(only("'say \"hi\"'").value()).isEqualTo("say \"hi\"");
    assertThat(only("\"it's\"").value()).isEqualTo("it's");
    assertThat(only("\"\"").value()).isEmpty();
    Token t = only("\"requestParameters\\\":{*}\"");
    assertThat(t.value()).isEqualTo("requestParameters\":{*}");
    assertThat(t.text()).isEqualTo("\"requestParameters\\\":{*}\"");
  }

  @Test
  void stringsMaySpanLines() {
    assertThat(only("\"a\nb\"").value()).isEqualTo("a\nb");
  }

  @Test
  void numbers() {
    assertThat(only("42").kind()).isEqualTo(Kind.NUMBER);
    assertThat(only("42").text()).isEqualTo("42");
    assertThat(only("0.5").text()).isEqualTo("0.5");
    assertThat(only("1e3").text()).isEqualTo("1e3");
    assertThat(only("2.5E-2").text()).isEqualTo("2.5E-2");
    assertThat(only("1e+3").text()).isEqualTo("1e+3");
  }

  @Test
  void periods() {
    for (String p : List.of("5m", "1h", "30s", "1hr", "2days", "100ms", "1mo", "1.5h", "7D")) {
      Token t = only(p);
      assertThat(t.kind()).as(p).isEqualTo(Kind.PERIOD);
      assertThat(t.text()).isEqualTo(p);
    }
    assertThat(only("2days").value()).isEqualTo("days");
    assertThat(only("1hr").value()).isEqualTo("hr");
  }

  @Test
  void numberFollowedByOtherLettersIsAnError() {
    Token t = only("5xyz");
    assertThat(t.kind()).isEqualTo(Kind.ERROR);
    assertThat(t.code()).isEqualTo("TQ1006");
    assertThat(t.value()).contains("invalid number '5xyz'");
    assertThat(t.span()).isEqualTo(new Span(0, 4));
    assertThat(only("3des").kind()).isEqualTo(Kind.ERROR);
    assertThat(only("1e").kind()).isEqualTo(Kind.ERROR);
  }

  @Test
  void addressWithoutQuotesIsAnError() {
    Token t = only("10.0.0.1");
    assertThat(t.kind()).isEqualTo(Kind.ERROR);
    assertThat(t.value()).contains("quote it: \"10.0.0.1\"");
  }

  @Test
  void dottedNamesAreOneToken() {
    Token t = only("responseElements.instancesSet.items.0.instanceId");
    assertThat(t.kind()).isEqualTo(Kind.NAME);
    assertThat(t.value()).isEqualTo("responseElements.instancesSet.items.0.instanceId");
    assertThat(only("resources.0.ARN").value()).isEqualTo("resources.0.ARN");
    assertThat(only("@timestamp").value()).isEqualTo("@timestamp");
    assertThat(only("$x_1").value()).isEqualTo("$x_1");
    assertThat(only("@@example.com").value()).isEqualTo("@@example.com");
  }

  @Test
  void backtickNames() {
    Token t = only("`detail-type`");
    assertThat(t.value()).isEqualTo("detail-type");
    assertThat(t.quoted()).isTrue();
    assertThat(only("a.`b-c`").value()).isEqualTo("a.b-c");
    assertThat(only("`a b`.c").value()).isEqualTo("a b.c");
    assertThat(only("@`aws.tag.aws:cloudformation:stack-name`").value())
        .isEqualTo("@aws.tag.aws:cloudformation:stack-name");
    assertThat(only("`and`").isAnyKeyword()).isFalse();
    assertThat(only("`a#b`").value()).isEqualTo("a#b");
  }

  @Test
  void hyphenIsMinusWithoutBackticks() {
    assertThat(kinds("event-name")).containsExactly(Kind.NAME, Kind.MINUS, Kind.NAME, Kind.EOF);
  }

  @Test
  void keywordsAnyCase() {
    assertThat(only("AND").isKeyword("and")).isTrue();
    assertThat(only("Not").isAnyKeyword()).isTrue();
    assertThat(only("by").isAnyKeyword()).isTrue();
    assertThat(only("by.x").isAnyKeyword()).isFalse();
    assertThat(only("filter").isAnyKeyword()).isFalse();
  }

  @Test
  void slashIsRegexWhereAnOperandIsExpected() {
    assertThat(kinds("x like /a/")).containsExactly(Kind.NAME, Kind.NAME, Kind.REGEX, Kind.EOF);
    assertThat(kinds("f(x, /a/)"))
        .containsExactly(
            Kind.NAME, Kind.LPAREN, Kind.NAME, Kind.COMMA, Kind.REGEX, Kind.RPAREN, Kind.EOF);
    assertThat(kinds("filter /a/")).containsExactly(Kind.NAME, Kind.REGEX, Kind.EOF);
    assertThat(kinds("a | filter /a/"))
        .containsExactly(Kind.NAME, Kind.PIPE, Kind.NAME, Kind.REGEX, Kind.EOF);
  }

  @Test
  void slashIsDivisionAfterAnOperand() {
    assertThat(kinds("fields a / b / c"))
        .containsExactly(
            Kind.NAME, Kind.NAME, Kind.SLASH, Kind.NAME, Kind.SLASH, Kind.NAME, Kind.EOF);
    assertThat(kinds("sum(x) / count(*)"))
        .containsExactly(
            Kind.NAME,
            Kind.LPAREN,
            Kind.NAME,
            Kind.RPAREN,
            Kind.SLASH,
            Kind.NAME,
            Kind.LPAREN,
            Kind.STAR,
            Kind.RPAREN,
            Kind.EOF);
    assertThat(kinds("10/2")).containsExactly(Kind.NUMBER, Kind.SLASH, Kind.NUMBER, Kind.EOF);
    assertThat(kinds("5m / 2")).containsExactly(Kind.PERIOD, Kind.SLASH, Kind.NUMBER, Kind.EOF);
  }

  @Test
  void regexEscapes() {
    Token t = only("/a\\/b/");
    assertThat(t.kind()).isEqualTo(Kind.REGEX);
    assertThat(t.value()).isEqualTo("a/b");
    assertThat(only("/\\d+\\.\\d/").value()).isEqualTo("\\d+\\.\\d");
    assertThat(only("/a#b/").value()).isEqualTo("a#b");
    assertThat(only("/(?i)x/").value()).isEqualTo("(?i)x");
  }

  @Test
  void comments() {
    assertThat(kinds("# whole line\nfields a # trailing\n| limit 1 #"))
        .containsExactly(Kind.NAME, Kind.NAME, Kind.PIPE, Kind.NAME, Kind.NUMBER, Kind.EOF);
    assertThat(only("\"a # b\"").value()).isEqualTo("a # b");
  }

  @Test
  void unterminatedThings() {
    Token s = only("\"abc");
    assertThat(s.kind()).isEqualTo(Kind.ERROR);
    assertThat(s.value()).isEqualTo("unterminated string");
    assertThat(s.span()).isEqualTo(new Span(0, 4));
    assertThat(Lexer.tokenize("x like /ab\ny").get(2).value()).isEqualTo("unterminated regex");
    assertThat(only("`abc").value()).isEqualTo("unterminated `name`");
  }

  @Test
  void badCharacters() {
    Token t = Lexer.tokenize("a && b").get(1);
    assertThat(t.kind()).isEqualTo(Kind.ERROR);
    assertThat(t.value()).contains("'&&'").contains("'and'");
    assertThat(Lexer.tokenize("a || b").get(1).value()).contains("'or'");
    assertThat(Lexer.tokenize("\u201cx\u201d").getFirst().value()).contains("straight quotes");
    assertThat(only("{").value()).isEqualTo("unexpected character '{'");
  }
}
