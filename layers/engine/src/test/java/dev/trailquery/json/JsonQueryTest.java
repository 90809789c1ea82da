package dev.trailquery.json;

import static dev.trailquery.json.Fixture.run;
import static dev.trailquery.json.Fixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.lang.QueryException;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.value.JsonValue;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Maps, lists, access, the JSON functions, unnest, expand and split over {@link Fixture}. */
class JsonQueryTest {
  @Test
  void recordArraysAreListsAndTheirTextIsCompactJson() {
    Result r = run("filter eventName = 'AssumeRole' | fields resources, tags");
    assertThat(r.rows().get(0)[0]).isInstanceOf(JsonValue.class);
    assertThat(text(r))
        .containsExactly(
            List.of(
                "[{\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::1:role/a\"}]",
                "[\"x\",\"y\"]"));
  }

  @Test
  void unnestResourcesCountsByType() {
    // by hand: Role 1 (r0), Object 2 (r1, r2), Bucket 2 (r1, r2); r3 has no resources: no row
    Result r = run("unnest resources into r | stats count(*) as n by r.type");
    assertThat(text(r))
        .containsExactly(
            List.of("AWS::IAM::Role", "1"),
            List.of("AWS::S3::Bucket", "2"),
            List.of("AWS::S3::Object", "2"));
  }

  @Test
  void unnestKeepsOtherFieldsAndOrdersElementsWithinARecord() {
    Result r =
        run(
            "unnest resources into r | filter userIdentity.userName = 'bob' | display eventName, r.ARN");
    assertThat(text(r))
        .containsExactly(
            List.of("GetObject", "arn:aws:s3:::b/k"), List.of("GetObject", "arn:aws:s3:::b"));
  }

  @Test
  void arraySizeAndContainsOnRecordFields() {
    Result r =
        run(
            "fields eventName, jsonArraySize(resources) as n, jsonArrayContains(tags, 'y') as y"
                + " | sort eventName");
    assertThat(text(r))
        .containsExactly(
            Arrays.asList("AssumeRole", "1", "1"),
            Arrays.asList("DescribeRegions", null, "0"),
            Arrays.asList("GetObject", "2", "0"),
            Arrays.asList("PutObject", "2", "0"));
  }

  @Test
  void jsonParseOfTheMessageWithAccessSyntax() {
    Result r =
        run(
            "fields jsonParse(@message) as js | filter js.resources[1].type = 'AWS::S3::Bucket'"
                + " | display js.eventName, js.requestParameters.items[0].id, js.`userIdentity`.userName"
                + " | sort js.eventName");
    assertThat(text(r))
        .containsExactly(List.of("GetObject", "i-1", "bob"), List.of("PutObject", "i-3", "alice"));
  }

  @Test
  void jsonParseOfTheMessageReadsOnlyThePathsNeeded() {
    Plan plan =
        Trailquery.compile(
            "fields jsonParse(@message) as js | filter js.eventName = 'GetObject'"
                + " | stats count(*) by js.userIdentity.userName",
            Planner.Options.defaults());
    assertThat(plan.read().needMessage()).isFalse();
    assertThat(plan.read().paths()).containsExactlyInAnyOrder("eventName", "userIdentity.userName");
    Plan direct =
        Trailquery.compile(
            "filter jsonParse(@message).eventName = 'GetObject' | fields eventName",
            Planner.Options.defaults());
    assertThat(direct.read().needMessage()).isFalse();
    // used as a whole, the record's text is read
    Plan whole =
        Trailquery.compile(
            "fields jsonParse(@message) as js | limit 1", Planner.Options.defaults());
    assertThat(whole.read().needMessage()).isTrue();
  }

  @Test
  void jsonParseWholeAndStringify() {
    Result r =
        run(
            "filter eventName = 'DescribeRegions' | fields jsonParse(@message) as js"
                + " | display jsonStringify(js.userIdentity) as u, jsonStringify(js) = @message as same,"
                + " jsonParse('nope') as bad, jsonParse('[1, 2]')[1] as second");
    assertThat(text(r)).containsExactly(Arrays.asList("{\"userName\":\"bob\"}", "1", null, "2"));
  }

  @Test
  void splitGivesAListAndExpandMakesARowPerElement() {
    Result r =
        run(
            "filter eventName = 'AssumeRole' | fields split('a,b,,c', ',') as parts"
                + " | display jsonArraySize(parts) as n, parts[3] as last, jsonStringify(parts) as s");
    assertThat(text(r)).containsExactly(List.of("4", "c", "[\"a\",\"b\",\"\",\"c\"]"));
    Result e = run("expand tags | stats count(*) as n by tags");
    // tags: r0 [x,y], r1 [x], r2 missing (kept as is), r3 [] (no row)
    assertThat(text(e))
        .containsExactly(
            Arrays.asList("x", "2"), Arrays.asList("y", "1"), Arrays.asList(null, "1"));
  }

  @Test
  void unnestOfAParsedListAndOfNonLists() {
    Result r =
        run(
            "filter eventName = 'AssumeRole' | fields jsonParse('{\"events\":[{\"name\":\"a\"},{\"name\":\"b\"}]}') as j"
                + " | unnest j.events into ev | display ev.name");
    assertThat(text(r)).containsExactly(List.of("a"), List.of("b"));
    // a scalar is a one-element list; a missing value gives no row
    assertThat(text(run("unnest eventName into n | stats count(*) as c")))
        .containsExactly(List.of("4"));
    assertThat(text(run("unnest nothere into n | stats count(*) as c")))
        .containsExactly(List.of("0"));
  }

  @Test
  void mapsAndListsAreRefusedWhereLogsInsightsRefusesThem() {
    for (String q :
        List.of(
            "fields jsonParse(@message) as js | stats count(*) by js",
            "fields split(eventName, 'e') as p | sort p",
            "fields split(eventName, 'e') as p | dedup p",
            "fields split(eventName, 'e') as p | stats count_distinct(p)",
            "fields split(eventName, 'e') as p | countFrequent p")) {
      QueryException e =
          catchThrowableOfType(
              QueryException.class, () -> Trailquery.compile(q, Planner.Options.defaults()));
      assertThat(e).as(q).isNotNull();
      assertThat(e.error().code()).as(q).isEqualTo("TQ2113");
      assertThat(e.error().span().text(q)).as(q).isIn("js", "p");
    }
  }

  @Test
  void accessSyntaxErrorsPointAtTheProblem() {
    QueryException e =
        catchThrowableOfType(
            QueryException.class,
            () -> Trailquery.compile("fields a[x]", Planner.Options.defaults()));
    assertThat(e.error().code()).isEqualTo("TQ1003");
  }
}
