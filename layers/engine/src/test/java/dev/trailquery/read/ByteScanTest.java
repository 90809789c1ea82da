package dev.trailquery.read;

import static dev.trailquery.read.SkippingParser.MORE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The byte scanner's building blocks one by one, with expected ends worked out by hand from the
 * JSON grammar: {@link SkippingParser#number}, {@link SkippingParser#string}, {@link
 * SkippingParser#isHex} and the eight-bytes-at-a-time {@link SkippingParser#special}. Each returns
 * the index just past what it scanned, {@code MORE} (-2) when the bytes end first, -1 for what it
 * leaves to Jackson.
 */
class ByteScanTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1); // one byte per char, as written
  }

  /** {@code number} over all of {@code s}: the buffer ends where {@code s} ends. */
  private static int number(String s) {
    byte[] b = bytes(s);
    return SkippingParser.number(b, 0, b.length);
  }

  @Test
  void numbersEndWhereTheGrammarSays() {
    // integers: 0 alone, or a non-zero digit and more digits; a leading minus
    assertThat(number("0,")).isEqualTo(1);
    assertThat(number("-0,")).isEqualTo(2);
    assertThat(number("7,")).isEqualTo(1);
    assertThat(number("1,")).isEqualTo(1);
    assertThat(number("9}")).isEqualTo(1);
    assertThat(number("-1,")).isEqualTo(2);
    assertThat(number("-9]")).isEqualTo(2);
    assertThat(number("123 ")).isEqualTo(3);
    assertThat(number("90,")).isEqualTo(2);
    assertThat(number("10/")).isEqualTo(2); // '/' is the byte below '0'
    assertThat(number("19:")).isEqualTo(2); // ':' the byte above '9'
    assertThat(number("01")).isEqualTo(1); // "0" then a digit: the caller rejects the "1"
    // what is no number: a minus without a digit, a digit after minus out of range
    assertThat(number("-,")).isEqualTo(-1);
    assertThat(number("-/")).isEqualTo(-1);
    assertThat(number("-:")).isEqualTo(-1);
    assertThat(number("-a")).isEqualTo(-1);
    // fractions
    assertThat(number("1.5,")).isEqualTo(3);
    assertThat(number("0.25]")).isEqualTo(4);
    assertThat(number("1.0/")).isEqualTo(3);
    assertThat(number("1.9:")).isEqualTo(3);
    assertThat(number("1.09,")).isEqualTo(4);
    assertThat(number("1.,")).isEqualTo(-1);
    assertThat(number("1./")).isEqualTo(-1);
    assertThat(number("1.:")).isEqualTo(-1);
    // exponents
    assertThat(number("1e5,")).isEqualTo(3);
    assertThat(number("1E5,")).isEqualTo(3);
    assertThat(number("1e+5,")).isEqualTo(4);
    assertThat(number("1E-5,")).isEqualTo(4);
    assertThat(number("2e-10 ")).isEqualTo(5);
    assertThat(number("1e0/")).isEqualTo(3);
    assertThat(number("1e9:")).isEqualTo(3);
    assertThat(number("1e05,")).isEqualTo(4);
    assertThat(number("-0.5e+10,")).isEqualTo(8);
    assertThat(number("1e,")).isEqualTo(-1);
    assertThat(number("1e+,")).isEqualTo(-1);
    assertThat(number("1e-/")).isEqualTo(-1);
    assertThat(number("1e:")).isEqualTo(-1);
    assertThat(number("1x")).isEqualTo(1); // ends at the x: the caller decides
    // the buffer ends inside (or right after) the number: it may go on
    assertThat(number("-")).isEqualTo(MORE);
    assertThat(number("12")).isEqualTo(MORE);
    assertThat(number("0")).isEqualTo(MORE);
    assertThat(number("1.")).isEqualTo(MORE);
    assertThat(number("1.5")).isEqualTo(MORE);
    assertThat(number("1e")).isEqualTo(MORE);
    assertThat(number("1e+")).isEqualTo(MORE);
    assertThat(number("1e5")).isEqualTo(MORE);
    // up to 100 characters are scanned, longer ones are Jackson's (its own length limit)
    assertThat(number("1".repeat(100) + ",")).isEqualTo(100);
    assertThat(number("1".repeat(101) + ",")).isEqualTo(-1);
    assertThat(number("-" + "1".repeat(99) + ",")).isEqualTo(100);
    assertThat(number("-" + "1".repeat(100) + ",")).isEqualTo(-1);
    assertThat(number("1." + "5".repeat(98) + ",")).isEqualTo(100);
    assertThat(number("1." + "5".repeat(99) + ",")).isEqualTo(-1);
  }

  @Test
  void aNumberInsideALargerBufferStopsAtTheGivenEnd() {
    byte[] b = bytes("x123456,");
    assertThat(SkippingParser.number(b, 1, 4)).isEqualTo(MORE); // "123" then the end
    assertThat(SkippingParser.number(b, 1, 8)).isEqualTo(7);
    assertThat(SkippingParser.number(b, 4, 8)).isEqualTo(7);
  }

  /** {@code string} from just after the opening quote of {@code s} to the end of {@code s}. */
  private static int string(String s) {
    byte[] b = bytes(s);
    return SkippingParser.string(b, 1, b.length);
  }

  private static int string(byte[] b) {
    return SkippingParser.string(b, 1, b.length);
  }

  @Test
  void stringsEndAfterTheirClosingQuote() {
    assertThat(string("\"\",")).isEqualTo(2);
    assertThat(string("\"abc\",")).isEqualTo(5);
    assertThat(string("\"a b\",")).isEqualTo(5); // a space is the lowest plain byte
    assertThat(string("\"~\u007f!#\",")).isEqualTo(6);
    assertThat(string("\"abcdefghijklmnop\",")).isEqualTo(18); // two 8-byte steps
    // the closing quote at every position of the 8-byte steps and the tail after them
    for (int k = 0; k < 20; k++) {
      String s = "\"" + "a".repeat(k) + "\"" + "x".repeat(12);
      assertThat(string(s)).as("quote after %d bytes", k).isEqualTo(k + 2);
    }
    // no closing quote in the buffer: MORE, however long
    for (int k = 0; k < 20; k++) {
      assertThat(string("\"" + "a".repeat(k))).as("%d bytes", k).isEqualTo(MORE);
    }
  }

  @Test
  void escapes() {
    for (char e : "\"\\/bfnrt".toCharArray()) {
      assertThat(string("\"\\" + e + "\",")).as("\\%s", e).isEqualTo(4);
      assertThat(string("\"abcdefgh\\" + e + "ijklmnop\",")).as("\\%s", e).isEqualTo(20);
    }
    assertThat(string("\"\\\"\"")).isEqualTo(4); // an escaped quote is not the end
    assertThat(string("\"\\\\\"")).isEqualTo(4); // an escaped backslash does not escape '"'
    for (char e : "xaUu0'\u0001 ".toCharArray()) {
      if (e != 'u') {
        assertThat(string("\"\\" + e + "\",")).as("\\%s", e).isEqualTo(-1);
      }
    }
    assertThat(string("\"\\u00e9\",")).isEqualTo(8);
    assertThat(string("\"\\u09AF\",")).isEqualTo(8);
    assertThat(string("\"\\uFfaA\",")).isEqualTo(8);
    assertThat(string("\"\\u12g4\",")).isEqualTo(-1);
    assertThat(string("\"\\u123G\",")).isEqualTo(-1);
    assertThat(string("\"\\u12\",")).isEqualTo(-1); // a quote is no hex digit
    // the buffer ends inside the escape: it may go on
    assertThat(string("\"\\")).isEqualTo(MORE);
    assertThat(string("\"\\u")).isEqualTo(MORE);
    assertThat(string("\"\\u00e")).isEqualTo(MORE);
    assertThat(string("\"\\u00e9")).isEqualTo(MORE); // complete, but no closing quote yet
    assertThat(string("\"\\u00eg")).isEqualTo(-1); // complete and wrong: no need to wait
  }

  @Test
  void controlCharactersAreLeftToJackson() {
    for (int c = 0; c < 0x20; c++) {
      byte[] b = {'"', 'a', (byte) c, 'b', '"'};
      assertThat(string(b)).as("byte %d", c).isEqualTo(-1);
      byte[] far = bytes("\"abcdefghij" + (char) c + "klmnopqrstuv\"");
      assertThat(string(far)).as("byte %d after 10", c).isEqualTo(-1);
    }
  }

  @Test
  void utf8SequencesAsJacksonChecksThem() {
    byte[] e = "\u00e9".getBytes(StandardCharsets.UTF_8); // 2 bytes
    byte[] zh = "\u4e2d".getBytes(StandardCharsets.UTF_8); // 3 bytes
    byte[] smile = "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8); // 4 bytes
    for (byte[] seq : List.of(e, zh, smile)) {
      for (int before = 0; before < 10; before++) {
        byte[] b = concat(bytes("\"" + "a".repeat(before)), seq, bytes("\","));
        assertThat(string(b)).as("%d bytes before", before).isEqualTo(b.length - 1);
        // cut inside the sequence: it may go on
        for (int cut = 1; cut < seq.length; cut++) {
          byte[] part = java.util.Arrays.copyOf(seq, cut);
          assertThat(string(concat(bytes("\"" + "a".repeat(before)), part)))
              .as("%d of %d bytes", cut, seq.length)
              .isEqualTo(MORE);
        }
        // a continuation byte replaced by ASCII: malformed, even at the end of the buffer
        byte[] bad = seq.clone();
        bad[seq.length - 1] = 'A';
        assertThat(string(concat(bytes("\"" + "a".repeat(before)), bad)))
            .as("bad continuation")
            .isEqualTo(-1);
        assertThat(string(concat(bytes("\"" + "a".repeat(before)), bad, bytes("\""))))
            .as("bad continuation")
            .isEqualTo(-1);
      }
    }
    // a lone continuation byte, and lead bytes of 5 and 6 byte forms (0xF8, 0xFC)
    for (int lead : new int[] {0x80, 0xBF, 0xF8, 0xFC, 0xFF}) {
      byte[] b = {'"', (byte) lead, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"'};
      assertThat(string(b)).as("lead %x", lead).isEqualTo(-1);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  @Test
  void isHexIsExactlyTheHexDigits() {
    String hex = "0123456789abcdefABCDEF";
    List<Integer> wrong = new ArrayList<>();
    for (int c = 0; c < 256; c++) {
      boolean expected = c < 128 && hex.indexOf(c) >= 0;
      if (SkippingParser.isHex((byte) c) != expected) {
        wrong.add(c);
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** Eight bytes as the little-endian word {@code special} reads. */
  private static long word(int... b) {
    long w = 0;
    for (int i = 7; i >= 0; i--) {
      w = (w << 8) | (b[i] & 0xff);
    }
    return w;
  }

  @Test
  void specialFindsTheFirstQuoteBackslashControlOrNonAsciiByte() {
    // plain bytes, including the ones next to the special ranges: 0x20, 0x21, 0x23, 0x5b, 0x5d,
    // 0x7f
    int[] plain = {0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 'a', 'Z'};
    for (int p : plain) {
      int[] b = new int[8];
      java.util.Arrays.fill(b, p);
      assertThat(SkippingParser.special(word(b))).as("all %x", p).isZero();
    }
    assertThat(SkippingParser.special(word(plain))).isZero();
    int[] special = {'"', '\\', 0x00, 0x01, 0x1f, 0x80, 0xc3, 0xff};
    for (int s : special) {
      for (int at = 0; at < 8; at++) {
        for (int p : plain) {
          int[] b = new int[8];
          java.util.Arrays.fill(b, p);
          b[at] = s;
          long m = SkippingParser.special(word(b));
          assertThat(Long.numberOfTrailingZeros(m) >>> 3)
              .as("byte %x at %d among %x", s, at, p)
              .isEqualTo(at);
          assertThat(m & ~0x8080808080808080L).isZero(); // only high bits
        }
      }
    }
  }
}
