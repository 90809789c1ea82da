package dev.trailquery.functions.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.lookup.LookupTable;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * {@code PUT|GET|DELETE /lookup-tables/{name}} (the body of a PUT: the CSV) and {@code GET
 * /lookup-tables}; and the tables a query's {@code lookup} commands use.
 */
final class LookupTableRoutes {
  private final dev.trailquery.functions.lookup.LookupTableStore store;
  private final LongSupplier clock;

  LookupTableRoutes(dev.trailquery.functions.lookup.LookupTableStore store, LongSupplier clock) {
    this.store = store;
    this.clock = clock;
  }

  ApiResponse put(String name, String body) {
    byte[] csv = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    LookupTable t;
    try {
      t = LookupTable.parse(name, csv);
    } catch (LookupTable.InvalidTableException e) {
      throw ApiException.invalid(e.getMessage());
    }
    long now = clock.getAsLong();
    store.put(name, csv, now);
    return new ApiResponse(200, Json.write(describe(t, csv.length, now)));
  }

  ApiResponse get(String name) {
    dev.trailquery.functions.lookup.LookupTableStore.Stored s =
        store.get(name).orElseThrow(() -> notFound(name));
    LookupTable t = table(s);
    ObjectNode n = describe(t, s.csv().length, s.lastModified());
    n.put("csv", new String(s.csv(), StandardCharsets.UTF_8));
    return new ApiResponse(200, Json.write(n));
  }

  ApiResponse delete(String name) {
    if (!store.delete(name)) {
      throw notFound(name);
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("success", true);
    return new ApiResponse(200, Json.write(out));
  }

  ApiResponse list() {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode a = out.putArray("lookupTables");
    for (dev.trailquery.functions.lookup.LookupTableStore.Stored s : store.list()) {
      a.addObject().put("name", s.name()).put("lastModified", s.lastModified());
    }
    return new ApiResponse(200, Json.write(out));
  }

  private static ObjectNode describe(LookupTable t, int bytes, long lastModified) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("name", t.name());
    n.put("version", t.version());
    n.put("bytes", bytes);
    n.put("rows", t.rows().size());
    ArrayNode cols = n.putArray("columns");
    t.columns().forEach(cols::add);
    n.put("lastModified", lastModified);
    return n;
  }

  private static LookupTable table(dev.trailquery.functions.lookup.LookupTableStore.Stored s) {
    try {
      return LookupTable.parse(s.name(), s.csv());
    } catch (LookupTable.InvalidTableException e) {
      throw new IllegalStateException("stored lookup table is invalid: " + e.getMessage());
    }
  }

  private static ApiException notFound(String name) {
    return ApiException.notFound("no lookup table named '" + name + "'");
  }
}
