package dev.trailquery.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.json.Mappers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** JSON forms of the parts of a {@link QueryRecord} that a store keeps. */
final class RecordCodec {
  private RecordCodec() {}

  static String request(QueryRequest q) {
    ObjectNode n = Mappers.MAPPER.createObjectNode();
    n.put("queryString", q.queryString());
    n.put("startMillis", q.startMillis());
    n.put("endMillis", q.endMillis());
    if (q.limit() != null) {
      n.put("limit", q.limit());
    }
    ArrayNode a = n.putArray("accounts");
    q.accounts().forEach(a::add);
    ArrayNode r = n.putArray("regions");
    q.regions().forEach(r::add);
    return Mappers.write(n);
  }

  static QueryRequest request(String json) {
    JsonNode n = read(json);
    return new QueryRequest(
        n.path("queryString").asText(),
        n.path("startMillis").asLong(),
        n.path("endMillis").asLong(),
        n.hasNonNull("limit") ? n.get("limit").asLong() : null,
        strings(n.path("accounts")),
        strings(n.path("regions")));
  }

  static String stats(QueryStats s) {
    return Mappers.write(Mappers.MAPPER.valueToTree(s));
  }

  static QueryStats stats(String json) {
    JsonNode n = read(json);
    return new QueryStats(
        n.path("recordsMatched").asLong(),
        n.path("recordsScanned").asLong(),
        n.path("bytesScanned").asLong(),
        n.path("bytesRead").asLong(),
        n.path("objectsScanned").asLong(),
        n.path("objectsSkipped").asLong(),
        n.path("objectsListed").asLong(),
        n.path("batches").asInt(),
        n.path("batchesDone").asInt());
  }

  static String strings(List<String> list) {
    ArrayNode a = Mappers.MAPPER.createArrayNode();
    list.forEach(a::add);
    return Mappers.write(a);
  }

  static List<String> strings(String json) {
    return strings(read(json));
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  /** Result rows as gzipped JSON {@code [[[field, value], ...], ...]}. */
  static byte[] results(List<List<ResultField>> rows) {
    ArrayNode a = Mappers.MAPPER.createArrayNode();
    for (List<ResultField> row : rows) {
      ArrayNode r = a.addArray();
      for (ResultField f : row) {
        r.addArray().add(f.field()).add(f.value());
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      Mappers.MAPPER.writeValue(gz, a);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static List<List<ResultField>> results(byte[] gz) {
    JsonNode a;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      a = Mappers.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<List<ResultField>> out = new ArrayList<>();
    for (JsonNode r : a) {
      List<ResultField> row = new ArrayList<>();
      for (JsonNode f : r) {
        row.add(new ResultField(f.get(0).asText(), f.get(1).asText()));
      }
      out.add(List.copyOf(row));
    }
    return List.copyOf(out);
  }

  private static JsonNode read(String json) {
    try {
      return Mappers.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
