package dev.trailquery.value;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary form of one {@link Values value}, used wherever values cross a process boundary:
 * aggregate states, group keys, rows. Every value starts with a tag byte:
 *
 * <pre>
 * tag  value        body
 * ---  -----------  ---------------------------------------------------------------
 *  0   missing      (none)
 *  1   String       length in bytes (unsigned LEB128 varint), then the text as UTF-8
 *  2   Double       8 bytes, IEEE 754 big-endian ({@link DataOutput#writeDouble})
 *  3   false        (none)
 *  4   true         (none)
 *  5   Timestamp    8 bytes, epoch milliseconds big-endian ({@link DataOutput#writeLong})
 *  6   map or list  its compact JSON text, as a String body ({@link JsonValue})
 * </pre>
 *
 * <p>Text is standard UTF-8 except that an unpaired surrogate (which a JSON {@code \ud800} escape
 * can produce) is written as its own 3-byte sequence (WTF-8), so every Java string round-trips
 * exactly. Reading is strict: an unknown tag, a malformed or overlong byte sequence, or a length
 * beyond {@link #MAX_STRING_BYTES} is an {@link IOException}. Bytes are read in bounded chunks, so
 * a corrupt length fails at the end of the input instead of allocating what it claims.
 */
public final class ValueCodec {
  private ValueCodec() {}

  public static final int TAG_MISSING = 0;
  public static final int TAG_STRING = 1;
  public static final int TAG_DOUBLE = 2;
  public static final int TAG_FALSE = 3;
  public static final int TAG_TRUE = 4;
  public static final int TAG_TIMESTAMP = 5;
  public static final int TAG_JSON = 6;

  /** The longest string, in UTF-8 bytes, that {@link #readString} accepts (64 MiB). */
  public static final int MAX_STRING_BYTES = 64 << 20;

  private static final int CHUNK = 64 << 10;

  /**
   * Writes one value with its tag.
   *
   * @throws IllegalArgumentException if {@code value} is not a type of the value model
   */
  public static void write(DataOutput out, Object value) throws IOException {
    switch (value) {
      case null -> out.writeByte(TAG_MISSING);
      case String s -> {
        out.writeByte(TAG_STRING);
        writeString(out, s);
      }
      case Double d -> {
        out.writeByte(TAG_DOUBLE);
        out.writeDouble(d);
      }
      case Boolean b -> out.writeByte(b ? TAG_TRUE : TAG_FALSE);
      case Timestamp t -> {
        out.writeByte(TAG_TIMESTAMP);
        out.writeLong(t.millis());
      }
      case JsonValue j -> {
        out.writeByte(TAG_JSON);
        writeString(out, j.text());
      }
      default ->
          throw new IllegalArgumentException(
              "not a value of the value model: " + value.getClass().getName());
    }
  }

  /** Reads one value written by {@link #write}. */
  public static Object read(DataInput in) throws IOException {
    int tag = in.readUnsignedByte();
    return switch (tag) {
      case TAG_MISSING -> null;
      case TAG_STRING -> readString(in);
      case TAG_DOUBLE -> in.readDouble();
      case TAG_FALSE -> Boolean.FALSE;
      case TAG_TRUE -> Boolean.TRUE;
      case TAG_TIMESTAMP -> new Timestamp(in.readLong());
      case TAG_JSON -> json(readString(in));
      default -> throw new IOException("unknown value tag " + tag);
    };
  }

  private static JsonValue json(String text) throws IOException {
    // checked, since the bytes come from outside the process
    JsonValue v = JsonValue.parse(text);
    if (v == null) {
      throw new IOException("a map or list value that is not a JSON object or array");
    }
    return JsonValue.ofTrustedText(text);
  }

  /** Writes a string without a tag: its UTF-8 length as a varint, then the bytes. */
  public static void writeString(DataOutput out, String s) throws IOException {
    byte[] bytes = encode(s);
    writeVarLong(out, bytes.length);
    out.write(bytes);
  }

  /** Reads a string written by {@link #writeString}. */
  public static String readString(DataInput in) throws IOException {
    long length = readVarLong(in);
    if (length > MAX_STRING_BYTES) {
      throw new IOException(
          "string of " + length + " bytes is longer than the limit of " + MAX_STRING_BYTES);
    }
    return decode(readBytes(in, (int) length));
  }

  /**
   * Reads exactly {@code length} bytes. Memory grows with the bytes actually read (in chunks of 64
   * KiB), so a corrupt length ends in an {@link java.io.EOFException}, not an allocation of that
   * size.
   */
  public static byte[] readBytes(DataInput in, int length) throws IOException {
    if (length < 0) {
      throw new IOException("negative length " + length);
    }
    if (length <= CHUNK) {
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return bytes;
    }
    byte[] bytes = new byte[CHUNK];
    int done = 0;
    while (done < length) {
      if (done == bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
      }
      int n = Math.min(bytes.length - done, length - done);
      in.readFully(bytes, done, n);
      done += n;
    }
    return bytes;
  }

  /** Writes a non-negative long as an unsigned LEB128 varint (1 byte below 128, at most 10). */
  public static void writeVarLong(DataOutput out, long v) throws IOException {
    if (v < 0) {
      throw new IllegalArgumentException("negative varint " + v);
    }
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  /**
   * Reads a varint written by {@link #writeVarLong}; rejects values beyond {@code Long.MAX_VALUE}
   * and redundant trailing zero groups, so every number has one encoding.
   */
  public static long readVarLong(DataInput in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      int b = in.readUnsignedByte();
      if (shift > 0 && b == 0) {
        throw new IOException("overlong varint");
      }
      if (shift == 56 && b > 0x7F) {
        throw new IOException("varint longer than 9 bytes");
      }
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("varint longer than 9 bytes");
  }

  // ---- text ---------------------------------------------------------------------------------

  static byte[] encode(String s) {
    int n = s.length();
    boolean surrogates = false;
    for (int i = 0; i < n; i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        surrogates = true;
        break;
      }
    }
    if (!surrogates) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    byte[] out = new byte[3 * n];
    int o = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[o++] = (byte) c;
      } else if (c < 0x800) {
        out[o++] = (byte) (0xC0 | (c >> 6));
        out[o++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out[o++] = (byte) (0xF0 | (cp >> 18));
        out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[o++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        // Any other BMP char, including an unpaired surrogate (WTF-8).
        out[o++] = (byte) (0xE0 | (c >> 12));
        out[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[o++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return Arrays.copyOf(out, o);
  }

  static String decode(byte[] b) throws IOException {
    int n = b.length;
    int i = 0;
    while (i < n && b[i] >= 0) {
      i++;
    }
    if (i == n) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
    char[] out = new char[n];
    int o = 0;
    for (int k = 0; k < i; k++) {
      out[o++] = (char) b[k];
    }
    boolean lastWasLoneHigh = false;
    while (i < n) {
      int b0 = b[i] & 0xFF;
      boolean loneHigh = false;
      if (b0 < 0x80) {
        out[o++] = (char) b0;
        i++;
      } else if (b0 >= 0xC2 && b0 <= 0xDF) {
        int b1 = continuation(b, i + 1);
        out[o++] = (char) (((b0 & 0x1F) << 6) | b1);
        i += 2;
      } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        int b1 = continuation(b, i + 1);
        int b2 = continuation(b, i + 2);
        char c = (char) (((b0 & 0x0F) << 12) | (b1 << 6) | b2);
        if (c < 0x800) {
          throw malformed(i);
        }
        if (Character.isLowSurrogate(c) && lastWasLoneHigh) {
          // A pair must be written as one 4-byte sequence.
          throw malformed(i);
        }
        loneHigh = Character.isHighSurrogate(c);
        out[o++] = c;
        i += 3;
      } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        int b1 = continuation(b, i + 1);
        int b2 = continuation(b, i + 2);
        int b3 = continuation(b, i + 3);
        int cp = ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
        if (cp < 0x10000 || cp > Character.MAX_CODE_POINT) {
          throw malformed(i);
        }
        out[o++] = Character.highSurrogate(cp);
        out[o++] = Character.lowSurrogate(cp);
        i += 4;
      } else {
        throw malformed(i);
      }
      lastWasLoneHigh = loneHigh;
    }
    return new String(out, 0, o);
  }

  private static int continuation(byte[] b, int i) throws IOException {
    if (i >= b.length || (b[i] & 0xC0) != 0x80) {
      throw malformed(i);
    }
    return b[i] & 0x3F;
  }

  private static IOException malformed(int offset) {
    return new IOException("malformed UTF-8 at byte " + offset + " of a string");
  }
}
