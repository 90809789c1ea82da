package dev.trailquery.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trailquery.lang.ast.Command;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.lang.ast.Projection;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.lang.ast.SortKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every command and alias, projection naming, and the static checks on command order. */
class CommandTest {

  static String sx(String query) {
    return AstPrinter.print(Parser.parse(query));
  }

  static Command first(String query) {
    return Parser.parse(query).commands().getFirst();
  }

  static QueryException fails(String query) {
    return catchThrowableOfType(QueryException.class, () -> Parser.parse(query));
  }

  @Test
  void fieldsAndDisplay() {
    assertThat(sx("fields @timestamp, @message")).isEqualTo("(fields @timestamp @message)");
    assertThat(sx("display a, b = 'x' as isX")).isEqualTo("(display a (as (= b \"x\") isX))");
    assertThat(first("display a")).isInstanceOf(Command.Display.class);
    assertThat(first("FIELDS a")).isInstanceOf(Command.Fields.class);
  }

  @Test
  void filterAndWhere() {
    assertThat(sx("filter a = 1")).isEqualTo("(filter (= a 1))");
    assertThat(sx("where a = 1")).isEqualTo("(filter (= a 1))");
    assertThat(first("WHERE a")).isInstanceOf(Command.Filter.class);
    assertThat(first("Filter a")).isInstanceOf(Command.Filter.class);
  }

  @Test
  void stats() {
    assertThat(sx("stats count(*)")).isEqualTo("(stats (count *))");
    assertThat(sx("stats count(*) as Hits by eventName as API, requestParameters.bucketName"))
        .isEqualTo(
            "(stats (as (count *) Hits) (by (as eventName API) requestParameters.bucketName))");
    assertThat(sx("STATS avg(x), max(y) BY bin(5m)"))
        .isEqualTo("(stats (avg x) (max y) (by (bin 5m)))");
    Command.Stats s = (Command.Stats) first("stats count(*)");
    assertThat(s.groupBy()).isEmpty();
  }

  @Test
  void sort() {
    Command.Sort s = (Command.Sort) first("sort a, b asc, c DESC");
    // "sort a, b asc, c DESC": a at 5, b at 8, c at 15
    assertThat(s.keys())
        .containsExactly(
            new SortKey(new Expr.FieldRef("a", new Span(5, 6)), false, false, new Span(5, 6)),
            new SortKey(new Expr.FieldRef("b", new Span(8, 9)), false, true, new Span(8, 13)),
            new SortKey(new Expr.FieldRef("c", new Span(15, 16)), true, true, new Span(15, 21)));
    assertThat(sx("sort @timestamp desc")).isEqualTo("(sort (desc @timestamp))");
    assertThat(sx("sort count(*) asc, x")).isEqualTo("(sort (asc (count *)) x)");
  }

  @Test
  void limitAndHead() {
    assertThat(first("limit 10")).isEqualTo(new Command.Limit(10, new Span(0, 8)));
    assertThat(first("head 5")).isEqualTo(new Command.Limit(5, new Span(0, 6)));
    assertThat(sx("LIMIT 10000")).isEqualTo("(limit 10000)");
  }

  @Test
  void parseWithGlob() {
    String q = "parse @message \"[*] * The error was: *\" as level, config, exception";
    Command.Parse p = (Command.Parse) first(q);
    assertThat(p.source()).isEqualTo(new Expr.FieldRef("@message", new Span(6, 14)));
    assertThat(p.glob()).isEqualTo(new Expr.StringLit("[*] * The error was: *", new Span(15, 39)));
    assertThat(p.regex()).isNull();
    assertThat(p.names())
        .containsExactly(
            new Command.Name("level", new Span(43, 48)),
            new Command.Name("config", new Span(50, 56)),
            new Command.Name("exception", new Span(58, 67)));
    assertThat(p.span()).isEqualTo(new Span(0, 67));
    assertThat(sx("PARSE @message 'user=*' AS @user"))
        .isEqualTo("(parse @message \"user=*\" (as @user))");
  }

  @Test
  void parseWithEscapedQuoteInGlob() {
    Command.Parse p =
        (Command.Parse) first("parse @message \"requestParameters\\\":{*}\" as dbChanges");
    assertThat(p.glob().value()).isEqualTo("requestParameters\":{*}");
    assertThat(p.names()).extracting(Command.Name::name).containsExactly("dbChanges");
  }

  @Test
  void parseWithRegex() {
    String q = "parse @message /(?<user>\\w+)@(?<domain>[^ \\/]+)/";
    Command.Parse p = (Command.Parse) first(q);
    assertThat(p.glob()).isNull();
    assertThat(p.regex())
        .isEqualTo(new Expr.RegexLit("(?<user>\\w+)@(?<domain>[^ /]+)", new Span(15, 48)));
    assertThat(p.names())
        .containsExactly(
            new Command.Name("user", new Span(19, 23)),
            new Command.Name("domain", new Span(32, 38)));
    assertThat(sx("parse f /(?P<a>x)(y)(?<b>z)/ | fields a"))
        .isEqualTo("(parse f /(?P<a>x)(y)(?<b>z)/ (as a b)) | (fields a)");
    // '(' inside a character class and an escaped '(' do not start groups.
    assertThat(sx("parse f /[(?<no>]\\(?<no2>(?<yes>.)/"))
        .isEqualTo("(parse f /[(?<no>]\\(?<no2>(?<yes>.)/ (as yes))");
  }

  @Test
  void parseSourceMayBeACall() {
    assertThat(sx("parse tolower(@message) /(?<x>a)/"))
        .isEqualTo("(parse (tolower @message) /(?<x>a)/ (as x))");
  }

  @Test
  void dedup() {
    Command.Dedup d = (Command.Dedup) first("dedup a, b.c");
    assertThat(d.fields())
        .containsExactly(
            new Expr.FieldRef("a", new Span(6, 7)), new Expr.FieldRef("b.c", new Span(9, 12)));
    assertThat(sx("DEDUP `x-y`")).isEqualTo("(dedup `x-y`)");
  }

  @Test
  void projectionNames() {
    Command.Stats s =
        (Command.Stats)
            first(
                "stats count(*), count(), sum(x) / count(*), count( * ), max(a) as m"
                    + " by bin(1h), b.c, (d)");
    assertThat(s.aggregates())
        .extracting(Projection::name)
        .containsExactly("count(*)", "count()", "sum(x) / count(*)", "count( * )", "m");
    assertThat(s.groupBy()).extracting(Projection::name).containsExactly("bin(1h)", "b.c", "d");
    assertThat(s.aggregates())
        .extracting(Projection::alias)
        .containsExactly(null, null, null, null, "m");

    Command.Fields f =
        (Command.Fields) first("fields (a + b), a + b as s, `detail-type`, x as `my-x`");
    assertThat(f.items())
        .extracting(Projection::name)
        .containsExactly("(a + b)", "s", "detail-type", "my-x");
  }

  @Test
  void projectionSpans() {
    Command.Fields f = (Command.Fields) first("fields x as y, (a)");
    // "fields x as y, (a)": x at 7, y at 12, '(' at 15, ')' at 17
    assertThat(f.items())
        .containsExactly(
            new Projection(new Expr.FieldRef("x", new Span(7, 8)), "y", "y", new Span(7, 13)),
            new Projection(new Expr.FieldRef("a", new Span(16, 17)), null, "a", new Span(15, 18)));
  }

  @Test
  void commandSpans() {
    Query q = Parser.parse("fields a, b | filter x");
    assertThat(q.commands())
        .extracting(Command::span)
        .containsExactly(new Span(0, 11), new Span(14, 22));
    // Comments and newlines are not part of a command's span.
    Query q2 = Parser.parse("fields a # one\n| limit 2 # two\n");
    assertThat(q2.commands())
        .extracting(Command::span)
        .containsExactly(new Span(0, 8), new Span(17, 24));
  }

  @Test
  void commentsAndNewlines() {
    assertThat(
            sx(
                "#Retrieve the most recent CloudTrail events\nfields @timestamp, @message # all\n"
                    + "| sort @timestamp desc\n  # between\n| limit 2"))
        .isEqualTo("(fields @timestamp @message) | (sort (desc @timestamp)) | (limit 2)");
    assertThat(sx("filter a = \"#x\" and b like /#y/ and `#z` = 1"))
        .isEqualTo("(filter (and (and (= a \"#x\") (like b /#y/)) (= `#z` 1)))");
  }

  @Test
  void queryKeepsSource() {
    Query q = Parser.parse("fields a");
    assertThat(q.source()).isEqualTo("fields a");
    assertThat(q.warnings()).isEmpty();
  }

  @Test
  void sortAndLimitMustFollowTheLastStats() {
    QueryException e = fails("stats count(*) by x | sort x | stats count(*)");
    assertThat(e.diagnostics()).hasSize(1);
    assertThat(e.error().code()).isEqualTo("TQ2001");
    assertThat(e.error().message()).isEqualTo("sort must come after the last stats");
    assertThat(e.error().span()).isEqualTo(new Span(22, 28));

    QueryException l = fails("limit 5 | stats count(*)");
    assertThat(l.error().message()).isEqualTo("limit must come after the last stats");
    assertThat(l.error().span()).isEqualTo(new Span(0, 7));

    assertThat(fails("sort a | head 1 | stats count(*)").diagnostics())
        .extracting(Diagnostic::code)
        .containsExactly("TQ2001", "TQ2001");

    assertThat(sx("stats count(*) as n by x | stats sum(n) as t | sort t | limit 1"))
        .isEqualTo(
            "(stats (as (count *) n) (by x)) | (stats (as (sum n) t)) | (sort t) | (limit 1)");
  }

  @Test
  void onlyLimitMayFollowDedup() {
    QueryException e = fails("dedup a | filter b");
    assertThat(e.error().code()).isEqualTo("TQ2002");
    assertThat(e.error().message()).contains("'filter' cannot follow dedup");
    assertThat(e.error().span()).isEqualTo(new Span(10, 18));
    assertThat(fails("sort x | dedup a | sort a").error().code()).isEqualTo("TQ2002");
    assertThat(sx("sort x | dedup a | limit 1")).isEqualTo("(sort x) | (dedup a) | (limit 1)");
  }

  @Test
  void atMostTenStats() {
    String ten = String.join(" | ", java.util.Collections.nCopies(10, "stats count(*) as n by n"));
    assertThat(Parser.parse(ten).commands()).hasSize(10);
    QueryException e = fails(ten + " | stats count(*)");
    assertThat(e.error().code()).isEqualTo("TQ2003");
    // the eleventh command starts after ten commands of 24 characters and ten " | "
    assertThat(e.error().span()).isEqualTo(new Span(270, 284));
  }

  @Test
  void emptyQuery() {
    for (String q : List.of("", "   \n ", "# only a comment\n# and another")) {
      QueryException e = fails(q);
      assertThat(e.error().code()).as(q).isEqualTo("TQ2004");
      assertThat(e.error().message()).isEqualTo("expected a command");
    }
  }
}
