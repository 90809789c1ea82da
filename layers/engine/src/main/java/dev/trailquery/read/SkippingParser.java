package dev.trailquery.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Jackson's UTF-8 stream parser with a byte-level {@link #skipSubtree}: an object or array the plan
 * does not need is stepped over by scanning its bytes for the matching bracket, without tokenizing
 * it (no field-name decoding or symbol-table lookups, no number parsing, no events per token).
 * Profiling the reader showed most of its time in exactly that work inside {@code skipChildren()}.
 *
 * <p>The scan validates what it steps over with the grammar Jackson enforces under the reader's
 * settings (structure, string escapes, control characters, UTF-8 sequences as Jackson checks them,
 * number syntax, literals, nesting depth), and whenever it meets anything else — a byte Jackson
 * would reject or treat specially, a subtree longer than the buffer, the end of the input — it
 * leaves the parser where it was and lets Jackson's own {@code skipChildren()} do the work. So the
 * outcome, including every error and its byte offset, is Jackson's; only the speed differs.
 */
final class SkippingParser extends UTF8StreamJsonParser {
  /** The parser's input buffer: subtrees up to this size are skipped at byte level. */
  static final int BUFFER_SIZE = 32 * 1024;

  /** Nesting the byte scan follows; deeper subtrees go to Jackson. */
  private static final int MAX_SCAN_DEPTH = 64;

  // scan states
  private static final int VALUE = 0; // a value must follow
  private static final int VALUE_OR_CLOSE = 1; // just after '['
  private static final int KEY = 2; // a key must follow (after ',' in an object)
  private static final int KEY_OR_CLOSE = 3; // just after '{'
  private static final int COLON = 4; // after a key
  private static final int AFTER_VALUE = 5; // ',' or the container's end

  /** {@link #scan}: the subtree goes on past the bytes in the buffer. */
  static final int MORE = -2;

  private final int maxDepth;

  /** The factory that made this parser: it decodes a string longer than the buffer on its own. */
  private final JsonFactory factory;

  /** Lines passed by the last successful {@link #scan}, and the index where the last one began. */
  private int scanRows;

  private int scanRowStart;

  private SkippingParser(
      IOContext ctxt,
      int features,
      InputStream in,
      ByteQuadsCanonicalizer sym,
      byte[] buffer,
      int maxDepth,
      JsonFactory factory) {
    super(ctxt, features, in, null, sym, buffer, 0, 0, 0, false);
    this.maxDepth = maxDepth;
    this.factory = factory;
  }

  /** A factory whose {@link #createSkippingParser} makes these parsers. */
  static final class Factory extends JsonFactory {
    private static final long serialVersionUID = 1L;

    Factory(JsonFactoryBuilder b) {
      super(b);
    }

    /**
     * A parser over UTF-8 JSON (the caller has ruled out other encodings and skipped a byte-order
     * mark).
     */
    SkippingParser createSkippingParser(InputStream in) {
      IOContext ctxt = _createContext(_createContentReference(in), false);
      return new SkippingParser(
          ctxt,
          _parserFeatures,
          in,
          _byteSymbolCanonicalizer.makeChild(_factoryFeatures),
          buffer(),
          streamReadConstraints().getMaxNestingDepth(),
          this);
    }
  }

  /** A buffer kept per thread between parsers (most objects are small: zeroing 32 KiB shows). */
  private static final ThreadLocal<byte[]> SPARE = new ThreadLocal<>();

  private static byte[] buffer() {
    byte[] b = SPARE.get();
    if (b == null) {
      return new byte[BUFFER_SIZE];
    }
    SPARE.remove(); // not shared: a nested parser on this thread allocates its own
    return b;
  }

  @Override
  protected void _releaseBuffers() throws IOException {
    byte[] b = _inputBuffer;
    super._releaseBuffers();
    if (b != null && b.length == BUFFER_SIZE) {
      SPARE.set(b);
    }
  }

  /**
   * The current token's text like {@link #getText()}, except that a string whose JSON text (between
   * its quotes, as written) is over {@code max} bytes is stepped over without being held and reads
   * as null. A string that ends inside the parser's buffer is Jackson's to read, as ever; a longer
   * one is copied raw, up to {@code max} bytes, and decoded by a parser of its own (so Jackson's
   * validation and unescaping apply unchanged), which keeps Jackson's string-length limit — whose
   * exception would leave this parser inside the string — from ever being met here.
   */
  String textAtMost(int max) throws IOException {
    if (_currToken != JsonToken.VALUE_STRING || !_tokenIncomplete || stringEndsInBuffer()) {
      return getText();
    }
    byte[] copy = new byte[Math.min(max, 1 << 20) + 2];
    copy[0] = '"';
    int n = 1;
    long length = 0;
    boolean escaped = false;
    while (true) {
      if (_inputPtr >= _inputEnd && !_loadMore()) {
        _reportInvalidEOF(
            ": was expecting closing quote for a string value", JsonToken.VALUE_STRING);
      }
      final byte[] b = _inputBuffer;
      final int from = _inputPtr;
      final int end = _inputEnd;
      int i = from;
      int quote = -1;
      for (; i < end; i++) {
        byte c = b[i];
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          quote = i;
          break;
        }
      }
      int len = i - from;
      length += len;
      if (copy != null) {
        if (length > max) {
          copy = null; // over: stepped over from here on, never held
        } else {
          if (n + len + 1 > copy.length) {
            copy =
                java.util.Arrays.copyOf(
                    copy, (int) Math.min(max + 2L, Math.max(n + len + 1L, 2L * copy.length)));
          }
          System.arraycopy(b, from, copy, n, len);
          n += len;
        }
      }
      if (quote >= 0) {
        _inputPtr = quote + 1;
        break;
      }
      _inputPtr = end;
    }
    _tokenIncomplete = false;
    if (copy == null) {
      return null;
    }
    copy[n++] = '"';
    try (com.fasterxml.jackson.core.JsonParser own = factory.createParser(copy, 0, n)) {
      own.nextToken();
      return own.getText();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw _constructError("in a string value: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Whether the string token the parser just returned (still unread) ends inside the buffer, or is
   * read already.
   */
  boolean stringEndsInBuffer() {
    if (!_tokenIncomplete) {
      return true;
    }
    final byte[] b = _inputBuffer;
    final int end = _inputEnd;
    for (int i = _inputPtr; i < end; i++) {
      byte c = b[i];
      if (c == '"') {
        return true;
      }
      if (c == '\\') {
        i++;
      }
    }
    return false;
  }

  /**
   * Skips the object or array whose start the parser just returned, up to its end token (which
   * becomes the current token), like {@link #skipChildren()}.
   */
  void skipSubtree() throws IOException {
    JsonToken t = _currToken;
    if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
      return;
    }
    if (_parsingContext.getNestingDepth() + MAX_SCAN_DEPTH < maxDepth) {
      boolean object = t == JsonToken.START_OBJECT;
      int close = scan(_inputPtr, object);
      while (close == MORE && readMore()) {
        close = scan(_inputPtr, object);
      }
      if (close >= 0) {
        if (scanRows > 0) {
          _currInputRow += scanRows;
          _currInputRowStart = scanRowStart;
        }
        _inputPtr = close; // at the matching bracket: Jackson reads it as the end of an empty one
        JsonToken end = nextToken();
        if (end != (object ? JsonToken.END_OBJECT : JsonToken.END_ARRAY)) {
          throw new IllegalStateException("reader bug: byte skip ended at " + end);
        }
        return;
      }
    }
    skipChildren();
  }

  /**
   * Inside an object, steps over the fields whose keys are not in {@code wanted}, key and value, at
   * byte level, and leaves the parser before the next wanted field (or the object's end) for {@link
   * #nextFieldName()} to read. The parser must be at the object's START_OBJECT or just past the
   * value of one of its fields. Stops early — at a point from which Jackson's own reading gives
   * exactly what it would have given from the start — at anything unusual: a key with escapes,
   * control characters or non-ASCII bytes, a value the byte scan leaves to Jackson, the end of the
   * buffer.
   */
  void skipFields(Keys wanted) throws IOException {
    JsonToken t = _currToken;
    if (t == JsonToken.FIELD_NAME) {
      return; // (its value may be pending: Jackson has seen its first byte)
    }
    if (_tokenIncomplete) {
      _skipString(); // the value string the walker did not read
    }
    if (!_parsingContext.inObject()
        || _parsingContext.getNestingDepth() + MAX_SCAN_DEPTH >= maxDepth) {
      return;
    }
    // first: Jackson has read no field of this object yet, so it will not expect a comma
    final boolean first = t == JsonToken.START_OBJECT;
    final byte[] b = _inputBuffer;
    final int end = _inputEnd;
    int i = _inputPtr;
    int safe = i; // where Jackson can take over
    int rows = 0;
    int rowStart = 0;
    int safeRows = 0;
    int safeRowStart = 0;
    boolean afterValue = !first;
    while (true) {
      while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r')) {
        if (b[i] == '\n') {
          rows++;
          rowStart = i + 1;
        }
        i++;
      }
      if (i >= end) {
        break;
      }
      if (afterValue) {
        if (b[i] == '}') {
          safe = i;
          safeRows = rows;
          safeRowStart = rowStart;
          break;
        }
        if (b[i] != ',') {
          break;
        }
        i++;
        while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r')) {
          if (b[i] == '\n') {
            rows++;
            rowStart = i + 1;
          }
          i++;
        }
        if (i >= end || b[i] != '"') {
          break;
        }
        if (first) {
          safe = i; // Jackson, having read no field, expects a key without a comma
          safeRows = rows;
          safeRowStart = rowStart;
        }
      } else if (b[i] != '"') {
        break; // '}' of an empty object, or something for Jackson to report
      }
      // a key: ASCII without escapes or control characters, else Jackson reads it
      int ks = i + 1;
      int k = ks;
      while (k < end) {
        byte c = b[k];
        if (c == '"' || c == '\\' || c < 0x20) { // control characters and non-ASCII too
          break;
        }
        k++;
      }
      if (k >= end || b[k] != '"' || wanted.contains(b, ks, k)) {
        break;
      }
      i = k + 1;
      while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r')) {
        if (b[i] == '\n') {
          rows++;
          rowStart = i + 1;
        }
        i++;
      }
      if (i >= end || b[i] != ':') {
        break;
      }
      i++;
      while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r')) {
        if (b[i] == '\n') {
          rows++;
          rowStart = i + 1;
        }
        i++;
      }
      if (i >= end) {
        break;
      }
      int v = value(b, i, end);
      if (v < 0) {
        break;
      }
      if (scanRows > 0) {
        rows += scanRows;
        rowStart = scanRowStart;
      }
      i = v;
      afterValue = true;
      if (!first) {
        safe = i; // just past a value: Jackson expects a comma or the object's end
        safeRows = rows;
        safeRowStart = rowStart;
      }
    }
    if (safe != _inputPtr) {
      if (safeRows > 0) {
        _currInputRow += safeRows;
        _currInputRowStart = safeRowStart;
      }
      _inputPtr = safe;
    }
  }

  /**
   * The index after the scalar, object or array starting at {@code i}, or negative (see {@link
   * #scan}); lines passed inside an object or array are in {@link #scanRows}.
   */
  private int value(byte[] b, int i, int end) {
    scanRows = 0;
    int c = b[i];
    switch (c) {
      case '"' -> {
        return string(b, i + 1, end);
      }
      case '{', '[' -> {
        int close = scan(i + 1, c == '{');
        return close < 0 ? close : close + 1;
      }
      case 't', 'n' -> {
        if (i + 4 > end) {
          return MORE;
        }
        boolean ok =
            c == 't'
                ? b[i + 1] == 'r' && b[i + 2] == 'u' && b[i + 3] == 'e'
                : b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l';
        return ok ? i + 4 : -1;
      }
      case 'f' -> {
        if (i + 5 > end) {
          return MORE;
        }
        return b[i + 1] == 'a' && b[i + 2] == 'l' && b[i + 3] == 's' && b[i + 4] == 'e'
            ? i + 5
            : -1;
      }
      default -> {
        return (c >= '0' && c <= '9') || c == '-' ? number(b, i, end) : -1;
      }
    }
  }

  /** Object keys, matched on their UTF-8 bytes without decoding them. */
  static final class Keys {
    static final Keys NONE = new Keys(java.util.List.of());

    private final byte[][] table;
    private final int mask;

    Keys(java.util.Collection<String> keys) {
      int size = Integer.highestOneBit(Math.max(4, keys.size() * 4) - 1) << 1;
      table = new byte[size][];
      mask = size - 1;
      for (String k : keys) {
        byte[] kb = k.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int h = hash(kb, 0, kb.length) & mask;
        while (table[h] != null) {
          h = (h + 1) & mask;
        }
        table[h] = kb;
      }
    }

    private static int hash(byte[] b, int from, int to) {
      int n = to - from;
      int h = n * 31;
      if (n > 0) {
        h = h * 31 + b[from];
        h = h * 31 + b[to - 1];
        h = h * 31 + b[from + (n >> 1)];
      }
      return h ^ (h >>> 7);
    }

    boolean contains(byte[] b, int from, int to) {
      int h = hash(b, from, to) & mask;
      byte[] k;
      while ((k = table[h]) != null) {
        if (java.util.Arrays.equals(k, 0, k.length, b, from, to)) {
          return true;
        }
        h = (h + 1) & mask;
      }
      return false;
    }
  }

  /**
   * Moves the unread bytes to the front of the buffer (the first time) and reads once more behind
   * them, as Jackson would to go on (reading no further ahead, so that a broken input fails where
   * Jackson's own skip would); false when the buffer is full of the subtree or the input ended.
   */
  private boolean readMore() throws IOException {
    int start = _inputPtr; // (the stream is there: only close() drops it)
    if (start > 0) {
      int n = _inputEnd - start;
      System.arraycopy(_inputBuffer, start, _inputBuffer, 0, n);
      _currInputProcessed += start;
      _currInputRowStart -= start;
      _nameStartOffset -= start;
      _inputPtr = 0;
      _inputEnd = n;
    }
    if (_inputEnd == _inputBuffer.length) {
      return false;
    }
    int r = _inputStream.read(_inputBuffer, _inputEnd, _inputBuffer.length - _inputEnd);
    if (r <= 0) {
      return false;
    }
    _inputEnd += r;
    return true;
  }

  /**
   * Scans from {@code from} (just after an opening bracket) to the matching closing bracket and
   * returns its index; {@link #MORE} when the buffer ends first (or inside a token), -1 when the
   * subtree holds anything the scan leaves to Jackson. Counts the lines it passes in {@link
   * #scanRows} (and where the last began in {@link #scanRowStart}), for Jackson's locations.
   */
  private int scan(int from, boolean object) {
    final byte[] b = _inputBuffer;
    final int end = _inputEnd;
    int i = from;
    long stack = object ? 1 : 0; // bit d: the container at depth d is an object
    int depth = 0;
    int state = object ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
    int rows = 0;
    int rowStart = 0;
    scanRows = 0;
    while (i < end) {
      int c = b[i];
      switch (c) {
        case ' ', '\t', '\r' -> i++;
        case '\n' -> {
          rows++;
          rowStart = ++i;
        }
        case '"' -> {
          if (state == COLON || state == AFTER_VALUE) {
            return -1;
          }
          i = string(b, i + 1, end);
          if (i < 0) {
            return i;
          }
          state = state == KEY || state == KEY_OR_CLOSE ? COLON : AFTER_VALUE;
        }
        case ':' -> {
          if (state != COLON) {
            return -1;
          }
          state = VALUE;
          i++;
        }
        case ',' -> {
          if (state != AFTER_VALUE) {
            return -1;
          }
          state = (stack & (1L << depth)) != 0 ? KEY : VALUE;
          i++;
        }
        case '{', '[' -> {
          if (state != VALUE && state != VALUE_OR_CLOSE) {
            return -1;
          }
          if (++depth >= MAX_SCAN_DEPTH) {
            return -1;
          }
          if (c == '{') {
            stack |= 1L << depth;
            state = KEY_OR_CLOSE;
          } else {
            stack &= ~(1L << depth);
            state = VALUE_OR_CLOSE;
          }
          i++;
        }
        case '}', ']' -> {
          boolean inObject = (stack & (1L << depth)) != 0;
          if (inObject != (c == '}')) {
            return -1;
          }
          if (state != AFTER_VALUE && state != (inObject ? KEY_OR_CLOSE : VALUE_OR_CLOSE)) {
            return -1;
          }
          if (depth == 0) {
            scanRows = rows;
            scanRowStart = rowStart;
            return i;
          }
          depth--;
          state = AFTER_VALUE;
          i++;
        }
        case 't' -> {
          if (state != VALUE && state != VALUE_OR_CLOSE) {
            return -1;
          }
          if (i + 4 > end) {
            return MORE;
          }
          if (b[i + 1] != 'r' || b[i + 2] != 'u' || b[i + 3] != 'e') {
            return -1;
          }
          i += 4;
          state = AFTER_VALUE;
        }
        case 'f' -> {
          if (state != VALUE && state != VALUE_OR_CLOSE) {
            return -1;
          }
          if (i + 5 > end) {
            return MORE;
          }
          if (b[i + 1] != 'a' || b[i + 2] != 'l' || b[i + 3] != 's' || b[i + 4] != 'e') {
            return -1;
          }
          i += 5;
          state = AFTER_VALUE;
        }
        case 'n' -> {
          if (state != VALUE && state != VALUE_OR_CLOSE) {
            return -1;
          }
          if (i + 4 > end) {
            return MORE;
          }
          if (b[i + 1] != 'u' || b[i + 2] != 'l' || b[i + 3] != 'l') {
            return -1;
          }
          i += 4;
          state = AFTER_VALUE;
        }
        default -> {
          if ((c >= '0' && c <= '9') || c == '-') {
            if (state != VALUE && state != VALUE_OR_CLOSE) {
              return -1;
            }
            i = number(b, i, end);
            if (i < 0) {
              return i;
            }
            state = AFTER_VALUE;
          } else {
            return -1;
          }
        }
      }
    }
    return MORE;
  }

  /**
   * The index after the closing quote of the string whose content starts at {@code i}; {@link
   * #MORE} when it does not end in the buffer, -1 when it holds what Jackson rejects (control
   * characters, bad escapes, malformed UTF-8 as Jackson checks it).
   */
  static int string(byte[] b, int i, int end) {
    while (i < end) {
      // eight bytes at a time up to the first that needs a look: '"', '\\', < 0x20 or >= 0x80
      while (i + 8 <= end) {
        long m = special((long) LONGS.get(b, i));
        if (m != 0) {
          i += Long.numberOfTrailingZeros(m) >>> 3;
          break;
        }
        i += 8;
      }
      if (i >= end) {
        return MORE;
      }
      int c = b[i];
      if (c == '"') {
        return i + 1;
      }
      if (c >= 0x20 && c != '\\') {
        i++;
        continue;
      }
      if (c == '\\') {
        if (i + 1 >= end) {
          return MORE;
        }
        int e = b[i + 1];
        switch (e) {
          case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> i += 2;
          case 'u' -> {
            if (i + 6 > end) {
              return MORE;
            }
            for (int k = i + 2; k < i + 6; k++) {
              if (!isHex(b[k])) {
                return -1;
              }
            }
            i += 6;
          }
          default -> {
            return -1;
          }
        }
        continue;
      }
      if (c >= 0) {
        return -1; // a control character
      }
      // a multi-byte UTF-8 sequence: Jackson checks the lead byte and the continuation bytes
      int u = c & 0xff;
      int more;
      if ((u & 0xE0) == 0xC0) {
        more = 1;
      } else if ((u & 0xF0) == 0xE0) {
        more = 2;
      } else if ((u & 0xF8) == 0xF0) {
        more = 3;
      } else {
        return -1;
      }
      if (i + 1 + more > end) {
        return MORE;
      }
      for (int k = 1; k <= more; k++) {
        if ((b[i + k] & 0xC0) != 0x80) {
          return -1;
        }
      }
      i += 1 + more;
    }
    return MORE;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The high bit of each byte of {@code w} (little-endian) that is '"', '\\', below 0x20 or 0x80
   * and above; bits above the lowest may be spurious, the lowest is exact.
   */
  static long special(long w) {
    long q = w ^ 0x2222222222222222L;
    long e = w ^ 0x5C5C5C5C5C5C5C5CL;
    return (((q - ONES) & ~q) | ((e - ONES) & ~e) | (w - 0x2020202020202020L) | w) & HIGHS;
  }

  static boolean isHex(byte c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * The index after the JSON number starting at {@code i} ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?
   * ([eE][+-]?[0-9]+)?}); {@link #MORE} when the buffer ends first, -1 when malformed or long.
   */
  static int number(byte[] b, int i, int end) {
    int start = i;
    if (b[i] == '-') {
      i++;
    }
    if (i >= end) {
      return MORE;
    }
    if (b[i] == '0') {
      i++;
    } else if (b[i] >= '1' && b[i] <= '9') {
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
    } else {
      return -1;
    }
    if (i < end && b[i] == '.') {
      i++;
      int d = i;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == d) {
        return i >= end ? MORE : -1;
      }
    }
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < end && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int d = i;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == d) {
        return i >= end ? MORE : -1;
      }
    }
    // the number must end inside the buffer, and stay far below Jackson's length limit
    if (i - start > 100) {
      return -1;
    }
    if (i >= end) {
      return MORE;
    }
    return i;
  }
}
