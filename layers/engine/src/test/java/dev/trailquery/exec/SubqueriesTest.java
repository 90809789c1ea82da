package dev.trailquery.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trailquery.lang.Parser;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.plan.Planner;
import dev.trailquery.value.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Subqueries} on its own: finding subqueries, picking the column, the values' limit. */
class SubqueriesTest {
  static Expr.InQuery first(String query) {
    return Subqueries.find(Parser.parse(query)).getFirst();
  }

  static Result result(List<String> fields, Object[]... rows) {
    return new Result(fields, Arrays.asList(rows), null, List.of(), List.of());
  }

  @Test
  void subqueriesAreFoundWhereverAnExpressionMayHoldOne() {
    for (String q :
        List.of(
            "filter a in (fields a)",
            "filter x = 1 and a in (fields a)",
            "filter not a in (fields a)",
            "filter not (a in (fields a))",
            "fields if(a in (fields a), 1, 0) as y",
            "fields concat('x', a in (fields a)) as y",
            "filter (a in (fields a)) = true or x = 2",
            "filter (a in (fields a)) in [\"true\"]",
            "filter (a in (fields a)) like /true/")) {
      List<Expr.InQuery> found = Subqueries.find(Parser.parse(q));
      assertThat(found).as(q).hasSize(1);
      assertThat(found.getFirst().source()).as(q).isEqualTo("fields a");
    }
    assertThat(Subqueries.find(Parser.parse("filter a in [1, 2] | fields b"))).isEmpty();
    // a subquery whose subject holds another
    assertThat(Subqueries.find(Parser.parse("filter (a in (fields a)) in (fields b)")))
        .extracting(Expr.InQuery::source)
        .containsExactlyInAnyOrder("fields a", "fields b");
    assertThat(Subqueries.find(Parser.parse("filter a in (fields a) | filter b not in (fields c)")))
        .extracting(Expr.InQuery::source)
        .containsExactly("fields a", "fields c");
  }

  @Test
  void theValuesOfTheOnlyColumnSkipMissingOnesAndShowNumbersAsTheyGroup() {
    Expr.InQuery q = first("filter a in (fields b)");
    Result inner =
        result(
            List.of("b"),
            new Object[] {"x"},
            new Object[] {null},
            new Object[] {2.0},
            new Object[] {"x"},
            new Object[] {new Timestamp(0)});
    // "x" once, 2.0 as "2", the timestamp as its text; the missing value is not a value
    assertThat(Subqueries.values(q, inner, "q"))
        .containsExactlyInAnyOrder("x", "2", Subqueries.text(new Timestamp(0)));
    assertThat(Subqueries.innerColumn(q, Planner.Options.defaults())).isEqualTo("b");
    assertThat(Subqueries.text(2.0)).isEqualTo("2");
    assertThat(Subqueries.text("2.0")).isEqualTo("2.0");
  }

  @Test
  void withSeveralColumnsTheOneNamedLikeTheSubjectHoldsTheValues() {
    Expr.InQuery q = first("filter user in (stats count(*) by user)");
    Result inner =
        result(List.of("user", "count(*)"), new Object[] {"alice", 3.0}, new Object[] {"bob", 1.0});
    assertThat(Subqueries.values(q, inner, "q")).containsExactlyInAnyOrder("alice", "bob");
    assertThat(Subqueries.innerColumn(q, Planner.Options.defaults())).isEqualTo("user");
    // no column of that name: no value (the planner refuses such a query before, TQ2119)
    Expr.InQuery other = first("filter name in (stats count(*) by user)");
    assertThat(Subqueries.values(other, inner, "q")).isEmpty();
    // a subject that is no field: only a one-column result gives values
    Expr.InQuery call = first("filter lower(user) in (stats count(*) by user)");
    assertThat(Subqueries.values(call, inner, "q")).isEmpty();
    assertThat(Subqueries.values(call, result(List.of("u"), new Object[] {"a"}), "q"))
        .containsExactly("a");
  }

  @Test
  void fiftyThousandValuesAreAllowed() {
    Object[][] rows = new Object[Subqueries.MAX_VALUES][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new Object[] {"v" + i};
    }
    assertThat(Subqueries.values(first("filter x in (fields x)"), result(List.of("x"), rows), "q"))
        .hasSize(50_000);
  }

  @Test
  void eachDistinctSubqueryRunsOnceAndAQueryWithoutOneIsLeftAsItIs() {
    Query q = Parser.parse("filter a in (fields a) or b in (fields a) or c in (fields c)");
    List<String> ran = new ArrayList<>();
    Planner.Options o =
        Subqueries.resolve(
            q,
            Planner.Options.defaults(),
            inner -> {
              ran.add(String.join(",", inner.outputFields()));
              return result(List.of("v"), new Object[] {"1"});
            });
    assertThat(ran).containsExactly("a", "c");
    assertThat(o.subqueries())
        .isEqualTo(Map.of("fields a", java.util.Set.of("1"), "fields c", java.util.Set.of("1")));
    Planner.Options none = Planner.Options.defaults();
    assertThat(
            Subqueries.resolve(
                Parser.parse("fields a"),
                none,
                inner -> {
                  throw new AssertionError("no subquery to run");
                }))
        .isSameAs(none);
  }

  @Test
  void aQueryWithoutSubqueriesIsNotRefused() {
    Subqueries.refuse(Parser.parse("filter a in [1] | stats count(*)"), "subscriptions");
    QueryException e =
        catchThrowableOfType(
            QueryException.class,
            () ->
                Subqueries.refuse(
                    Parser.parse("filter x = 1 | filter b in (fields b) and c in (fields c)"),
                    "alarms"));
    assertThat(e.error().code()).isEqualTo("TQ2118");
    assertThat(e.error().message()).startsWith("subqueries cannot be used in alarms:");
    assertThat(e.error().span().start()).isEqualTo("filter x = 1 | filter ".length());
  }
}
