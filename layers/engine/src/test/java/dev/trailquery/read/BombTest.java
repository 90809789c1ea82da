package dev.trailquery.read;

import static dev.trailquery.read.Fixtures.event;
import static dev.trailquery.read.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.read.ObjectResult.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: gzip bombs (GiBs of JSON from a few MB), huge strings, deep nesting. The reader
 * stops with TOO_LARGE and its memory stays bounded; surefire runs it in a 1 GiB heap.
 */
class BombTest {
  static final long GIB = 1L << 30;
  static final long CAP = 64L << 20;

  /** A raw-deflate piece with no back references outside itself; non-final unless {@code last}. */
  static byte[] deflatePiece(byte[] data, boolean last) {
    Deflater d = new Deflater(9, true);
    d.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    if (last) {
      d.finish();
      while (!d.finished()) {
        out.write(buf, 0, d.deflate(buf));
      }
    } else {
      int n;
      do {
        n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
        out.write(buf, 0, n);
      } while (n == buf.length);
    }
    d.end();
    return out.toByteArray();
  }

  /**
   * A valid gzip file of {@code head + unit × repeats + tail}, built without compressing the whole:
   * the compressed unit is repeated.
   */
  static byte[] bomb(String head, byte[] unit, long repeats, String tail) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
    CRC32 crc = new CRC32();
    byte[] h = utf8(head);
    out.writeBytes(deflatePiece(h, false));
    crc.update(h);
    byte[] u = deflatePiece(unit, false);
    for (long r = 0; r < repeats; r++) {
      out.writeBytes(u);
      crc.update(unit);
    }
    byte[] t = utf8(tail);
    out.writeBytes(deflatePiece(t, true));
    crc.update(t);
    long size = h.length + unit.length * repeats + t.length;
    int c = (int) crc.getValue();
    int s = (int) size;
    out.writeBytes(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24)});
    out.writeBytes(new byte[] {(byte) s, (byte) (s >> 8), (byte) (s >> 16), (byte) (s >> 24)});
    return out.toByteArray();
  }

  static byte[] filled(char c, int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) c);
    return b;
  }

  static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  /** Reads and returns the result and the bytes this thread allocated meanwhile. */
  record Run(Fixtures.Read read, long allocated) {}

  static Run run(CloudTrailReader r, byte[] gz) {
    long before = allocated();
    Fixtures.Read read = Fixtures.read(r, new ByteArrayInputStream(gz), "bomb.json.gz");
    return new Run(read, allocated() - before);
  }

  @Test
  void selfCheckTheBombIsValidGzip() throws Exception {
    byte[] gz = bomb("[", utf8(event(1) + ","), 3, event(2) + "]");
    String text = new String(Fixtures.gunzipIfNeeded(gz), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(text).isEqualTo("[" + (event(1) + ",").repeat(3) + event(2) + "]");
  }

  @Test
  void threeGibOfSpaces() {
    byte[] gz = bomb("", filled(' ', 1 << 20), 3 * 1024, "");
    assertThat(gz.length).isLessThan(8 << 20);
    Run run =
        run(
            new CloudTrailReader(
                new ReadRequest(List.of("eventName"), new int[] {0}, 1, false), CAP),
            gz);
    ObjectResult r = run.read().result();
    assertThat(r.status()).isEqualTo(Status.TOO_LARGE);
    assertThat(r.error()).contains("cap");
    assertThat(r.records()).isZero();
    assertThat(r.bytesDecoded()).isBetween(CAP, CAP + (1 << 20));
    assertThat(r.bytesRead()).isLessThan(gz.length);
    assertThat(run.allocated()).as("bytes allocated").isLessThan(8L << 20);
  }

  @Test
  void hugeRecordsArrayDeliversRecordsUpToTheCap() {
    String rec = event(1);
    int e = utf8(rec).length;
    int perUnit = (1 << 20) / (e + 1);
    byte[] unit = utf8((rec + ",").repeat(perUnit));
    String head = "{\"Records\":[";
    byte[] gz = bomb(head, unit, 3 * 1024L * (1 << 20) / unit.length, rec + "]}");
    CloudTrailReader reader =
        new CloudTrailReader(
            new ReadRequest(List.of("eventName", "requestParameters"), new int[] {0, 1}, 2, false),
            CAP);
    long[] count = {0};
    Object[][] last = {null};
    ObjectResult r =
        reader.read(
            new ByteArrayInputStream(gz),
            "bomb.json.gz",
            (row, ts, message, index) -> {
              assertThat(index).isEqualTo(count[0]);
              count[0]++;
              last[0] = row;
              return true;
            });
    assertThat(r.status()).isEqualTo(Status.TOO_LARGE);
    // record k's closing brace is byte head + k*(e+1) + e - 1: complete when it is within the cap
    long want = (CAP - head.length() - e) / (e + 1) + 1;
    assertThat(r.records()).isEqualTo(want).isEqualTo(count[0]);
    assertThat(java.util.Arrays.stream(last[0]).map(dev.trailquery.value.Values::toText))
        .containsExactly("Event1", "{\"bucketName\":\"b1\",\"n\":1}");
  }

  static final String BIG_HEAD =
      "{\"eventVersion\":\"1.08\",\"eventName\":\"Big\",\"requestParameters\":{\"blob\":\"";

  @Test
  void hugeStringNotRequestedIsSkippedWithoutMaterialising() {
    byte[] gz = bomb(BIG_HEAD, filled('a', 1 << 20), 3 * 1024, "\"}}");
    Run run =
        run(
            new CloudTrailReader(
                new ReadRequest(List.of("eventName"), new int[] {0}, 1, false), CAP),
            gz);
    assertThat(run.read().status()).isEqualTo(Status.TOO_LARGE);
    assertThat(run.read().count()).isZero();
    assertThat(run.allocated()).as("bytes allocated").isLessThan(8L << 20);
  }

  /**
   * A record with a 20 MiB string, then a normal record (issue 15, D12): whichever paths are
   * requested — the string, its parent object, the record's text, or none of them — the big record
   * alone is skipped and counted, the next one read, and no more than the record limit is held.
   */
  @Test
  void aRecordOverTheLimitIsSkippedAloneWhateverIsRequested() {
    int mib = 20;
    // (two newlines before the document: the offset in the error counts them)
    byte[] gz = bomb("\n\n[" + BIG_HEAD, filled('a', 1 << 20), mib, "\"}}," + event(1) + "]");
    long bigRecord = BIG_HEAD.length() + (long) mib * (1 << 20) + 3; // its text, '{' to '}'
    record Ask(List<String> paths, boolean message, long maxAllocated) {}
    for (Ask ask :
        List.of(
            new Ask(List.of("eventName"), false, 8L << 20),
            new Ask(List.of("eventName", "requestParameters.blob"), false, 96L << 20),
            new Ask(List.of("eventName", "requestParameters"), false, 128L << 20),
            new Ask(List.of("eventName"), true, 128L << 20))) {
      int[] slots = java.util.stream.IntStream.range(0, ask.paths().size()).toArray();
      Run run =
          run(
              new CloudTrailReader(
                  new ReadRequest(ask.paths(), slots, slots.length, ask.message())),
              gz);
      ObjectResult r = run.read().result();
      assertThat(r.status()).as(ask.toString()).isEqualTo(Status.OVERSIZED_RECORDS);
      assertThat(r.records()).isEqualTo(1);
      assertThat(r.error())
          .isEqualTo(
              "1 record over 16777216 bytes of JSON skipped (the first at byte 3, "
                  + bigRecord
                  + " bytes, after 0 records read); the other records were read");
      assertThat(run.read().got()).hasSize(1);
      assertThat(run.read().got().get(0).row()[0]).isEqualTo("Event1");
      if (ask.message()) {
        assertThat(run.read().got().get(0).message()).isEqualTo(event(1));
      }
      // the paths of the skipped record still count as seen
      assertThat(r.seenPaths().cardinality()).isEqualTo(ask.paths().size());
      assertThat(run.allocated()).as("bytes allocated, " + ask).isLessThan(ask.maxAllocated());
    }
  }

  /** Just under the limit the record is read, its string held whole. */
  @Test
  void aRecordJustUnderTheLimitIsRead() {
    int fill = (16 << 20) - BIG_HEAD.length() - 3; // the record's text is then exactly 16 MiB
    byte[] gz = bomb("[" + BIG_HEAD, filled('a', fill), 1, "\"}}," + event(1) + "]");
    Run run =
        run(
            new CloudTrailReader(
                new ReadRequest(List.of("requestParameters.blob"), new int[] {0}, 1, true)),
            gz);
    ObjectResult r = run.read().result();
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.records()).isEqualTo(2);
    assertThat((String) run.read().got().get(0).row()[0]).hasSize(fill).matches("a+");
    assertThat(run.read().got().get(0).message()).hasSize(16 << 20);
    gz = bomb("[" + BIG_HEAD, filled('a', fill + 1), 1, "\"}}," + event(1) + "]");
    run =
        run(
            new CloudTrailReader(
                new ReadRequest(List.of("requestParameters.blob"), new int[] {0}, 1, true)),
            gz);
    assertThat(run.read().result().status()).isEqualTo(Status.OVERSIZED_RECORDS);
    assertThat(run.read().result().records()).isEqualTo(1);
  }

  /**
   * Over the limit without CloudTrail keys: as the first record, the object is foreign (as a short
   * one would be); after a CloudTrail record, it is skipped and counted like any oversized record.
   */
  @Test
  void anOversizedRecordWithoutCloudTrailKeys() {
    String head = "{\"blob\":\"";
    CloudTrailReader reader =
        new CloudTrailReader(new ReadRequest(List.of("eventName"), new int[] {0}, 1, false));
    byte[] first = bomb("[" + head, filled('a', 1 << 20), 17, "\"}," + event(1) + "]");
    Fixtures.Read r = run(reader, first).read();
    assertThat(r.status()).isEqualTo(Status.FOREIGN);
    assertThat(r.count()).isZero();
    byte[] second =
        bomb("[" + event(1) + "," + head, filled('a', 1 << 20), 17, "\"}," + event(2) + "]");
    r = run(reader, second).read();
    assertThat(r.status()).isEqualTo(Status.OVERSIZED_RECORDS);
    assertThat(r.column(0)).containsExactly("Event1", "Event2");
  }

  /**
   * 40 MiB of small records with their messages: each record's text is let go after it is read
   * (kept all, the buffer would grow past the record limit and the later messages be lost).
   */
  @Test
  void everyMessageOfALongFileOfSmallRecords() {
    String rec = event(1);
    int perUnit = (1 << 20) / (utf8(rec).length + 1);
    byte[] unit = utf8((rec + ",").repeat(perUnit));
    byte[] gz = bomb("[", unit, 40, event(2) + "]");
    CloudTrailReader reader =
        new CloudTrailReader(new ReadRequest(List.of("eventName"), new int[] {0}, 1, true));
    long[] count = {0};
    ObjectResult r =
        reader.read(
            new ByteArrayInputStream(gz),
            "long.json.gz",
            (row, ts, message, index) -> {
              assertThat(message).isEqualTo(index == 40 * perUnit ? event(2) : rec);
              count[0]++;
              return true;
            });
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(count[0]).isEqualTo(40L * perUnit + 1);
  }

  @Test
  void deepNesting() {
    String deep = "[".repeat(100_000);
    for (boolean requested : new boolean[] {false, true}) {
      CloudTrailReader r = Fixtures.reader(false, requested ? "a" : "eventName");
      Fixtures.Read got = Fixtures.read(r, event(0) + "\n{\"eventVersion\":\"1.08\",\"a\":" + deep);
      assertThat(got.status()).isEqualTo(Status.TOO_LARGE);
      assertThat(got.result().error()).containsIgnoringCase("nesting depth");
      assertThat(got.count()).isEqualTo(1);
    }
  }

  @Test
  void capAppliesToPlainInputToo() {
    byte[] plain = utf8((event(0) + "\n").repeat(1000));
    CloudTrailReader r =
        new CloudTrailReader(new ReadRequest(List.of(), new int[0], 0, false), plain.length - 2);
    Fixtures.Read got = Fixtures.read(r, plain, "x");
    assertThat(got.status()).isEqualTo(Status.TOO_LARGE);
    // the last record's closing brace (second to last byte) is past the cap
    assertThat(got.count()).isEqualTo(999);
    CloudTrailReader exact =
        new CloudTrailReader(new ReadRequest(List.of(), new int[0], 0, false), plain.length);
    assertThat(Fixtures.read(exact, plain, "x").status()).isEqualTo(Status.OK);
  }
}
