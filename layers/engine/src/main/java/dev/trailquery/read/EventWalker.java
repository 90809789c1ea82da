package dev.trailquery.read;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Walks one JSON object with one parser, filling the requested paths of a row and skipping every
 * other field without materialising it.
 */
final class EventWalker {
  /** The walk reached the end of the object. */
  static final int END = 0;

  /** A document-level {@code Records}/{@code Events} array: the parser is at its START_ARRAY. */
  static final int RECORDS = 1;

  /** A {@code CloudTrailEvent} string or object: the parser is at its value. */
  static final int LOOKUP = 2;

  /** A key only digest files have, before any CloudTrail key. */
  static final int DIGEST = 3;

  /** Flags for {@link #walkRoot}: which interruptions apply to this object. */
  static final int ALLOW_RECORDS = 1;

  static final int ALLOW_LOOKUP = 2;
  static final int ALLOW_DIGEST = 4;

  /**
   * The value of a string or subtree too long to hold: only a record over {@link
   * CloudTrailReader#MAX_RECORD_TEXT_BYTES} has one, and such a record is skipped, never delivered
   * (its fields still count as seen).
   */
  static final Object OVERSIZED = new Object();

  /** What one record yielded. */
  static final class Rec {
    final Object[] row;
    long eventTime = EventTimes.NONE;
    long atTimestamp = EventTimes.NONE;
    boolean cloudTrail;
    String message;

    /** Where the record starts in the object, and its bytes of JSON text (set by the reader). */
    long start;

    long span;

    Rec(int width) {
      row = new Object[width];
    }

    long timestamp() {
      return eventTime != EventTimes.NONE ? eventTime : atTimestamp;
    }
  }

  final JsonParser p;

  /** {@link #p} when it can skip at byte level, else null. */
  private final SkippingParser fast;

  final TextSource text;
  private final PathTrie.Node root;

  EventWalker(PathTrie trie, JsonParser p, TextSource text) {
    this.root = trie.root;
    this.p = p;
    this.text = text;
    this.fast = p instanceof SkippingParser s ? s : null;
  }

  /** Byte offset of the current token. */
  long tokenStart() {
    return p.currentTokenLocation().getByteOffset();
  }

  /**
   * Walks the top level of an event object (the parser just returned its START_OBJECT, or an
   * interruption was handled) until its END_OBJECT or an interruption allowed by {@code flags}.
   */
  int walkRoot(Rec rec, int flags) throws IOException {
    String name;
    while (true) {
      if (fast != null) {
        fast.skipFields(root.keys);
      }
      if ((name = p.nextFieldName()) == null) {
        break;
      }
      PathTrie.Node n = root.children.get(name);
      JsonToken t = p.nextToken();
      if (n == null) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          skip();
        }
        continue;
      }
      int sp = n.special;
      if (sp != 0) {
        if ((sp & PathTrie.CLOUDTRAIL_KEY) != 0) {
          rec.cloudTrail = true;
        }
        if ((sp & PathTrie.INTERRUPTS) != 0) {
          if ((sp & PathTrie.RECORDS) != 0
              && (flags & ALLOW_RECORDS) != 0
              && t == JsonToken.START_ARRAY) {
            return RECORDS;
          }
          if ((sp & PathTrie.LOOKUP) != 0
              && (flags & ALLOW_LOOKUP) != 0
              && (t == JsonToken.VALUE_STRING || t == JsonToken.START_OBJECT)) {
            return LOOKUP;
          }
          if ((sp & PathTrie.DIGEST) != 0 && (flags & ALLOW_DIGEST) != 0 && !rec.cloudTrail) {
            return DIGEST;
          }
        }
        if (t == JsonToken.VALUE_STRING
            && (sp & (PathTrie.EVENT_TIME | PathTrie.AT_TIMESTAMP)) != 0
            && fast != null
            && !fast.stringEndsInBuffer()) {
          // a string running past the parser's buffer: read once, as text() reads it
          String v = text();
          long ts = v == null ? EventTimes.NONE : EventTimes.parse(v.toCharArray(), 0, v.length());
          if ((sp & PathTrie.EVENT_TIME) != 0) {
            rec.eventTime = ts;
          } else {
            rec.atTimestamp = ts;
          }
          if (n.isTarget()) {
            set(n, rec.row, v == null ? OVERSIZED : v);
          }
          continue;
        }
        if (t == JsonToken.VALUE_STRING) {
          if ((sp & PathTrie.EVENT_TIME) != 0) {
            rec.eventTime =
                EventTimes.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          } else if ((sp & PathTrie.AT_TIMESTAMP) != 0) {
            rec.atTimestamp =
                EventTimes.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          }
        }
      }
      value(n, t, rec.row);
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new IllegalStateException("reader bug: walk ended at " + p.currentToken());
    }
    return END;
  }

  /**
   * Skips the object or array the parser is at (byte-level when the parser can, see {@link
   * SkippingParser}).
   */
  void skip() throws IOException {
    if (fast != null) {
      fast.skipSubtree();
    } else {
      p.skipChildren();
    }
  }

  /**
   * The text of the string the parser is at; null when its JSON text is over {@link
   * CloudTrailReader#MAX_RECORD_TEXT_BYTES} (stepped over, never held: the record is skipped).
   */
  String text() throws IOException {
    return fast != null ? fast.textAtMost(CloudTrailReader.MAX_RECORD_TEXT_BYTES) : p.getText();
  }

  /** Skips the rest of the current object, up to and including its END_OBJECT. */
  void skipRest() throws IOException {
    while (true) {
      if (fast != null) {
        fast.skipFields(SkippingParser.Keys.NONE);
      }
      if (p.nextFieldName() == null) {
        break;
      }
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        skip();
      }
    }
  }

  /** Handles the value {@code t} at node {@code n}. */
  private void value(PathTrie.Node n, JsonToken t, Object[] row) throws IOException {
    switch (t) {
      case START_OBJECT, START_ARRAY -> {
        boolean object = t == JsonToken.START_OBJECT;
        boolean descend = object ? n.children != null : n.byIndex.length > 0;
        if (!n.isTarget()) {
          if (!descend) {
            skip();
          } else if (object) {
            walkObject(n, row);
          } else {
            walkArray(n, row);
          }
          return;
        }
        long start = tokenStart();
        text.retain(start);
        if (!descend) {
          skip();
        } else if (object) {
          walkObject(n, row);
        } else {
          walkArray(n, row);
        }
        String json = text.slice(start, tokenStart() + 1);
        text.release();
        set(n, row, json == null ? OVERSIZED : dev.trailquery.value.JsonValue.ofTrustedText(json));
      }
      case VALUE_STRING -> {
        if (n.isTarget()) {
          String v = text();
          set(n, row, v == null ? OVERSIZED : v);
        }
      }
      case VALUE_NUMBER_INT -> {
        if (n.isTarget()) {
          set(n, row, integer());
        }
      }
      case VALUE_NUMBER_FLOAT -> {
        if (n.isTarget()) {
          set(n, row, p.getDoubleValue());
        }
      }
      case VALUE_TRUE -> {
        if (n.isTarget()) {
          set(n, row, Boolean.TRUE);
        }
      }
      case VALUE_FALSE -> {
        if (n.isTarget()) {
          set(n, row, Boolean.FALSE);
        }
      }
      default -> {
        if (n.isTarget()) {
          set(n, row, null); // JSON null reads as missing (and a later duplicate key wins)
        }
      }
    }
  }

  /** An integer literal: a Double, or its text when it has more than 15 digits. */
  private Object integer() throws IOException {
    int len = p.getTextLength();
    if (len > 15 && len - (p.getTextCharacters()[p.getTextOffset()] == '-' ? 1 : 0) > 15) {
      return p.getText();
    }
    return (double) p.getLongValue();
  }

  private void walkObject(PathTrie.Node n, Object[] row) throws IOException {
    String name;
    while (true) {
      if (fast != null) {
        fast.skipFields(n.keys);
      }
      if ((name = p.nextFieldName()) == null) {
        break;
      }
      PathTrie.Node c = n.children.get(name);
      JsonToken t = p.nextToken();
      if (c != null) {
        value(c, t, row);
      } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        skip();
      }
    }
  }

  private void walkArray(PathTrie.Node n, Object[] row) throws IOException {
    int[] indexes = n.indexes;
    int next = 0; // the next wanted position in indexes (ascending)
    int i = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      if (next < indexes.length && indexes[next] == i) {
        value(n.byIndex[next++], t, row);
      } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        skip();
      }
      i++;
    }
  }

  private static void set(PathTrie.Node n, Object[] row, Object v) {
    for (int slot : n.slots) {
      row[slot] = v;
    }
  }
}
