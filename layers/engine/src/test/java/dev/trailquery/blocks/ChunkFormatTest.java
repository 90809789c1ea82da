package dev.trailquery.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.read.ReadRequest;
import dev.trailquery.value.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chunk formats by their bytes: golden images of a version-1 chunk (gzip NDJSON, what blocks
 * written before version 2 hold) and of a version-2 chunk (columns + zstd) read back to
 * hand-written values, through the columns and through the JSON; damage is an error, never other
 * values.
 *
 * <p>Regenerate the images (only when a format is deliberately changed, with a new version) with
 * {@code -Dtrailquery.updateGolden=true}.
 */
class ChunkFormatTest {
  static final Path GOLDEN = Path.of("src/test/resources/blocks");

  static final String[] MESSAGES = {
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/alice\"},"
        + "\"eventTime\":\"2026-11-01T05:01:02Z\",\"eventSource\":\"signin.amazonaws.com\","
        + "\"eventName\":\"ConsoleLogin\",\"readOnly\":false,\"recipientAccountId\":\"111122223333\","
        + "\"errorMessage\":\"d\\u00e9nied \\\"x\\\"\",\"requestParameters\":{\"bucketName\":\"b1\"}}",
    "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":null},"
        + "\"eventTime\":\"2026-11-01T05:03:00Z\",\"eventSource\":\"s3.amazonaws.com\","
        + "\"eventName\":\"GetObject\",\"readOnly\":true,\"recipientAccountId\":444455556666,"
        + "\"eventType\":{\"agent\":\"sdk\"}}",
    "{\"eventVersion\":\"1.08\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\","
        + "\"readOnly\":\"true\",\"recipientAccountId\":\"111122223333\"}",
  };
  static final String[] CONTAINERS = {"trail", "trail", null};
  static final String[] KEYS = {"a/obj1.json.gz", "a/obj2.json.gz", "b/obj3.json"};
  static final int[] INDEXES = {0, 4, 2};

  /** The fields read, and per record the values the reader gives (by hand from MESSAGES). */
  static final List<String> PATHS =
      List.of("eventName", "readOnly", "recipientAccountId", "userIdentity.type", "eventType");

  static final Object[][] EXPECTED = {
    {"ConsoleLogin", false, "111122223333", "IAMUser", null},
    {
      "GetObject",
      true,
      4.44455556666E11,
      "AssumedRole",
      JsonValue.ofTrustedText("{\"agent\":\"sdk\"}")
    },
    {"GetObject", "true", "111122223333", null, null},
  };
  static final long[] TIMES = {
    java.time.Instant.parse("2026-11-01T05:01:02Z").toEpochMilli(),
    java.time.Instant.parse("2026-11-01T05:03:00Z").toEpochMilli(),
    Long.MIN_VALUE
  };

  /** A row as read: the values of PATHS, then ts, message, container, key, index. */
  record Got(List<Object> values, long ts, String message, String container, String key, int i) {}

  static List<Got> read(byte[] chunk, List<String> paths, boolean message) throws IOException {
    int[] slots = new int[paths.size()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = i;
    }
    CloudTrailReader reader =
        new CloudTrailReader(new ReadRequest(paths, slots, paths.size(), message));
    List<Got> out = new ArrayList<>();
    InputStream in = new ByteArrayInputStream(chunk);
    ObjectResult r =
        ChunkCodec.read(
            in,
            chunk.length,
            "golden",
            reader,
            (row, ts, m, c, k, i) -> {
              out.add(new Got(Arrays.asList(row.clone()), ts, m, c, k, i));
              return true;
            });
    assertThat(r.status()).isEqualTo(ObjectResult.Status.OK);
    assertThat(r.records()).isEqualTo(MESSAGES.length);
    assertThat(in.read()).as("the chunk is read to its end").isEqualTo(-1);
    return out;
  }

  static void check(List<Got> got, boolean message) {
    assertThat(got).hasSize(MESSAGES.length);
    for (int i = 0; i < MESSAGES.length; i++) {
      assertThat(got.get(i).values()).as("record " + i).containsExactly(EXPECTED[i]);
      assertThat(got.get(i).ts()).isEqualTo(TIMES[i]);
      assertThat(got.get(i).message()).isEqualTo(message ? MESSAGES[i] : null);
      assertThat(got.get(i).container()).isEqualTo(CONTAINERS[i]);
      assertThat(got.get(i).key()).isEqualTo(KEYS[i]);
      assertThat(got.get(i).i()).isEqualTo(INDEXES[i]);
    }
  }

  /** The entries the compactor would write: each column the reader's value of its path. */
  static List<ColumnChunk.Entry> entries() {
    List<String> cols = ColumnChunk.COLUMNS;
    int[] slots = new int[cols.size()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = i;
    }
    CloudTrailReader reader =
        new CloudTrailReader(new ReadRequest(cols, slots, slots.length, false));
    List<ColumnChunk.Entry> out = new ArrayList<>();
    for (int i = 0; i < MESSAGES.length; i++) {
      int n = i;
      reader.read(
          new ByteArrayInputStream(TrailFixture.utf8(MESSAGES[i])),
          "m",
          (row, ts, m, x) -> {
            out.add(
                new ColumnChunk.Entry(CONTAINERS[n], KEYS[n], INDEXES[n], ts, row, MESSAGES[n]));
            return true;
          });
    }
    return out;
  }

  static byte[] golden(String name, byte[] fresh) throws IOException {
    Path p = GOLDEN.resolve(name);
    if (Boolean.getBoolean("trailquery.updateGolden")) {
      Files.write(p, fresh);
    }
    return Files.readAllBytes(p);
  }

  static byte[] v1() throws IOException {
    List<ChunkCodec.Entry> v1 = new ArrayList<>();
    for (ColumnChunk.Entry e : entries()) {
      v1.add(new ChunkCodec.Entry(e.container(), e.key(), e.index(), e.message()));
    }
    return golden("chunk-v1.tqc", ChunkCodec.encodeV1(v1, 6));
  }

  static byte[] v2() throws IOException {
    return golden("chunk-v2.tqc", ColumnChunk.encode(entries(), 9));
  }

  @Test
  void versionOneGoldenImageReads() throws IOException {
    byte[] b = v1();
    assertThat(new String(b, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("TQC1");
    check(read(b, PATHS, true), true);
    check(read(b, PATHS, false), false);
  }

  @Test
  void versionTwoGoldenImageReadsFromColumnsAndFromJson() throws IOException {
    byte[] b = v2();
    assertThat(new String(b, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("TQC2");
    assertThat(ColumnChunk.columnsOf(b)).containsAll(PATHS);
    check(read(b, PATHS, false), false); // all in columns: the JSON is not read
    check(read(b, PATHS, true), true); // @message: through the JSON
    // a field not in the columns: through the JSON, same values for the others
    List<String> more = new ArrayList<>(PATHS);
    more.add("requestParameters.bucketName");
    more.add("userIdentity.arn");
    List<Got> got = read(b, more, false);
    assertThat(got.get(0).values().subList(PATHS.size(), more.size()))
        .containsExactly("b1", "arn:aws:iam::111122223333:user/alice");
    assertThat(got.get(1).values().subList(PATHS.size(), more.size())).containsOnlyNulls();
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).values().subList(0, PATHS.size())).containsExactly(EXPECTED[i]);
    }
  }

  @Test
  void todaysEncoderWritesWhatTheGoldenImageHolds() throws IOException {
    byte[] fresh = ColumnChunk.encode(entries(), 9);
    for (boolean m : new boolean[] {true, false}) {
      assertThat(read(fresh, PATHS, m)).isEqualTo(read(v2(), PATHS, m));
    }
  }

  @Test
  void aDamagedChunkIsAnErrorNeverOtherValues() throws IOException {
    byte[] b = v2();
    // every truncation and a flipped byte at every position: an error, or (a flip in bytes the
    // read does not depend on) exactly the golden values
    List<Got> good = read(b, PATHS, true);
    int errors = 0;
    for (int cut = 0; cut < b.length; cut++) {
      byte[] t = Arrays.copyOf(b, cut);
      assertThatThrownBy(() -> read(t, PATHS, true)).isInstanceOf(Exception.class);
    }
    for (int i = 4; i < b.length; i++) {
      byte[] f = b.clone();
      f[i] ^= 0x5a;
      for (boolean m : new boolean[] {true, false}) {
        try {
          List<Got> got = read(f, PATHS, m);
          assertThat(got).as("flip at " + i).isEqualTo(m ? good : read(b, PATHS, false));
        } catch (IOException | RuntimeException | AssertionError e) {
          if (e instanceof AssertionError a && a.getMessage().contains("flip at")) {
            throw a;
          }
          errors++;
        }
      }
    }
    assertThat(errors).isPositive();
  }
}
