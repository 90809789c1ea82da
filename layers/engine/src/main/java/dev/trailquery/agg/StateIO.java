package dev.trailquery.agg;

import dev.trailquery.value.ValueCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The frame shared by every accumulator image, and checked readers for its fields.
 *
 * <pre>
 * byte 0      state-format version (1)
 * byte 1      aggregate kind ({@link Kind#id}), so a state is never read as another aggregate's
 * byte 2..    the aggregate's own fields, described in its class
 * </pre>
 *
 * Counts and lengths are unsigned LEB128 varints ({@link ValueCodec#writeVarLong}); doubles are
 * 8-byte IEEE 754; values are {@link ValueCodec} values.
 */
final class StateIO {
  private StateIO() {}

  static final int VERSION = 1;

  /** Exact states hold at most this many values (pct) or distinct values (count_distinct). */
  static final int EXACT_LIMIT = 10_000;

  /** The largest sketch image accepted; real ones are a few KiB. */
  static final int MAX_SKETCH_BYTES = 1 << 20;

  static void writeHeader(DataOutput out, Kind kind) throws IOException {
    out.writeByte(VERSION);
    out.writeByte(kind.id);
  }

  static void readHeader(DataInput in, Kind kind) throws IOException {
    int version = in.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException("state version " + version + " not recognized, expected " + VERSION);
    }
    int id = in.readUnsignedByte();
    if (id != kind.id) {
      Kind actual = Kind.byId(id);
      throw new IOException(
          "state of "
              + (actual == null ? "unknown aggregate kind " + id : actual.canonical)
              + " where one of "
              + kind.canonical
              + " was expected");
    }
  }

  /** A count in {@code [min, max]}. */
  static long readCount(DataInput in, long min, long max, String what) throws IOException {
    long n = ValueCodec.readVarLong(in);
    if (n < min || n > max) {
      throw new IOException(what + " " + n + " is outside [" + min + ", " + max + "]");
    }
    return n;
  }

  static double readNotNaN(DataInput in, String what) throws IOException {
    double d = in.readDouble();
    if (Double.isNaN(d)) {
      throw new IOException(what + " is NaN");
    }
    return d;
  }

  static int readFlags(DataInput in, int allowed) throws IOException {
    int flags = in.readUnsignedByte();
    if ((flags & ~allowed) != 0) {
      throw new IOException("unknown flags " + Integer.toBinaryString(flags));
    }
    return flags;
  }

  /** A sketch image: its length, then the bytes, bounded by {@link #MAX_SKETCH_BYTES}. */
  static byte[] readSketchBytes(DataInput in) throws IOException {
    int length = (int) readCount(in, 1, MAX_SKETCH_BYTES, "sketch length");
    return ValueCodec.readBytes(in, length);
  }

  static void writeSketchBytes(DataOutput out, byte[] bytes) throws IOException {
    ValueCodec.writeVarLong(out, bytes.length);
    out.write(bytes);
  }

  /** Throws if {@code other} is not an accumulator of {@code type}. */
  static <T extends Accumulator> T same(Class<T> type, Accumulator self, Accumulator other) {
    if (!type.isInstance(other)) {
      throw new IllegalArgumentException(
          "cannot merge "
              + (other == null ? "null" : other.getClass().getName())
              + " into "
              + self.getClass().getName());
    }
    return type.cast(other);
  }
}
