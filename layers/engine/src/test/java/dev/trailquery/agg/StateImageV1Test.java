package dev.trailquery.agg;

import static dev.trailquery.agg.AggTesting.bytes;
import static dev.trailquery.agg.AggTesting.fn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Version-1 state images are a contract: partial states live in DynamoDB across deployments. These
 * bytes are written down once and never regenerated; a change here needs a new state version.
 */
class StateImageV1Test {

  private static void pinned(AggregateFunction f, Accumulator acc, String hex, Object result)
      throws IOException {
    byte[] expected = HexFormat.of().parseHex(hex.replace(" ", ""));
    assertThat(HexFormat.of().formatHex(bytes(acc))).isEqualTo(HexFormat.of().formatHex(expected));
    assertThat(AggTesting.read(f, expected).result()).isEqualTo(result);
  }

  private static Accumulator timed(AggregateFunction f, Object value, long millis) {
    Accumulator acc = f.create();
    acc.add(value, millis);
    return acc;
  }

  @Test
  void exactImages() throws IOException {
    AggregateFunction count = fn("count");
    pinned(count, AggTesting.over(count, 1.0, "x", null, true), "01 01 03", 3.0);

    AggregateFunction sum = fn("sum");
    pinned(
        sum,
        AggTesting.over(sum, 1.0, 2.0),
        "01 03 02 4008000000000000 0000000000000000 4008000000000000",
        3.0);
    AggregateFunction avg = fn("avg");
    pinned(avg, avg.create(), "01 04 00 0000000000000000 0000000000000000 0000000000000000", null);

    AggregateFunction min = fn("min");
    pinned(min, AggTesting.over(min, "abc", "abd"), "01 05 04 03 616263", "abc");
    AggregateFunction max = fn("max");
    pinned(
        max,
        AggTesting.over(max, new Timestamp(1), 0.5),
        "01 06 03 0000000000000001",
        new Timestamp(1));
    pinned(max, AggTesting.over(max, -2.0), "01 06 01 c000000000000000", -2.0);

    AggregateFunction distinct = fn("count_distinct");
    pinned(distinct, AggTesting.over(distinct, "b", "a", "b"), "01 02 00 02 0161 0162", 2.0);

    AggregateFunction pct = fn("pct", 50);
    pinned(
        pct, AggTesting.over(pct, 2.0, 1.0), "01 07 00 02 3ff0000000000000 4000000000000000", 1.0);

    AggregateFunction stddev = fn("stddev");
    pinned(
        stddev,
        AggTesting.over(stddev, 1.0, 3.0),
        "01 08 02 4000000000000000 4000000000000000",
        Math.sqrt(2));
    AggregateFunction variance = fn("variance");
    pinned(
        variance,
        AggTesting.over(variance, 1.0, 3.0),
        "01 09 02 4000000000000000 4000000000000000",
        2.0);

    AggregateFunction earliest = fn("earliest");
    pinned(earliest, timed(earliest, "x", 5), "01 0a 01 0000000000000005 01 01 78", "x");
    AggregateFunction latest = fn("latest");
    pinned(latest, latest.create(), "01 0b 00", null);

    AggregateFunction first = fn("sortsFirst");
    pinned(first, AggTesting.over(first, true), "01 0c 04", true);
    AggregateFunction last = fn("sortsLast");
    pinned(last, last.create(), "01 0d 00", null);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = StateImageV1Test.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void hllImageOfTwentyThousandDistinctValues() throws IOException {
    // Written by count_distinct over "v0" .. "v19999".
    byte[] image = resource("count_distinct-hll-v1.bin");
    Accumulator acc = AggTesting.read(fn("count_distinct"), image);
    assertThat(acc.result()).isEqualTo(20_057.0);
    acc.add("v0", 0);
    assertThat(acc.result()).isEqualTo(20_057.0);
  }

  @Test
  void kllImageOfOneToTwentyThousand() throws IOException {
    // Written by pct over 1 .. 20000 in order.
    byte[] image = resource("pct-kll-v1.bin");
    assertThat(AggTesting.read(fn("pct", 0), image).result()).isEqualTo(1.0);
    assertThat(AggTesting.read(fn("pct", 50), image).result()).isEqualTo(9_987.0);
    assertThat(AggTesting.read(fn("pct", 90), image).result()).isEqualTo(18_002.0);
    assertThat(AggTesting.read(fn("pct", 100), image).result()).isEqualTo(20_000.0);
  }
}
