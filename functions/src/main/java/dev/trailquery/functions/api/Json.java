package dev.trailquery.functions.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.json.Mappers;

/** Request bodies of the API (a body that is not what a route takes is a 400); JSON out. */
public final class Json {
  /** The shared mapper ({@link Mappers}). */
  public static final ObjectMapper MAPPER = Mappers.MAPPER;

  private Json() {}

  /** Parses a request body; a body that is not JSON is a 400. */
  public static JsonNode parseBody(String body) {
    if (body == null || body.isBlank()) {
      throw ApiException.invalid("a JSON body is required");
    }
    try {
      // Trailing tokens ({"a":1} xyz, or two documents) are an error, not silently dropped.
      return MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw ApiException.invalid(
          "the body is not valid JSON"
              + (loc == null
                  ? ""
                  : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
    }
  }

  /**
   * A request body that must be a JSON object with only the {@code allowed} fields; a 400 naming
   * the first unknown field otherwise.
   */
  public static JsonNode objectBody(String body, java.util.Set<String> allowed) {
    JsonNode b = parseBody(body);
    if (!b.isObject()) {
      throw ApiException.invalid("the body must be a JSON object");
    }
    b.fieldNames()
        .forEachRemaining(
            f -> {
              if (!allowed.contains(f)) {
                throw ApiException.invalid(
                    "unknown field '" + f + "' (expected one of " + allowed + ")");
              }
            });
    return b;
  }

  /** A body's optional string field: null when absent or null, else a non-empty string (400). */
  static String text(JsonNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      throw ApiException.invalid(field + " must be a non-empty string");
    }
    return n.asText();
  }

  /** A body's optional whole-number field that fits an int: null when absent or null (400). */
  static Integer integer(JsonNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber()) {
      throw ApiException.invalid(field + " must be a whole number");
    }
    if (!n.canConvertToInt()) {
      throw ApiException.invalid(
          field + " is out of range: " + n.asText() + " (at most " + Integer.MAX_VALUE + ")");
    }
    return n.asInt();
  }

  public static String write(Object node) {
    return Mappers.write(node);
  }
}
