package dev.trailquery.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Edges of the value model: number text, comparisons across types, the codec's UTF-8 ranges. */
class ValueEdgesTest {

  @Test
  void numbersPrintWithoutExponentBetweenAMillionthAndTenToTheTwentyOne() {
    assertThat(Values.formatNumber(1e-4)).isEqualTo("0.0001");
    assertThat(Values.formatNumber(1e-6)).isEqualTo("0.000001");
    assertThat(Values.formatNumber(2.5e-5)).isEqualTo("0.000025");
    assertThat(Values.formatNumber(-0.0004)).isEqualTo("-0.0004");
    assertThat(Values.formatNumber(1.5e20)).isEqualTo("150000000000000000000");
    assertThat(Values.formatNumber(12_345_678.5)).isEqualTo("12345678.5");
    assertThat(Values.formatNumber(1e18)).isEqualTo("1000000000000000000");
    // outside: Java's own text
    assertThat(Values.formatNumber(1e21)).isEqualTo("1.0E21");
    assertThat(Values.formatNumber(9e-7)).isEqualTo("9.0E-7");
    assertThat(Values.formatNumber(Double.NaN)).isEqualTo("NaN");
    assertThat(Values.formatNumber(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
  }

  @Test
  void numericTextReadsAsANumberWhenItIsWhollyOne() {
    assertThat(Values.parseNumber("1e-5")).isEqualTo(1e-5);
    assertThat(Values.parseNumber("2E+3")).isEqualTo(2000.0);
    assertThat(Values.parseNumber("+.5")).isEqualTo(0.5);
    assertThat(Values.parseNumber("7.")).isEqualTo(7.0);
    for (String no : new String[] {"-", "+", ".", "1e", "1e+", "e5", "1e5.5", "1.2.3", "0x10"}) {
      assertThat(Values.parseNumber(no)).as(no).isNull();
    }
    String sixtyFour = "1" + "0".repeat(63);
    assertThat(Values.parseNumber(sixtyFour)).isEqualTo(1e63);
    assertThat(Values.parseNumber(sixtyFour + "0")).isNull(); // 65 characters: not read
  }

  @Test
  void comparisonsAcrossTypes() {
    // a number and a non-numeric string compare as text: "5" < "abc"
    assertThat(Values.compare(5.0, "abc")).isNegative();
    assertThat(Values.compare("abc", 5.0)).isPositive();
    // a boolean and a non-numeric string compare as "true"/"false"
    assertThat(Values.compare(true, "true")).isZero();
    assertThat(Values.compare("false", false)).isZero();
    assertThat(Values.compare(true, "abc")).isPositive(); // "true" > "abc"
    assertThat(Values.compare("u", true)).isPositive(); // "u" > "true"
    assertThat(Values.compare(true, 1.0)).isZero(); // numeric: true is 1
    assertThat(Values.isMissing(null)).isTrue();
    assertThat(Values.isMissing("")).isFalse();
  }

  @Test
  void naturalOrderBreaksNumericTiesByTextAndReadsBooleansAsNumbers() {
    NaturalOrder o = NaturalOrder.INSTANCE;
    assertThat(o.compare("1.0", "1")).isPositive(); // equal numbers, then "1.0" > "1"
    assertThat(o.compare("1", "1.0")).isNegative();
    assertThat(o.compare(true, false)).isPositive();
    assertThat(o.compare(true, 0.5)).isPositive(); // true is 1
    assertThat(o.compare(false, 0.5)).isNegative();
  }

  @Test
  void timestampsOrderByTimeAndPrintAsLogsInsightsShowsThem() {
    Timestamp a = new Timestamp(Instant.parse("2026-01-02T03:04:05.006Z").toEpochMilli());
    assertThat(a).hasToString("2026-01-02 03:04:05.006");
    assertThat(a.compareTo(new Timestamp(a.millis() + 1))).isNegative();
    assertThat(new Timestamp(a.millis() + 1).compareTo(a)).isPositive();
  }

  @Test
  void quartersAndYearsStepByTheirMultiple() {
    long jan = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    assertThat(Periods.of(2, "q").next(jan))
        .isEqualTo(Instant.parse("2026-07-01T00:00:00Z").toEpochMilli());
    assertThat(Periods.of(2, "y").next(jan))
        .isEqualTo(Instant.parse("2028-01-01T00:00:00Z").toEpochMilli());
    assertThat(Periods.of(5, "mo").next(jan))
        .isEqualTo(Instant.parse("2026-06-01T00:00:00Z").toEpochMilli());
  }

  static String roundTrip(String s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ValueCodec.writeString(new DataOutputStream(bytes), s);
    return ValueCodec.readString(
        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }

  @Test
  void textAtEveryUtf8LengthBoundaryRoundTrips() throws IOException {
    // the last and first code points of the 1-, 2-, 3- and 4-byte forms
    for (int cp : new int[] {0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF}) {
      String s = "a" + new String(Character.toChars(cp)) + "b";
      assertThat(roundTrip(s)).as(Integer.toHexString(cp)).isEqualTo(s);
      assertThat(ValueCodec.encode(s))
          .as(Integer.toHexString(cp))
          .isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void textWithSurrogatesIsEncodedByHandAtEveryLengthBoundary() throws IOException {
    // a surrogate pair in the text takes the hand-written encoder (WTF-8 capable)
    String pair = new String(Character.toChars(0x1F600));
    for (int cp : new int[] {0x7F, 0x80, 0x7FF, 0x800, 0xFFFF}) {
      String s = new String(Character.toChars(cp)) + pair;
      assertThat(ValueCodec.encode(s))
          .as(Integer.toHexString(cp))
          .isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(roundTrip(s)).isEqualTo(s);
    }
  }

  @Test
  void mapsAndListsRoundTripAndForeignTextIsRefused() throws IOException {
    Object v = JsonValue.parse("{\"a\":[1,\"x\",null],\"b\":{}}");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ValueCodec.write(new DataOutputStream(bytes), v);
    Object back =
        ValueCodec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(back).isEqualTo(v);
    assertThat(Values.toText(back)).isEqualTo("{\"a\":[1,\"x\",null],\"b\":{}}");
    // the same image with the text replaced by something that is not an object or array
    byte[] image = bytes.toByteArray();
    ByteArrayOutputStream bad = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bad);
    out.writeByte(image[0]); // the map-or-list tag
    ValueCodec.writeString(out, "42");
    assertThatThrownBy(
            () -> ValueCodec.read(new DataInputStream(new ByteArrayInputStream(bad.toByteArray()))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a JSON object or array");
  }

  @Test
  void longByteRunsAreReadInGrowingChunks() throws IOException {
    byte[] data = new byte[3 * 65_536 + 5];
    new Random(3).nextBytes(data);
    assertThat(
            ValueCodec.readBytes(new DataInputStream(new ByteArrayInputStream(data)), data.length))
        .isEqualTo(data);
  }
}
