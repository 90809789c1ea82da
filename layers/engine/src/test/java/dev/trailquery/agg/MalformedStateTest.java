package dev.trailquery.agg;

import static dev.trailquery.agg.AggTesting.bytes;
import static dev.trailquery.agg.AggTesting.fn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.trailquery.value.Timestamp;
import dev.trailquery.value.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

/** Truncated, mis-versioned, garbled and hostile images: an IOException, never anything else. */
class MalformedStateTest {

  private static AggregateFunction function(String name) {
    return name.equals("pct") ? fn(name, 50) : fn(name);
  }

  /** Images of every aggregate: empty, a few rows, a few hundred, and past the exact limits. */
  private static List<byte[]> images(AggregateFunction f) {
    List<byte[]> out = new ArrayList<>();
    Random rnd = new Random(11);
    for (int n : new int[] {0, 5, 300}) {
      Accumulator acc = f.create();
      for (StateCompatTest.Row r : StateCompatTest.mixedRows(rnd, n)) {
        acc.add(r.value(), r.millis());
      }
      out.add(bytes(acc));
    }
    Accumulator big = f.create();
    for (StateCompatTest.Row r : StateCompatTest.distinctRows(rnd, 14_000)) {
      big.add(r.value(), r.millis());
    }
    out.add(bytes(big));
    return out;
  }

  /** Reads; on success the state must be usable. Anything but an IOException fails. */
  private static boolean probe(AggregateFunction f, byte[] image, String what) {
    Accumulator acc;
    try {
      acc = f.read(new DataInputStream(new ByteArrayInputStream(image)));
    } catch (IOException e) {
      return false;
    } catch (Throwable t) {
      throw new AssertionError(
          what
              + ": "
              + t
              + " reading "
              + HexFormat.of().formatHex(image, 0, Math.min(64, image.length)),
          t);
    }
    try {
      acc.result();
      acc.sizeBytes();
      Accumulator again = f.read(new DataInputStream(new ByteArrayInputStream(bytes(acc))));
      again.merge(acc);
      Accumulator fresh = f.create();
      fresh.merge(acc);
      acc.add(1.0, 0);
      acc.add("x", 0);
      acc.result();
      again.result();
    } catch (Throwable t) {
      throw new AssertionError(what + ": accepted state fails later: " + t, t);
    }
    return true;
  }

  @Test
  void everyTruncationIsAnIOException() {
    for (String name : Aggregates.names()) {
      AggregateFunction f = function(name);
      Random rnd = new Random(name.hashCode());
      for (byte[] image : images(f)) {
        List<Integer> lengths = new ArrayList<>();
        for (int n = 0; n < image.length; n++) {
          if (image.length < 2000 || n < 64 || n > image.length - 64 || rnd.nextInt(50) == 0) {
            lengths.add(n);
          }
        }
        for (int n : lengths) {
          byte[] prefix = Arrays.copyOf(image, n);
          assertThatThrownBy(() -> f.read(new DataInputStream(new ByteArrayInputStream(prefix))))
              .as("%s image of %d bytes cut to %d", name, image.length, n)
              .isInstanceOf(IOException.class);
        }
      }
    }
  }

  @Test
  void anotherVersionIsRejectedByName() {
    for (String name : Aggregates.names()) {
      AggregateFunction f = function(name);
      for (int version : new int[] {0, 2, 255}) {
        byte[] image = bytes(f.create());
        image[0] = (byte) version;
        assertThatThrownBy(() -> f.read(new DataInputStream(new ByteArrayInputStream(image))))
            .isInstanceOf(IOException.class)
            .hasMessage("state version " + version + " not recognized, expected 1");
      }
    }
  }

  @Test
  void anotherAggregatesStateIsRejected() {
    for (String name : Aggregates.names()) {
      AggregateFunction f = function(name);
      for (String otherName : Aggregates.names()) {
        if (otherName.equals(name)) {
          continue;
        }
        byte[] image = bytes(function(otherName).create());
        assertThatThrownBy(() -> f.read(new DataInputStream(new ByteArrayInputStream(image))))
            .isInstanceOf(IOException.class)
            .hasMessage("state of " + otherName + " where one of " + name + " was expected");
      }
      byte[] unknown = bytes(f.create());
      unknown[1] = 99;
      assertThatThrownBy(() -> f.read(new DataInputStream(new ByteArrayInputStream(unknown))))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("unknown aggregate kind 99");
    }
  }

  @Test
  void garbageAfterAValidHeaderIsRejectedOrHarmless() {
    Random rnd = new Random(3);
    for (String name : Aggregates.names()) {
      AggregateFunction f = function(name);
      byte[] header = Arrays.copyOf(bytes(f.create()), 2);
      for (int i = 0; i < 3000; i++) {
        byte[] image = new byte[2 + rnd.nextInt(i % 10 == 0 ? 5000 : 40)];
        rnd.nextBytes(image);
        image[0] = header[0];
        image[1] = header[1];
        if (rnd.nextBoolean() && image.length > 2) {
          image[2] = (byte) rnd.nextInt(3); // a plausible mode / flags / presence byte
        }
        probe(f, image, name + " garbage " + i);
      }
      for (int i = 0; i < 200; i++) {
        byte[] image = new byte[rnd.nextInt(64)];
        rnd.nextBytes(image);
        probe(f, image, name + " pure garbage " + i);
      }
    }
  }

  @Test
  void mutatedImagesAreRejectedOrHarmless() {
    Random rnd = new Random(5);
    for (String name : Aggregates.names()) {
      AggregateFunction f = function(name);
      for (byte[] image : images(f)) {
        int rounds = image.length > 2000 ? 600 : 300;
        for (int i = 0; i < rounds; i++) {
          byte[] mutated = image.clone();
          int flips = 1 + rnd.nextInt(3);
          for (int j = 0; j < flips && mutated.length > 2; j++) {
            int at = 2 + rnd.nextInt(mutated.length - 2);
            mutated[at] =
                rnd.nextInt(4) == 0
                    ? (byte) rnd.nextInt(256)
                    : (byte) (mutated[at] ^ (1 << rnd.nextInt(8)));
          }
          probe(f, mutated, name + " mutation " + i);
        }
      }
    }
  }

  // ---- specific lies ----------------------------------------------------------------------

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] image(Kind kind, Body body) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bos);
    StateIO.writeHeader(out, kind);
    body.write(out);
    return bos.toByteArray();
  }

  private static void assertRejected(AggregateFunction f, byte[] image, String message) {
    var thrown =
        assertThatThrownBy(() -> f.read(new DataInputStream(new ByteArrayInputStream(image))))
            .isInstanceOf(IOException.class);
    if (message != null) {
      thrown.hasMessageContaining(message);
    }
  }

  @Test
  void countsAndLengthsAreBounded() throws IOException {
    assertRejected(
        fn("count_distinct"),
        image(
            Kind.COUNT_DISTINCT,
            out -> {
              out.writeByte(0);
              ValueCodec.writeVarLong(out, 10_001);
            }),
        "distinct value count 10001 is outside [0, 10000]");
    assertRejected(
        fn("pct", 50),
        image(
            Kind.PCT,
            out -> {
              out.writeByte(0);
              ValueCodec.writeVarLong(out, 1L << 40);
            }),
        "value count 1099511627776 is outside [0, 10000]");
    // A string that claims 60 MiB but has 3 bytes: EOF, not a 60 MiB allocation.
    assertRejected(
        fn("sortsFirst"),
        image(
            Kind.SORTS_FIRST,
            out -> {
              out.writeByte(ValueCodec.TAG_STRING);
              ValueCodec.writeVarLong(out, 60 << 20);
              out.write(new byte[] {'a', 'b', 'c'});
            }),
        null);
    assertRejected(
        fn("count_distinct"),
        image(
            Kind.COUNT_DISTINCT,
            out -> {
              out.writeByte(1);
              ValueCodec.writeVarLong(out, (1 << 20) + 1);
            }),
        "sketch length 1048577 is outside [1, 1048576]");
    assertRejected(
        fn("count"), image(Kind.COUNT, out -> out.write(new byte[] {(byte) 0x80, 0})), "overlong");
  }

  @Test
  void exactStatesMustBeCanonical() throws IOException {
    assertRejected(
        fn("count_distinct"),
        image(
            Kind.COUNT_DISTINCT,
            out -> {
              out.writeByte(0);
              ValueCodec.writeVarLong(out, 2);
              ValueCodec.writeString(out, "b");
              ValueCodec.writeString(out, "a");
            }),
        "not in ascending order");
    assertRejected(
        fn("count_distinct"),
        image(
            Kind.COUNT_DISTINCT,
            out -> {
              out.writeByte(0);
              ValueCodec.writeVarLong(out, 2);
              ValueCodec.writeString(out, "a");
              ValueCodec.writeString(out, "a");
            }),
        "not in ascending order");
    assertRejected(
        fn("pct", 50),
        image(
            Kind.PCT,
            out -> {
              out.writeByte(0);
              ValueCodec.writeVarLong(out, 2);
              out.writeDouble(2);
              out.writeDouble(1);
            }),
        "not in ascending order");
    assertRejected(
        fn("pct", 50),
        image(
            Kind.PCT,
            out -> {
              out.writeByte(0);
              ValueCodec.writeVarLong(out, 1);
              out.writeDouble(Double.NaN);
            }),
        "NaN");
    assertRejected(fn("pct", 50), image(Kind.PCT, out -> out.writeByte(7)), "unknown pct mode 7");
  }

  @Test
  void impossibleNumbersAreRejected() throws IOException {
    assertRejected(
        fn("sum"),
        image(
            Kind.SUM,
            out -> {
              ValueCodec.writeVarLong(out, 0);
              out.writeDouble(5);
              out.writeDouble(0);
              out.writeDouble(5);
            }),
        "sum of no values is not 0");
    assertRejected(
        fn("avg"),
        image(
            Kind.AVG,
            out -> {
              ValueCodec.writeVarLong(out, 2);
              out.writeDouble(5);
              out.writeDouble(Double.NaN);
              out.writeDouble(5);
            }),
        "compensation NaN of a finite sum");
    assertRejected(
        fn("variance"),
        image(
            Kind.VARIANCE,
            out -> {
              ValueCodec.writeVarLong(out, 3);
              out.writeDouble(1);
              out.writeDouble(-2);
            }),
        "sum of squared deviations -2.0");
    assertRejected(
        fn("stddev"),
        image(
            Kind.STDDEV,
            out -> {
              ValueCodec.writeVarLong(out, 3);
              out.writeDouble(1);
              out.writeDouble(Double.NaN);
            }),
        "sum of squared deviations NaN");
    assertRejected(
        fn("max"),
        image(
            Kind.MAX,
            out -> {
              out.writeByte(1);
              out.writeDouble(Double.NaN);
            }),
        "number is NaN");
    assertRejected(
        fn("min"),
        image(
            Kind.MIN,
            out -> {
              out.writeByte(4);
              ValueCodec.writeString(out, "12");
            }),
        "is a number");
    assertRejected(fn("min"), image(Kind.MIN, out -> out.writeByte(5)), "inconsistent flags");
    assertRejected(fn("min"), image(Kind.MIN, out -> out.writeByte(8)), "unknown flags");
    assertRejected(
        fn("earliest"),
        image(
            Kind.EARLIEST,
            out -> {
              out.writeByte(1);
              out.writeLong(5);
              ValueCodec.write(out, null);
            }),
        "value is missing");
    assertRejected(
        fn("latest"), image(Kind.LATEST, out -> out.writeByte(2)), "unknown presence byte 2");
  }

  @Test
  void foreignSketchesAreRejected() throws IOException {
    HllSketch hll = new HllSketch(11, TgtHllType.HLL_4);
    for (int i = 0; i < 20_000; i++) {
      hll.update(i);
    }
    assertRejected(
        fn("count_distinct"),
        image(
            Kind.COUNT_DISTINCT,
            out -> {
              out.writeByte(1);
              StateIO.writeSketchBytes(out, hll.toCompactByteArray());
            }),
        "lgK 11, flags 0x08, mode 2] is not a compact HLL_4 image of lgK 12");

    KllDoublesSketch k100 = KllDoublesSketch.newHeapInstance(100);
    KllDoublesSketch small = KllDoublesSketch.newHeapInstance(200);
    for (int i = 0; i < 20_000; i++) {
      k100.update(i);
      if (i < 50) {
        small.update(i);
      }
    }
    assertRejected(
        fn("pct", 50),
        image(
            Kind.PCT,
            out -> {
              out.writeByte(1);
              StateIO.writeSketchBytes(out, k100.toByteArray());
            }),
        "k 100, m 8] is not a full KLL doubles image of k 200");
    assertRejected(
        fn("pct", 50),
        image(
            Kind.PCT,
            out -> {
              out.writeByte(1);
              StateIO.writeSketchBytes(out, small.toByteArray());
            }),
        "KLL sketch of 50 values");
    // An HLL image where a KLL one belongs, and the reverse.
    assertRejected(
        fn("pct", 50),
        image(
            Kind.PCT,
            out -> {
              out.writeByte(1);
              StateIO.writeSketchBytes(out, hll.toCompactByteArray());
            }),
        "KLL");
    byte[] kllBytes = k100.toByteArray();
    assertThat(KllDoublesSketch.heapify(MemorySegment.ofArray(kllBytes)).getN()).isEqualTo(20_000);
    assertRejected(
        fn("count_distinct"),
        image(
            Kind.COUNT_DISTINCT,
            out -> {
              out.writeByte(1);
              StateIO.writeSketchBytes(out, kllBytes);
            }),
        "HLL");
  }

  @Test
  void timestampsSurviveInValueStates() throws IOException {
    AggregateFunction f = fn("latest");
    Accumulator acc = f.create();
    acc.add(new Timestamp(7), 7);
    Accumulator back = f.read(new DataInputStream(new ByteArrayInputStream(bytes(acc))));
    assertThat(back.result()).isEqualTo(new Timestamp(7));
    if (!probe(f, bytes(acc), "valid")) {
      fail("a valid image was rejected");
    }
  }
}
