package dev.trailquery.read;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The requested paths as a trie over JSON keys, built once per reader. The root also carries the
 * top-level keys the reader itself looks at (event time, the CloudTrail marker keys, wrappers,
 * digest keys) as {@link Node#special} flags, so that one map lookup per top-level field serves
 * both.
 */
final class PathTrie {
  /** {@code eventTime}: the record's timestamp. */
  static final int EVENT_TIME = 1;

  /** {@code @timestamp}: timestamp fallback when {@code eventTime} is missing. */
  static final int AT_TIMESTAMP = 2;

  /** One of eventVersion, eventSource, eventName, eventTime: the object is a CloudTrail event. */
  static final int CLOUDTRAIL_KEY = 4;

  /** {@code CloudTrailEvent}: a LookupEvents wrapper holding the event as a JSON string. */
  static final int LOOKUP = 8;

  /** {@code Records} / {@code Events}: a document-level wrapper around an array of events. */
  static final int RECORDS = 16;

  /** A key only digest files have at top level. */
  static final int DIGEST = 32;

  /** Specials that may interrupt the walk of a top-level object. */
  static final int INTERRUPTS = LOOKUP | RECORDS | DIGEST;

  private static final Node[] NO_NODES = {};
  private static final int[] NO_SLOTS = {};

  /** Keys present at the top level of CloudTrail digest files and never in events. */
  static final List<String> DIGEST_KEYS =
      List.of(
          "digestStartTime",
          "digestEndTime",
          "digestS3Bucket",
          "digestS3Object",
          "digestPublicKeyFingerprint",
          "digestSignatureAlgorithm",
          "previousDigestS3Bucket",
          "previousDigestS3Object",
          "previousDigestHashValue",
          "previousDigestHashAlgorithm",
          "previousDigestSignature");

  static final class Node {
    /** Children by JSON key (interned); null when none are requested. */
    Map<String, Node> children;

    /** Array indexes with children (from numeric keys), ascending; empty when none. */
    int[] indexes = NO_SLOTS;

    /** The child for each of {@link #indexes}. */
    Node[] byIndex = NO_NODES;

    /** Row slots that receive this node's value; empty when the node is only a way through. */
    int[] slots = NO_SLOTS;

    /** Root-level flags; 0 elsewhere. */
    int special;

    Node child(String key) {
      if (children == null) {
        children = new HashMap<>();
      }
      return children.computeIfAbsent(key.intern(), k -> new Node());
    }

    boolean isTarget() {
      return slots.length > 0;
    }
  }

  final Node root;

  private PathTrie(Node root) {
    this.root = root;
  }

  /**
   * Builds the trie of {@code paths} (dotted; a segment {@code @@x} reaches the key {@code
   * @x}, as Logs Insights renames JSON keys starting with {@code @}).
   */
  static PathTrie build(List<String> paths, int[] slots) {
    Node root = new Node();
    for (int i = 0; i < paths.size(); i++) {
      Node n = root;
      for (String seg : paths.get(i).split("\\.", -1)) {
        n = n.child(seg.startsWith("@@") ? seg.substring(1) : seg);
      }
      n.slots = Arrays.copyOf(n.slots, n.slots.length + 1);
      n.slots[n.slots.length - 1] = slots[i];
    }
    root.child("eventTime").special |= EVENT_TIME | CLOUDTRAIL_KEY;
    root.child("eventVersion").special |= CLOUDTRAIL_KEY;
    root.child("eventSource").special |= CLOUDTRAIL_KEY;
    root.child("eventName").special |= CLOUDTRAIL_KEY;
    root.child("@timestamp").special |= AT_TIMESTAMP;
    root.child("CloudTrailEvent").special |= LOOKUP;
    root.child("Records").special |= RECORDS;
    root.child("Events").special |= RECORDS;
    for (String k : DIGEST_KEYS) {
      root.child(k).special |= DIGEST;
    }
    index(root);
    return new PathTrie(root);
  }

  /** Fills {@link Node#indexes} and {@link Node#byIndex} from numeric keys, recursively. */
  private static void index(Node n) {
    if (n.children == null) {
      return;
    }
    TreeMap<Integer, Node> byIndex = new TreeMap<>();
    for (Map.Entry<String, Node> e : n.children.entrySet()) {
      int i = arrayIndex(e.getKey());
      if (i >= 0) {
        byIndex.put(i, e.getValue());
      }
      index(e.getValue());
    }
    if (!byIndex.isEmpty()) {
      n.indexes = byIndex.keySet().stream().mapToInt(Integer::intValue).toArray();
      n.byIndex = byIndex.values().toArray(NO_NODES);
    }
  }

  /**
   * A canonical non-negative decimal below 10^9 → its value; anything else (even {@code 01}) → -1.
   */
  static int arrayIndex(String s) {
    int n = s.length();
    if (n == 0 || n > 9 || (n > 1 && s.charAt(0) == '0')) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
