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
    List<ObjectRef> objects) {

  public WorkerRequest {
    objects = List.copyOf(objects);
  }

  public Planner.Options options() {
    return new Planner.Options(startMillis, endMillis, nowMillis, limit);
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
    return n;
  }

  public static WorkerRequest fromJson(JsonNode n) {
    String container = n.path("container").asText();
    List<ObjectRef> refs = new ArrayList<>();
    for (JsonNode o : n.path("objects")) {
      refs.add(new ObjectRef(container, o.get(0).asText(), o.get(1).asLong(-1)));
    }
    JsonNode limit = n.get("limit");
    return new WorkerRequest(
        n.path("queryString").asText(),
        n.path("startMillis").asLong(Long.MIN_VALUE),
        n.path("endMillis").asLong(Long.MAX_VALUE),
        n.path("nowMillis").asLong(),
        limit == null || limit.isNull() ? null : limit.asLong(),
        Math.max(1, n.path("parallelism").asInt(1)),
        container,
        refs);
  }
}
