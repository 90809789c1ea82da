package dev.trailquery.read;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Streams CloudTrail records out of one object, one pass, materialising only the requested paths.
 *
 * <p>What it accepts (gzip, multi-member too, or plain; detected by content):
 *
 * <ul>
 *   <li>{@code {"Records":[...]}} as CloudTrail delivers it ({@code Records}, or {@code Events} as
 *       {@code aws cloudtrail lookup-events} prints it, need not be the first key);
 *   <li>a JSON array of events; one event per line (NDJSON) or any sequence of top-level events;
 *       one pretty-printed event;
 *   <li>LookupEvents records {@code {"CloudTrailEvent":"<event JSON>", ...}} anywhere an event may
 *       be: the embedded event is the record.
 * </ul>
 *
 * <p>How an object ends ({@link ObjectResult.Status}):
 *
 * <ul>
 *   <li>EMPTY: no bytes, or only whitespace (after decompression);
 *   <li>DIGEST: the name contains {@code CloudTrail-Digest}, or a top-level object has digest keys
 *       ({@code digestStartTime}, {@code digestPublicKeyFingerprint}, ...) before any CloudTrail
 *       key; nothing is delivered;
 *   <li>FOREIGN: compressed with something other than gzip, not UTF-8 JSON (the first byte after
 *       whitespace is not {@code {} or {@code [}), or the first record is not an object with one of
 *       eventVersion, eventSource, eventName, eventTime; nothing is delivered;
 *   <li>CORRUPT: broken gzip or invalid JSON; every record completed before the break was
 *       delivered, the broken one was not;
 *   <li>TOO_LARGE: more than {@code maxDecodedBytes} of JSON (compressed or not), a key longer than
 *       64 KiB, a number of more than 1,000 digits, or nesting deeper than {@link
 *       #MAX_NESTING_DEPTH}; records before were delivered;
 *   <li>OVERSIZED_RECORDS: read to its end, but records whose JSON text is over {@link
 *       #MAX_RECORD_TEXT_BYTES} were skipped (counted, and the first named, in the error);
 *   <li>OK otherwise, including an empty array or {@code {"Records":[]}} (0 records).
 * </ul>
 *
 * <p>A record over {@link #MAX_RECORD_TEXT_BYTES} of JSON text is skipped whichever paths are
 * requested, so that every query sees the same records: one that needs none of its big values
 * steps over them at byte level, and one that needs them never holds more than the limit of a
 * value (a longer string or subtree is let go as soon as it passes the limit). The records after
 * it are read.
 *
 * <p>Paths are dotted; a numeric segment matches an array index or a key of that name; a segment
 * {@code @@x} matches the key {@code @x}. Values: JSON strings are {@code String}; numbers {@code
 * Double}, except integer literals of more than 15 digits, which stay the {@code String} of their
 * digits; {@code true}/{@code false} are {@code Boolean}; JSON {@code null} is missing ({@code
 * null}, and does not count as seen); an object or array is its compact JSON text (its children
 * may be requested too). With duplicate keys the last occurrence wins. The timestamp is {@code
 * eventTime} (else a top-level {@code @timestamp} string) in epoch ms, {@code Long.MIN_VALUE} when
 * neither parses. The message is the record's own bytes with the whitespace between tokens removed
 * (escapes as written); for a LookupEvents record, the embedded event's. Non-object elements where
 * events are expected are skipped after the first record (and not counted in the index).
 *
 * <p>A reader is immutable: one may serve many objects and threads at once.
 */
public final class CloudTrailReader {
  /** Default cap on decompressed bytes per object: 1 GiB. */
  public static final long DEFAULT_MAX_DECODED_BYTES = 1L << 30;

  /**
   * The largest record, in bytes of JSON text as it is in the object: 16 MiB. A longer one is
   * skipped and counted (see the class comment); no value or record text longer is ever held.
   */
  public static final int MAX_RECORD_TEXT_BYTES = 16 << 20;

  /**
   * Jackson's string-length limit, in chars: never met, since a string's chars are at most its
   * bytes and longer strings are stepped over (kept as a second guard).
   */
  public static final int MAX_STRING_LENGTH = MAX_RECORD_TEXT_BYTES;

  /** The deepest nesting of objects and arrays accepted. */
  public static final int MAX_NESTING_DEPTH = 200;

  private static final SkippingParser.Factory FACTORY =
      new SkippingParser.Factory(
          new JsonFactoryBuilder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(MAX_NESTING_DEPTH)
                      .maxStringLength(MAX_STRING_LENGTH)
                      .maxNumberLength(1000)
                      .maxNameLength(64 * 1024)
                      .build())
              .disable(StreamReadFeature.AUTO_CLOSE_SOURCE));

  private static final String DIGEST_NAME = "CloudTrail-Digest";

  private static final Pattern SOURCE_NOTE = Pattern.compile("Source: REDACTED \\([^)]*\\); ");

  private final ReadRequest request;
  private final long maxDecodedBytes;
  private final PathTrie trie;

  public CloudTrailReader(ReadRequest request) {
    this(request, DEFAULT_MAX_DECODED_BYTES);
  }

  public CloudTrailReader(ReadRequest request, long maxDecodedBytes) {
    this.request = request;
    this.maxDecodedBytes = maxDecodedBytes;
    this.trie = PathTrie.build(request.paths(), request.slots());
  }

  public ReadRequest request() {
    return request;
  }

  public long maxDecodedBytes() {
    return maxDecodedBytes;
  }

  /**
   * Reads one object (gzip or plain, detected by content). Never throws for bad data: a broken
   * object ends with a non-OK status after delivering the records before the break. Does not close
   * {@code in}.
   *
   * @param name the object key or file path, used to recognise digest files
   * @throws UncheckedIOException when reading {@code in} itself fails (not for bad content)
   */
  public ObjectResult read(InputStream in, String name, RecordSink sink) {
    if (name != null && name.contains(DIGEST_NAME)) {
      return new ObjectResult(ObjectResult.Status.DIGEST, 0, 0, 0, new BitSet(), null);
    }
    return new Scan(in, sink).run();
  }

  /** An {@link IOException} of the caller's stream, kept apart from decoding errors. */
  private static final class SourceException extends IOException {
    SourceException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** Counts the raw bytes and marks the stream's own failures; never closes it. */
  private static final class CountingInput extends InputStream {
    private final InputStream in;
    long count;

    CountingInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      try {
        int b = in.read();
        if (b >= 0) {
          count++;
        }
        return b;
      } catch (IOException e) {
        throw new SourceException(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int r = in.read(b, off, len);
        if (r > 0) {
          count += r;
        }
        return r;
      } catch (IOException e) {
        throw new SourceException(e);
      }
    }

    @Override
    public void close() {
      // the caller owns the stream
    }
  }

  /** The state of one {@link #read}. */
  private final class Scan {
    private final InputStream in;
    private final RecordSink sink;
    private final int width = request.rowWidth();
    private final boolean needMessage = request.needMessage();
    private final int[] slots = request.slots();
    private final BitSet seen = new BitSet();
    private int unseen = request.paths().size();

    private CountingInput raw;
    private DecodedInput decoded;
    private EventWalker walker;
    private long records;
    private boolean stop;
    private boolean gzip;
    private ObjectResult.Status status = ObjectResult.Status.OK;
    private String error;

    /** Context for error messages when the break is inside a LookupEvents string. */
    private boolean inLookup;

    /** Records over {@link #MAX_RECORD_TEXT_BYTES} skipped, and what the first one was. */
    private long oversized;

    private String firstOversized;

    Scan(InputStream in, RecordSink sink) {
      this.in = in;
      this.sink = sink;
    }

    ObjectResult run() {
      raw = new CountingInput(in);
      JsonParser p = null;
      try {
        PushbackInputStream peek = new PushbackInputStream(raw, 2);
        byte[] magic = new byte[2];
        int n = 0;
        for (int r; n < 2 && (r = peek.read(magic, n, 2 - n)) >= 0; ) {
          n += r;
        }
        peek.unread(magic, 0, n);
        gzip = n == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        // a small input buffer: most objects are a few KB, and a big one costs ~10 us per object
        InputStream src = gzip ? new GZIPInputStream(peek, 8 * 1024) : peek;
        decoded = new DecodedInput(src, maxDecodedBytes, MAX_RECORD_TEXT_BYTES);
        int first = decoded.sniff();
        if (first < 0) {
          return result(ObjectResult.Status.EMPTY, null);
        }
        if (first != '{' && first != '[') {
          return result(ObjectResult.Status.FOREIGN, describeForeign(decoded.peek(8)));
        }
        byte[] head = decoded.peek(2);
        if (head.length == 2 && head[1] == 0) {
          return result(ObjectResult.Status.FOREIGN, "not UTF-8 JSON (UTF-16 or UTF-32 text?)");
        }
        p = FACTORY.createSkippingParser(decoded);
        walker = new EventWalker(trie, p, decoded);
        JsonToken t;
        while (!stop && (t = p.nextToken()) != null) {
          if (t == JsonToken.START_OBJECT) {
            eventObject(true);
          } else if (t == JsonToken.START_ARRAY) {
            eventArray();
          } else {
            notAnEvent(t);
          }
        }
        return result(status, error);
      } catch (SourceException e) {
        throw new UncheckedIOException((IOException) e.getCause());
      } catch (DecodedInput.TooLargeException e) {
        return result(ObjectResult.Status.TOO_LARGE, e.getMessage() + where());
      } catch (StreamConstraintsException e) {
        return result(ObjectResult.Status.TOO_LARGE, e.getOriginalMessage() + where(e));
      } catch (JsonProcessingException e) {
        return result(ObjectResult.Status.CORRUPT, "invalid JSON" + where(e) + ": " + brief(e));
      } catch (IOException e) {
        // the decompressor's (the caller's stream's own failures are SourceExceptions)
        long d = decoded == null ? 0 : decoded.decoded();
        return result(
            ObjectResult.Status.CORRUPT,
            (gzip ? "corrupt or truncated gzip" : "unreadable input")
                + " after "
                + raw.count
                + " compressed / "
                + d
                + " decoded bytes"
                + where()
                + ": "
                + e.getClass().getSimpleName()
                + ": "
                + e.getMessage());
      } finally {
        if (p != null) {
          try {
            p.close();
          } catch (IOException ignored) {
            // closing never reads; the caller owns the stream
          }
        }
        if (decoded != null) {
          try {
            decoded.close(); // ends the Inflater; does not close the caller's stream
          } catch (IOException ignored) {
            // nothing to report
          }
        }
      }
    }

    private ObjectResult result(ObjectResult.Status s, String message) {
      long d = decoded == null ? 0 : decoded.decoded();
      if (oversized > 0) {
        String what =
            oversized
                + (oversized == 1 ? " record" : " records")
                + " over "
                + MAX_RECORD_TEXT_BYTES
                + " bytes of JSON skipped ("
                + firstOversized
                + ")";
        if (s == ObjectResult.Status.OK) {
          s = ObjectResult.Status.OVERSIZED_RECORDS;
          message = what + "; the other records were read";
        } else {
          message = message + "; before that, " + what;
        }
      }
      return new ObjectResult(s, records, raw.count, d, seen, message);
    }

    /** " at record N" plus the decoded byte offset when the parser knows it. */
    private String where() {
      return " (record " + records + (inLookup ? ", in its CloudTrailEvent string" : "") + ")";
    }

    private String where(JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      long offset = loc == null ? -1 : loc.getByteOffset();
      if (offset < 0) {
        return where();
      }
      if (inLookup) {
        return " at byte " + offset + " of the CloudTrailEvent string of record " + records;
      }
      return " at byte " + (offset + decoded.skipped()) + " (record " + records + ")";
    }

    /** Jackson's message, first line, without its note that the source is not shown. */
    private static String brief(JsonProcessingException e) {
      String m = String.valueOf(e.getOriginalMessage());
      int nl = m.indexOf('\n');
      if (nl >= 0) {
        m = m.substring(0, nl);
      }
      return SOURCE_NOTE.matcher(m).replaceAll("");
    }

    /** The parser is at START_OBJECT of a value where an event may be. */
    private void eventObject(boolean docLevel) throws IOException {
      EventWalker.Rec rec = object(walker, docLevel, true);
      if (rec != null) {
        if (rec.span > MAX_RECORD_TEXT_BYTES && (records > 0 || rec.cloudTrail)) {
          oversized(rec);
        } else {
          deliver(rec);
        }
      }
    }

    /** A record over the limit: skipped and counted; the paths it had still count as seen. */
    private void oversized(EventWalker.Rec rec) {
      if (oversized++ == 0) {
        firstOversized =
            "the first at byte "
                + (rec.start + decoded.skipped())
                + ", "
                + rec.span
                + " bytes, after "
                + records
                + " records read";
      }
      markSeen(rec.row);
    }

    /**
     * Reads the object at the walker's START_OBJECT: an event (returned), or a wrapper whose
     * records are delivered here (null returned).
     */
    private EventWalker.Rec object(EventWalker w, boolean docLevel, boolean allowLookup)
        throws IOException {
      long start = w.tokenStart();
      if (needMessage) {
        w.text.retain(start);
      }
      EventWalker.Rec rec = new EventWalker.Rec(width);
      int flags = allowLookup ? EventWalker.ALLOW_LOOKUP : 0;
      if (docLevel) {
        flags |= EventWalker.ALLOW_RECORDS;
        if (records == 0) {
          flags |= EventWalker.ALLOW_DIGEST;
        }
      }
      int outcome = w.walkRoot(rec, flags);
      if (needMessage) {
        if (outcome == EventWalker.END) {
          rec.message = w.text.slice(start, w.tokenStart() + 1);
        }
        w.text.release();
      }
      switch (outcome) {
        case EventWalker.END -> {
          rec.start = start;
          rec.span = w.tokenStart() + 1 - start;
          return rec;
        }
        case EventWalker.RECORDS -> {
          eventArray();
          if (!stop) {
            w.skipRest();
          }
          return null;
        }
        case EventWalker.LOOKUP -> {
          EventWalker.Rec inner;
          if (w.p.currentToken() == JsonToken.VALUE_STRING) {
            String json = w.text();
            // null: over the record limit, so is the wrapper; it is skipped as that
            inner = json == null ? new EventWalker.Rec(width) : lookup(json);
          } else {
            inner = object(w, false, false);
          }
          w.skipRest();
          inner.start = start; // the record as it is in the object: the whole wrapper
          inner.span = w.tokenStart() + 1 - start;
          return inner;
        }
        case EventWalker.DIGEST -> {
          status = ObjectResult.Status.DIGEST;
          stop = true;
          return null;
        }
        default -> throw new IllegalStateException("reader bug: outcome " + outcome);
      }
    }

    /** The event inside a LookupEvents {@code CloudTrailEvent} string. */
    private EventWalker.Rec lookup(String json) throws IOException {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      inLookup = true; // stays set when this throws, for the error message
      EventWalker.Rec rec;
      try (JsonParser ip = FACTORY.createParser(bytes)) {
        EventWalker iw = new EventWalker(trie, ip, TextSource.of(bytes));
        JsonToken t = ip.nextToken();
        // no object inside: a record without CloudTrail keys
        rec = t == JsonToken.START_OBJECT ? object(iw, false, false) : new EventWalker.Rec(width);
      }
      inLookup = false;
      return rec;
    }

    /** The parser is at START_ARRAY of an array of events. */
    private void eventArray() throws IOException {
      JsonParser p = walker.p;
      JsonToken t;
      while (!stop && (t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
        if (t == JsonToken.START_OBJECT) {
          eventObject(false);
        } else {
          notAnEvent(t);
        }
      }
    }

    /** A value that is not an object where an event was expected. */
    private void notAnEvent(JsonToken t) throws IOException {
      if (records == 0) {
        status = ObjectResult.Status.FOREIGN;
        String what =
            switch (t) {
              case START_ARRAY -> "an array";
              case VALUE_STRING -> "a string";
              case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
              case VALUE_TRUE, VALUE_FALSE -> "a boolean";
              default -> "null";
            };
        error = "not CloudTrail: the first record is " + what + ", not an object";
        stop = true;
      } else if (t == JsonToken.START_ARRAY) {
        walker.skip(); // (objects never come here: they are events)
      }
    }

    private void deliver(EventWalker.Rec rec) {
      if (records == 0 && !rec.cloudTrail) {
        status = ObjectResult.Status.FOREIGN;
        error =
            "not CloudTrail: the first record has none of eventVersion, eventSource, eventName,"
                + " eventTime";
        stop = true;
        return;
      }
      Object[] row = rec.row;
      markSeen(row);
      int index = (int) records++;
      if (!sink.accept(row, rec.timestamp(), rec.message, index)) {
        stop = true;
      }
    }

    private void markSeen(Object[] row) {
      if (unseen > 0) {
        for (int i = 0; i < slots.length; i++) {
          if (row[slots[i]] != null && !seen.get(i)) {
            seen.set(i);
            unseen--;
          }
        }
      }
    }

    private String describeForeign(byte[] head) {
      int b0 = head[0] & 0xff; // the first byte is there: sniff() found it
      int b1 = head.length > 1 ? head[1] & 0xff : -1;
      int b2 = head.length > 2 ? head[2] & 0xff : -1;
      int b3 = head.length > 3 ? head[3] & 0xff : -1;
      String kind;
      if (b0 == 0x28 && b1 == 0xb5 && b2 == 0x2f && b3 == 0xfd) {
        kind = "zstd-compressed";
      } else if (b0 == 'B' && b1 == 'Z' && b2 == 'h') {
        kind = "bzip2-compressed";
      } else if (b0 == 'P' && b1 == 'K' && (b2 == 3 || b2 == 5 || b2 == 7)) {
        kind = "a zip archive";
      } else if (b0 == 0xfd && b1 == '7' && b2 == 'z' && b3 == 'X') {
        kind = "xz-compressed";
      } else if (b0 == 0x04 && b1 == 0x22 && b2 == 0x4d && b3 == 0x18) {
        kind = "lz4-compressed";
      } else if (b0 == 'P' && b1 == 'A' && b2 == 'R' && b3 == '1') {
        kind = "Parquet";
      } else {
        kind = "not JSON";
      }
      return kind
          + (gzip ? " (inside gzip)" : "")
          + ": starts with "
          + HexFormat.ofDelimiter(" ").formatHex(head);
    }
  }
}
