package dev.trailquery.json;

import static dev.trailquery.json.Fixture.run;
import static dev.trailquery.json.Fixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.exec.Subqueries;
import dev.trailquery.lang.Parser;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.lookup.LookupTable;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** countFrequent, lookup and subqueries over {@link Fixture}, with hand-counted answers. */
class CommandsTest {
  static Planner.Options withTable(String name, String csv) throws Exception {
    return Planner.Options.defaults()
        .withLookups(Map.of(name, LookupTable.parse(name, csv.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void countFrequentCountsCombinationsHighestFirst() {
    // users: alice 2 (r0, r2), bob 2 (r1, r3); by user and tag presence
    Result r = run("countFrequent userIdentity.userName");
    assertThat(r.fields()).containsExactly("userIdentity.userName", "_approxcount");
    assertThat(text(r)).containsExactly(List.of("alice", "2"), List.of("bob", "2"));
    Result r2 =
        run("unnest resources into res | countFrequent res.type, userIdentity.userName as u");
    assertThat(text(r2))
        .containsExactly(
            List.of("AWS::IAM::Role", "alice", "1"),
            List.of("AWS::S3::Bucket", "alice", "1"),
            List.of("AWS::S3::Bucket", "bob", "1"),
            List.of("AWS::S3::Object", "alice", "1"),
            List.of("AWS::S3::Object", "bob", "1"));
    // sort and limit may follow it
    assertThat(text(run("countFrequent eventName | limit 1"))).hasSize(1);
  }

  @Test
  void lookupOutputAndOutputNew() throws Exception {
    Planner.Options o =
        withTable(
            "people",
            "user,team,email\nalice,red,a@example.com\n\"bob\",\"blue, green\",b@example.com\n");
    Result r =
        run(
            "lookup people user as userIdentity.userName OUTPUT team"
                + " | stats count(*) as n by team",
            o);
    assertThat(text(r)).containsExactly(List.of("blue, green", "2"), List.of("red", "2"));
    // OUTPUTNEW keeps a value the record already has; OUTPUT overwrites it (missing on no match)
    Result kept =
        run(
            "fields 'x' as team, eventName | lookup people user as userIdentity.userName OUTPUTNEW team"
                + " | display eventName, team | sort eventName",
            o);
    assertThat(text(kept).stream().map(l -> l.get(1)).distinct().toList()).containsExactly("x");
    Result none =
        run("fields 'x' as team | lookup people user as eventName OUTPUT team | display team", o);
    assertThat(text(none).stream().map(l -> l.get(0)).distinct().toList())
        .containsExactly((String) null);
  }

  @Test
  void lookupErrorsNameTheTableAndColumn() throws Exception {
    Planner.Options o = withTable("people", "user,team\nalice,red\n");
    String q1 = "lookup nobody user OUTPUT team";
    QueryException e1 = catchThrowableOfType(QueryException.class, () -> Trailquery.compile(q1, o));
    assertThat(e1.error().code()).isEqualTo("TQ2114");
    assertThat(e1.error().span().text(q1)).isEqualTo("nobody");
    String q2 = "lookup people user OUTPUT colour";
    QueryException e2 = catchThrowableOfType(QueryException.class, () -> Trailquery.compile(q2, o));
    assertThat(e2.error().code()).isEqualTo("TQ2115");
    assertThat(e2.error().span().text(q2)).isEqualTo("colour");
    assertThat(e2.error().message()).contains("user, team");
  }

  @Test
  void lookupTableVersionIsPartOfThePlan() throws Exception {
    Plan a =
        Trailquery.compile(
            "lookup people user OUTPUT team", withTable("people", "user,team\na,1\n"));
    Plan b =
        Trailquery.compile(
            "lookup people user OUTPUT team", withTable("people", "user,team\na,2\n"));
    assertThat(a.lookupTables()).hasSize(1);
    assertThat(a.lookupTables().getFirst()).startsWith("people@");
    assertThat(a.lookupTables()).isNotEqualTo(b.lookupTables());
    assertThat(a.fingerprint()).isNotEqualTo(b.fingerprint());
  }

  @Test
  void csvErrorsSayWhere() {
    for (String[] c :
        new String[][] {
          {"a,b\n1\n", "line 2"},
          {"a,a\n1,2\n", "twice"},
          {"a,b\n\"1,2\n", "unterminated"},
          {"", "header"}
        }) {
      Exception e =
          catchThrowableOfType(
              LookupTable.InvalidTableException.class,
              () -> LookupTable.parse("t", c[0].getBytes(StandardCharsets.UTF_8)));
      assertThat(e).as(c[0]).isNotNull();
      assertThat(e.getMessage()).as(c[0]).contains(c[1]);
    }
  }

  static Result runWithSubqueries(String query) {
    Query q = Parser.parse(query);
    Planner.Options o =
        Subqueries.resolve(
            q,
            Planner.Options.defaults(),
            inner -> Trailquery.runInputs(inner, inputs(), 2, Scan.Listener.NONE));
    return Trailquery.runInputs(Planner.plan(q, o), inputs(), 2, Scan.Listener.NONE);
  }

  static List<Scan.Input> inputs() {
    return listed().stream().map(r -> new Scan.Input(Fixture.SOURCE, r)).toList();
  }

  static List<dev.trailquery.store.ObjectRef> listed() {
    try {
      return Fixture.SOURCE.list();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void subqueryRunsTheInnerQueryFirst() {
    // users who touched an S3 bucket: alice (r2) and bob (r1); their events: all 4
    Result r =
        runWithSubqueries(
            "filter userIdentity.userName in (unnest resources into r | filter r.type ="
                + " 'AWS::S3::Bucket' | fields userIdentity.userName) | stats count(*) as n");
    assertThat(text(r)).containsExactly(List.of("4"));
    // users with an IAM resource: alice; not in: bob's 2 events
    Result not =
        runWithSubqueries(
            "filter userIdentity.userName not in (unnest resources into r | filter r.type ="
                + " 'AWS::IAM::Role' | stats count(*) by userIdentity.userName)"
                + " | stats count(*) as n by userIdentity.userName");
    assertThat(text(not)).containsExactly(Arrays.asList("bob", "2"));
  }

  @Test
  void subqueryErrors() {
    String nested = "filter a in (filter b in (fields c) | fields a)";
    QueryException e = catchThrowableOfType(QueryException.class, () -> Parser.parse(nested));
    assertThat(e.error().code()).isEqualTo("TQ1012");
    String unresolved = "filter eventName in (fields eventName)";
    QueryException u =
        catchThrowableOfType(
            QueryException.class, () -> Trailquery.compile(unresolved, Planner.Options.defaults()));
    assertThat(u.error().code()).isEqualTo("TQ2116");
    QueryException refused =
        catchThrowableOfType(
            QueryException.class,
            () -> Subqueries.refuse(Parser.parse(unresolved), "subscriptions"));
    assertThat(refused.error().code()).isEqualTo("TQ2118");
    assertThat(refused.error().span().text(unresolved)).startsWith("eventName in (");
    String two = "filter userIdentity.userName in (fields eventName, @timestamp)";
    QueryException t = catchThrowableOfType(QueryException.class, () -> runWithSubqueries(two));
    assertThat(t.error().code()).isEqualTo("TQ2119");
  }

  @Test
  void moreThanFiftyThousandInnerValuesIsAnErrorWithTheCount() {
    // 50,001 distinct values, counted from the inner result
    Object[][] rows = new Object[Subqueries.MAX_VALUES + 1][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new Object[] {"v" + i};
    }
    Result inner = new Result(List.of("x"), Arrays.asList(rows), null, List.of(), List.of());
    String q = "filter x in (fields x)";
    var sub = Subqueries.find(Parser.parse(q)).getFirst();
    QueryException e =
        catchThrowableOfType(QueryException.class, () -> Subqueries.values(sub, inner, q));
    assertThat(e.error().code()).isEqualTo("TQ2117");
    assertThat(e.error().message()).contains("50001");
  }
}
