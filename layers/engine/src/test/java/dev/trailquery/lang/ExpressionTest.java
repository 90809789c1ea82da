package dev.trailquery.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.lang.ast.Command;
import dev.trailquery.lang.ast.Expr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expressions, parsed as the condition of a filter; expected trees are written by hand. */
class ExpressionTest {

  static Expr expr(String text) {
    Command c = Parser.parse("filter " + text).commands().getFirst();
    return ((Command.Filter) c).condition();
  }

  static String sx(String text) {
    return AstPrinter.print(expr(text));
  }

  @Test
  void precedenceOfBooleanOperators() {
    assertThat(sx("a or b and not c = 1")).isEqualTo("(or a (and b (not (= c 1))))");
    assertThat(sx("a and b or c")).isEqualTo("(or (and a b) c)");
    assertThat(sx("not a or b")).isEqualTo("(or (not a) b)");
    assertThat(sx("not a and b")).isEqualTo("(and (not a) b)");
    assertThat(sx("not not a")).isEqualTo("(not (not a))");
    assertThat(sx("a or b or c")).isEqualTo("(or (or a b) c)");
    assertThat(sx("a and b and c")).isEqualTo("(and (and a b) c)");
    assertThat(sx("(a or b) and c")).isEqualTo("(and (or a b) c)");
  }

  @Test
  void bangIsNot() {
    assertThat(sx("!ispresent(x)")).isEqualTo("(not (ispresent x))");
    assertThat(sx("!ispresent(x) and y")).isEqualTo("(and (not (ispresent x)) y)");
    assertThat(sx("! a = 1")).isEqualTo("(not (= a 1))");
    assertThat(sx("a + !b")).isEqualTo("(+ a (not b))");
    assertThat(expr("!x")).isInstanceOf(Expr.Unary.class);
    assertThat(((Expr.Unary) expr("!x")).op()).isEqualTo(Expr.UnaryOp.NOT);
  }

  @Test
  void notBindsLooserThanComparison() {
    assertThat(sx("not x in [\"a\"]")).isEqualTo("(not (in x [\"a\"]))");
    assertThat(sx("not a = b")).isEqualTo("(not (= a b))");
  }

  @Test
  void comparisons() {
    assertThat(sx("a = 1")).isEqualTo("(= a 1)");
    assertThat(sx("a != 'x'")).isEqualTo("(!= a \"x\")");
    assertThat(sx("a < 1 or a <= 2 or a > 3 or a >= 4"))
        .isEqualTo("(or (or (or (< a 1) (<= a 2)) (> a 3)) (>= a 4))");
    assertThat(sx("a = 1 and b != 2")).isEqualTo("(and (= a 1) (!= b 2))");
    assertThat(sx("a + b = c * d")).isEqualTo("(= (+ a b) (* c d))");
    assertThat(sx("eventSource='kms.amazonaws.com'"))
        .isEqualTo("(= eventSource \"kms.amazonaws.com\")");
  }

  @Test
  void comparisonsDoNotChain() {
    assertThatThrownBy(() -> expr("a = 1 = 2"))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("unexpected '='")
        .hasMessageContaining("do not chain");
    assertThatThrownBy(() -> expr("a < b like \"x\"")).isInstanceOf(QueryException.class);
    assertThat(sx("(a = 1) = (b = 2)")).isEqualTo("(= (= a 1) (= b 2))");
  }

  @Test
  void arithmetic() {
    assertThat(sx("a + b * c")).isEqualTo("(+ a (* b c))");
    assertThat(sx("a - b - c")).isEqualTo("(- (- a b) c)");
    assertThat(sx("a * b / c % d")).isEqualTo("(% (/ (* a b) c) d)");
    assertThat(sx("(a + b) * c")).isEqualTo("(* (+ a b) c)");
    assertThat(sx("a-b")).isEqualTo("(- a b)");
    assertThat(sx("10/2")).isEqualTo("(/ 10 2)");
    assertThat(sx("(a) / 2 / b")).isEqualTo("(/ (/ a 2) b)");
    assertThat(sx("sum(x) / count(*)")).isEqualTo("(/ (sum x) (count *))");
  }

  @Test
  void powerIsRightAssociativeAndBindsTighterThanMultiplication() {
    assertThat(sx("2 ^ 3 ^ 2")).isEqualTo("(^ 2 (^ 3 2))");
    assertThat(sx("a * b ^ c")).isEqualTo("(* a (^ b c))");
    assertThat(sx("a ^ b * c")).isEqualTo("(* (^ a b) c)");
  }

  @Test
  void unaryMinusBindsTighterThanPower() {
    assertThat(sx("-a ^ 2")).isEqualTo("(^ (- a) 2)");
    assertThat(sx("-2 * 3")).isEqualTo("(* (- 2) 3)");
    assertThat(sx("- - a")).isEqualTo("(- (- a))");
    assertThat(sx("a - -1")).isEqualTo("(- a (- 1))");
    assertThat(((Expr.Unary) expr("-a")).op()).isEqualTo(Expr.UnaryOp.NEG);
  }

  @Test
  void like() {
    assertThat(sx("x like \"abc\"")).isEqualTo("(like x \"abc\")");
    assertThat(sx("x like 'abc'")).isEqualTo("(like x \"abc\")");
    assertThat(sx("x not like /^a/")).isEqualTo("(not-like x /^a/)");
    assertThat(sx("x LIKE /(?i)a/")).isEqualTo("(like x /(?i)a/)");
    Expr.Like like = (Expr.Like) expr("x like /a/");
    assertThat(like.negated()).isFalse();
    assertThat(like.pattern()).isEqualTo(new Expr.RegexLit("a", new Span(14, 17)));
    Expr.Like notLike = (Expr.Like) expr("x not like 'a'");
    assertThat(notLike.negated()).isTrue();
    assertThat(notLike.pattern()).isInstanceOf(Expr.StringLit.class);
  }

  @Test
  void matchOperatorIsLikeWithRegex() {
    Expr.Like like = (Expr.Like) expr("x =~ /a.b/");
    assertThat(like.negated()).isFalse();
    assertThat(like.subject()).isEqualTo(new Expr.FieldRef("x", new Span(7, 8)));
    assertThat(like.pattern()).isEqualTo(new Expr.RegexLit("a.b", new Span(12, 17)));
    assertThat(like.span()).isEqualTo(new Span(7, 17));
    assertThat(sx("x=~/y/")).isEqualTo("(like x /y/)");
  }

  @Test
  void in() {
    assertThat(sx("x in [\"a\", 1, -2.5]")).isEqualTo("(in x [\"a\" 1 -2.5])");
    assertThat(sx("x not in []")).isEqualTo("(not-in x [])");
    assertThat(sx("x IN ['a']")).isEqualTo("(in x [\"a\"])");
    Expr.In in = (Expr.In) expr("x in [1, -2]");
    assertThat(in.negated()).isFalse();
    // "filter x in [1, -2]": '[' at 12, '-' at 16, ']' at 18
    assertThat(in.list().span()).isEqualTo(new Span(12, 19));
    assertThat(in.list().items())
        .containsExactly(
            new Expr.NumberLit(1, "1", new Span(13, 14)),
            new Expr.NumberLit(-2, "-2", new Span(16, 18)));
    assertThat(((Expr.In) expr("x not in [1]")).negated()).isTrue();
  }

  @Test
  void literals() {
    assertThat(expr("'a\\'b'")).isEqualTo(new Expr.StringLit("a'b", new Span(7, 13)));
    assertThat(expr("\"\\d\"")).isEqualTo(new Expr.StringLit("\\d", new Span(7, 11)));
    assertThat(expr("42")).isEqualTo(new Expr.NumberLit(42, "42", new Span(7, 9)));
    assertThat(expr("0.5")).isEqualTo(new Expr.NumberLit(0.5, "0.5", new Span(7, 10)));
    assertThat(expr("1e3")).isEqualTo(new Expr.NumberLit(1000, "1e3", new Span(7, 10)));
    assertThat(expr("5m")).isEqualTo(new Expr.PeriodLit(5, "m", new Span(7, 9)));
    assertThat(expr("1hr")).isEqualTo(new Expr.PeriodLit(1, "hr", new Span(7, 10)));
    assertThat(expr("2days")).isEqualTo(new Expr.PeriodLit(2, "days", new Span(7, 12)));
    assertThat(expr("30s")).isEqualTo(new Expr.PeriodLit(30, "s", new Span(7, 10)));
    assertThat(expr("1.5h")).isEqualTo(new Expr.PeriodLit(1.5, "h", new Span(7, 11)));
    assertThat(expr("/a\\/b/")).isEqualTo(new Expr.RegexLit("a/b", new Span(7, 13)));
    assertThat(sx("\"a\\\"b\\nc\"")).isEqualTo("\"a\\\"b\\nc\"");
  }

  @Test
  void fieldNames() {
    assertThat(expr("resources.0.ARN"))
        .isEqualTo(new Expr.FieldRef("resources.0.ARN", new Span(7, 22)));
    assertThat(expr("`detail-type`")).isEqualTo(new Expr.FieldRef("detail-type", new Span(7, 20)));
    assertThat(expr("a.`b-c`")).isEqualTo(new Expr.FieldRef("a.b-c", new Span(7, 14)));
    assertThat(expr("@timestamp")).isEqualTo(new Expr.FieldRef("@timestamp", new Span(7, 17)));
    assertThat(sx("`detail-type` = 'x'")).isEqualTo("(= `detail-type` \"x\")");
    assertThat(sx("`and` and `not`")).isEqualTo("(and `and` `not`)");
    assertThat(sx("userIdentity.sessionContext.sessionIssuer.userName"))
        .isEqualTo("userIdentity.sessionContext.sessionIssuer.userName");
  }

  @Test
  void calls() {
    Expr.Call star = (Expr.Call) expr("count(*)");
    assertThat(star.star()).isTrue();
    assertThat(star.args()).isEmpty();
    assertThat(star.span()).isEqualTo(new Span(7, 15));
    Expr.Call empty = (Expr.Call) expr("count()");
    assertThat(empty.star()).isFalse();
    assertThat(empty.args()).isEmpty();
    assertThat(sx("count()")).isEqualTo("(count)");
    assertThat(sx("concat(a, \"-\", b)")).isEqualTo("(concat a \"-\" b)");
    assertThat(sx("regexReplace(f, /x/, \"y\")")).isEqualTo("(regexReplace f /x/ \"y\")");
    assertThat(sx("isValidIpV4(ip)")).isEqualTo("(isValidIpV4 ip)");
    assertThat(sx("bin(5m)")).isEqualTo("(bin 5m)");
    assertThat(sx("f(g(x), -1)")).isEqualTo("(f (g x) (- 1))");
    assertThat(sx("count (*)")).isEqualTo("(count *)");
    assertThat(((Expr.Call) expr("ISPRESENT(x)")).name()).isEqualTo("ISPRESENT");
    // A backtick name followed by '(' is not a call.
    assertThatThrownBy(() -> expr("`f`(x)")).isInstanceOf(QueryException.class);
  }

  @Test
  void keywordsAreCaseInsensitive() {
    assertThat(sx("a AND b Or NOT c")).isEqualTo("(or (and a b) (not c))");
    assertThat(sx("x NOT LIKE 'y'")).isEqualTo("(not-like x \"y\")");
    assertThat(sx("x Not In [1]")).isEqualTo("(not-in x [1])");
  }

  @Test
  void spans() {
    // "filter (a + b) * c": '(' at 7, 'a' at 8, 'b' at 12, ')' at 13, 'c' at 17
    Expr.Binary mul = (Expr.Binary) expr("(a + b) * c");
    assertThat(mul.span()).isEqualTo(new Span(7, 18));
    assertThat(mul.left().span()).isEqualTo(new Span(8, 13));
    Expr.Unary not = (Expr.Unary) expr("not x");
    assertThat(not.span()).isEqualTo(new Span(7, 12));
    Expr.Binary or = (Expr.Binary) expr("a or b or c");
    assertThat(or.span()).isEqualTo(new Span(7, 18));
    assertThat(((Expr.Binary) or.left()).span()).isEqualTo(new Span(7, 13));
  }

  @Test
  void printerRendersEveryNodeKind() {
    List<String> cases =
        List.of(
            "x in [\"a\", 2]",
            "-x + f(*) - g()",
            "a like /x\\/y/",
            "bin(1h) = 2days",
            "not (a ^ b % c)");
    List<String> expected =
        List.of(
            "(in x [\"a\" 2])",
            "(- (+ (- x) (f *)) (g))",
            "(like a /x\\/y/)",
            "(= (bin 1h) 2days)",
            "(not (% (^ a b) c))");
    for (int i = 0; i < cases.size(); i++) {
      assertThat(sx(cases.get(i))).as(cases.get(i)).isEqualTo(expected.get(i));
    }
  }
}
