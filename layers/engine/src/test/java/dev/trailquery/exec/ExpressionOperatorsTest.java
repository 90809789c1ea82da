package dev.trailquery.exec;

import static dev.trailquery.exec.QueryFeaturesTest.rows;
import static dev.trailquery.exec.QueryFeaturesTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.Trailquery;
import dev.trailquery.lang.Parser;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.ObjectRef;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Operators evaluated on computed values over {@link QueryFeaturesTest}'s five hand-made records
 * (bytes 10, 20, missing, 40, 50; errorCode missing on records 0 and 2): unary minus and {@code
 * not}, {@code + -}, {@code <= >=} between fields, lists with negative numbers, the value (false,
 * not missing) of {@code like} and {@code in} on a missing field, and subqueries over numbers.
 * Expected values are worked out by hand from the table in {@link QueryFeaturesTest}.
 */
class ExpressionOperatorsTest {
  static final String B = "additionalEventData.bytesTransferredOut";

  @Test
  void unaryAndAdditiveOperators() {
    Result r =
        run(
            "filter ispresent("
                + B
                + ") | fields "
                + B
                + " as b | fields b, -b as neg, b + 5 as plus, b - 5 as minus, not (b = 20) as"
                + " not20, not ispresent(errorCode) as noError | sort b asc");
    assertThat(rows(r))
        .containsExactly(
            List.of(10.0, -10.0, 15.0, 5.0, true, true),
            List.of(20.0, -20.0, 25.0, 15.0, false, false),
            List.of(40.0, -40.0, 45.0, 35.0, true, false),
            List.of(50.0, -50.0, 55.0, 45.0, true, false));
  }

  @Test
  void orderingComparisonsBetweenFieldsIncludeTheirBoundary() {
    String base = "fields " + B + " as b, 20 as t, 40 as u | filter ";
    assertThat(count(base + "b <= t")).isEqualTo(2); // 10, 20
    assertThat(count(base + "b < t")).isEqualTo(1); // 10
    assertThat(count(base + "b >= u")).isEqualTo(2); // 40, 50
    assertThat(count(base + "b > u")).isEqualTo(1); // 50
    // the record without bytes compares as false both ways, so only it is neither
    assertThat(count(base + "not (b <= t) and not (b >= t)")).isEqualTo(1);
    assertThat(count(base + "t >= b")).isEqualTo(2);
    assertThat(count(base + "u <= b")).isEqualTo(2);
  }

  private static long count(String query) {
    Result r = run(query + " | stats count(*) as n");
    return ((Double) r.rows().get(0)[0]).longValue();
  }

  @Test
  void listsHoldNegativeNumbers() {
    Result r =
        run("fields -" + B + " as neg | filter neg in [-10, -50, 3] | fields neg | sort neg asc");
    assertThat(rows(r)).containsExactly(List.of(-50.0), List.of(-10.0));
    Result not = run("fields -" + B + " as neg | filter neg not in [-10, -50] | stats count(*)");
    assertThat(not.rows().get(0)[0]).isEqualTo(2.0); // -20, -40 (the missing one is in no list)
  }

  @Test
  void likeAndInOnAMissingFieldAreFalseNotMissing() {
    Result r =
        run(
            "fields errorCode like /Denied$/ as re, errorCode like 'Denied' as sub, errorCode in"
                + " ['AccessDenied'] as listed, errorCode not like /Denied$/ as notRe"
                + " | sort @timestamp asc");
    assertThat(r.rows().stream().map(Arrays::asList).toList())
        .containsExactly(
            Arrays.asList(false, false, false, false), // no errorCode
            Arrays.asList(true, true, true, false), // AccessDenied
            Arrays.asList(false, false, false, false), // no errorCode
            Arrays.asList(false, false, false, true), // NoSuchKey
            Arrays.asList(true, true, true, false)); // AccessDenied
  }

  @Test
  void subqueriesCompareNumbersAsTheyCompareInFilters() {
    // PutObject moved 40 bytes: the one record with 40 bytes
    assertThat(
            rows(
                withSubqueries(
                    "filter "
                        + B
                        + " in (filter eventName = 'PutObject' | fields "
                        + B
                        + ") | fields eventName")))
        .containsExactly(List.of("PutObject"));
    // not in: 10, 20, 50 (the record without bytes is in no list, nor out of one)
    assertThat(
            rows(
                withSubqueries(
                    "filter "
                        + B
                        + " not in (filter eventName = 'PutObject' | fields "
                        + B
                        + ") | stats count(*)")))
        .containsExactly(List.of(3.0));
    // timestamps (not text, not numbers): the one record at 11:45
    assertThat(
            rows(
                withSubqueries(
                    "filter @timestamp in (filter eventName = 'PutObject' | fields @timestamp)"
                        + " | fields eventName")))
        .containsExactly(List.of("PutObject"));
    // as a value: false (not missing) where the field is missing, as for a list
    assertThat(
            withSubqueries(
                    "fields errorCode in (filter eventName = 'GetObject' | fields errorCode) as"
                        + " denied | sort @timestamp asc")
                .rows()
                .stream()
                .map(row -> row[0])
                .toList())
        .containsExactly(false, true, false, false, true);
  }

  static Result withSubqueries(String query) {
    Query q = Parser.parse(query);
    List<Scan.Input> inputs;
    try {
      inputs =
          QueryFeaturesTest.SOURCE.list().stream()
              .map((ObjectRef ref) -> new Scan.Input(QueryFeaturesTest.SOURCE, ref))
              .toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    Planner.Options o =
        Subqueries.resolve(
            q,
            Planner.Options.defaults(),
            inner -> Trailquery.runInputs(inner, inputs, 2, Scan.Listener.NONE));
    return Trailquery.runInputs(Planner.plan(q, o), inputs, 2, Scan.Listener.NONE);
  }
}
