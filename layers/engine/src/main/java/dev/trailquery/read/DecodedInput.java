package dev.trailquery.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The decoded (decompressed) bytes of one object on their way to the JSON parser. It counts them
 * and stops at the reader's cap, skips a UTF-8 byte-order mark and leading whitespace, and keeps
 * what the reader needs to cut records and subtrees out as text: the bytes from a {@link #retain}
 * point on, plus a small window behind the parser. Offsets are the parser's byte offsets.
 */
final class DecodedInput extends InputStream implements TextSource {
  /** Thrown when the object decodes past the reader's cap. */
  static final class TooLargeException extends IOException {
    TooLargeException(String message) {
      super(message);
    }
  }

  /** Small objects (most CloudTrail files are a few KB) never need more. */
  static final int INITIAL_CAPACITY = 16 * 1024;

  /** Large objects grow the buffer to this, so that dropping old bytes moves few of them. */
  static final int STEADY_CAPACITY = 128 * 1024;

  /**
   * Bytes kept behind the last byte handed to the parser: the parser's own buffer ({@link
   * SkippingParser#BUFFER_SIZE}) holds the token it just returned, whose start {@link #retain} may
   * still ask for.
   */
  static final int KEEP_BEHIND = SkippingParser.BUFFER_SIZE + 16 * 1024;

  private final InputStream src;
  private final long maxDecoded;
  private final int maxRetained;

  private long decoded;
  private long skipped;

  /** A buffer kept per thread between objects, so that a big one is not grown again each time. */
  private static final ThreadLocal<byte[]> SPARE = new ThreadLocal<>();

  /** The largest buffer kept for the next object. */
  static final int MAX_SPARE = 1 << 20;

  private byte[] buf;
  private long base;
  private int len;
  private int pos;
  private int retainDepth;
  private long retainFrom;

  /**
   * The retained bytes grew past {@code maxRetained}: they are let go and {@link #slice} gives null
   * until the outermost retain ends (the record they belong to is over the record limit).
   */
  private boolean retainLost;

  private boolean capped;

  DecodedInput(InputStream src, long maxDecoded, int maxRetained) {
    this.src = src;
    this.maxDecoded = maxDecoded;
    this.maxRetained = maxRetained;
    byte[] spare = SPARE.get();
    if (spare != null) {
      SPARE.remove(); // not shared: a nested read on this thread allocates its own
      buf = spare;
    } else {
      buf = new byte[INITIAL_CAPACITY];
    }
  }

  /** Bytes decoded from the source so far. */
  long decoded() {
    return decoded;
  }

  /** Decoded bytes before the parser's offset 0 (byte-order mark, leading whitespace). */
  long skipped() {
    return skipped;
  }

  /**
   * Skips a UTF-8 byte-order mark and whitespace and returns the first other byte (still to be read
   * by the parser), or -1 when there is none.
   */
  int sniff() throws IOException {
    while (len < 3 && fill()) {
      // the byte-order mark needs 3 bytes
    }
    if (len >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
      pos = 3;
    }
    while (true) {
      while (pos < len && isWhitespace(buf[pos])) {
        pos++;
      }
      if (pos < len) {
        if (pos > 0) {
          skipped += pos;
          System.arraycopy(buf, pos, buf, 0, len - pos);
          len -= pos;
          pos = 0;
        }
        return buf[0] & 0xff;
      }
      skipped += len;
      pos = len = 0;
      if (!fill()) {
        return -1;
      }
    }
  }

  /** The first {@code n} bytes the parser will read (after {@link #sniff}), fewer at the end. */
  byte[] peek(int n) throws IOException {
    while (len - pos < n && len < buf.length && fill()) {
      // read ahead
    }
    return Arrays.copyOfRange(buf, pos, Math.min(len, pos + n));
  }

  static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  @Override
  public int read() throws IOException {
    if (pos == len && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int n) throws IOException {
    if (n == 0) {
      return 0;
    }
    if (pos == len && !fill()) {
      return -1;
    }
    int k = Math.min(n, len - pos);
    System.arraycopy(buf, pos, b, off, k);
    pos += k;
    return k;
  }

  /** Appends decoded bytes to the buffer; false at the end of the source. */
  private boolean fill() throws IOException {
    if (capped) {
      throw new TooLargeException("decoded more than " + maxDecoded + " bytes (the reader's cap)");
    }
    if (len == buf.length) {
      makeRoom();
    }
    int r;
    do {
      r = src.read(buf, len, buf.length - len);
    } while (r == 0);
    if (r < 0) {
      return false;
    }
    long room = maxDecoded - decoded;
    decoded += r;
    if (r > room) {
      capped = true;
      r = (int) room;
      if (r == 0) {
        throw new TooLargeException(
            "decoded more than " + maxDecoded + " bytes (the reader's cap)");
      }
    }
    len += r;
    return true;
  }

  /**
   * Drops bytes no longer needed; grows the buffer up to {@link #STEADY_CAPACITY}, or beyond while
   * retained bytes fill it (up to the record limit).
   */
  private void makeRoom() {
    // The parser's own buffer lags the bytes handed to it by at most KEEP_BEHIND: past this, the
    // record being retained is surely over maxRetained bytes, so its text is let go.
    if (retainDepth > 0 && !retainLost && base + pos - retainFrom > maxRetained + KEEP_BEHIND) {
      retainLost = true;
    }
    long keepFrom = base + pos - KEEP_BEHIND;
    if (retainDepth > 0 && !retainLost && retainFrom < keepFrom) {
      keepFrom = retainFrom;
    }
    int drop = (int) Math.max(0, keepFrom - base);
    if (drop > 0) {
      System.arraycopy(buf, drop, buf, 0, len - drop);
      len -= drop;
      pos -= drop;
      base += drop;
    }
    if (buf.length < STEADY_CAPACITY || buf.length - len < buf.length / 2) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
  }

  @Override
  public void retain(long from) {
    if (retainDepth++ == 0) {
      retainLost = false;
      int i = (int) (from - base);
      if (from < base || i >= len || (buf[i] != '{' && buf[i] != '[')) {
        throw new IllegalStateException("reader bug: byte " + from + " is no longer buffered");
      }
      retainFrom = from;
    }
  }

  @Override
  public void release() {
    retainDepth--;
  }

  @Override
  public String slice(long from, long to) {
    if (retainLost) {
      return null;
    }
    int i = (int) (from - base);
    int j = (int) (to - base);
    if (from < base || to > base + len || to <= from || retainDepth == 0 || from < retainFrom) {
      throw new IllegalStateException("reader bug: bytes " + from + ".." + to + " not retained");
    }
    byte first = buf[i];
    byte last = buf[j - 1];
    if (!((first == '{' && last == '}') || (first == '[' && last == ']'))) {
      throw new IllegalStateException("reader bug: bytes " + from + ".." + to + " are no subtree");
    }
    return TextSource.compact(buf, i, j - i);
  }

  /** Closes the decompressor (never the caller's stream) and keeps the buffer for reuse. */
  @Override
  public void close() throws IOException {
    if (buf != null && buf.length <= MAX_SPARE) {
      SPARE.set(buf);
    }
    buf = null;
    src.close();
  }
}
