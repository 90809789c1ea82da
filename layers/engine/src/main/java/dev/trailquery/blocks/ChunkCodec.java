package dev.trailquery.blocks;

import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.read.ObjectResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * One chunk's bytes: a small origin header, then its records as gzip NDJSON read by the engine's
 * own byte-skipping {@link CloudTrailReader}.
 *
 * <pre>
 * "TQC1" | header length (i32, big-endian) | header (deflate) | records (gzip, one JSON per line)
 * header: containers (varint n, UTF strings), keys (varint n, each container ordinal + UTF string),
 *         records (varint n, each key ordinal + record index in its raw object, varints)
 * </pre>
 *
 * The origin of each record (its raw object's container, key and record index) is what
 * {@code @log}, {@code @logStream}, {@code @ptr} and the engine's tie-breaking order see, so a
 * record read from a block is indistinguishable from the same record read from its raw object.
 */
public final class ChunkCodec {
  static final byte[] MAGIC = {'T', 'Q', 'C', '1'};

  private ChunkCodec() {}

  /** A record to write: its compact JSON text and origin. */
  public record Entry(String container, String key, int index, String message) {}

  /** Receives a chunk's records with their origins. */
  @FunctionalInterface
  public interface Sink {
    boolean accept(
        Object[] row,
        long timestampMillis,
        String message,
        String container,
        String key,
        int index);
  }

  /**
   * Encodes records (in the given order) as one version-1 chunk (gzip NDJSON). Blocks are written
   * as {@link ColumnChunk version 2}; this stays for the golden-image tests of the version-1
   * reader.
   */
  static byte[] encodeV1(List<Entry> entries, int gzipLevel) throws IOException {
    Map<String, Integer> containers = new HashMap<>();
    List<String> containerList = new ArrayList<>();
    Map<String, Integer> keys = new HashMap<>();
    List<String[]> keyList = new ArrayList<>();
    int[] keyOf = new int[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      String c = e.container() == null ? "" : e.container();
      int co =
          containers.computeIfAbsent(
              c,
              x -> {
                containerList.add(x);
                return containerList.size() - 1;
              });
      String id = co + "\n" + e.key();
      Integer ko = keys.get(id);
      if (ko == null) {
        ko = keyList.size();
        keys.put(id, ko);
        keyList.add(new String[] {Integer.toString(co), e.key()});
      }
      keyOf[i] = ko;
    }
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    try (DataOutputStream d =
        new DataOutputStream(
            new DeflaterOutputStream(header, new Deflater(Deflater.BEST_COMPRESSION), 4096))) {
      varint(d, containerList.size());
      for (String c : containerList) {
        string(d, c);
      }
      varint(d, keyList.size());
      for (String[] k : keyList) {
        varint(d, Integer.parseInt(k[0]));
        string(d, k[1]);
      }
      varint(d, entries.size());
      for (int i = 0; i < entries.size(); i++) {
        varint(d, keyOf[i]);
        varint(d, entries.get(i).index());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(MAGIC);
    byte[] h = header.toByteArray();
    new DataOutputStream(out).writeInt(h.length);
    out.write(h);
    try (OutputStream gz = new LevelGzip(out, gzipLevel)) {
      for (Entry e : entries) {
        gz.write(e.message().getBytes(StandardCharsets.UTF_8));
        gz.write('\n');
      }
    }
    return out.toByteArray();
  }

  /**
   * Reads one chunk of {@code length} bytes from {@code in} into {@code sink}. Throws {@link
   * IOException} when the chunk is damaged (its records do not match its header): a block is the
   * stack's own data, so damage is an error, never a silent partial answer.
   */
  public static ObjectResult read(
      InputStream in, long length, String name, CloudTrailReader reader, Sink sink)
      throws IOException {
    DataInputStream d = new DataInputStream(in);
    byte[] magic = new byte[4];
    d.readFully(magic);
    if (java.util.Arrays.equals(magic, ColumnChunk.MAGIC)) {
      return ColumnChunk.read(d, length, name, reader, sink);
    }
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IOException("not a trailquery block chunk: " + name);
    }
    int hlen = d.readInt();
    if (hlen < 0 || hlen > length - 8) {
      throw new IOException("damaged block chunk header: " + name);
    }
    byte[] h = new byte[hlen];
    d.readFully(h);
    String[] recContainer;
    String[] recKey;
    int[] recIndex;
    try (DataInputStream hd =
        new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(h)))) {
      String[] containers = new String[varintIn(hd)];
      for (int i = 0; i < containers.length; i++) {
        containers[i] = stringIn(hd);
      }
      int nk = varintIn(hd);
      String[] keyContainer = new String[nk];
      String[] keys = new String[nk];
      for (int i = 0; i < nk; i++) {
        keyContainer[i] = containers[varintIn(hd)];
        keys[i] = stringIn(hd);
      }
      int n = varintIn(hd);
      recContainer = new String[n];
      recKey = new String[n];
      recIndex = new int[n];
      for (int i = 0; i < n; i++) {
        int k = varintIn(hd);
        recContainer[i] = keyContainer[k];
        recKey[i] = keys[k];
        recIndex[i] = varintIn(hd);
      }
    } catch (RuntimeException e) {
      throw new IOException("damaged block chunk header: " + name, e);
    }
    Bounded body = new Bounded(in, length - 8 - hlen);
    int n = recKey.length;
    ObjectResult r =
        reader.read(
            body,
            name,
            (row, ts, message, i) -> {
              if (i >= n) {
                throw new IllegalStateException("more records than the chunk header names");
              }
              String c = recContainer[i];
              return sink.accept(row, ts, message, c.isEmpty() ? null : c, recKey[i], recIndex[i]);
            });
    body.drain();
    if (r.status() != ObjectResult.Status.OK || r.records() != n) {
      throw new IOException(
          "damaged block chunk "
              + name
              + ": "
              + r.status()
              + ", "
              + r.records()
              + " of "
              + n
              + " records"
              + (r.error() == null ? "" : ": " + r.error()));
    }
    return r;
  }

  static void varint(DataOutputStream d, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      d.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    d.writeByte((int) v);
  }

  static int varintIn(DataInputStream d) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = d.readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (v > Integer.MAX_VALUE) {
          throw new IOException("varint out of range");
        }
        return (int) v;
      }
    }
    throw new IOException("varint too long");
  }

  static void string(DataOutputStream d, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(d, b.length);
    d.write(b);
  }

  static String stringIn(DataInputStream d) throws IOException {
    int n = varintIn(d);
    if (n > (1 << 20)) {
      throw new EOFException("string too long");
    }
    byte[] b = new byte[n];
    d.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** gzip with a chosen level. */
  private static final class LevelGzip extends GZIPOutputStream {
    LevelGzip(OutputStream out, int level) throws IOException {
      super(out, 64 * 1024);
      def.setLevel(level);
    }
  }

  /** At most {@code left} bytes of a stream; never closes it. */
  static final class Bounded extends InputStream {
    private final InputStream in;
    private long left;

    Bounded(InputStream in, long left) {
      this.in = in;
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int r = in.read(b, off, (int) Math.min(len, left));
      if (r > 0) {
        left -= r;
      }
      return r;
    }

    /** Skips what is left of this range (to reach the next chunk of a ranged read). */
    void drain() throws IOException {
      while (left > 0) {
        long s = in.skip(left);
        if (s <= 0) {
          if (in.read() < 0) {
            return;
          }
          left--;
        } else {
          left -= s;
        }
      }
    }

    @Override
    public void close() {
      // the caller owns the stream
    }
  }
}
