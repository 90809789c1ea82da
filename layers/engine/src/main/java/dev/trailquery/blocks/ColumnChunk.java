package dev.trailquery.blocks;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.read.ReadRequest;
import dev.trailquery.value.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Version 2 of a chunk: the records' origins, times and the most queried fields as columns, then
 * the records' JSON, each part compressed with zstd.
 *
 * <pre>
 * "TQC2" | meta length (i32, big-endian) | meta (one zstd frame) | records (one zstd frame, NDJSON)
 * meta:    records n, JSON bytes, origins (as version 1: containers, keys, per record key ordinal and
 *          index in its raw object), times (per record: 0 when untimed, else zigzag(delta) + 1),
 *          columns (count; each: path, byte length, dictionary size, values, n dictionary
 *          references: 0 missing, i + 1 the i-th value); all integers varints
 * value:   0 string (varint UTF-8 length, bytes) | 1 number (IEEE 754 double, 8 bytes) | 2 true |
 *          3 false | 4 object or array (its compact JSON text, as a string)
 * </pre>
 *
 * <p>A column holds, per record, exactly the value the engine's {@link CloudTrailReader} gave for
 * its path when the chunk was written (a string, a number, a boolean, an object's compact JSON
 * text, or missing). A query whose record fields are all columns and that does not read
 * {@code @message} is answered from the meta alone: the records' JSON is skipped without being
 * decompressed or parsed. Any other query reads the JSON with the same reader as raw objects. Both
 * give the same rows.
 */
public final class ColumnChunk {
  static final byte[] MAGIC = {'T', 'Q', 'C', '2'};

  /**
   * The most a chunk's meta may decompress to (a damaged length is an error, not an allocation).
   */
  static final int MAX_META_BYTES = 256 << 20;

  /**
   * The fields kept as columns: those with few values per chunk that full scans group and filter by
   * (the fields CloudWatch Logs Insights indexes for CloudTrail, plus the identity's type and
   * account). Fields with many values (source IPs, ARNs, user agents, ids) are not: as columns they
   * doubled their bytes in storage (docs/BLOCKS.md, "Block format"); queries on them read the JSON.
   * Changing this list changes only new chunks (each chunk names its own columns).
   */
  public static final List<String> COLUMNS =
      List.of(
          "eventVersion",
          "eventSource",
          "eventName",
          "awsRegion",
          "recipientAccountId",
          "errorCode",
          "readOnly",
          "eventType",
          "eventCategory",
          "managementEvent",
          "userIdentity.type",
          "userIdentity.accountId",
          "userIdentity.invokedBy");

  private ColumnChunk() {}

  /**
   * A record to write.
   *
   * @param values the reader's values of {@link #COLUMNS}, in that order (null when missing)
   */
  public record Entry(
      String container, String key, int index, long ts, Object[] values, String message) {}

  /** Encodes records (in the given order) as one version-2 chunk with zstd at {@code level}. */
  public static byte[] encode(List<Entry> entries, int level) throws IOException {
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(meta);
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    for (Entry e : entries) {
      json.write(e.message().getBytes(StandardCharsets.UTF_8));
      json.write('\n');
    }
    ChunkCodec.varint(d, entries.size());
    ChunkCodec.varint(d, json.size());
    origins(d, entries);
    long prev = 0;
    for (Entry e : entries) {
      if (e.ts() == Long.MIN_VALUE) {
        ChunkCodec.varint(d, 0);
      } else {
        long delta = e.ts() - prev;
        ChunkCodec.varint(d, ((delta << 1) ^ (delta >> 63)) + 1);
        prev = e.ts();
      }
    }
    ChunkCodec.varint(d, COLUMNS.size());
    for (int c = 0; c < COLUMNS.size(); c++) {
      ChunkCodec.string(d, COLUMNS.get(c));
      byte[] col = column(entries, c);
      ChunkCodec.varint(d, col.length);
      d.write(col);
    }
    d.flush();
    byte[] m;
    byte[] j;
    try (ZstdCompressCtx z = new ZstdCompressCtx()) {
      // with checksums: a damaged chunk fails to read, never reads as other values
      z.setLevel(level).setChecksum(true).setContentSize(true);
      m = z.compress(meta.toByteArray());
      j = z.compress(json.toByteArray());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 + m.length + j.length);
    out.write(MAGIC);
    DataOutputStream o = new DataOutputStream(out);
    o.writeInt(m.length);
    o.write(m);
    o.write(j);
    o.flush();
    return out.toByteArray();
  }

  private static void origins(DataOutputStream d, List<Entry> entries) throws IOException {
    Map<String, Integer> containers = new HashMap<>();
    List<String> containerList = new ArrayList<>();
    Map<String, Integer> keys = new HashMap<>();
    List<Object[]> keyList = new ArrayList<>();
    int[] keyOf = new int[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      String c = e.container() == null ? "" : e.container();
      Integer co = containers.get(c);
      if (co == null) {
        co = containerList.size();
        containers.put(c, co);
        containerList.add(c);
      }
      String id = co + "\n" + e.key();
      Integer ko = keys.get(id);
      if (ko == null) {
        ko = keyList.size();
        keys.put(id, ko);
        keyList.add(new Object[] {co, e.key()});
      }
      keyOf[i] = ko;
    }
    ChunkCodec.varint(d, containerList.size());
    for (String c : containerList) {
      ChunkCodec.string(d, c);
    }
    ChunkCodec.varint(d, keyList.size());
    for (Object[] k : keyList) {
      ChunkCodec.varint(d, (Integer) k[0]);
      ChunkCodec.string(d, (String) k[1]);
    }
    for (int i = 0; i < entries.size(); i++) {
      ChunkCodec.varint(d, keyOf[i]);
      ChunkCodec.varint(d, entries.get(i).index());
    }
  }

  private static byte[] column(List<Entry> entries, int c) throws IOException {
    Map<Object, Integer> dict = new HashMap<>();
    List<Object> values = new ArrayList<>();
    int[] ref = new int[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      Object v = entries.get(i).values()[c];
      if (v == null) {
        continue;
      }
      Integer r = dict.get(v);
      if (r == null) {
        values.add(v);
        r = values.size();
        dict.put(v, r);
      }
      ref[i] = r;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(out);
    ChunkCodec.varint(d, values.size());
    for (Object v : values) {
      switch (v) {
        case String s -> {
          d.writeByte(0);
          ChunkCodec.string(d, s);
        }
        case Double x -> {
          d.writeByte(1);
          d.writeDouble(x);
        }
        case Boolean b -> d.writeByte(b ? 2 : 3);
        case JsonValue j -> {
          d.writeByte(4);
          ChunkCodec.string(d, j.text());
        }
        default ->
            throw new IllegalArgumentException(
                "a column value the reader does not give: " + v.getClass().getName());
      }
    }
    for (int r : ref) {
      ChunkCodec.varint(d, r);
    }
    d.flush();
    return out.toByteArray();
  }

  /** Reads a version-2 chunk after its magic; {@code length} counts the whole chunk. */
  static ObjectResult read(
      DataInputStream in, long length, String name, CloudTrailReader reader, ChunkCodec.Sink sink)
      throws IOException {
    int mlen = in.readInt();
    if (mlen < 0 || mlen > length - 8) {
      throw new IOException("damaged block chunk header: " + name);
    }
    byte[] mz = new byte[mlen];
    in.readFully(mz);
    ChunkCodec.Bounded body = new ChunkCodec.Bounded(in, length - 8 - mlen);
    byte[] meta;
    try {
      long size = Zstd.getFrameContentSize(mz);
      if (size < 0 || size > MAX_META_BYTES) {
        throw new IOException("damaged block chunk header: " + name);
      }
      meta = Zstd.decompress(mz, (int) size);
    } catch (ZstdException | IllegalArgumentException e) {
      throw new IOException("damaged block chunk header: " + name + ": " + e.getMessage(), e);
    }
    Meta m;
    try {
      m = Meta.parse(meta);
    } catch (IOException | RuntimeException e) {
      throw new IOException("damaged block chunk header: " + name, e);
    }
    ReadRequest request = reader.request();
    ObjectResult r =
        !request.needMessage() && m.hasAll(request.paths())
            ? fromColumns(m, mlen + 8, request, sink)
            : fromJson(m, body, name, reader, sink);
    body.drain();
    if (r.status() != ObjectResult.Status.OK || r.records() != m.n) {
      throw new IOException(
          "damaged block chunk "
              + name
              + ": "
              + r.status()
              + ", "
              + r.records()
              + " of "
              + m.n
              + " records"
              + (r.error() == null ? "" : ": " + r.error()));
    }
    return new ObjectResult(r.status(), r.records(), length, m.jsonBytes, r.seenPaths(), null);
  }

  private static ObjectResult fromJson(
      Meta m, InputStream body, String name, CloudTrailReader reader, ChunkCodec.Sink sink)
      throws IOException {
    int n = m.n;
    try (ZstdInputStreamNoFinalizer z = new ZstdInputStreamNoFinalizer(body)) {
      return reader.read(
          z,
          name,
          (row, ts, message, i) -> {
            if (i >= n) {
              throw new IllegalStateException("more records than the chunk header names");
            }
            String c = m.container[i];
            return sink.accept(row, ts, message, c.isEmpty() ? null : c, m.key[i], m.index[i]);
          });
    }
  }

  private static ObjectResult fromColumns(
      Meta m, long bytes, ReadRequest request, ChunkCodec.Sink sink) throws IOException {
    List<String> paths = request.paths();
    int[] slots = request.slots();
    int width = request.rowWidth();
    Object[][] dicts = new Object[paths.size()][];
    int[][] refs = new int[paths.size()][];
    BitSet seen = new BitSet();
    for (int p = 0; p < paths.size(); p++) {
      Column c = m.column(paths.get(p));
      dicts[p] = c.values;
      refs[p] = c.refs;
      if (c.values.length > 1) {
        seen.set(p);
      }
    }
    int n = m.n;
    long delivered = 0;
    for (int i = 0; i < n; i++) {
      Object[] row = new Object[width];
      for (int p = 0; p < dicts.length; p++) {
        row[slots[p]] = dicts[p][refs[p][i]];
      }
      String c = m.container[i];
      delivered++;
      if (!sink.accept(row, m.ts[i], null, c.isEmpty() ? null : c, m.key[i], m.index[i])) {
        break;
      }
    }
    return new ObjectResult(ObjectResult.Status.OK, delivered, bytes, m.jsonBytes, seen, null);
  }

  /** A column decoded: {@code values[0]} is null (missing), {@code refs[i]} the record's value. */
  private record Column(Object[] values, int[] refs) {}

  /** A chunk's decoded meta; columns are decoded only when asked for. */
  private static final class Meta {
    int n;
    long jsonBytes;
    String[] container;
    String[] key;
    int[] index;
    long[] ts;
    final Map<String, int[]> columns = new HashMap<>(); // path -> {offset, length} in bytes
    byte[] bytes;

    static Meta parse(byte[] bytes) throws IOException {
      Meta m = new Meta();
      m.bytes = bytes;
      Cursor d = new Cursor(bytes);
      m.n = d.varint();
      m.jsonBytes = d.varlong();
      String[] containers = new String[d.varint()];
      for (int i = 0; i < containers.length; i++) {
        containers[i] = d.string();
      }
      int nk = d.varint();
      String[] keyContainer = new String[nk];
      String[] keys = new String[nk];
      for (int i = 0; i < nk; i++) {
        keyContainer[i] = containers[d.varint()];
        keys[i] = d.string();
      }
      int n = m.n;
      if (n > bytes.length) {
        throw new IOException("more records than bytes");
      }
      m.container = new String[n];
      m.key = new String[n];
      m.index = new int[n];
      for (int i = 0; i < n; i++) {
        int k = d.varint();
        m.container[i] = keyContainer[k];
        m.key[i] = keys[k];
        m.index[i] = d.varint();
      }
      m.ts = new long[n];
      long prev = 0;
      for (int i = 0; i < n; i++) {
        long z = d.varlong();
        if (z == 0) {
          m.ts[i] = Long.MIN_VALUE;
        } else {
          z--;
          prev += (z >>> 1) ^ -(z & 1);
          m.ts[i] = prev;
        }
      }
      int nc = d.varint();
      for (int c = 0; c < nc; c++) {
        String path = d.string();
        int len = d.varint();
        if (len > bytes.length - d.pos) {
          throw new IOException("column past the end");
        }
        m.columns.put(path, new int[] {d.pos, len});
        d.pos += len;
      }
      return m;
    }

    boolean hasAll(List<String> paths) {
      for (String p : paths) {
        if (!columns.containsKey(p)) {
          return false;
        }
      }
      return true;
    }

    Column column(String path) throws IOException {
      int[] at = columns.get(path);
      Cursor d = new Cursor(bytes);
      d.pos = at[0];
      int end = at[0] + at[1];
      int size = d.varint();
      if (size > at[1]) {
        throw new IOException("damaged column " + path);
      }
      Object[] values = new Object[size + 1];
      for (int i = 1; i <= size; i++) {
        int tag = d.u8();
        values[i] =
            switch (tag) {
              case 0 -> d.string();
              case 1 -> Double.longBitsToDouble(d.i64());
              case 2 -> Boolean.TRUE;
              case 3 -> Boolean.FALSE;
              case 4 -> JsonValue.ofTrustedText(d.string());
              default -> throw new IOException("damaged column " + path + ": value tag " + tag);
            };
      }
      int[] refs = new int[n];
      for (int i = 0; i < n; i++) {
        int r = d.varint();
        if (r > size) {
          throw new IOException("damaged column " + path);
        }
        refs[i] = r;
      }
      if (d.pos != end) {
        throw new IOException("damaged column " + path + ": length");
      }
      return new Column(values, refs);
    }
  }

  /** Reads varints and strings from a byte array (bounds-checked by the array). */
  private static final class Cursor {
    final byte[] b;
    int pos;

    Cursor(byte[] b) {
      this.b = b;
    }

    int u8() throws IOException {
      if (pos >= b.length) {
        throw new IOException("past the end");
      }
      return b[pos++] & 0xff;
    }

    long varlong() throws IOException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int x = u8();
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new IOException("varint too long");
    }

    int varint() throws IOException {
      long v = varlong();
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new IOException("varint out of range");
      }
      return (int) v;
    }

    long i64() throws IOException {
      if (pos + 8 > b.length) {
        throw new IOException("past the end");
      }
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (b[pos++] & 0xff);
      }
      return v;
    }

    String string() throws IOException {
      int len = varint();
      if (len > b.length - pos) {
        throw new IOException("string past the end");
      }
      String s = new String(b, pos, len, StandardCharsets.UTF_8);
      pos += len;
      return s;
    }
  }

  /** For tests: the column paths a chunk's bytes hold. */
  static List<String> columnsOf(byte[] chunk) throws IOException {
    DataInputStream d = new DataInputStream(new ByteArrayInputStream(chunk));
    d.skipNBytes(4);
    byte[] mz = new byte[d.readInt()];
    d.readFully(mz);
    Meta m = Meta.parse(Zstd.decompress(mz, (int) Zstd.getFrameContentSize(mz)));
    return List.copyOf(m.columns.keySet());
  }
}
