package dev.trailquery.read;

import java.nio.charset.StandardCharsets;

/**
 * Where the reader gets the JSON text of a record or subtree: the bytes a parser has consumed,
 * addressed by the parser's byte offsets.
 */
interface TextSource {
  /** Keeps the bytes from {@code from} (a {@code {} or {@code [} just returned) until released. */
  void retain(long from);

  /** Ends the innermost {@link #retain}. */
  void release();

  /**
   * The compact JSON text of bytes {@code [from, to)}, retained since {@code from}; null when they
   * grew past the record limit and were let go (the record is then skipped).
   */
  String slice(long from, long to);

  /** A whole byte array already in memory (the event inside a LookupEvents wrapper). */
  static TextSource of(byte[] bytes) {
    return new TextSource() {
      @Override
      public void retain(long from) {}

      @Override
      public void release() {}

      @Override
      public String slice(long from, long to) {
        return compact(bytes, (int) from, (int) (to - from));
      }
    };
  }

  /**
   * The JSON text in {@code b[off, off+len)} with the whitespace between tokens removed. Most
   * CloudTrail records are already compact: then this is one scan and one {@code new String}.
   */
  static String compact(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    boolean inString = false;
    for (; i < end; i++) {
      byte c = b[i];
      if (inString) {
        if (c == '"') {
          inString = false;
        } else if (c == '\\') {
          i++;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        break;
      }
    }
    if (i >= end) {
      return new String(b, off, len, StandardCharsets.UTF_8);
    }
    byte[] out = new byte[len];
    int o = i - off;
    System.arraycopy(b, off, out, 0, o);
    for (; i < end; i++) {
      byte c = b[i];
      if (inString) {
        out[o++] = c;
        if (c == '"') {
          inString = false;
        } else if (c == '\\' && i + 1 < end) {
          out[o++] = b[++i];
        }
      } else if (c == '"') {
        inString = true;
        out[o++] = c;
      } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        out[o++] = c;
      }
    }
    return new String(out, 0, o, StandardCharsets.UTF_8);
  }
}
