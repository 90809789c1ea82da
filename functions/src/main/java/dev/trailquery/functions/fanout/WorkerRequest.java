package dev.trailquery.functions.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.json.Mappers;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.ObjectRef;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker invocation: the query, its time bounds, and a batch of objects of one container (a
 * bucket or a directory). JSON: {@code {"queryString", "startMillis", "endMillis", "nowMillis",
 * "limit"?, "parallelism", "container", "objects": [[key, size], ...]}}.
 */
public record WorkerRequest(
    String queryString,
    long startMillis,
    long endMillis,
    long nowMillis,
    Long limit,
    int parallelism,
    String container,
    List<ObjectRef> objects,
    String distinctColumn,
    java.util.Map<String, java.util.Set<String>> subqueries,
    java.util.Map<String, String> lookups) {

  public WorkerRequest {
    objects = List.copyOf(objects);
    subqueries = subqueries == null ? java.util.Map.of() : java.util.Map.copyOf(subqueries);
    lookups = lookups == null ? java.util.Map.of() : java.util.Map.copyOf(lookups);
  }

  public WorkerRequest(
      String queryString,
      long startMillis,
      long endMillis,
      long nowMillis,
      Long limit,
      int parallelism,
      String container,
      List<ObjectRef> objects) {
    this(
        queryString,
        startMillis,
        endMillis,
        nowMillis,
        limit,
        parallelism,
        container,
        objects,
        null,
        java.util.Map.of(),
        java.util.Map.of());
  }

  /**
   * The planner's options: a subquery's inner query ({@code distinctColumn}: one group per value of
   * that column), or a query with the values of its subqueries, which ran first.
   */
  public Planner.Options options() {
    java.util.Map<String, dev.trailquery.lookup.LookupTable> tables =
        dev.trailquery.functions.lookup.QueryTables.parse(lookups);
    Planner.Options o =
        new Planner.Options(startMillis, endMillis, nowMillis, limit).withLookups(tables);
    if (distinctColumn != null) {
      return o.forSubquery(distinctColumn);
    }
    return subqueries.isEmpty() ? o : o.withSubqueries(subqueries);
  }

  public ObjectNode toJson() {
    ObjectNode n = Mappers.MAPPER.createObjectNode();
    n.put("queryString", queryString);
    n.put("startMillis", startMillis);
    n.put("endMillis", endMillis);
    n.put("nowMillis", nowMillis);
    if (limit != null) {
      n.put("limit", limit);
    }
    n.put("parallelism", parallelism);
    n.put("container", container);
    ArrayNode objs = n.putArray("objects");
    for (ObjectRef r : objects) {
      objs.addArray().add(r.key()).add(r.size());
    }
    if (distinctColumn != null) {
      n.put("distinctColumn", distinctColumn);
    }
    if (!lookups.isEmpty()) {
      ObjectNode tables = n.putObject("lookups");
      lookups.forEach(tables::put);
    }
    if (!subqueries.isEmpty()) {
      ObjectNode subs = n.putObject("subqueries");
      subqueries.forEach(
          (inner, values) -> {
            ArrayNode a = subs.putArray(inner);
            values.forEach(a::add);
          });
    }
    return n;
  }

  public static WorkerRequest fromJson(JsonNode n) {
    String container = n.path("container").asText();
    List<ObjectRef> refs = new ArrayList<>();
    for (JsonNode o : n.path("objects")) {
      refs.add(new ObjectRef(container, o.get(0).asText(), o.get(1).asLong(-1)));
    }
    JsonNode limit = n.get("limit");
    java.util.Map<String, String> lookups = new java.util.LinkedHashMap<>();
    n.path("lookups").properties().forEach(e -> lookups.put(e.getKey(), e.getValue().asText()));
    java.util.Map<String, java.util.Set<String>> subqueries = new java.util.LinkedHashMap<>();
    n.path("subqueries")
        .properties()
        .forEach(
            e -> {
              java.util.Set<String> values = new java.util.HashSet<>();
              e.getValue().forEach(v -> values.add(v.asText()));
              subqueries.put(e.getKey(), values);
            });
    return new WorkerRequest(
        n.path("queryString").asText(),
        n.path("startMillis").asLong(Long.MIN_VALUE),
        n.path("endMillis").asLong(Long.MAX_VALUE),
        n.path("nowMillis").asLong(),
        limit == null || limit.isNull() ? null : limit.asLong(),
        Math.max(1, n.path("parallelism").asInt(1)),
        container,
        refs,
        n.hasNonNull("distinctColumn") ? n.get("distinctColumn").asText() : null,
        subqueries,
        lookups);
  }
}
