package dev.trailquery.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.value.Values;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a chunk holds of one field: whether any record has it, and either the exact set of its
 * values (up to {@link #MAX_EXACT}) or a bloom filter of their text. Answers "may a record of the
 * chunk have a value equal ({@code =}, as {@link Values#equalsValue} sees it) to this literal?"
 * without false negatives.
 *
 * @param present whether some record has the field (a non-null value)
 * @param exact the distinct values (String, Double or Boolean), or null when {@link #bloom} is used
 * @param bloom bloom filter bits over {@link #text} of the values, or null
 * @param hashes hash functions of the bloom filter
 */
public record FieldIndex(boolean present, List<Object> exact, long[] bloom, int hashes) {
  /** Distinct values kept exactly; beyond, a bloom filter. */
  public static final int MAX_EXACT = 64;

  /** Bits per value of the bloom filter (about 1% false positives with 7 hashes). */
  static final int BITS_PER_VALUE = 10;

  static final int HASHES = 7;

  /** Builds the index of a field's values over a chunk's records. */
  public static final class Builder {
    private final LinkedHashSet<Object> values = new LinkedHashSet<>();

    public void add(Object v) {
      if (v != null) {
        values.add(v);
      }
    }

    public FieldIndex build() {
      if (values.size() <= MAX_EXACT) {
        return new FieldIndex(!values.isEmpty(), List.copyOf(values), null, 0);
      }
      int bits = Math.max(64, values.size() * BITS_PER_VALUE);
      long[] words = new long[(bits + 63) / 64];
      for (Object v : values) {
        String t = text(v);
        if (t != null) {
          set(words, t);
        }
      }
      return new FieldIndex(true, null, words, HASHES);
    }
  }

  /**
   * Whether some record may equal {@code literal} (a String or Double from the query). Exact sets
   * use the query's own equality; a bloom filter is asked only for text that does not read as a
   * number (otherwise numeric equality could match other spellings) and otherwise says yes.
   */
  public boolean mayEqual(Object literal) {
    if (!present) {
      return false;
    }
    if (exact != null) {
      for (Object v : exact) {
        if (Values.equalsValue(v, literal)) {
          return true;
        }
      }
      return false;
    }
    if (!(literal instanceof String s) || Values.parseNumber(s) != null) {
      return true;
    }
    return contains(bloom, s);
  }

  /**
   * The text under which a value is hashed: for a literal that is not a number, {@code v = literal}
   * holds exactly when this text equals it (strings compare as text, booleans as true/false,
   * numbers by their rendering).
   */
  static String text(Object v) {
    return switch (v) {
      case String s -> s;
      case Boolean b -> b.toString();
      case Double d -> Values.formatNumber(d);
      default -> null;
    };
  }

  private static void set(long[] words, String s) {
    long h1 = hash(s, 0x9E3779B97F4A7C15L);
    long h2 = hash(s, 0xC2B2AE3D27D4EB4FL) | 1;
    long bits = words.length * 64L;
    for (int i = 0; i < HASHES; i++) {
      long b = Long.remainderUnsigned(h1 + i * h2, bits);
      words[(int) (b >>> 6)] |= 1L << (b & 63);
    }
  }

  private static boolean contains(long[] words, String s) {
    long h1 = hash(s, 0x9E3779B97F4A7C15L);
    long h2 = hash(s, 0xC2B2AE3D27D4EB4FL) | 1;
    long bits = words.length * 64L;
    for (int i = 0; i < HASHES; i++) {
      long b = Long.remainderUnsigned(h1 + i * h2, bits);
      if ((words[(int) (b >>> 6)] & (1L << (b & 63))) == 0) {
        return false;
      }
    }
    return true;
  }

  /** A 64-bit FNV-1a over UTF-8 with a seed, finished with a murmur mix. */
  private static long hash(String s, long seed) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  JsonNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (exact != null) {
      var arr = o.putArray("values");
      for (Object v : exact) {
        switch (v) {
          case String s -> arr.add(s);
          case Boolean b -> arr.add(b);
          case Double d -> arr.add(d);
          default -> throw new IllegalStateException("not a value: " + v);
        }
      }
    } else {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(bloom.length * 8);
      for (long w : bloom) {
        buf.putLong(w);
      }
      o.put("bloom", Base64.getEncoder().encodeToString(buf.array()));
      o.put("hashes", hashes);
    }
    return o;
  }

  static FieldIndex fromJson(JsonNode o) {
    if (o.has("values")) {
      List<Object> values = new ArrayList<>();
      for (JsonNode v : o.get("values")) {
        if (v.isBoolean()) {
          values.add(v.booleanValue());
        } else if (v.isNumber()) {
          values.add(v.doubleValue());
        } else {
          values.add(v.textValue());
        }
      }
      return new FieldIndex(!values.isEmpty(), List.copyOf(values), null, 0);
    }
    byte[] raw = Base64.getDecoder().decode(o.get("bloom").textValue());
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(raw);
    long[] words = new long[raw.length / 8];
    for (int i = 0; i < words.length; i++) {
      words[i] = buf.getLong();
    }
    int hashes = o.get("hashes").intValue();
    if (hashes != HASHES) {
      throw new IllegalArgumentException("bloom filter with " + hashes + " hashes");
    }
    return new FieldIndex(true, null, words, hashes);
  }

  /** The distinct exact values, for tests and tools; empty for a bloom filter. */
  public Set<Object> values() {
    return exact == null ? Set.of() : new LinkedHashSet<>(exact);
  }
}
