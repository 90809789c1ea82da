package dev.trailquery.functions.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.trailquery.saved.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code parameters} of a saved query as the API takes and gives them: {@code [{"name",
 * "defaultValue"?, "description"?}]} (at most 20), as PutQueryDefinition has them.
 */
public final class SavedParameters {
  private SavedParameters() {}

  /** Reads the request's {@code parameters}; a 400 saying what is wrong. Absent: none. */
  public static List<Parameter> parse(JsonNode n) {
    List<Parameter> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw new InvalidRequestException(
          "parameters must be a list of {name, defaultValue?, description?}");
    }
    for (JsonNode p : n) {
      if (!p.isObject() || !p.path("name").isTextual()) {
        throw new InvalidRequestException("each parameter needs a name (a string)");
      }
      for (String f : List.of("defaultValue", "description")) {
        if (p.has(f) && !p.get(f).isNull() && !p.get(f).isTextual()) {
          throw new InvalidRequestException("parameter " + f + " must be a string");
        }
      }
      out.add(
          new Parameter(
              p.get("name").asText(),
              p.hasNonNull("defaultValue") ? p.get("defaultValue").asText() : null,
              p.hasNonNull("description") ? p.get("description").asText() : null));
    }
    return out;
  }

  public static ArrayNode toNode(List<Parameter> parameters) {
    ArrayNode a = dev.trailquery.json.Mappers.MAPPER.createArrayNode();
    for (Parameter p : parameters) {
      var o = a.addObject().put("name", p.name());
      if (p.defaultValue() != null) {
        o.put("defaultValue", p.defaultValue());
      }
      if (p.description() != null) {
        o.put("description", p.description());
      }
    }
    return a;
  }

  public static String toJson(List<Parameter> parameters) {
    return toNode(parameters).toString();
  }

  public static List<Parameter> fromJson(String json) {
    try {
      return parse(dev.trailquery.json.Mappers.MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored saved-query parameters are not JSON", e);
    }
  }
}
