package dev.trailquery.agg;

import static dev.trailquery.agg.AggTesting.bind;
import static dev.trailquery.agg.AggTesting.call;
import static dev.trailquery.agg.AggTesting.field;
import static dev.trailquery.agg.AggTesting.number;
import static dev.trailquery.agg.AggTesting.star;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.Span;
import dev.trailquery.lang.ast.Expr;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregatesTest {

  private static void assertError(Expr.Call c, String code, String message) {
    assertThatThrownBy(() -> bind(c))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo(code);
              assertThat(e.error().message()).isEqualTo(message);
            });
  }

  @Test
  void namesAreTheCanonicalSpellings() {
    assertThat(Aggregates.names())
        .containsExactly(
            "count",
            "count_distinct",
            "sum",
            "avg",
            "min",
            "max",
            "pct",
            "stddev",
            "variance",
            "earliest",
            "latest",
            "sortsFirst",
            "sortsLast");
    for (String name : Aggregates.names()) {
      assertThat(Aggregates.isAggregate(name)).isTrue();
      assertThat(Aggregates.isAggregate(name.toUpperCase())).isTrue();
    }
    assertThat(Aggregates.isAggregate("countDistinct")).isTrue();
    assertThat(Aggregates.isAggregate("PERCENTILE")).isTrue();
    assertThat(Aggregates.isAggregate("strlen")).isFalse();
    assertThat(Aggregates.isAggregate("values")).isFalse();
    assertThat(Aggregates.isAggregate(null)).isFalse();
  }

  @Test
  void countTakesStarNothingOrAField() {
    BoundAggregate s = bind(star("count"));
    assertThat(s.argument()).isNull();
    assertThat(s.function().name()).isEqualTo("count");
    assertThat(bind(call("count")).argument()).isNull();
    Expr f = field("errorCode");
    assertThat(bind(call("COUNT", f)).argument()).isSameAs(f);
    assertError(
        call("count", field("a"), field("b")),
        "TQ2302",
        "count takes at most one argument: count(*), count() or count(field)");
  }

  @Test
  void oneArgumentAggregatesCheckTheirArity() {
    for (String name : Aggregates.names()) {
      if (name.equals("count") || name.equals("pct")) {
        continue;
      }
      Expr f = field("x");
      BoundAggregate b = bind(call(name, f));
      assertThat(b.argument()).isSameAs(f);
      assertThat(b.function().name()).isEqualTo(name);
      assertError(call(name), "TQ2302", name + " takes one argument: " + name + "(field)");
      assertError(star(name), "TQ2302", name + " takes one argument: " + name + "(field)");
      assertError(
          call(name, f, field("y")), "TQ2302", name + " takes one argument: " + name + "(field)");
    }
  }

  @Test
  void aliasesBindToTheCanonicalAggregate() {
    assertThat(bind(call("countDistinct", field("x"))).function().name())
        .isEqualTo("count_distinct");
    assertThat(bind(call("COUNT_DISTINCT", field("x"))).function())
        .isEqualTo(bind(call("countdistinct", field("x"))).function());
    assertThat(bind(call("percentile", field("x"), number(95))).function())
        .isEqualTo(new Percentile(95));
    assertThat(bind(call("SortsFirst", field("x"))).function().name()).isEqualTo("sortsFirst");
  }

  @Test
  void pctNeedsALiteralPercentileBetween0And100() {
    assertThat(bind(call("pct", field("x"), number(0))).function()).isEqualTo(new Percentile(0));
    assertThat(bind(call("pct", field("x"), number(99.9))).function())
        .isEqualTo(new Percentile(99.9));
    String usage = "pct takes a field and a percentile between 0 and 100";
    assertError(call("pct", field("x")), "TQ2302", usage);
    assertError(call("pct", field("x"), number(50), number(1)), "TQ2302", usage);
    assertError(star("pct"), "TQ2302", usage);
    assertError(call("pct", field("x"), number(100.5)), "TQ2303", usage);
    assertError(
        call("pct", field("x"), new Expr.Unary(Expr.UnaryOp.NEG, number(5), AggTesting.SPAN)),
        "TQ2303",
        usage);
    assertError(
        call("pct", field("x"), new Expr.StringLit("50", AggTesting.SPAN)), "TQ2303", usage);
    assertError(call("pct", field("x"), field("p")), "TQ2303", usage);
  }

  @Test
  void parameterErrorPointsAtTheParameter() {
    Span p = new Span(10, 13);
    Expr.Call c =
        new Expr.Call(
            "pct", List.of(field("x"), new Expr.NumberLit(150, "150", p)), false, new Span(0, 14));
    assertThatThrownBy(() -> bind(c))
        .isInstanceOfSatisfying(
            QueryException.class, e -> assertThat(e.error().span()).isEqualTo(p));
  }

  @Test
  void unknownAndNestedAggregatesAreErrors() {
    assertError(call("median", field("x")), "TQ2301", "unknown aggregate 'median'");
    Expr nested = new Expr.Binary(Expr.BinaryOp.DIV, star("count"), number(2), AggTesting.SPAN);
    assertError(call("sum", nested), "TQ2304", "aggregate 'count' inside another aggregate");
    Expr inFunction = call("abs", call("max", field("x")));
    assertError(call("avg", inFunction), "TQ2304", "aggregate 'max' inside another aggregate");
  }

  @Test
  void boundFunctionsAreValuesAndReadTheirOwnStatesOnly() throws Exception {
    assertThat(AggTesting.fn("sum")).isEqualTo(AggTesting.fn("SUM"));
    assertThat(AggTesting.fn("sum")).isNotEqualTo(AggTesting.fn("avg"));
    Accumulator sum = AggTesting.over(AggTesting.fn("sum"), 1.0, 2.0);
    byte[] image = AggTesting.bytes(sum);
    assertThatThrownBy(() -> AggTesting.read(AggTesting.fn("avg"), image))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("state of sum where one of avg was expected");
    assertThatThrownBy(() -> sum.merge(AggTesting.fn("avg").create()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sum.merge(AggTesting.fn("count").create()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
