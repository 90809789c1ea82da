package dev.trailquery.read;

import static dev.trailquery.read.Fixtures.event;
import static dev.trailquery.read.Fixtures.gzip;
import static dev.trailquery.read.Fixtures.read;
import static dev.trailquery.read.Fixtures.reader;
import static dev.trailquery.read.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.read.ObjectResult.Status;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Broken input: records before the break are delivered, the broken one is not. */
class CorruptionTest {
  static final CloudTrailReader R = reader(true, "eventName", "requestParameters");

  static void expectPrefix(Fixtures.Read r, int n) {
    assertThat(r.count()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      assertThat(r.got().get(i).row()[0]).isEqualTo("Event" + i);
      assertThat(r.got().get(i).message()).isEqualTo(event(i));
    }
  }

  /** The byte offset the error message names. */
  static long offsetIn(String error) {
    Matcher m = Pattern.compile("at byte (\\d+)").matcher(error);
    assertThat(m.find()).as(error).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void cloudgrepBadFile() throws IOException {
    byte[] b =
        Files.readAllBytes(
            Fixtures.repoRoot().resolve("testdata/cloudtrail/cloudgrep-tests/bad_cloudtrail.json"));
    Fixtures.Read r = read(R, b, "bad_cloudtrail.json");
    assertThat(r.status()).isEqualTo(Status.CORRUPT);
    assertThat(r.count()).isZero();
    assertThat(r.result().error())
        .contains("invalid JSON")
        .contains("record 0")
        .contains("Unexpected end-of-input")
        .doesNotContain("REDACTED");
    assertThat(offsetIn(r.result().error())).isEqualTo(b.length); // it ends mid-record
  }

  @Test
  void garbageAfterNGoodRecords() {
    for (int n : new int[] {0, 1, 5}) {
      StringBuilder records = new StringBuilder("{\"Records\":[");
      StringBuilder array = new StringBuilder("[");
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < n; i++) {
        records.append(event(i)).append(',');
        array.append(event(i)).append(',');
        lines.append(event(i)).append('\n');
      }
      String garbage = "{\"eventVersion\":\"1.08\",\"eventName\":\"Bad\",\"x\":tru}";
      for (StringBuilder doc : List.of(records, array, lines)) {
        int at = doc.length();
        String text = doc + garbage + "\n" + event(n + 1) + "]}";
        Fixtures.Read r = read(R, text);
        assertThat(r.status()).as(text).isEqualTo(Status.CORRUPT);
        expectPrefix(r, n);
        String error = r.result().error();
        assertThat(error).contains("invalid JSON").contains("record " + n);
        // it names where: inside the bad record ("tru}" starts at + 44)
        assertThat(offsetIn(error)).isBetween((long) at, (long) at + garbage.length());
      }
    }
  }

  @Test
  void truncatedPlainJsonDeliversCompleteRecordsOnly() {
    String doc = "{\"Records\":[" + event(0) + "," + event(1) + "," + event(2) + "]}";
    for (int cut = 1; cut < doc.length(); cut += 7) {
      String part = doc.substring(0, cut);
      int complete = 0;
      for (int i = 0; i < 3; i++) {
        if (part.contains(event(i))) {
          complete++;
        }
      }
      Fixtures.Read r = read(R, part);
      assertThat(r.status()).as(part).isEqualTo(Status.CORRUPT);
      expectPrefix(r, complete);
    }
  }

  /** The decoded bytes GZIPInputStream yields from a truncated stream before it fails. */
  static int recoverable(byte[] truncated) {
    int total = 0;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(truncated))) {
      byte[] buf = new byte[8192];
      for (int r; (r = in.read(buf)) > 0; ) {
        total += r;
      }
    } catch (EOFException e) {
      return total;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("not truncated");
  }

  @Test
  void truncatedGzip() {
    StringBuilder doc = new StringBuilder("{\"Records\":[");
    List<Integer> ends = new ArrayList<>(); // offset just past each record's closing brace
    java.util.Random rnd = new java.util.Random(7);
    for (int i = 0; i < 400; i++) {
      if (i > 0) {
        doc.append(',');
      }
      // incompressible padding so that the cut lands mid-file
      String ev = event(i);
      StringBuilder pad = new StringBuilder();
      for (int k = 0; k < 200; k++) {
        pad.append((char) ('a' + rnd.nextInt(26)));
      }
      ev = ev.substring(0, ev.length() - 1) + ",\"pad\":\"" + pad + "\"}";
      doc.append(ev);
      ends.add(doc.length());
    }
    doc.append("]}");
    byte[] gz = gzip(utf8(doc.toString()));
    for (double frac : new double[] {0.3, 0.5, 0.9, 0.999}) {
      byte[] cut = Arrays.copyOf(gz, (int) (gz.length * frac));
      int available = recoverable(cut);
      int want = 0;
      for (int e : ends) {
        if (e <= available) {
          want++;
        }
      }
      CloudTrailReader reader = reader(false, "eventName");
      Fixtures.Read r = read(reader, cut, "x.json.gz");
      assertThat(r.status()).isEqualTo(Status.CORRUPT);
      assertThat(r.count()).isEqualTo(want).isPositive();
      for (int i = 0; i < want; i++) {
        assertThat(r.got().get(i).row()[0]).isEqualTo("Event" + i);
      }
      assertThat(r.result().error())
          .contains("gzip")
          .contains("record " + want)
          .contains(cut.length + " compressed / " + available + " decoded bytes");
      assertThat(r.result().bytesRead()).isEqualTo(cut.length);
    }
  }

  @Test
  void gzipCutInsideTheHeader() {
    byte[] gz = gzip(utf8(event(0)));
    Fixtures.Read r = read(R, Arrays.copyOf(gz, 5), "x.gz");
    assertThat(r.status()).isEqualTo(Status.CORRUPT);
    assertThat(r.result().error()).contains("gzip");
  }

  @Test
  void corruptGzipTrailerAfterAllRecords() {
    byte[] gz = gzip(utf8("[" + event(0) + "," + event(1) + "]"));
    gz[gz.length - 6] ^= 0x55; // CRC32
    Fixtures.Read r = read(R, gz, "x.gz");
    assertThat(r.status()).isEqualTo(Status.CORRUPT);
    expectPrefix(r, 2);
    assertThat(r.result().error()).contains("gzip").contains("Corrupt GZIP trailer");
  }

  @Test
  void flippedBitsInTheDeflateStream() {
    StringBuilder doc = new StringBuilder("[");
    for (int i = 0; i < 300; i++) {
      doc.append(i > 0 ? "," : "").append(event(i));
    }
    byte[] gz = gzip(utf8(doc.append(']').toString()));
    for (int at : new int[] {gz.length / 3, gz.length / 2}) {
      byte[] bad = gz.clone();
      for (int k = 0; k < 16; k++) {
        bad[at + k] ^= (byte) 0xA5;
      }
      Fixtures.Read r = read(R, bad, "x.gz");
      assertThat(r.status()).isEqualTo(Status.CORRUPT);
      assertThat(r.count()).isLessThan(300);
      // whatever was delivered is a true prefix
      expectPrefix(r, r.count());
    }
  }

  @Test
  void invalidLookupString() {
    String line = "{\"EventId\":\"1\",\"CloudTrailEvent\":\"{\\\"eventName\\\":\\\"x\\\",}\"}";
    Fixtures.Read r = read(R, event(0) + "\n" + line + "\n" + event(2));
    assertThat(r.status()).isEqualTo(Status.CORRUPT);
    expectPrefix(r, 1);
    assertThat(r.result().error()).contains("CloudTrailEvent string of record 1");
  }

  @Test
  void failingSourceStreamIsAnIoErrorNotCorruption() {
    byte[] data = utf8("[" + event(0) + "," + event(1) + "]");
    InputStream failing =
        new InputStream() {
          int served;

          @Override
          public int read() throws IOException {
            if (served >= 100) {
              throw new IOException("connection reset");
            }
            return data[served++] & 0xff;
          }
        };
    assertThatThrownBy(() -> R.read(failing, "x", (row, ts, m, i) -> true))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("connection reset");
  }

  @Test
  void readerDoesNotCloseTheStream() {
    boolean[] closed = {false};
    InputStream in =
        new ByteArrayInputStream(gzip(utf8(event(0)))) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    assertThat(R.read(in, "x", (row, ts, m, i) -> true).status()).isEqualTo(Status.OK);
    assertThat(closed[0]).isFalse();
  }
}
