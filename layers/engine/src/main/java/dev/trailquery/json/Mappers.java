package dev.trailquery.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The one Jackson {@link ObjectMapper} of trailquery (engine, functions, CLI): configured once,
 * shared (a configured mapper is thread-safe), so every JSON reader and writer behaves the same.
 * Unknown properties are ignored when binding to classes; trees ({@code readTree}) are unaffected.
 */
public final class Mappers {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private Mappers() {}

  /** Compact JSON of a tree or value. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Indented JSON of a tree or value. */
  public static ObjectWriter pretty() {
    return PRETTY;
  }
}
