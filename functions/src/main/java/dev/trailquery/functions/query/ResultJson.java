package dev.trailquery.functions.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Statistics;
import dev.trailquery.json.Mappers;
import dev.trailquery.value.JsonValue;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The one writer of query results and their statistics as JSON, for every document that carries
 * them:
 *
 * <ul>
 *   <li>{@code GET /queries/{id}} (GetQueryResults' shape): rows as {@link #cells} {@code [{field,
 *       value}]} with text values, {@link Stats#QUERY} statistics;
 *   <li>{@code GET /subscriptions/{name}/results}: {@link #fields}, rows as cells, {@link
 *       Stats#SUBSCRIPTION} statistics, and {@link Stats#BIN} per bin;
 *   <li>{@code ./trailquery query|results --format json}: {@link #document} — {@code fields}, rows
 *       as {@link #record} objects with typed values ({@link #value}), {@link Stats#CLI}
 *       statistics; {@code --format ndjson}: one {@link #record} per line.
 * </ul>
 *
 * The shapes differ where the documented contracts differ (text cells vs typed values, which
 * statistics, in which order); each is written here only. Streaming ({@link JsonGenerator}), so a
 * large CLI result is never held as a tree; {@link #tree} gives the API's tree-building code the
 * same tokens.
 */
public final class ResultJson {
  private ResultJson() {}

  /** A statistic: its JSON name and where its value comes from. */
  private record Stat(String name, ToLongFunction<Statistics> value) {}

  private static final Stat MATCHED = new Stat("recordsMatched", Statistics::recordsMatched);
  private static final Stat SCANNED = new Stat("recordsScanned", Statistics::recordsScanned);
  private static final Stat BYTES_SCANNED = new Stat("bytesScanned", Statistics::bytesScanned);
  private static final Stat BYTES_READ = new Stat("bytesRead", Statistics::bytesRead);
  private static final Stat OBJECTS_SCANNED =
      new Stat("objectsScanned", Statistics::objectsScanned);
  private static final Stat OBJECTS_SKIPPED =
      new Stat("objectsSkipped", Statistics::objectsSkipped);

  /** Which statistics a document carries, in its order (each is a documented contract). */
  public enum Stats {
    /** {@code ./trailquery ... --format json}. */
    CLI(SCANNED, MATCHED, BYTES_SCANNED, BYTES_READ, OBJECTS_SCANNED, OBJECTS_SKIPPED),
    /** {@code GET /queries/{id}}. */
    QUERY(MATCHED, SCANNED, BYTES_SCANNED, OBJECTS_SCANNED, OBJECTS_SKIPPED, BYTES_READ),
    /** {@code GET /subscriptions/{name}/results}, the whole range. */
    SUBSCRIPTION(MATCHED, SCANNED, BYTES_SCANNED, OBJECTS_SCANNED, OBJECTS_SKIPPED),
    /** One bin of {@code granularity=bin}. */
    BIN(MATCHED, SCANNED);

    private final List<Stat> stats;

    Stats(Stat... stats) {
      this.stats = List.of(stats);
    }
  }

  /** {@code "statistics": {...}} in {@code shape}. */
  public static void statistics(JsonGenerator g, Statistics s, Stats shape) throws IOException {
    g.writeObjectFieldStart("statistics");
    for (Stat st : shape.stats) {
      g.writeNumberField(st.name(), st.value().applyAsLong(s));
    }
    g.writeEndObject();
  }

  /** {@code "fields": [...]}. */
  public static void fields(JsonGenerator g, List<String> fields) throws IOException {
    g.writeArrayFieldStart("fields");
    for (String f : fields) {
      g.writeString(f);
    }
    g.writeEndArray();
  }

  /** One row as GetQueryResults gives it: {@code [{"field": f, "value": text}, ...]}. */
  public static void cells(JsonGenerator g, List<ResultField> row) throws IOException {
    g.writeStartArray();
    for (ResultField f : row) {
      g.writeStartObject();
      g.writeStringField("field", f.field());
      g.writeStringField("value", f.value());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** {@code "results": [[{field, value}], ...]}: the rows of {@code r} as cells. */
  public static void results(JsonGenerator g, Result r) throws IOException {
    g.writeArrayFieldStart("results");
    for (List<ResultField> row : ResultField.rows(r)) {
      cells(g, row);
    }
    g.writeEndArray();
  }

  /** One row as an object of typed values ({@link #value}); missing fields are left out. */
  public static void record(JsonGenerator g, List<String> fields, Object[] row) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < fields.size(); i++) {
      if (row[i] != null) {
        g.writeFieldName(fields.get(i));
        value(g, row[i]);
      }
    }
    g.writeEndObject();
  }

  /**
   * A value as JSON: whole numbers without a fraction, booleans as 1/0 (as Logs Insights shows
   * them), times as their text, maps and lists as JSON objects and arrays.
   */
  public static void value(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Double d -> {
        if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
          g.writeNumber(d.longValue());
        } else {
          g.writeNumber(d);
        }
      }
      case Boolean b -> g.writeNumber(b ? 1 : 0);
      case Timestamp t -> g.writeString(t.render());
      case JsonValue j -> g.writeRawValue(j.text());
      default -> g.writeString(v.toString());
    }
  }

  /** The CLI's document: {@code {"fields", "rows": [{...}], "statistics"}}. */
  public static void document(JsonGenerator g, Result r) throws IOException {
    g.writeStartObject();
    fields(g, r.fields());
    g.writeArrayFieldStart("rows");
    for (Object[] row : r.rows()) {
      record(g, r.fields(), row);
    }
    g.writeEndArray();
    statistics(g, r.statistics(), Stats.CLI);
    g.writeEndObject();
  }

  /** What a writer writes, for code that builds trees. */
  @FunctionalInterface
  public interface Part {
    void write(JsonGenerator g) throws IOException;
  }

  /**
   * The tree of what {@code part} writes inside an object ({@code {...}}): its fields can be added
   * to another object with {@code setAll}.
   */
  public static JsonNode tree(Part part) {
    try (TokenBuffer b = new TokenBuffer(Mappers.MAPPER, false)) {
      b.writeStartObject();
      part.write(b);
      b.writeEndObject();
      return Mappers.MAPPER.readTree(b.asParser());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
