package dev.trailquery.read;

import static dev.trailquery.read.Fixtures.event;
import static dev.trailquery.read.Fixtures.eventMillis;
import static dev.trailquery.read.Fixtures.gzip;
import static dev.trailquery.read.Fixtures.read;
import static dev.trailquery.read.Fixtures.reader;
import static dev.trailquery.read.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.read.ObjectResult.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Every accepted shape, and what is EMPTY, DIGEST and FOREIGN. */
class ShapesTest {
  static final CloudTrailReader R =
      reader(true, "eventName", "userIdentity.userName", "requestParameters.n", "readOnly");

  /** Expects records {@code ids} in order, with values and messages worked out from the inputs. */
  static void expectEvents(Fixtures.Read r, int... ids) {
    assertThat(r.status()).as(String.valueOf(r.result().error())).isEqualTo(Status.OK);
    assertThat(r.count()).isEqualTo(ids.length);
    assertThat(r.result().records()).isEqualTo(ids.length);
    for (int k = 0; k < ids.length; k++) {
      int i = ids[k];
      Fixtures.Got g = r.got().get(k);
      assertThat(g.index()).isEqualTo(k);
      assertThat(g.row()).containsExactly("Event" + i, "u" + i, (double) i, true);
      assertThat(g.ts()).isEqualTo(eventMillis(i));
      assertThat(g.message()).isEqualTo(event(i));
    }
  }

  static String pretty(String compactJson) {
    // a deliberately loose pretty-printer: newline + indent after { [ , and spaces around :
    StringBuilder b = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < compactJson.length(); i++) {
      char c = compactJson.charAt(i);
      b.append(c);
      if (inString) {
        if (c == '\\') {
          b.append(compactJson.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[' || c == ',') {
        b.append("\n    \t");
      } else if (c == ':') {
        b.append(" \r\n ");
      }
    }
    return b.toString();
  }

  @Test
  void recordsWrapperCompactAndPretty() {
    String doc = "{\"Records\":[" + event(0) + "," + event(1) + "," + event(2) + "]}";
    expectEvents(read(R, doc), 0, 1, 2);
    expectEvents(read(R, pretty(doc)), 0, 1, 2);
    expectEvents(read(R, "\n  " + pretty(doc) + "\n\n"), 0, 1, 2);
  }

  @Test
  void recordsNeedNotBeTheFirstKey() {
    String doc =
        "{\"eventName\":\"NotAnEvent\",\"meta\":{\"x\":[1,{\"y\":2}]},\"Records\":["
            + event(3)
            + ","
            + event(4)
            + "],\"tail\":{\"eventName\":\"z\"},\"more\":[1,2]}";
    expectEvents(read(R, doc), 3, 4);
    expectEvents(read(R, pretty(doc)), 3, 4);
  }

  @Test
  void eventsWrapperOfLookupEventsOutput() {
    String doc =
        "{\"Events\":[{\"EventId\":\"a\",\"CloudTrailEvent\":"
            + quote(event(5))
            + "}],\"NextToken\":\"t\"}";
    expectEvents(read(R, doc), 5);
  }

  @Test
  void arrayOfEvents() {
    String doc = "[" + event(0) + "," + event(1) + "]";
    expectEvents(read(R, doc), 0, 1);
    expectEvents(read(R, pretty(doc)), 0, 1);
  }

  @Test
  void ndjsonAndConcatenatedObjects() {
    expectEvents(read(R, event(0) + "\n" + event(1) + "\n" + event(2) + "\n"), 0, 1, 2);
    expectEvents(read(R, event(0) + "\r\n\r\n" + event(1) + "\r\n"), 0, 1);
    expectEvents(read(R, event(0) + event(1) + " " + event(2)), 0, 1, 2);
    expectEvents(read(R, event(7)), 7); // no trailing newline
    // several whole files one after the other
    expectEvents(
        read(R, "{\"Records\":[" + event(0) + "]}\n{\"Records\":[" + event(1) + "]}"), 0, 1);
  }

  @Test
  void singlePrettyPrintedEvent() {
    expectEvents(read(R, pretty(event(9))), 9);
  }

  @Test
  void lookupEventsLines() {
    String last =
        "{\"EventId\":\"x\",\"EventName\":\"Event8\",\"CloudTrailEvent\":" + quote(event(8)) + "}";
    String first =
        "{\"CloudTrailEvent\":" + quote(event(6)) + ",\"EventName\":\"E\",\"Resources\":[]}";
    expectEvents(read(R, last + "\n" + first + "\n"), 8, 6);
    expectEvents(read(R, "{\"Records\":[" + first + "," + last + "]}"), 6, 8);
    expectEvents(read(R, "[" + first + "]"), 6);
    // an already-parsed event object under CloudTrailEvent
    expectEvents(read(R, "{\"EventId\":\"x\",\"CloudTrailEvent\":" + event(2) + ",\"z\":1}"), 2);
    // pretty JSON inside the string still gives a compact message
    expectEvents(read(R, "{\"CloudTrailEvent\":" + quote(pretty(event(3))) + "}"), 3);
  }

  @Test
  void gzipGivesWhatPlainGives() {
    String doc = "{\"Records\":[" + event(0) + "," + event(1) + "]}";
    byte[] plain = utf8(doc);
    Fixtures.Read p = read(R, plain, "a.json");
    Fixtures.Read g = read(R, gzip(plain), "a.json.gz");
    expectEvents(p, 0, 1);
    expectEvents(g, 0, 1);
    assertThat(g.result().bytesDecoded()).isEqualTo(plain.length);
    assertThat(g.result().bytesRead()).isEqualTo(gzip(plain).length);
    assertThat(p.result().bytesRead()).isEqualTo(plain.length);
    assertThat(p.result().bytesDecoded()).isEqualTo(plain.length);
  }

  @Test
  void multiMemberGzipSplitInsideARecord() throws IOException {
    byte[] plain = utf8("[" + event(0) + "," + event(1) + "," + event(2) + "]");
    int cut = plain.length / 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(gzip(Arrays.copyOfRange(plain, 0, 7)));
    out.write(gzip(Arrays.copyOfRange(plain, 7, cut)));
    out.write(gzip(Arrays.copyOfRange(plain, cut, plain.length)));
    Fixtures.Read r = read(R, out.toByteArray(), "multi.gz");
    expectEvents(r, 0, 1, 2);
    assertThat(r.result().bytesDecoded()).isEqualTo(plain.length);
  }

  @Test
  void emptyAndWhitespace() {
    for (byte[] b :
        List.of(
            new byte[0],
            utf8("   "),
            utf8("\n\r\n\t  \n"),
            gzip(new byte[0]),
            gzip(utf8(" \n".repeat(100_000))))) {
      Fixtures.Read r = read(R, b, "x.json");
      assertThat(r.status()).isEqualTo(Status.EMPTY);
      assertThat(r.count()).isZero();
      assertThat(r.result().error()).isNull();
    }
    assertThat(read(R, utf8(" ".repeat(300_000)), "x").result().bytesDecoded()).isEqualTo(300_000);
  }

  @Test
  void emptyArraysAreOkWithNoRecords() {
    for (String s : List.of("[]", " [ ] ", "{\"Records\":[]}", "{\"Records\":[]}\n")) {
      Fixtures.Read r = read(R, s);
      assertThat(r.status()).as(s).isEqualTo(Status.OK);
      assertThat(r.count()).isZero();
    }
  }

  @Test
  void byteOrderMarkIsSkipped() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] doc = utf8("{\"Records\":[" + event(1) + "]}");
    byte[] both = new byte[bom.length + doc.length];
    System.arraycopy(bom, 0, both, 0, 3);
    System.arraycopy(doc, 0, both, 3, doc.length);
    expectEvents(read(R, both, "bom.json"), 1);
    expectEvents(read(R, gzip(both), "bom.json.gz"), 1);
  }

  static final String DIGEST =
      "{\"awsAccountId\":\"111122223333\",\"digestStartTime\":\"2015-08-17T14:01:31Z\","
          + "\"digestEndTime\":\"2015-08-17T15:01:31Z\",\"digestS3Bucket\":\"bucket\","
          + "\"digestS3Object\":\"AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/"
          + "111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz\","
          + "\"digestPublicKeyFingerprint\":\"31e8b5433410dfb61a9dc45cc65b22ff\","
          + "\"digestSignatureAlgorithm\":\"SHA256withRSA\",\"newestEventTime\":\"2015-08-17T15:00:59Z\","
          + "\"oldestEventTime\":\"2015-08-17T14:00:12Z\",\"previousDigestS3Bucket\":\"bucket\","
          + "\"previousDigestHashValue\":\"97fb791cf91ffc440d274f8190dbdd9aa09c34432aba82739df18b6d3c13df2d\","
          + "\"logFiles\":[{\"s3Bucket\":\"bucket\",\"s3Object\":\"AWSLogs/x.json.gz\","
          + "\"hashValue\":\"9bb6196fc6b84d6f075a56548feca262bd99ba3c2de41b618e5b6e22c1fc71f6\","
          + "\"hashAlgorithm\":\"SHA-256\",\"newestEventTime\":\"2015-08-17T14:52:27Z\","
          + "\"oldestEventTime\":\"2015-08-17T14:42:27Z\"}]}";

  @Test
  void digestByName() {
    String name =
        "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/"
            + "111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20150817T150131Z.json.gz";
    // even a Records file is skipped unread when the key says digest
    Fixtures.Read r = read(R, utf8("{\"Records\":[" + event(1) + "]}"), name);
    assertThat(r.status()).isEqualTo(Status.DIGEST);
    assertThat(r.count()).isZero();
    assertThat(r.result().bytesRead()).isZero();
  }

  @Test
  void digestByContent() {
    for (byte[] b : List.of(utf8(DIGEST), utf8(pretty(DIGEST)), gzip(utf8(DIGEST)))) {
      Fixtures.Read r = read(R, b, "AWSLogs/1/CloudTrail/us-east-1/2015/08/17/x.json.gz");
      assertThat(r.status()).isEqualTo(Status.DIGEST);
      assertThat(r.count()).isZero();
    }
  }

  static void expectForeign(byte[] b, String errorContains) {
    Fixtures.Read r = read(R, b, "x");
    assertThat(r.status())
        .as(new String(b, 0, Math.min(40, b.length), StandardCharsets.ISO_8859_1))
        .isEqualTo(Status.FOREIGN);
    assertThat(r.count()).isZero();
    assertThat(r.result().error()).contains(errorContains);
  }

  @Test
  void foreignFiles() throws IOException {
    expectForeign(utf8("eventName,eventSource\nConsoleLogin,signin.amazonaws.com\n"), "not JSON");
    byte[] random = new byte[4096];
    new Random(42).nextBytes(random);
    random[0] = (byte) 0x9c;
    expectForeign(random, "not JSON");
    expectForeign(utf8("{\"name\":\"x\",\"items\":[1,2,{\"a\":null}]}"), "none of eventVersion");
    expectForeign(utf8("{}"), "none of eventVersion");
    expectForeign(utf8("[1,2,3]"), "a number");
    expectForeign(utf8("[\"eventName\"]"), "a string");
    expectForeign(utf8("[[" + event(1) + "]]"), "an array");
    expectForeign(utf8("\"just a string\""), "not JSON");
    expectForeign(utf8("null"), "not JSON");
    // first record foreign, second CloudTrail: the object is foreign, nothing delivered
    expectForeign(utf8("{\"a\":1}\n" + event(1) + "\n"), "none of eventVersion");
    expectForeign(utf8("{\"Records\":[{\"a\":1}," + event(1) + "]}"), "none of eventVersion");
    // CloudTrail keys nested deeper do not count
    expectForeign(utf8("{\"detail\":" + event(1) + "}"), "none of eventVersion");

    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      z.putNextEntry(new ZipEntry("trail.json"));
      z.write(utf8("{\"Records\":[" + event(1) + "]}"));
      z.closeEntry();
    }
    expectForeign(zip.toByteArray(), "zip");
    expectForeign(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0}, "zstd");
    expectForeign(utf8("BZh91AY&SY\u0001\u0002"), "bzip2");
    expectForeign(gzip(utf8("a,b\n1,2\n")), "inside gzip");
    expectForeign(
        ("{\"Records\":[" + event(1) + "]}").getBytes(StandardCharsets.UTF_16LE), "UTF-16");
  }

  @Test
  void sinkCanStopTheRead() {
    List<Integer> seen = new ArrayList<>();
    ObjectResult r =
        R.read(
            new java.io.ByteArrayInputStream(
                utf8("[" + event(0) + "," + event(1) + "," + event(2) + "]")),
            "x",
            (row, ts, message, index) -> {
              seen.add(index);
              return index < 1;
            });
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.records()).isEqualTo(2);
    assertThat(seen).containsExactly(0, 1);
  }

  @Test
  void nonObjectsAfterTheFirstRecordAreSkipped() {
    String doc = "[" + event(0) + ",5,\"x\",null,true,[1,{\"a\":2}]," + event(1) + "]";
    expectEvents(read(R, doc), 0, 1);
    expectEvents(read(R, event(0) + "\n7\n\"s\"\n" + event(1)), 0, 1);
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
