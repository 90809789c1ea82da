package dev.trailquery.functions.store;

import dev.trailquery.value.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * What one CloudTrail object contributes to every subscription for the bins that start on one UTC
 * day: record counts per bin (one histogram per bin size in use) and, per subscription id, the
 * engine's partial state of each bin the object has matching records in. Subscriptions that were
 * evaluated but matched nothing are listed with no bins, so a reader knows the object was counted
 * for them.
 *
 * <p>Image: deflate of {@code "TQB" ver=1}, records, bytes, histograms (bin text, bins: start,
 * count), subscriptions (id, bins: start, state image length, state image). Everything is sorted,
 * so the same object evaluated for the same subscriptions gives the same bytes.
 */
public final class Bundle {
  private static final byte[] MAGIC = {'T', 'Q', 'B'};
  private static final int VERSION = 1;

  /** Records of the object whose bins start on this day (per histogram they sum the same). */
  public long records;

  /** Decompressed bytes of the whole object. */
  public long bytes;

  /** Bin size text → bin start → records. */
  public final SortedMap<String, SortedMap<Long, Long>> histograms = new TreeMap<>();

  /** Subscription id → bin start → partial state image. */
  public final SortedMap<String, SortedMap<Long, byte[]>> states = new TreeMap<>();

  public byte[] encode() {
    try {
      ByteArrayOutputStream bytesOut = new ByteArrayOutputStream();
      Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      try (DataOutputStream out =
          new DataOutputStream(new DeflaterOutputStream(bytesOut, deflater))) {
        out.write(MAGIC);
        out.writeByte(VERSION);
        ValueCodec.writeVarLong(out, records);
        ValueCodec.writeVarLong(out, bytes);
        ValueCodec.writeVarLong(out, histograms.size());
        for (Map.Entry<String, SortedMap<Long, Long>> h : histograms.entrySet()) {
          out.writeUTF(h.getKey());
          ValueCodec.writeVarLong(out, h.getValue().size());
          for (Map.Entry<Long, Long> b : h.getValue().entrySet()) {
            out.writeLong(b.getKey());
            ValueCodec.writeVarLong(out, b.getValue());
          }
        }
        ValueCodec.writeVarLong(out, states.size());
        for (Map.Entry<String, SortedMap<Long, byte[]>> s : states.entrySet()) {
          out.writeUTF(s.getKey());
          ValueCodec.writeVarLong(out, s.getValue().size());
          for (Map.Entry<Long, byte[]> b : s.getValue().entrySet()) {
            out.writeLong(b.getKey());
            ValueCodec.writeVarLong(out, b.getValue().length);
            out.write(b.getValue());
          }
        }
      } finally {
        deflater.end();
      }
      return bytesOut.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Bundle decode(byte[] image) throws IOException {
    java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
    try (InputStream raw = new InflaterInputStream(new ByteArrayInputStream(image), inflater);
        DataInputStream in = new DataInputStream(raw)) {
      byte[] magic = in.readNBytes(3);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException("not a trailquery bundle");
      }
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IOException("bundle version " + version + " not recognized");
      }
      Bundle b = new Bundle();
      b.records = ValueCodec.readVarLong(in);
      b.bytes = ValueCodec.readVarLong(in);
      long nh = ValueCodec.readVarLong(in);
      for (long i = 0; i < nh; i++) {
        String bin = in.readUTF();
        SortedMap<Long, Long> h = new TreeMap<>();
        long n = ValueCodec.readVarLong(in);
        for (long j = 0; j < n; j++) {
          h.put(in.readLong(), ValueCodec.readVarLong(in));
        }
        b.histograms.put(bin, h);
      }
      long ns = ValueCodec.readVarLong(in);
      for (long i = 0; i < ns; i++) {
        String id = in.readUTF();
        SortedMap<Long, byte[]> bins = new TreeMap<>();
        long n = ValueCodec.readVarLong(in);
        for (long j = 0; j < n; j++) {
          long start = in.readLong();
          long len = ValueCodec.readVarLong(in);
          if (len < 0 || len > Integer.MAX_VALUE - 8) {
            throw new IOException("bad state length " + len);
          }
          bins.put(start, in.readNBytes((int) len));
        }
        b.states.put(id, bins);
      }
      return b;
    } finally {
      inflater.end();
    }
  }
}
