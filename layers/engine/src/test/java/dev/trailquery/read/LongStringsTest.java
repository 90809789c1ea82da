package dev.trailquery.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.read.ObjectResult.Status;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Needed strings longer than the parser's buffer (read by {@code SkippingParser.textAtMost}, not by
 * Jackson's own string reading): escapes and multi-byte characters wherever the buffer ends fall,
 * errors inside them, and their agreement with the plain Jackson parser of a short string. Expected
 * texts are built in Java from the pieces, independently of any JSON decoding.
 */
class LongStringsTest {
  static final int BUFFER = SkippingParser.BUFFER_SIZE;

  /** A record whose {@code s} is the JSON text {@code json}, then a normal second record. */
  static String doc(String json) {
    return "[{\"eventVersion\":\"1.08\",\"eventName\":\"A\",\"s\":\""
        + json
        + "\",\"after\":1},{\"eventVersion\":\"1.08\",\"eventName\":\"B\",\"s\":\"b\"}]";
  }

  @Test
  void escapesAndMultiByteCharactersAcrossEveryBufferEnd() {
    // an escape, a 2-byte, a 3-byte and a 4-byte character, shifted across the first buffer's end
    String[][] pieces = {
      {"\\\"", "\""},
      {"\\\\", "\\"},
      {"\\u00e9", "\u00e9"},
      {"\\n", "\n"},
      {"\u00e9", "\u00e9"},
      {"\u20ac", "\u20ac"},
      {"\ud83d\ude00", "\ud83d\ude00"},
      {"\\ud83d\\ude00", "\ud83d\ude00"}
    };
    for (String[] piece : pieces) {
      // the input arrives 7 bytes a read: seven shifts put every byte of the piece at a read's end
      for (int shift = 0; shift < 7; shift++) {
        int pad = 40_000 + shift;
        String json = "a".repeat(pad) + piece[0] + "z".repeat(BUFFER);
        String want = "a".repeat(pad) + piece[1] + "z".repeat(BUFFER);
        Fixtures.Collect c = new Fixtures.Collect();
        ObjectResult r =
            Fixtures.reader(true, "s", "after")
                .read(trickle(doc(json).getBytes(StandardCharsets.UTF_8)), "t.json", c);
        assertThat(r.status()).as(piece[0] + " at " + shift).isEqualTo(Status.OK);
        Fixtures.Read read = new Fixtures.Read(r, c.got);
        assertThat(read.column(0)).as(piece[0] + " at " + shift).containsExactly(want, "b");
        assertThat(read.column(1)).containsExactly(1.0, null);
        assertThat(read.got().get(0).message()).contains(json);
      }
    }
  }

  /** {@code data}, at most 7 bytes a read. */
  static java.io.InputStream trickle(byte[] data) {
    return new java.io.ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 7));
      }
    };
  }

  @Test
  void aLongStringReadsAsJacksonReadsAShortOne() {
    String json = "x\\t\\u0041\\/" + "\u00fc".repeat(3 * BUFFER);
    Fixtures.Read r = Fixtures.read(Fixtures.reader(false, "s"), doc(json));
    assertThat(r.column(0)).containsExactly("x\tA/" + "\u00fc".repeat(3 * BUFFER), "b");
    assertThat(((String) r.column(0).get(0)).getBytes(StandardCharsets.UTF_8))
        .hasSize(4 + 6 * BUFFER);
  }

  @Test
  void anInvalidEscapeInALongStringIsCorruptAtItsRecord() {
    Fixtures.Read r =
        Fixtures.read(Fixtures.reader(false, "s"), doc("a".repeat(2 * BUFFER) + "\\q"));
    assertThat(r.status()).isEqualTo(Status.CORRUPT);
    assertThat(r.result().error()).contains("in a string value").contains("record 0");
    assertThat(r.count()).isZero();
    // a control character too
    r = Fixtures.read(Fixtures.reader(false, "s"), doc("a".repeat(2 * BUFFER) + "\u0001"));
    assertThat(r.status()).isEqualTo(Status.CORRUPT);
  }

  @Test
  void anObjectEndingInsideALongStringIsCorrupt() {
    String text = "[{\"eventVersion\":\"1.08\",\"s\":\"" + "a".repeat(3 * BUFFER);
    Fixtures.Read r = Fixtures.read(Fixtures.reader(false, "s"), text);
    assertThat(r.status()).isEqualTo(Status.CORRUPT);
    assertThat(r.count()).isZero();
    // the same, ending on a backslash
    r = Fixtures.read(Fixtures.reader(false, "s"), text + "\\");
    assertThat(r.status()).isEqualTo(Status.CORRUPT);
  }

  @Test
  void aLongEventTimeIsNoTimeButStillTheFieldsValue() {
    String longTime = "2026-01-01T00:00:00Z" + " ".repeat(2 * BUFFER);
    String text =
        "[{\"eventVersion\":\"1.08\",\"eventTime\":\""
            + longTime
            + "\"},{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-01-01T00:00:01Z\"}]";
    Fixtures.Read r = Fixtures.read(Fixtures.reader(false, "eventTime"), text);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.column(0)).containsExactly(longTime, "2026-01-01T00:00:01Z");
    assertThat(r.got().get(0).ts()).isEqualTo(Long.MIN_VALUE);
    assertThat(r.got().get(1).ts()).isEqualTo(1767225601000L);
  }
}
