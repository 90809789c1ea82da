package dev.trailquery.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueCodecTest {

  private static byte[] write(Object v) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    ValueCodec.write(new DataOutputStream(bos), v);
    return bos.toByteArray();
  }

  private static Object read(byte[] bytes) throws IOException {
    ByteArrayInputStream bis = new ByteArrayInputStream(bytes);
    Object v = ValueCodec.read(new DataInputStream(bis));
    assertThat(bis.available()).isZero();
    return v;
  }

  private static Object roundTrip(Object v) throws IOException {
    return read(write(v));
  }

  @Test
  void roundTripsEveryType() throws IOException {
    Object[] values = {
      null,
      "",
      "ConsoleLogin",
      "héllo € 𝄞 日本",
      0.0,
      -0.0,
      1.5,
      -1e-300,
      Double.MAX_VALUE,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Boolean.TRUE,
      Boolean.FALSE,
      new Timestamp(0),
      new Timestamp(1_700_000_000_123L),
      new Timestamp(Long.MIN_VALUE),
      new Timestamp(Long.MAX_VALUE),
    };
    for (Object v : values) {
      Object back = roundTrip(v);
      assertThat(back).as("round trip of %s", v).isEqualTo(v);
      if (v != null) {
        assertThat(back).hasSameClassAs(v);
      }
    }
    assertThat((Double) roundTrip(Double.NaN)).isNaN();
    assertThat(Double.doubleToRawLongBits((Double) roundTrip(-0.0)))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void tagsAndSizesAreCompact() throws IOException {
    assertThat(write(null)).containsExactly(0);
    assertThat(write(Boolean.FALSE)).containsExactly(3);
    assertThat(write(Boolean.TRUE)).containsExactly(4);
    assertThat(write("ab")).containsExactly(1, 2, 'a', 'b');
    assertThat(write(1.0)).hasSize(9).startsWith(2);
    assertThat(write(new Timestamp(1))).containsExactly(5, 0, 0, 0, 0, 0, 0, 0, 1);
  }

  @Test
  void validStringsAreStandardUtf8AndUnpairedSurrogatesRoundTrip() throws IOException {
    Random rnd = new Random(7);
    for (int i = 0; i < 2000; i++) {
      StringBuilder sb = new StringBuilder();
      int len = rnd.nextInt(20);
      for (int j = 0; j < len; j++) {
        int kind = rnd.nextInt(5);
        int cp =
            switch (kind) {
              case 0 -> rnd.nextInt(0x80);
              case 1 -> 0x80 + rnd.nextInt(0x780);
              case 2 -> 0x800 + rnd.nextInt(0xD000);
              case 3 -> 0x10000 + rnd.nextInt(0x100000);
              default -> 0xD800 + rnd.nextInt(0x800); // a lone surrogate, or half of one pair
            };
        sb.appendCodePoint(cp);
      }
      String s = sb.toString();
      assertThat(roundTrip(s)).isEqualTo(s);
      boolean wellFormed = s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
      if (wellFormed) {
        assertThat(ValueCodec.encode(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
      }
    }
    for (String s : new String[] {"\ud800", "\udc00x", "\ud800\ud800", "a\udbff", "\udc00\ud800"}) {
      assertThat(roundTrip(s)).isEqualTo(s);
    }
  }

  @Test
  void longStringsAreReadInChunks() throws IOException {
    String s = "x€".repeat(100_000);
    assertThat(roundTrip(s)).isEqualTo(s);
  }

  @Test
  void unknownTagIsRejected() {
    assertThatThrownBy(() -> read(new byte[] {9}))
        .isInstanceOf(IOException.class)
        .hasMessage("unknown value tag 9");
    assertThatThrownBy(() -> read(new byte[] {(byte) 200}))
        .isInstanceOf(IOException.class)
        .hasMessage("unknown value tag 200");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "80", // lone continuation byte
        "C0 80", // overlong NUL
        "C1 BF", // overlong
        "E0 80 80", // overlong 3-byte
        "F0 80 80 80", // overlong 4-byte
        "F4 90 80 80", // beyond U+10FFFF
        "F5 80 80 80", // invalid lead byte
        "FF",
        "C3", // truncated sequence
        "E2 82", // truncated sequence
        "C3 41", // bad continuation
        "ED A0 80 ED B0 80", // a surrogate pair written as two 3-byte sequences (CESU-8)
      })
  void malformedTextIsRejected(String hex) {
    String[] parts = hex.split(" ");
    byte[] body = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      body[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    byte[] image = new byte[body.length + 2];
    image[0] = ValueCodec.TAG_STRING;
    image[1] = (byte) body.length;
    System.arraycopy(body, 0, image, 2, body.length);
    assertThatThrownBy(() -> read(image))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed UTF-8");
  }

  @Test
  void truncatedValuesAreRejected() throws IOException {
    for (Object v : new Object[] {"hello", 2.5, new Timestamp(5)}) {
      byte[] full = write(v);
      for (int n = 0; n < full.length; n++) {
        byte[] prefix = java.util.Arrays.copyOf(full, n);
        assertThatThrownBy(() -> read(prefix)).isInstanceOf(IOException.class);
      }
    }
  }

  @Test
  void hugeDeclaredLengthFailsAtEndOfInputWithoutAllocatingIt() throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bos);
    out.writeByte(ValueCodec.TAG_STRING);
    ValueCodec.writeVarLong(out, ValueCodec.MAX_STRING_BYTES);
    out.write(new byte[1000]);
    assertThatThrownBy(() -> read(bos.toByteArray())).isInstanceOf(EOFException.class);

    ByteArrayOutputStream tooLong = new ByteArrayOutputStream();
    DataOutputStream out2 = new DataOutputStream(tooLong);
    out2.writeByte(ValueCodec.TAG_STRING);
    ValueCodec.writeVarLong(out2, ValueCodec.MAX_STRING_BYTES + 1L);
    assertThatThrownBy(() -> read(tooLong.toByteArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("longer than the limit");
  }

  @Test
  void varintsRoundTripAndHaveOneEncoding() throws IOException {
    long[] values = {0, 1, 127, 128, 16383, 16384, Integer.MAX_VALUE, 1L << 56, Long.MAX_VALUE};
    for (long v : values) {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      ValueCodec.writeVarLong(new DataOutputStream(bos), v);
      byte[] b = bos.toByteArray();
      assertThat(b.length).isEqualTo(v == 0 ? 1 : (64 - Long.numberOfLeadingZeros(v) + 6) / 7);
      assertThat(ValueCodec.readVarLong(new DataInputStream(new ByteArrayInputStream(b))))
          .isEqualTo(v);
    }
    byte[][] bad = {
      {(byte) 0x80, 0}, // overlong zero
      {
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0x80,
        1
      }, // more than 63 bits
      {(byte) 0x80}, // truncated
    };
    for (byte[] b : bad) {
      assertThatThrownBy(
              () -> ValueCodec.readVarLong(new DataInputStream(new ByteArrayInputStream(b))))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void writingSomethingOutsideTheValueModelIsAProgrammingError() {
    assertThatThrownBy(() -> write(42L)).isInstanceOf(IllegalArgumentException.class);
  }
}
