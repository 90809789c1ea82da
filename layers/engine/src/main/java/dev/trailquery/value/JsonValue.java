package dev.trailquery.value;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A map or list of the value model: a JSON object or array reached by a field path of the record
 * ({@code requestParameters}, {@code resources}), produced by {@code jsonParse} or {@code split},
 * or an element of one of those.
 *
 * <p>A value holds its compact JSON text, its parsed tree, or both, each computed from the other
 * when first needed: the reader hands out the record's bytes as text without parsing them, and only
 * an access ({@code .key}, {@code [i]}, {@code unnest}) parses. Wherever text is needed (string
 * functions, comparisons, output tables, the API) the value is its compact JSON text. Elements read
 * as values of the model: strings, numbers ({@code Double}; integers of more than 15 digits stay
 * text, as the reader keeps them), booleans, JSON {@code null} as missing, and nested maps and
 * lists as {@code JsonValue}s.
 *
 * <p>Immutable; the lazily computed halves are idempotent, so sharing between threads is safe.
 */
public final class JsonValue {
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(200)
                      .maxStringLength(16 << 20)
                      .maxNumberLength(1000)
                      .build())
              .build());

  private String text;
  private JsonNode node;
  private final boolean list;

  private JsonValue(String text, JsonNode node, boolean list) {
    this.text = text;
    this.node = node;
    this.list = list;
  }

  /**
   * A value over compact JSON text already known to be a valid object or array (the reader's slice
   * of a record, or a stored result); parsed only when accessed.
   */
  public static JsonValue ofTrustedText(String json) {
    return new JsonValue(json, null, json.startsWith("["));
  }

  /** A value over a parsed object or array node. */
  public static JsonValue of(JsonNode node) {
    if (!node.isContainerNode()) {
      throw new IllegalArgumentException("not an object or array: " + node.getNodeType());
    }
    return new JsonValue(null, node, node.isArray());
  }

  /** A list of values of the model (strings, numbers, booleans, maps, lists; null as JSON null). */
  public static JsonValue listOf(List<?> values) {
    var array = MAPPER.getNodeFactory().arrayNode(values.size());
    for (Object v : values) {
      array.add(toNode(v));
    }
    return of(array);
  }

  /**
   * {@code jsonParse}: the map or list a JSON object or array text holds; null for anything else
   * (other JSON, invalid JSON, trailing content).
   */
  public static JsonValue parse(String s) {
    if (s == null) {
      return null;
    }
    int i = 0;
    int n = s.length();
    while (i < n && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    if (i == n || (s.charAt(i) != '{' && s.charAt(i) != '[')) {
      return null;
    }
    try (JsonParser p = MAPPER.createParser(s)) {
      JsonNode node = MAPPER.readTree(p);
      if (node == null || !node.isContainerNode() || p.nextToken() != null) {
        return null;
      }
      return of(node);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  public boolean isList() {
    return list;
  }

  public boolean isMap() {
    return !list;
  }

  /** The compact JSON text. */
  public String text() {
    String t = text;
    if (t == null) {
      t = node.toString();
      text = t;
    }
    return t;
  }

  /** The parsed tree (do not modify it). */
  public JsonNode node() {
    JsonNode n = node;
    if (n == null) {
      try {
        n = MAPPER.readTree(text);
      } catch (IOException e) {
        // only trusted text is held unparsed; treat a broken one as empty
        n = list ? MAPPER.getNodeFactory().arrayNode() : MAPPER.getNodeFactory().objectNode();
      }
      node = n;
    }
    return n;
  }

  /** Number of elements (list) or keys (map). */
  public int size() {
    return node().size();
  }

  /**
   * {@code .key}: a map's value for the key; on a list, a canonical decimal key is an index (as in
   * {@code resources.0.ARN}). Missing when absent.
   */
  public Object get(String key) {
    JsonNode n = node();
    if (n.isObject()) {
      return toValue(n.get(key));
    }
    int i = index(key);
    return i < 0 ? null : toValue(n.get(i));
  }

  /** {@code [i]}: a list's element (0-based); on a map, the key of that decimal text. */
  public Object get(int index) {
    JsonNode n = node();
    if (n.isArray()) {
      return index < 0 ? null : toValue(n.get(index));
    }
    return toValue(n.get(Integer.toString(index)));
  }

  /** A list's elements as values of the model (JSON null as null); a map is a one-element list. */
  public List<Object> elements() {
    JsonNode n = node();
    if (!n.isArray()) {
      return List.of(this);
    }
    List<Object> out = new ArrayList<>(n.size());
    for (JsonNode e : n) {
      out.add(toValue(e));
    }
    return Collections.unmodifiableList(out);
  }

  /** A JSON node as a value of the model. */
  public static Object toValue(JsonNode n) {
    if (n == null) {
      return null;
    }
    JsonNodeType t = n.getNodeType();
    return switch (t) {
      case OBJECT, ARRAY -> of(n);
      case STRING -> n.textValue();
      case BOOLEAN -> Values.bool(n.booleanValue());
      case NUMBER -> {
        if (n.isIntegralNumber()) {
          String digits = n.asText();
          int len = digits.length() - (digits.startsWith("-") ? 1 : 0);
          yield len > 15 ? digits : n.doubleValue();
        }
        yield n.doubleValue();
      }
      case NULL, MISSING -> null;
      case BINARY, POJO -> n.asText();
    };
  }

  /** A value of the model as a JSON node (text for timestamps, 1/0 kept as booleans). */
  public static JsonNode toNode(Object v) {
    var f = MAPPER.getNodeFactory();
    return switch (v) {
      case null -> f.nullNode();
      case JsonValue j -> j.node();
      case String s -> f.textNode(s);
      case Double d ->
          d == Math.rint(d) && Math.abs(d) < 1e15
              ? f.numberNode((long) (double) d)
              : f.numberNode(d);
      case Boolean b -> f.booleanNode(b);
      default -> f.textNode(Values.toText(v));
    };
  }

  /** A canonical non-negative decimal below 10^9 → its value; else -1. */
  static int index(String s) {
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

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonValue j && j.text().equals(text());
  }

  @Override
  public int hashCode() {
    return text().hashCode();
  }

  /** The compact JSON text. */
  @Override
  public String toString() {
    return text();
  }
}
