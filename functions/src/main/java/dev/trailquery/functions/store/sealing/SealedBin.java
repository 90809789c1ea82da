package dev.trailquery.functions.store.sealing;

import dev.trailquery.value.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * One subscription's merged result of one bin, as sealed: the merge of every object's partial state
 * of the bin from the delivery slots up to {@code sealedThrough} (docs/INGEST.md, "Sealing").
 *
 * <p>Stored format (versioned; golden image in {@code SealedBinFormatTest}): raw deflate of {@code
 * "TQS"}, version byte 1, subscription id (modified UTF-8), bin start (long), sealed-through slot
 * (long), records, objects, bytes (var longs), state image length (var long), the engine's {@code
 * PartialState} image.
 *
 * @param subscriptionId the subscription's id
 * @param binStart the bin's start (epoch millis)
 * @param sealedThrough every contribution from delivery slots up to this one is included, none
 *     later
 * @param records records in the bin of the objects included (for {@code recordsScanned})
 * @param objects objects whose first bin (of this subscription's bin size) is this one
 * @param bytes the decompressed bytes of those objects
 * @param state the merged partial state image (empty: no record matched)
 */
public record SealedBin(
    String subscriptionId,
    long binStart,
    long sealedThrough,
    long records,
    long objects,
    long bytes,
    byte[] state) {
  private static final byte[] MAGIC = {'T', 'Q', 'S'};
  public static final int VERSION = 1;

  public byte[] encode() {
    ByteArrayOutputStream bytesOut = new ByteArrayOutputStream();
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try (DataOutputStream out =
        new DataOutputStream(new DeflaterOutputStream(bytesOut, deflater))) {
      out.write(MAGIC);
      out.writeByte(VERSION);
      out.writeUTF(subscriptionId);
      out.writeLong(binStart);
      out.writeLong(sealedThrough);
      ValueCodec.writeVarLong(out, records);
      ValueCodec.writeVarLong(out, objects);
      ValueCodec.writeVarLong(out, bytes);
      ValueCodec.writeVarLong(out, state.length);
      out.write(state);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deflater.end();
    }
    return bytesOut.toByteArray();
  }

  public static SealedBin decode(byte[] image) throws IOException {
    Inflater inflater = new Inflater(true);
    try (InputStream raw = new InflaterInputStream(new ByteArrayInputStream(image), inflater);
        DataInputStream in = new DataInputStream(raw)) {
      if (!Arrays.equals(in.readNBytes(3), MAGIC)) {
        throw new IOException("not a trailquery sealed bin");
      }
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IOException("sealed bin version " + version + " not recognized");
      }
      String id = in.readUTF();
      long start = in.readLong();
      long through = in.readLong();
      long records = ValueCodec.readVarLong(in);
      long objects = ValueCodec.readVarLong(in);
      long bytes = ValueCodec.readVarLong(in);
      long len = ValueCodec.readVarLong(in);
      if (len < 0 || len > Integer.MAX_VALUE - 8) {
        throw new IOException("bad state length " + len);
      }
      byte[] state = in.readNBytes((int) len);
      if (state.length != len) {
        throw new IOException("truncated sealed bin");
      }
      return new SealedBin(id, start, through, records, objects, bytes, state);
    } finally {
      inflater.end();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealedBin b
        && subscriptionId.equals(b.subscriptionId)
        && binStart == b.binStart
        && sealedThrough == b.sealedThrough
        && records == b.records
        && objects == b.objects
        && bytes == b.bytes
        && Arrays.equals(state, b.state);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(binStart) * 31 + Arrays.hashCode(state);
  }

  @Override
  public String toString() {
    return "SealedBin[" + subscriptionId + " " + binStart + " through " + sealedThrough + "]";
  }
}
