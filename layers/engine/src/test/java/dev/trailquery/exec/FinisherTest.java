package dev.trailquery.exec;

import static dev.trailquery.exec.QueryFeaturesTest.rows;
import static dev.trailquery.exec.QueryFeaturesTest.run;
import static dev.trailquery.exec.QueryFeaturesTest.ts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.Trailquery;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The final stage (what runs after the first {@code stats} or over the kept rows) on {@link
 * QueryFeaturesTest}'s five records; the expected rows are counted from its table by hand.
 */
class FinisherTest {
  static List<String> warningCodes(Result r) {
    return r.warnings().stream().map(Diagnostic::code).toList();
  }

  @Test
  void aFieldNoRecordHasIsNamedInAWarning() {
    Result r = run("filter eventNmae = 'x' | fields eventName");
    assertThat(r.rows()).isEmpty();
    assertThat(r.warnings())
        .filteredOn(d -> d.code().equals("TQ3003"))
        .singleElement()
        .satisfies(d -> assertThat(d.message()).contains("'eventNmae'"));
    // every field of this query is in some record: no warning
    assertThat(warningCodes(run("filter errorCode = 'x' | fields eventName")))
        .doesNotContain("TQ3003");
  }

  @Test
  void withoutAnyRecordNoFieldIsSaidToBeMissing() throws IOException {
    ObjectSource empty =
        new ObjectSource() {
          @Override
          public List<ObjectRef> list() {
            return List.of();
          }

          @Override
          public InputStream open(ObjectRef ref) {
            throw new AssertionError();
          }

          @Override
          public String location() {
            return "none";
          }
        };
    Result r =
        Trailquery.run(
            Trailquery.compile("filter eventNmae = 'x' | limit 20000", Planner.Options.defaults()),
            List.of(empty),
            1,
            Scan.Listener.NONE);
    // the plan's own warnings stay (the limit over the cap), only the unseen field is not said
    assertThat(warningCodes(r)).containsExactly("TQ3004");
  }

  @Test
  void aSecondStatsAggregatesTheGroupsOfTheFirst() {
    // groups: ConsoleLogin 2, GetObject 2, PutObject 1
    assertThat(
            rows(
                run(
                    "stats count(*) as n by eventName"
                        + " | stats sum(n) as total, count(*) as groups, max(n) as most")))
        .containsExactly(List.of(5.0, 3.0, 2.0));
    // by the first's output: two groups of 2, one of 1 (a number as a group key is its text)
    assertThat(rows(run("stats count(*) as n by eventName | stats count(*) as groups by n")))
        .containsExactly(List.of("1", 1.0), List.of("2", 2.0));
  }

  @Test
  void timeGroupsComeNewestFirstOtherKeysAscending() {
    assertThat(rows(run("stats count(*) as n by bin(1h) as hour")))
        .containsExactly(
            List.of(new Timestamp(ts("12:00:00")), 1.0),
            List.of(new Timestamp(ts("11:00:00")), 2.0),
            List.of(new Timestamp(ts("10:00:00")), 2.0));
    assertThat(rows(run("stats count(*) as n by eventName")))
        .containsExactly(
            List.of("ConsoleLogin", 2.0), List.of("GetObject", 2.0), List.of("PutObject", 1.0));
  }

  @Test
  void dedupAfterStatsKeepsTheFirstPerKeyAndEveryRowMissingIt() {
    // half-hour bins, newest first: 12:00 AccessDenied, 11:30 NoSuchKey, 11:00 -, 10:30
    // AccessDenied (a second AccessDenied: dropped), 10:00 -
    assertThat(rows(run("stats count(*) as n by bin(30m) as t, errorCode | dedup errorCode")))
        .containsExactly(
            List.of(new Timestamp(ts("12:00:00")), "AccessDenied", 1.0),
            List.of(new Timestamp(ts("11:30:00")), "NoSuchKey", 1.0),
            Arrays.asList(new Timestamp(ts("11:00:00")), null, 1.0),
            Arrays.asList(new Timestamp(ts("10:00:00")), null, 1.0));
  }

  @Test
  void aLimitAfterStatsCutsTheGroups() {
    assertThat(rows(run("stats count(*) as n by eventName | limit 2")))
        .containsExactly(List.of("ConsoleLogin", 2.0), List.of("GetObject", 2.0));
    assertThat(rows(run("stats count(*) as n by eventName | limit 3"))).hasSize(3);
    assertThat(rows(run("stats count(*) as n by eventName | sort n asc | limit 1")))
        .containsExactly(List.of("PutObject", 1.0));
  }
}
