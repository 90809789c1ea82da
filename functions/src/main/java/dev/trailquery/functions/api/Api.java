package dev.trailquery.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.Trailquery;
import dev.trailquery.contract.Route;
import dev.trailquery.functions.fanout.Launcher;
import dev.trailquery.functions.query.InMemoryQueryStore;
import dev.trailquery.functions.query.InvalidRequestException;
import dev.trailquery.functions.query.QueryDefinition;
import dev.trailquery.functions.query.QueryRecord;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.query.QueryStats;
import dev.trailquery.functions.query.QueryStatus;
import dev.trailquery.functions.query.QueryStore;
import dev.trailquery.functions.query.SavedQueryStore;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.QueryException;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import dev.trailquery.plan.Planner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The query API's routes, the same behind API Gateway and {@code ./trailquery serve}:
 *
 * <ul>
 *   <li>{@code POST /queries} {@code {queryString, startTime, endTime, limit?, accounts?,
 *       regions?}} → 202 {@code {queryId}}
 *   <li>{@code GET /queries/{id}} → {@code {queryId, status, results: [[{field, value}]],
 *       statistics, ...}}
 *   <li>{@code DELETE /queries/{id}} stops a query; {@code GET /queries} lists recent ones
 *   <li>{@code PUT|GET|DELETE /saved-queries/{name}}, {@code GET /saved-queries}
 *   <li>{@code PUT|GET|DELETE /subscriptions/{name}}, {@code GET /subscriptions}, {@code GET
 *       /subscriptions/{name}/results}, {@code PUT|GET|DELETE /subscriptions/{name}/alarm}, {@code
 *       GET /alarms} ({@link SubscriptionApi}) — over the ingest path's DynamoDB tables; 501 where
 *       there are none (the embedded default of {@code serve})
 * </ul>
 *
 * Errors are {@code {"error": {"code", "message", "line"?, "column"?}}} with a 4xx status (5xx only
 * for internal errors, without a stack trace).
 */
public final class Api {
  private static final int MAX_NAME = 255;

  private final QueryStore queries;
  private final SavedQueryStore saved;
  private final Launcher launcher;
  private final LongSupplier clock;
  private final Supplier<String> ids;
  private final SubscriptionApi subscriptions;

  public Api(QueryStore queries, SavedQueryStore saved, Launcher launcher, LongSupplier clock) {
    this(queries, saved, launcher, clock, () -> UUID.randomUUID().toString());
  }

  public Api(
      QueryStore queries,
      SavedQueryStore saved,
      Launcher launcher,
      LongSupplier clock,
      Supplier<String> ids) {
    this(queries, saved, launcher, clock, ids, null);
  }

  /**
   * @param subscriptions the {@code /subscriptions} routes, or null where there are no ingest
   *     tables (they answer 501)
   */
  public Api(
      QueryStore queries,
      SavedQueryStore saved,
      Launcher launcher,
      LongSupplier clock,
      Supplier<String> ids,
      SubscriptionApi subscriptions) {
    this.queries = queries;
    this.saved = saved;
    this.launcher = launcher;
    this.clock = clock;
    this.ids = ids;
    this.subscriptions = subscriptions;
  }

  /** Handles one request; never throws. */
  public ApiResponse handle(ApiRequest req) {
    try {
      return route(req);
    } catch (ApiException e) {
      return error(e);
    } catch (InvalidRequestException e) {
      return error(ApiException.invalid(e.getMessage()));
    } catch (RuntimeException e) {
      return error(new ApiException(500, "InternalError", "internal error: " + e));
    }
  }

  private ApiResponse route(ApiRequest req) {
    String method = req.method() == null ? "" : req.method().toUpperCase(java.util.Locale.ROOT);
    String path = req.path() == null ? "/" : req.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    List<String> seg = Route.segments(path);
    String first = seg.isEmpty() ? "" : seg.getFirst();
    if (subscriptions == null && INGEST_ROUTES.containsKey(first)) {
      throw new ApiException(
          501,
          "NotImplemented",
          INGEST_ROUTES.get(first)
              + " need the ingest path's DynamoDB tables, which this server has not:"
              + " run './trailquery local-init' against S3- and DynamoDB-compatible servers,"
              + " then 'serve' with its environment (AWS_ENDPOINT_URL_*, TRAILQUERY_*)");
    }
    return switch (Route.resolve(method, path)) {
      case Route.NotFound n -> throw ApiException.notFound("no route " + method + " " + path);
      case Route.NotAllowed n ->
          throw new ApiException(
              405,
              "MethodNotAllowed",
              method
                  + " is not allowed on "
                  + path
                  + " (use "
                  + String.join(", ", n.allowed())
                  + ")");
      case Route.Found f -> dispatch(f.match(), req);
    };
  }

  /** The first path segments whose routes need the ingest tables (501 without them). */
  private static final Map<String, String> INGEST_ROUTES =
      Map.of("subscriptions", "subscriptions", "alarms", "alarms", "packs", "packs");

  /** One case per {@link Route}: the router serves exactly the contract's routes. */
  private ApiResponse dispatch(Route.Match m, ApiRequest req) {
    return switch (m.route()) {
      case LIST_QUERIES -> listQueries(req.query());
      case START_QUERY -> startQuery(req.body());
      case GET_QUERY -> getQuery(m.param("id"), req.query());
      case STOP_QUERY -> stopQuery(m.param("id"));
      case LIST_SAVED_QUERIES -> listSaved();
      case GET_SAVED_QUERY -> getSaved(m.param("name"));
      case PUT_SAVED_QUERY -> putSaved(m.param("name"), req.body());
      case DELETE_SAVED_QUERY -> deleteSaved(m.param("name"));
      case LIST_SUBSCRIPTIONS,
          GET_SUBSCRIPTION,
          PUT_SUBSCRIPTION,
          DELETE_SUBSCRIPTION,
          GET_SUBSCRIPTION_RESULTS,
          GET_SUBSCRIPTION_ALARM,
          PUT_SUBSCRIPTION_ALARM,
          DELETE_SUBSCRIPTION_ALARM,
          LIST_ALARMS,
          PUT_PACK ->
          subscriptions.route(m, req.query(), req.body());
    };
  }

  // ---- queries ----

  private ApiResponse startQuery(String body) {
    QueryRequest q = QueryRequest.parse(Json.parseBody(body));
    long now = clock.getAsLong();
    check(q.queryString(), new Planner.Options(q.startMillis(), q.endMillis(), now, q.limit()));
    String id = ids.get();
    queries.create(QueryRecord.scheduled(id, q, now));
    launcher.launch(id);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("queryId", id);
    return new ApiResponse(202, Json.write(out));
  }

  /** Compiles a query; a malformed one is a 400 with its line and column. */
  static void check(String queryString, Planner.Options options) {
    try {
      Trailquery.compile(queryString, options);
    } catch (QueryException e) {
      Diagnostic d = e.error();
      throw new ApiException(
          400,
          "MalformedQuery",
          d.message() + " [" + d.code() + "]",
          d.line(queryString),
          d.column(queryString));
    }
  }

  private QueryRecord find(String id) {
    return queries
        .get(id)
        .orElseThrow(() -> ApiException.notFound("no query with id '" + id + "'"));
  }

  private ApiResponse getQuery(String id, Map<String, String> params) {
    QueryRecord r = find(id);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("queryId", r.queryId());
    out.put("status", r.status().name());
    // Paged by bytes: every answer fits Lambda's 6 MB response (ResultPages).
    List<String> cut = new ArrayList<>();
    ResultPages.write(out, r.results(), params == null ? null : params.get("nextToken"), cut);
    QueryStats s = r.statistics();
    ObjectNode st = out.putObject("statistics");
    st.put("recordsMatched", s.recordsMatched());
    st.put("recordsScanned", s.recordsScanned());
    st.put("bytesScanned", s.bytesScanned());
    st.put("objectsScanned", s.objectsScanned());
    st.put("objectsSkipped", s.objectsSkipped());
    st.put("bytesRead", s.bytesRead());
    ObjectNode progress = out.putObject("progress");
    progress.put("objectsListed", s.objectsListed());
    progress.put("batches", s.batches());
    progress.put("batchesDone", s.batchesDone());
    ArrayNode warnings = out.putArray("warnings");
    r.warnings().forEach(warnings::add);
    for (String field : cut) {
      warnings.add(
          "values of '"
              + field
              + "' longer than "
              + ResultPages.MAX_VALUE_CHARS
              + " characters are cut to that length");
    }
    if (r.message() != null) {
      out.put("message", r.message());
    }
    describe(out, r);
    return new ApiResponse(200, Json.write(out));
  }

  private static void describe(ObjectNode out, QueryRecord r) {
    QueryRequest q = r.request();
    out.put("queryString", q.queryString());
    out.put("startTime", q.startMillis() / 1000);
    out.put("endTime", (q.endMillis() - 1) / 1000);
    out.put("createTime", r.createTime());
    if (r.finishTime() > 0) {
      out.put("queryDuration", r.finishTime() - r.createTime());
    }
  }

  private ApiResponse stopQuery(String id) {
    QueryRecord r = find(id);
    if (!queries.cancel(id, clock.getAsLong())) {
      throw new ApiException(
          409, "QueryNotRunning", "query '" + id + "' has already ended (" + r.status() + ")");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("success", true);
    return new ApiResponse(200, Json.write(out));
  }

  private ApiResponse listQueries(Map<String, String> params) {
    int max = 100;
    String m = params.get("maxResults");
    if (m != null) {
      try {
        max = Integer.parseInt(m);
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 1 || max > 1000) {
        throw ApiException.invalid("maxResults must be a whole number from 1 to 1000");
      }
    }
    QueryStatus status = null;
    if (params.get("status") != null) {
      try {
        status = QueryStatus.valueOf(params.get("status"));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid(
            "status must be one of " + java.util.Arrays.toString(QueryStatus.values()));
      }
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("queries");
    for (QueryRecord r : queries.recent(status == null ? max : InMemoryQueryStore.MAX_QUERIES)) {
      if (status != null && r.status() != status) {
        continue;
      }
      if (list.size() >= max) {
        break;
      }
      ObjectNode q = list.addObject();
      q.put("queryId", r.queryId());
      q.put("status", r.status().name());
      describe(q, r);
      q.put("bytesScanned", r.statistics().bytesScanned());
    }
    return new ApiResponse(200, Json.write(out));
  }

  // ---- saved queries ----

  private ApiResponse putSaved(String name, String body) {
    if (name.length() > MAX_NAME) {
      throw ApiException.invalid("a saved query name is at most " + MAX_NAME + " characters");
    }
    JsonNode b = Json.parseBody(body);
    JsonNode q = b.get("queryString");
    if (q == null || !q.isTextual() || q.asText().isBlank()) {
      throw ApiException.invalid("queryString is required (a non-empty string)");
    }
    if (q.asText().length() > QueryRequest.MAX_QUERY_LENGTH) {
      throw ApiException.invalid(
          "queryString is longer than " + QueryRequest.MAX_QUERY_LENGTH + " characters");
    }
    JsonNode d = b.get("description");
    if (d != null && !d.isNull() && !d.isTextual()) {
      throw ApiException.invalid("description must be a string");
    }
    check(q.asText(), Planner.Options.defaults());
    QueryDefinition def =
        new QueryDefinition(
            name, q.asText(), d == null || d.isNull() ? null : d.asText(), clock.getAsLong());
    saved.put(def);
    return new ApiResponse(200, Json.write(definition(def, false)));
  }

  private ApiResponse getSaved(String name) {
    Optional<QueryDefinition> def = saved.get(name);
    if (def.isPresent()) {
      return new ApiResponse(200, Json.write(definition(def.get(), false)));
    }
    return QueryPack.find(name)
        .map(p -> new ApiResponse(200, Json.write(builtin(p))))
        .orElseThrow(() -> ApiException.notFound("no saved query named '" + name + "'"));
  }

  private ApiResponse deleteSaved(String name) {
    if (!saved.delete(name)) {
      if (QueryPack.find(name).isPresent()) {
        throw new ApiException(
            409, "BuiltIn", "'" + name + "' is a built-in saved query and cannot be deleted");
      }
      throw ApiException.notFound("no saved query named '" + name + "'");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("success", true);
    return new ApiResponse(200, Json.write(out));
  }

  private ApiResponse listSaved() {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("savedQueries");
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (QueryDefinition d : saved.list()) {
      list.add(definition(d, false));
      seen.put(d.name(), true);
    }
    for (SavedQuery p : QueryPack.all()) {
      if (!seen.containsKey(p.name())) {
        list.add(builtin(p));
      }
    }
    return new ApiResponse(200, Json.write(out));
  }

  private static ObjectNode definition(QueryDefinition d, boolean builtin) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("name", d.name());
    n.put("queryString", d.queryString());
    if (d.description() != null) {
      n.put("description", d.description());
    }
    n.put("lastModified", d.lastModified());
    n.put("builtin", builtin);
    return n;
  }

  private static ObjectNode builtin(SavedQuery p) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("name", p.name());
    n.put("queryString", p.query());
    n.put("description", p.description());
    n.put("source", p.source());
    n.put("builtin", true);
    return n;
  }

  // ---- errors ----

  static ApiResponse error(ApiException e) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ObjectNode err = out.putObject("error");
    err.put("code", e.code());
    err.put("message", e.getMessage());
    if (e.line() > 0) {
      err.put("line", e.line());
      err.put("column", e.column());
    }
    return new ApiResponse(e.status(), Json.write(out));
  }
}
