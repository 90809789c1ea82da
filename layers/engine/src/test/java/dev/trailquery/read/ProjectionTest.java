package dev.trailquery.read;

import static dev.trailquery.read.Fixtures.read;
import static dev.trailquery.read.Fixtures.reader;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.read.ObjectResult.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Value conversions and path matching, with expected values written by hand. */
class ProjectionTest {
  static Object[] only(CloudTrailReader r, String json) {
    Fixtures.Read got = read(r, json);
    assertThat(got.status()).as(String.valueOf(got.result().error())).isEqualTo(Status.OK);
    assertThat(got.count()).isEqualTo(1);
    // maps and lists compared by their compact JSON text
    return java.util.Arrays.stream(got.got().get(0).row())
        .map(v -> v instanceof dev.trailquery.value.JsonValue j ? j.text() : v)
        .toArray();
  }

  @Test
  void numbers() {
    CloudTrailReader r = reader(false, "a", "b", "c", "d", "e", "f", "g", "h", "i");
    Object[] row =
        only(
            r,
            "{\"eventName\":\"x\",\"a\":42,\"b\":-1.5,\"c\":1e3,\"d\":12345678901234567890,"
                + "\"e\":-1234567890123456,\"f\":123456789012345,\"g\":0,\"h\":-0.25E-2,"
                + "\"i\":1234567890123456.5}");
    assertThat(row)
        .containsExactly(
            42.0,
            -1.5,
            1000.0,
            "12345678901234567890",
            "-1234567890123456",
            123456789012345.0,
            0.0,
            -0.0025,
            1234567890123456.5);
  }

  @Test
  void booleansNullAndMissing() {
    CloudTrailReader r = reader(false, "t", "f", "n", "missing", "eventName");
    Fixtures.Read got = read(r, "{\"eventName\":\"x\",\"t\":true,\"f\":false,\"n\":null}");
    assertThat(got.got().get(0).row()).containsExactly(true, false, null, null, "x");
    // JSON null does not count as seen
    assertThat(got.result().seenPaths().stream().toArray()).containsExactly(0, 1, 4);
  }

  @Test
  void stringsAreDecoded() {
    CloudTrailReader r = reader(true, "s", "u");
    String json =
        "{\"eventName\":\"x\",\"s\":\"a\\\"b\\\\c\\n\\u00e9\\/\",\"u\":\"żółw ☃ \uD83D\uDE00\"}";
    Fixtures.Read got = read(r, json);
    assertThat(got.got().get(0).row()).containsExactly("a\"b\\c\né/", "żółw ☃ \uD83D\uDE00");
    // the message is the record's own text, escapes as written
    assertThat(got.got().get(0).message()).isEqualTo(json);
  }

  @Test
  void objectsAndArraysAsCompactText() {
    CloudTrailReader r =
        reader(
            false,
            "requestParameters",
            "requestParameters.tags",
            "requestParameters.tags.1.key",
            "requestParameters.empty",
            "requestParameters.emptyArray",
            "requestParameters.s");
    String json =
        "{ \"eventName\" : \"x\" ,\n \"requestParameters\" : {\n  \"tags\" : [ {\"key\":\"a b\", \"v\" : 1},"
            + "\n {\"key\" : \"c\\\" d\"} ] ,\"empty\" : { } , \"emptyArray\" : [ ], \"s\" : \" \\t \"} }";
    Object[] row = only(r, json);
    assertThat(row)
        .containsExactly(
            "{\"tags\":[{\"key\":\"a b\",\"v\":1},{\"key\":\"c\\\" d\"}],\"empty\":{},\"emptyArray\":[],\"s\":\" \\t \"}",
            "[{\"key\":\"a b\",\"v\":1},{\"key\":\"c\\\" d\"}]",
            "c\" d",
            "{}",
            "[]",
            " \t ");
  }

  @Test
  void numericSegmentsMatchArrayIndexesAndKeys() {
    CloudTrailReader r =
        reader(
            false,
            "resources.0.ARN",
            "resources.1.ARN",
            "resources.2.ARN",
            "m.0",
            "m.10",
            "s.0",
            "resources.ARN",
            "resources.01.ARN",
            "resources.1");
    Object[] row =
        only(
            r,
            "{\"eventName\":\"x\",\"resources\":[{\"ARN\":\"a0\"},{\"ARN\":\"a1\",\"type\":\"T\"}],"
                + "\"m\":{\"0\":\"zero\",\"10\":\"ten\"},\"s\":\"str\"}");
    assertThat(row)
        .containsExactly(
            "a0", "a1", null, "zero", "ten", null, null, null, "{\"ARN\":\"a1\",\"type\":\"T\"}");
  }

  @Test
  void deepIndexes() {
    CloudTrailReader r =
        reader(
            false,
            "responseElements.instancesSet.items.0.instanceId",
            "responseElements.instancesSet.items.1.instanceId",
            "a.0.0",
            "a.1.1",
            "a.2");
    Object[] row =
        only(
            r,
            "{\"eventName\":\"x\",\"responseElements\":{\"instancesSet\":{\"items\":"
                + "[{\"instanceId\":\"i-1\"},{\"instanceId\":\"i-2\"}]}},\"a\":[[1,2],[3,4],5]}");
    assertThat(row).containsExactly("i-1", "i-2", 1.0, 4.0, 5.0);
  }

  @Test
  void atKeysAreReachableAsDoubleAt() {
    CloudTrailReader r = reader(false, "@@timestamp", "@@version", "@timestamp", "a.@@b");
    Object[] row =
        only(
            r,
            "{\"eventName\":\"x\",\"@timestamp\":\"2020-09-14T00:44:23.000Z\",\"@version\":\"1\","
                + "\"a\":{\"@b\":2}}");
    assertThat(row)
        .containsExactly("2020-09-14T00:44:23.000Z", "1", "2020-09-14T00:44:23.000Z", 2.0);
  }

  @Test
  void slotsAndDuplicatesAndWidth() {
    ReadRequest req =
        new ReadRequest(
            List.of("eventName", "eventName", "errorCode"), new int[] {4, 1, 2}, 6, false);
    Fixtures.Read got =
        read(new CloudTrailReader(req), "{\"eventName\":\"x\",\"errorCode\":\"AccessDenied\"}");
    assertThat(got.got().get(0).row()).containsExactly(null, "x", "AccessDenied", null, "x", null);
    assertThat(got.result().seenPaths().cardinality()).isEqualTo(3);
  }

  @Test
  void duplicateKeysTheLastOccurrenceWins() {
    CloudTrailReader r = reader(false, "a", "b");
    Object[] row = only(r, "{\"eventName\":\"x\",\"a\":1,\"b\":null,\"a\":null,\"b\":2}");
    assertThat(row).containsExactly(null, 2.0);
  }

  @Test
  void pathsIntoScalarsOrMissingParentsAreMissing() {
    CloudTrailReader r = reader(false, "eventName.x", "nope.x", "requestParameters.a.b");
    Object[] row = only(r, "{\"eventName\":\"x\",\"requestParameters\":{\"a\":\"flat\"}}");
    assertThat(row).containsExactly(null, null, null);
  }

  @Test
  void eventTimeIsExtractedEvenWhenNotRequested() {
    CloudTrailReader none = reader(false);
    Fixtures.Read got =
        read(
            none,
            "{\"eventTime\":\"2023-07-10T12:20:31Z\",\"eventName\":\"x\"}\n{\"eventName\":\"y\"}");
    assertThat(got.got().get(0).ts())
        .isEqualTo(java.time.Instant.parse("2023-07-10T12:20:31Z").toEpochMilli());
    assertThat(got.got().get(1).ts()).isEqualTo(Long.MIN_VALUE);
    assertThat(got.got().get(0).row()).isEmpty();
    assertThat(got.got().get(0).message()).isNull();
  }

  @Test
  void timestampFallsBackToAtTimestamp() {
    CloudTrailReader r = reader(false, "eventTime");
    Fixtures.Read got =
        read(
            r,
            "{\"eventName\":\"a\",\"@timestamp\":\"2020-09-14T00:44:23.120Z\"}\n"
                + "{\"eventName\":\"b\",\"eventTime\":\"garbage\",\"@timestamp\":\"2020-09-14T00:44:23Z\"}\n"
                + "{\"eventName\":\"c\",\"eventTime\":\"2022-02-08 09:23:37+11:00\",\"@timestamp\":\"2000-01-01T00:00:00Z\"}\n"
                + "{\"eventName\":\"d\",\"eventTime\":12}\n");
    assertThat(got.got().stream().map(Fixtures.Got::ts))
        .containsExactly(
            java.time.Instant.parse("2020-09-14T00:44:23.120Z").toEpochMilli(),
            java.time.Instant.parse("2020-09-14T00:44:23Z").toEpochMilli(),
            java.time.Instant.parse("2022-02-07T22:23:37Z").toEpochMilli(),
            Long.MIN_VALUE);
    assertThat(got.column(0)).containsExactly(null, "garbage", "2022-02-08 09:23:37+11:00", 12.0);
  }

  @Test
  void nestedRequestedObjectWithNestedRequestedChildren() {
    CloudTrailReader r = reader(true, "a", "a.b", "a.b.c", "a.b.d.0");
    String json = "{\"eventName\":\"x\",\"a\":{\"z\":[{}],\"b\":{\"c\":\"C\",\"d\":[true]}}}";
    Fixtures.Read got = read(r, json);
    assertThat(
            java.util.Arrays.stream(got.got().get(0).row())
                .map(v -> v instanceof dev.trailquery.value.JsonValue j ? j.text() : v))
        .containsExactly(
            "{\"z\":[{}],\"b\":{\"c\":\"C\",\"d\":[true]}}",
            "{\"c\":\"C\",\"d\":[true]}",
            "C",
            true);
    assertThat(got.got().get(0).message()).isEqualTo(json);
  }
}
