package dev.trailquery.read;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Shared test helpers: the repository's data folders, sinks, gzip. */
final class Fixtures {
  private Fixtures() {}

  /** The repository root: the nearest folder above the working directory holding samples/. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("samples/cloudtrail"))) {
        return d;
      }
    }
    throw new IllegalStateException("no samples/ folder above " + dir);
  }

  /** One delivered record. */
  record Got(Object[] row, long ts, String message, int index) {}

  /** A sink that keeps everything. */
  static final class Collect implements RecordSink {
    final List<Got> got = new ArrayList<>();

    @Override
    public boolean accept(Object[] row, long timestampMillis, String message, int index) {
      got.add(new Got(row, timestampMillis, message, index));
      return true;
    }
  }

  /** The outcome of one read. */
  record Read(ObjectResult result, List<Got> got) {
    ObjectResult.Status status() {
      return result.status();
    }

    int count() {
      return got.size();
    }

    /** Column {@code slot} of every record. */
    List<Object> column(int slot) {
      List<Object> c = new ArrayList<>();
      for (Got g : got) {
        c.add(g.row()[slot] instanceof dev.trailquery.value.JsonValue j ? j.text() : g.row()[slot]);
      }
      return c;
    }
  }

  static Read read(CloudTrailReader reader, byte[] data, String name) {
    return read(reader, new ByteArrayInputStream(data), name);
  }

  static Read read(CloudTrailReader reader, InputStream in, String name) {
    Collect c = new Collect();
    ObjectResult r = reader.read(in, name, c);
    return new Read(r, c.got);
  }

  static Read read(CloudTrailReader reader, String text) {
    return read(reader, text.getBytes(StandardCharsets.UTF_8), "test.json");
  }

  /** A reader for {@code paths} in slots 0..n-1, with or without the message. */
  static CloudTrailReader reader(boolean message, String... paths) {
    int[] slots = new int[paths.length];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = i;
    }
    return new CloudTrailReader(new ReadRequest(List.of(paths), slots, paths.length, message));
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] gunzipIfNeeded(byte[] data) throws IOException {
    if (data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
        return in.readAllBytes();
      }
    }
    return data;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A small CloudTrail-like event as compact JSON. */
  static String event(int i) {
    return "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"u"
        + i
        + "\"},\"eventTime\":\"2023-07-10T12:"
        + String.format("%02d", i % 60)
        + ":00Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"Event"
        + i
        + "\",\"requestParameters\":{\"bucketName\":\"b"
        + i
        + "\",\"n\":"
        + i
        + "},\"readOnly\":true}";
  }

  /** Epoch ms of {@link #event}{@code (i)}'s eventTime, worked out by java.time. */
  static long eventMillis(int i) {
    return java.time.Instant.parse(String.format("2023-07-10T12:%02d:00Z", i % 60)).toEpochMilli();
  }
}
