package dev.trailquery.read;

import static dev.trailquery.read.Fixtures.event;
import static dev.trailquery.read.Fixtures.read;
import static dev.trailquery.read.Fixtures.reader;
import static dev.trailquery.read.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.read.ObjectResult.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * However the input arrives (tiny reads, huge whitespace, records bigger than the buffer), the
 * records and the text cut out of them are the same.
 */
class ChunkingTest {
  static final CloudTrailReader R =
      reader(
          true,
          "eventName",
          "requestParameters",
          "responseElements",
          "userIdentity",
          "resources",
          "userIdentity.sessionContext");

  /** Serves at most a few bytes per read. */
  static InputStream trickle(byte[] data, long seed) {
    Random rnd = new Random(seed);
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1 + rnd.nextInt(13)));
      }
    };
  }

  static void assertSame(Fixtures.Read a, Fixtures.Read b) {
    assertThat(b.status()).isEqualTo(a.status());
    assertThat(b.count()).isEqualTo(a.count());
    for (int i = 0; i < a.count(); i++) {
      assertThat(b.got().get(i).row()).containsExactly(a.got().get(i).row());
      assertThat(b.got().get(i).message()).isEqualTo(a.got().get(i).message());
      assertThat(b.got().get(i).ts()).isEqualTo(a.got().get(i).ts());
    }
  }

  @Test
  void trickledRealFilesReadTheSame() throws IOException {
    Path dir = Fixtures.repoRoot().resolve("samples/cloudtrail/invictus-aws-dataset/CloudTrail");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.sorted().limit(6).toList();
    }
    long seed = 0;
    for (Path f : files) {
      byte[] b = Files.readAllBytes(f);
      Fixtures.Read whole = read(R, b, f.toString());
      assertThat(whole.status()).isEqualTo(Status.OK);
      assertSame(whole, read(R, trickle(b, seed++), f.toString()));
      assertSame(whole, read(R, trickle(Fixtures.gzip(b), seed++), f.toString()));
    }
  }

  @Test
  void hugeWhitespaceBetweenTokens() {
    String ws = " ".repeat(100_000) + "\n".repeat(70_000);
    String doc =
        ws
            + "{"
            + ws
            + "\"Records\""
            + ws
            + ":"
            + ws
            + "["
            + ws
            + event(0)
            + ws
            + ","
            + ws
            + event(1).replace("\"requestParameters\":", "\"requestParameters\":" + ws)
            + ws
            + "]"
            + ws
            + "}"
            + ws;
    CloudTrailReader r = reader(true, "eventName", "requestParameters");
    for (InputStream in : List.of(new ByteArrayInputStream(utf8(doc)), trickle(utf8(doc), 3))) {
      Fixtures.Read got = read(r, in, "x");
      assertThat(got.status()).isEqualTo(Status.OK);
      assertThat(got.column(0)).containsExactly("Event0", "Event1");
      assertThat(got.column(1))
          .containsExactly("{\"bucketName\":\"b0\",\"n\":0}", "{\"bucketName\":\"b1\",\"n\":1}");
      assertThat(got.got().get(0).message()).isEqualTo(event(0));
      assertThat(got.got().get(1).message()).isEqualTo(event(1));
    }
  }

  @Test
  void recordsLargerThanTheBuffer() {
    StringBuilder big =
        new StringBuilder(
            "{\"eventName\":\"Big\",\"eventVersion\":\"1.08\",\"requestParameters\":{\"items\":[");
    for (int i = 0; i < 60_000; i++) {
      big.append(i > 0 ? "," : "")
          .append("{\"k\":\"v")
          .append(i)
          .append("\",\"n\":")
          .append(i)
          .append('}');
    }
    big.append("]},\"tail\":\"end\"}");
    String bigRecord = big.toString(); // ~1.5 MB
    String doc = "[" + event(0) + "," + bigRecord + "," + event(2) + "]";
    CloudTrailReader r =
        reader(true, "eventName", "requestParameters", "requestParameters.items.59999.k", "tail");
    Fixtures.Read got = read(r, utf8(doc), "x");
    assertThat(got.status()).isEqualTo(Status.OK);
    assertThat(got.column(0)).containsExactly("Event0", "Big", "Event2");
    assertThat(got.got().get(1).message()).isEqualTo(bigRecord);
    String rp =
        bigRecord.substring(bigRecord.indexOf("{\"items\""), bigRecord.indexOf(",\"tail\""));
    assertThat(dev.trailquery.value.Values.toText(got.got().get(1).row()[1])).isEqualTo(rp);
    assertThat(got.got().get(1).row()[2]).isEqualTo("v59999");
    assertThat(got.got().get(1).row()[3]).isEqualTo("end");
    assertThat(got.got().get(2).message()).isEqualTo(event(2));
    assertSame(got, read(r, trickle(utf8(doc), 9), "x"));
  }
}
