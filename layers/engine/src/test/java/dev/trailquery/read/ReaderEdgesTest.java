package dev.trailquery.read;

import static dev.trailquery.read.Fixtures.event;
import static dev.trailquery.read.Fixtures.gzip;
import static dev.trailquery.read.Fixtures.read;
import static dev.trailquery.read.Fixtures.reader;
import static dev.trailquery.read.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.read.ObjectResult.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edges of the reader that the shape and oracle tests pass by: where the special top-level keys
 * interrupt a walk and where they do not, the 15-digit integer boundary, error offsets and
 * messages, foreign signatures, the exact decoded-size cap, and the text helpers. Every expected
 * value is worked out by hand from the small documents here.
 */
class ReaderEdgesTest {
  /**
   * A reader made inside each test (not once per class: PIT credits code that runs in a static
   * initializer to one test only).
   */
  static CloudTrailReader name() {
    return reader(false, "eventName");
  }

  static List<Object> names(Fixtures.Read r) {
    return r.column(0);
  }

  @Test
  void eachCloudTrailKeyAloneMakesTheFirstRecordAnEvent() {
    for (String key : List.of("eventVersion", "eventSource", "eventName", "eventTime")) {
      String doc = "{\"" + key + "\":\"2020-01-01T00:00:00Z\",\"x\":1}";
      Fixtures.Read r = read(name(), doc);
      assertThat(r.status()).as(key).isEqualTo(Status.OK);
      assertThat(r.count()).isEqualTo(1);
    }
    Fixtures.Read r = read(name(), "{\"@timestamp\":\"2020-01-01T00:00:00Z\",\"x\":1}");
    assertThat(r.status()).isEqualTo(Status.FOREIGN);
  }

  @Test
  void aTimestampKeyFirstIsNoDigestKey() {
    // @timestamp, then the CloudTrail keys: an event, not a digest
    String doc = "{\"@timestamp\":\"2021-01-01T00:00:00Z\",\"eventName\":\"A\"}";
    Fixtures.Read r = read(name(), doc);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(names(r)).containsExactly("A");
    assertThat(r.got().get(0).ts()).isEqualTo(Instant.parse("2021-01-01T00:00:00Z").toEpochMilli());
  }

  @Test
  void digestKeysCountOnlyInTheFirstRecord() {
    String doc = event(1) + "\n{\"digestStartTime\":\"x\",\"eventName\":\"D\"}\n";
    Fixtures.Read r = read(name(), doc);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(names(r)).containsExactly("Event1", "D");
    Fixtures.Read digest = read(name(), "{\"digestStartTime\":\"x\",\"eventName\":\"D\"}");
    assertThat(digest.status()).isEqualTo(Status.DIGEST);
  }

  @Test
  void wrappersLookupsAndDigestKeys() {
    assertThat(names(read(name(), "{\"Events\":[" + event(1) + "," + event(2) + "]}")))
        .containsExactly("Event1", "Event2");
    assertThat(names(read(name(), "{\"Records\":[" + event(3) + "]}"))).containsExactly("Event3");
    assertThat(names(read(name(), "{\"CloudTrailEvent\":" + ShapesTest.quote(event(4)) + "}")))
        .containsExactly("Event4");
    for (String key : PathTrie.DIGEST_KEYS) {
      Fixtures.Read r = read(name(), "{\"" + key + "\":\"x\",\"eventName\":\"D\"}");
      assertThat(r.status()).as(key).isEqualTo(Status.DIGEST);
      assertThat(r.count()).isZero();
    }
  }

  @Test
  void specialKeysWithArraysInsideEventsAreJustFields() {
    // an array under a CloudTrail key, or a Records key inside an event of an array: fields
    String doc =
        "[{\"eventName\":\"A\",\"eventSource\":[{\"eventName\":\"inner\"}]},"
            + "{\"eventName\":\"B\",\"Records\":[{\"eventName\":\"nested\"}]},"
            + "{\"eventName\":\"C\",\"Events\":[{\"eventName\":\"nested\"}]}]";
    Fixtures.Read r = read(name(), doc);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(names(r)).containsExactly("A", "B", "C");
    // at document level, an array under a CloudTrail key is no wrapper either
    Fixtures.Read top =
        read(name(), "{\"eventName\":\"T\",\"eventVersion\":[{\"eventName\":\"inner\"}]}");
    assertThat(names(top)).containsExactly("T");
    // nor an array under CloudTrailEvent or a digest key
    for (String key : List.of("CloudTrailEvent", "digestStartTime")) {
      Fixtures.Read r2 =
          read(name(), "{\"eventName\":\"T\",\"" + key + "\":[{\"eventName\":\"inner\"}]}");
      assertThat(names(r2)).as(key).containsExactly("T");
    }
    // Records or CloudTrailEvent first, with a value that is no wrapper: no digest either
    for (String first : List.of("\"Records\":\"x\"", "\"CloudTrailEvent\":5", "\"Events\":{}")) {
      Fixtures.Read r3 = read(name(), "{" + first + ",\"eventName\":\"A\"}");
      assertThat(r3.status()).as(first).isEqualTo(Status.OK);
      assertThat(names(r3)).containsExactly("A");
    }
  }

  @Test
  void anUnrequestedSpecialKeyWithAnObjectValueIsSkipped() {
    String doc =
        "{\"eventVersion\":{\"x\":[1,{\"eventName\":\"no\"}]},\"eventSource\":[[2]],"
            + "\"eventName\":\"A\",\"@timestamp\":{\"t\":1}}";
    Fixtures.Read r = read(name(), doc);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(names(r)).containsExactly("A");
  }

  @Test
  void aLookupEventInsideALookupEventIsAField() {
    String inner = "{\"eventName\":\"B\"}";
    String outer =
        "{\"eventName\":\"A\",\"CloudTrailEvent\":" + ShapesTest.quote(inner) + ",\"z\":1}";
    String wrapper = "{\"EventId\":\"1\",\"CloudTrailEvent\":" + ShapesTest.quote(outer) + "}";
    Fixtures.Read r = read(reader(false, "eventName", "CloudTrailEvent"), wrapper);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.got()).hasSize(1);
    assertThat(r.got().get(0).row()).containsExactly("A", inner);
    // and an object under CloudTrailEvent inside an embedded object is a field as well
    String nested =
        "{\"CloudTrailEvent\":{\"eventName\":\"A\",\"CloudTrailEvent\":{\"eventName\":\"B\"}}}";
    Fixtures.Read n = read(reader(false, "eventName", "CloudTrailEvent.eventName"), nested);
    assertThat(n.got()).hasSize(1);
    assertThat(n.got().get(0).row()).containsExactly("A", "B");
  }

  @Test
  void fieldsAfterTheLookupStringAreSkippedWhole() {
    // LookupEvents output has Resources after CloudTrailEvent: objects there are no events
    String res =
        ",\"Extra\":{\"n\":1"
            + "0".repeat(150) // a number the byte scan leaves to Jackson
            + ",\"eventName\":\"no\"},\"Resources\":[{\"ResourceType\":\"AWS::S3::Bucket\","
            + "\"eventName\":\"no\"},[1"
            + "0".repeat(150)
            + "],{\"eventName\":\"no\"}]";
    String line1 =
        "{\"EventId\":\"1\",\"CloudTrailEvent\":" + ShapesTest.quote(event(1)) + res + "}";
    String line2 =
        "{\"EventId\":\"2\",\"CloudTrailEvent\":" + ShapesTest.quote(event(2)) + res + "}";
    Fixtures.Read r = read(name(), line1 + "\n" + line2 + "\n");
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(names(r)).containsExactly("Event1", "Event2");
    Fixtures.Read inArray = read(name(), "[" + line1 + "," + line2 + "]");
    assertThat(names(inArray)).containsExactly("Event1", "Event2");
  }

  @Test
  void arraysAmongTheRecordsAreSkippedWithTheirObjects() {
    String doc =
        "[" + event(0) + ",[{\"eventName\":\"no\"},[{\"eventName\":\"no\"}]]," + event(1) + "]";
    assertThat(names(read(name(), doc))).containsExactly("Event0", "Event1");
  }

  @Test
  void aScalarAfterAnEmptyArrayIsTheFirstRecord() {
    Fixtures.Read r = read(name(), "[]\n42\n" + event(1));
    assertThat(r.status()).isEqualTo(Status.FOREIGN);
    assertThat(r.result().error()).contains("the first record is a number");
    assertThat(r.count()).isZero();
  }

  @Test
  void arrayIndexesAfterObjectsAndArrays() {
    CloudTrailReader r = reader(false, "a.2", "a.3.k");
    String doc = "{\"eventName\":\"x\",\"a\":[{\"x\":[1]},[2,{\"y\":3}],\"v\",{\"k\":\"w\"}]}";
    assertThat(read(r, doc).got().get(0).row()).containsExactly("v", "w");
  }

  @Test
  void integersOfFifteenDigitsAreNumbersAndLongerOnesText() {
    CloudTrailReader r = reader(false, "a", "b", "c", "d");
    String doc =
        "{\"eventName\":\"x\",\"a\":999999999999999,\"b\":1234567890123456,"
            + "\"c\":-123456789012345,\"d\":-1234567890123456}";
    assertThat(read(r, doc).got().get(0).row())
        .containsExactly(
            999999999999999.0, "1234567890123456", -123456789012345.0, "-1234567890123456");
  }

  @Test
  void arrayIndexesUpToNineDigits() {
    assertThat(PathTrie.arrayIndex("123456789")).isEqualTo(123456789);
    assertThat(PathTrie.arrayIndex("1234567890")).isEqualTo(-1);
    assertThat(PathTrie.arrayIndex("0")).isZero();
    assertThat(PathTrie.arrayIndex("01")).isEqualTo(-1);
    assertThat(PathTrie.arrayIndex("")).isEqualTo(-1);
  }

  @Test
  void anEmptyKeyCanBeWanted() {
    SkippingParser.Keys keys = new SkippingParser.Keys(List.of(""));
    assertThat(keys.contains(new byte[] {'"', '"'}, 1, 1)).isTrue();
    assertThat(keys.contains(new byte[] {'"', 'a', '"'}, 1, 2)).isFalse();
    Fixtures.Read r = read(reader(false, "", "eventName"), "{\"eventName\":\"x\",\"\":7}");
    assertThat(r.got().get(0).row()).containsExactly(7.0, "x");
  }

  // -- timestamps on strings that run past the parser's buffer --------------------------------

  /**
   * Reads {@code doc} delivered in two pieces, cut 5 bytes into the string value of {@code key}:
   * the parser's buffer then ends inside that string.
   */
  static Fixtures.Read straddling(String doc, String key) {
    int cut = doc.indexOf("\"" + key + "\":\"") + key.length() + 4 + 5;
    return read(name(), SkipFieldsTest.split(utf8(doc), cut), "x");
  }

  @Test
  void aTimeStraddlingTheBufferIsParsedIntoItsOwnField() {
    long t2021 = Instant.parse("2021-01-01T00:00:00Z").toEpochMilli();
    long t2022 = Instant.parse("2022-02-02T00:00:00Z").toEpochMilli();
    // eventTime read across the buffer end, @timestamp before it: eventTime wins
    String a =
        "{\"eventName\":\"A\",\"@timestamp\":\"2021-01-01T00:00:00Z\","
            + "\"eventTime\":\"2022-02-02T00:00:00Z\"}";
    assertThat(straddling(a, "eventTime").got().get(0).ts()).isEqualTo(t2022);
    // @timestamp across the buffer end does not replace eventTime
    String b =
        "{\"eventName\":\"B\",\"eventTime\":\"2021-01-01T00:00:00Z\","
            + "\"@timestamp\":\"2022-02-02T00:00:00Z\"}";
    assertThat(straddling(b, "@timestamp").got().get(0).ts()).isEqualTo(t2021);
    // an eventTime that is no time, across the buffer end, leaves @timestamp in charge
    String c =
        "{\"eventName\":\"C\",\"@timestamp\":\"2021-01-01T00:00:00Z\","
            + "\"eventTime\":\"not a time at all\"}";
    assertThat(straddling(c, "eventTime").got().get(0).ts()).isEqualTo(t2021);
    // a string under another special key, across the buffer end, sets no time
    String d =
        "{\"@timestamp\":\"2021-01-01T00:00:00Z\",\"eventTime\":\"2022-02-02T00:00:00Z\","
            + "\"eventName\":\""
            + "x".repeat(100)
            + "\"}";
    Fixtures.Read got = straddling(d, "eventName");
    assertThat(got.got().get(0).ts()).isEqualTo(t2022);
    assertThat(got.got().get(0).row()[0]).isEqualTo("x".repeat(100));
    String e =
        "{\"@timestamp\":\"2021-01-01T00:00:00Z\",\"eventName\":\"" + "y".repeat(100) + "\"}";
    assertThat(straddling(e, "eventName").got().get(0).ts()).isEqualTo(t2021);
  }

  // -- error messages: where --------------------------------------------------------------------

  @Test
  void errorOffsetsCountTheLeadingWhitespace() {
    // the offset of the bad byte in the document alone, then with whitespace (and a byte-order
    // mark) before it: the same plus the bytes before the document
    String doc = "{\"eventName\":x}";
    String alone = read(name(), doc).result().error();
    assertThat(alone).startsWith("invalid JSON at byte ");
    long at = Long.parseLong(alone.split(" ")[4]);
    assertThat(at).isBetween((long) doc.indexOf('x'), (long) doc.indexOf('x') + 1);
    for (String ws : List.of("\n\n\n  ", " ".repeat(40_000))) {
      // (in pieces of 1,000 bytes: whitespace fills whole buffers, whatever their size)
      Fixtures.Read r = read(name(), FastPathTest.pieces(utf8(ws + doc), 1000), "x");
      assertThat(r.status()).isEqualTo(Status.CORRUPT);
      assertThat(r.result().error())
          .startsWith("invalid JSON at byte " + (at + ws.length()) + " (record 0): ");
    }
    byte[] body = utf8(" " + doc);
    byte[] both = new byte[3 + body.length];
    both[0] = (byte) 0xEF;
    both[1] = (byte) 0xBB;
    both[2] = (byte) 0xBF;
    System.arraycopy(body, 0, both, 3, body.length);
    assertThat(read(name(), both, "x").result().error())
        .startsWith("invalid JSON at byte " + (at + 4) + " (record 0): ");
  }

  @Test
  void anErrorAtTheFirstByteOfALookupString() {
    String line = event(1) + "\n{\"CloudTrailEvent\":\"]\"}";
    Fixtures.Read r = read(name(), line);
    assertThat(r.status()).isEqualTo(Status.CORRUPT);
    assertThat(r.result().error())
        .startsWith("invalid JSON at byte 0 of the CloudTrailEvent string of record 1: ");
  }

  @Test
  void aCapErrorNamesTheRecordWithoutLookupContext() {
    byte[] doc = utf8(event(0) + "\n" + event(1) + "\n" + event(2) + "\n");
    int two = utf8(event(0) + "\n" + event(1) + "\n").length;
    CloudTrailReader capped = new CloudTrailReader(name().request(), two + 10);
    Fixtures.Read r = read(capped, doc, "x");
    assertThat(r.status()).isEqualTo(Status.TOO_LARGE);
    assertThat(r.result().error())
        .isEqualTo("decoded more than " + (two + 10) + " bytes (the reader's cap) (record 2)");
  }

  @Test
  void onlyOkIsNotSkipped() {
    for (Status st : Status.values()) {
      ObjectResult r = new ObjectResult(st, 0, 0, 0, new java.util.BitSet(), null);
      assertThat(r.skipped()).as(st.name()).isEqualTo(st != Status.OK);
    }
    assertThat(new CloudTrailReader(name().request(), 12345).maxDecodedBytes()).isEqualTo(12345);
    assertThat(name().maxDecodedBytes()).isEqualTo(CloudTrailReader.DEFAULT_MAX_DECODED_BYTES);
  }

  @Test
  void theCapIsInclusive() {
    byte[] doc = utf8(event(0) + "\n" + event(1));
    Fixtures.Read exact = read(new CloudTrailReader(name().request(), doc.length), doc, "x");
    assertThat(exact.status()).isEqualTo(Status.OK);
    assertThat(exact.count()).isEqualTo(2);
    Fixtures.Read over = read(new CloudTrailReader(name().request(), doc.length - 1), doc, "x");
    assertThat(over.status()).isEqualTo(Status.TOO_LARGE);
    assertThat(over.count()).isEqualTo(1);
    Fixtures.Read gz = read(new CloudTrailReader(name().request(), doc.length), gzip(doc), "x");
    assertThat(gz.status()).isEqualTo(Status.OK);
  }

  // -- foreign signatures -------------------------------------------------------------------------

  static String foreign(byte... b) {
    Fixtures.Read r = read(name(), b, "x");
    assertThat(r.status()).isEqualTo(Status.FOREIGN);
    return r.result().error();
  }

  @Test
  void foreignSignatures() {
    assertThat(foreign((byte) 'x')).isEqualTo("not JSON: starts with 78");
    assertThat(foreign((byte) 'x', (byte) 'y')).isEqualTo("not JSON: starts with 78 79");
    assertThat(foreign((byte) 'x', (byte) 'y', (byte) 'z'))
        .isEqualTo("not JSON: starts with 78 79 7a");
    assertThat(foreign((byte) 0)).isEqualTo("not JSON: starts with 00");
    assertThat(foreign('P', 'K', 3, 4)).startsWith("a zip archive:");
    assertThat(foreign('P', 'K', 5, 6)).startsWith("a zip archive:");
    assertThat(foreign('P', 'K', 7, 8)).startsWith("a zip archive:");
    assertThat(foreign('P', 'K', 4, 3)).startsWith("not JSON:");
    assertThat(foreign('P', 'X', 3, 4)).startsWith("not JSON:");
    assertThat(foreign(0xfd, '7', 'z', 'X', 'Z', 0)).startsWith("xz-compressed:");
    assertThat(foreign(0xfd, '7', 'z', 'Y')).startsWith("not JSON:");
    assertThat(foreign(0xfd, '7', 'y', 'X')).startsWith("not JSON:");
    assertThat(foreign(0xfd, '8', 'z', 'X')).startsWith("not JSON:");
    assertThat(foreign(0x04, 0x22, 0x4d, 0x18)).startsWith("lz4-compressed:");
    assertThat(foreign(0x04, 0x22, 0x4d, 0x19)).startsWith("not JSON:");
    assertThat(foreign(0x04, 0x22, 0x4e, 0x18)).startsWith("not JSON:");
    assertThat(foreign(0x04, 0x23, 0x4d, 0x18)).startsWith("not JSON:");
    assertThat(foreign('P', 'A', 'R', '1', 0)).startsWith("Parquet:");
    assertThat(foreign('P', 'A', 'R', '2')).startsWith("not JSON:");
    assertThat(foreign('P', 'A', 'S', '1')).startsWith("not JSON:");
    assertThat(foreign('P', 'B', 'R', '1')).startsWith("not JSON:");
    assertThat(foreign(0x28, 0xb5, 0x2f, 0xfe)).startsWith("not JSON:");
    assertThat(foreign(0x28, 0xb5, 0x30, 0xfd)).startsWith("not JSON:");
    assertThat(foreign(0x28, 0xb6, 0x2f, 0xfd)).startsWith("not JSON:");
    assertThat(foreign('B', 'Z', 'i')).startsWith("not JSON:");
    assertThat(foreign('B', 'Y', 'h')).startsWith("not JSON:");
    // the first eight bytes, however the source trickles them in
    byte[] csv = utf8("eventName,eventSource\n");
    InputStream oneByOne =
        new ByteArrayInputStream(csv) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1));
          }
        };
    Fixtures.Read r = read(name(), oneByOne, "x");
    assertThat(r.result().error()).isEqualTo("not JSON: starts with 65 76 65 6e 74 4e 61 6d");
  }

  private static String foreign(int... b) {
    byte[] bytes = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      bytes[i] = (byte) b[i];
    }
    return foreign(bytes);
  }

  @Test
  void aByteOrderMarkAloneIsEmpty() {
    Fixtures.Read r = read(name(), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "x");
    assertThat(r.status()).isEqualTo(Status.EMPTY);
    Fixtures.Read ws = read(name(), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, ' '}, "x");
    assertThat(ws.status()).isEqualTo(Status.EMPTY);
  }

  // -- EventTimes edges
  // -----------------------------------------------------------------------------

  static long utc(int y, int mo, int d, int h, int mi, int s) {
    return LocalDateTime.of(y, mo, d, h, mi, s).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  @Test
  void eventTimesAtTheEdgesOfTheCalendar() {
    assertThat(EventTimes.parse("0000-01-01T00:00:00Z")).isEqualTo(utc(0, 1, 1, 0, 0, 0));
    assertThat(EventTimes.parse("0000-02-29T12:00:00Z")).isEqualTo(utc(0, 2, 29, 12, 0, 0));
    assertThat(EventTimes.parse("0000-03-01T00:00:00Z")).isEqualTo(utc(0, 3, 1, 0, 0, 0));
    assertThat(EventTimes.parse("0001-01-01T00:00:00Z")).isEqualTo(utc(1, 1, 1, 0, 0, 0));
    assertThat(EventTimes.parse("2024-02-29T00:00:00Z")).isEqualTo(utc(2024, 2, 29, 0, 0, 0));
    assertThat(EventTimes.parse("2000-02-29T00:00:00Z")).isEqualTo(utc(2000, 2, 29, 0, 0, 0));
    assertThat(EventTimes.parse("1996-02-29T00:00:00Z")).isEqualTo(utc(1996, 2, 29, 0, 0, 0));
    assertThat(EventTimes.parse("1900-02-29T00:00:00Z")).isEqualTo(EventTimes.NONE);
    assertThat(EventTimes.parse("2023-02-29T00:00:00Z")).isEqualTo(EventTimes.NONE);
    // a non-digit anywhere in a field is no time
    for (String s :
        List.of(
            "2a20-01-01T00:00:00Z",
            "2020-0a-01T00:00:00Z",
            "2020-01-0aT00:00:00Z",
            "2020-01-01T0a:00:00Z",
            "2020-01-01T00:0a:00Z",
            "2020-01-01T00:00:0aZ",
            "2020-01-01T00:00:/0Z")) {
      assertThat(EventTimes.parse(s)).as(s).isEqualTo(EventTimes.NONE);
    }
  }

  // -- TextSource.compact -------------------------------------------------------------------------

  static String compact(String s) {
    byte[] b = utf8("xx" + s + "yy");
    return TextSource.compact(b, 2, b.length - 4);
  }

  @Test
  void compactRemovesWhitespaceBetweenTokensOnly() {
    assertThat(compact("{\"a\":1}")).isEqualTo("{\"a\":1}");
    assertThat(compact("{ \"a\" :\t1 ,\r\n\"b\" : [ 2 , \"x y\" ] }"))
        .isEqualTo("{\"a\":1,\"b\":[2,\"x y\"]}");
    assertThat(compact("{\"a\\\" b\" : \"c \\\\\" , \"d\":\" e \"}"))
        .isEqualTo("{\"a\\\" b\":\"c \\\\\",\"d\":\" e \"}");
    assertThat(compact("{\"k\":\"\\\\\",\"l\": 1}")).isEqualTo("{\"k\":\"\\\\\",\"l\":1}");
    assertThat(compact("[\"\\\"\" ,\"\\\\\\\"\" ]")).isEqualTo("[\"\\\"\",\"\\\\\\\"\"]");
    assertThat(compact("[\n\"caf\u00e9 \u4e2d\"\n]")).isEqualTo("[\"caf\u00e9 \u4e2d\"]");
    assertThat(compact("[\"\\n\\t\",\t\"\\r\" ]")).isEqualTo("[\"\\n\\t\",\"\\r\"]");
  }

  // -- DecodedInput -------------------------------------------------------------------------------

  @Test
  void decodedInputReadsByteByByte() throws IOException {
    byte[] doc = utf8("  {\"a\":[1]}");
    try (DecodedInput in = new DecodedInput(new ByteArrayInputStream(doc), 1000, 1000)) {
      assertThat(in.sniff()).isEqualTo('{');
      assertThat(in.skipped()).isEqualTo(2);
      StringBuilder b = new StringBuilder();
      for (int c; (c = in.read()) >= 0; ) {
        b.append((char) c);
      }
      assertThat(b.toString()).isEqualTo("{\"a\":[1]}");
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.read(new byte[4], 0, 0)).isZero();
    }
    byte[] high = {'[', (byte) 0xC3, (byte) 0xA9, ']'};
    try (DecodedInput in = new DecodedInput(new ByteArrayInputStream(high), 1000, 1000)) {
      in.sniff();
      assertThat(in.read()).isEqualTo('[');
      assertThat(in.read()).isEqualTo(0xC3);
      assertThat(in.read()).isEqualTo(0xA9);
    }
  }

  @Test
  void retainedBytesPastTheLimitAreLetGo() throws Exception {
    // On a thread of its own: the per-thread buffers start at their initial size whatever other
    // tests on the runner's thread read before (a 40 MiB file leaves a bigger one; PIT runs the
    // engine's tests in one JVM, in an order of its own).
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    retainedBytesPastTheLimitAreLetGoOnThisThread();
                  } catch (Throwable e) {
                    failure.set(e);
                  }
                });
    t.join();
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  private void retainedBytesPastTheLimitAreLetGoOnThisThread() throws IOException {
    // a record of 3 MB, retained from its start, with a retain limit of 1,000 bytes: once the
    // buffer has moved on by more than the limit plus what the parser may still hold, the bytes
    // are let go and its text reads as null; a short record's text is kept. (3 MB: more than the
    // largest buffer a fresh thread's first read may hold, 1 MiB.)
    String big = "{\"a\":\"" + "x".repeat(3_000_000) + "\"}";
    String small = "{\"b\":[1, 2]}";
    byte[] doc = utf8(small + big);
    try (DecodedInput in = new DecodedInput(new ByteArrayInputStream(doc), 1 << 24, 1000)) {
      in.sniff();
      in.retain(0);
      byte[] sink = new byte[small.length()];
      assertThat(in.read(sink, 0, sink.length)).isEqualTo(small.length());
      assertThat(in.slice(0, small.length())).isEqualTo("{\"b\":[1,2]}");
      in.release();
      in.retain(small.length());
      byte[] chunk = new byte[4096];
      while (in.read(chunk, 0, chunk.length) > 0) {
        // read to the end, as a parser would
      }
      assertThat(in.slice(small.length(), doc.length)).isNull();
      in.release();
    }
  }
}
