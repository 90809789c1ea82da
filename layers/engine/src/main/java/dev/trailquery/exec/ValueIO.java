package dev.trailquery.exec;

import dev.trailquery.value.Timestamp;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Values and unsigned varints in partial-state images. */
final class ValueIO {
  private ValueIO() {}

  static final int MAX_STRING_BYTES = 64 << 20;

  static void writeValue(DataOutput out, Object v) throws IOException {
    switch (v) {
      case null -> out.writeByte(0);
      case String s -> {
        out.writeByte(1);
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(out, b.length);
        out.write(b);
      }
      case Double d -> {
        out.writeByte(2);
        out.writeDouble(d);
      }
      case Boolean b -> out.writeByte(b ? 3 : 4);
      case Timestamp t -> {
        out.writeByte(5);
        out.writeLong(t.millis());
      }
      default -> throw new IOException("cannot write a " + v.getClass().getSimpleName());
    }
  }

  static Object readValue(DataInput in) throws IOException {
    int tag = in.readUnsignedByte();
    return switch (tag) {
      case 0 -> null;
      case 1 -> {
        long n = readVarLong(in);
        if (n > MAX_STRING_BYTES) {
          throw new IOException("string of " + n + " bytes is longer than allowed");
        }
        byte[] b = new byte[(int) n];
        in.readFully(b);
        yield new String(b, StandardCharsets.UTF_8);
      }
      case 2 -> in.readDouble();
      case 3 -> Boolean.TRUE;
      case 4 -> Boolean.FALSE;
      case 5 -> new Timestamp(in.readLong());
      default -> throw new IOException("unknown value tag " + tag);
    };
  }

  static void writeVarLong(DataOutput out, long v) throws IOException {
    if (v < 0) {
      throw new IOException("negative length " + v);
    }
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  static long readVarLong(DataInput in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (v < 0) {
          throw new IOException("varint out of range");
        }
        return v;
      }
    }
    throw new IOException("varint too long");
  }

  static int readCount(DataInput in, int max, String what) throws IOException {
    long n = readVarLong(in);
    if (n > max) {
      throw new IOException(what + " count " + n + " exceeds " + max);
    }
    return (int) n;
  }
}
