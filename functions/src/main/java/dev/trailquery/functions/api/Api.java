package dev.trailquery.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.contract.Route;
import dev.trailquery.functions.aws.ErrorLog;
import dev.trailquery.functions.fanout.Launcher;
import dev.trailquery.functions.query.AccountAccess;
import dev.trailquery.functions.query.Caller;
import dev.trailquery.functions.query.InMemoryQueryStore;
import dev.trailquery.functions.query.InvalidRequestException;
import dev.trailquery.functions.query.QueryDefinition;
import dev.trailquery.functions.query.QueryLimits;
import dev.trailquery.functions.query.QueryRecord;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.query.QueryStats;
import dev.trailquery.functions.query.QueryStatus;
import dev.trailquery.functions.query.QueryStore;
import dev.trailquery.functions.query.ResultJson;
import dev.trailquery.functions.query.SavedQueryStore;
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
 * Errors are {@code {"error": {"code", "message", "line"?, "column"?, "requestId"?}}} with a 4xx
 * status; internal errors are a 500 with a generic message and the request id, their details only
 * in the log ({@link ErrorLog}).
 *
 * <p>Who may see what ({@link #withAccess}, {@link AccountAccess}): every query records its
 * caller's ARN ({@code createdBy}); with an account allow-list, a restricted caller queries only
 * its accounts, sees only its own queries and cannot use the subscription routes. {@link
 * #withLimits} caps running queries per caller and in total (429).
 */
public final class Api {
  private static final int MAX_NAME = 255;

  private final QueryStore queries;
  private final SavedQueryStore saved;
  private final Launcher launcher;
  private final LongSupplier clock;
  private final Supplier<String> ids;
  private final SubscriptionApi subscriptions;
  private volatile AccountAccess access = AccountAccess.OPEN;
  private volatile QueryLimits limits = QueryLimits.NONE;

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

  /** Sets the account allow-list (default {@link AccountAccess#OPEN}); returns this. */
  public Api withAccess(AccountAccess access) {
    this.access = access;
    return this;
  }

  /** Sets the query caps (default {@link QueryLimits#NONE}); returns this. */
  public Api withLimits(QueryLimits limits) {
    this.limits = limits;
    return this;
  }

  /** Handles one request; never throws. */
  public ApiResponse handle(ApiRequest req) {
    try {
      return route(req);
    } catch (ApiException e) {
      return error(e, req.requestId());
    } catch (InvalidRequestException e) {
      return error(ApiException.invalid(e.getMessage()), req.requestId());
    } catch (RuntimeException e) {
      return internalError(req.requestId(), req.method() + " " + req.path(), e);
    }
  }

  /** A 500 with a generic message and the request id; the details go to the log only. */
  static ApiResponse internalError(String requestId, String what, Throwable e) {
    String id = ErrorLog.log(requestId, what, e);
    return error(
        new ApiException(
            500,
            "InternalError",
            "internal error; the API function's log has the details under request id " + id),
        id);
  }

  private ApiResponse route(ApiRequest req) {
    String method = req.method() == null ? "" : req.method().toUpperCase(java.util.Locale.ROOT);
    String path = req.path() == null ? "/" : req.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    List<String> seg = Route.segments(path);
    String first = seg.isEmpty() ? "" : seg.getFirst();
    if (INGEST_ROUTES.containsKey(first)) {
      requireAllAccounts(req.caller(), INGEST_ROUTES.get(first));
    }
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
      case LIST_QUERIES -> listQueries(req.query(), req.caller());
      case START_QUERY -> startQuery(req.body(), req.caller());
      case GET_QUERY -> getQuery(m.param("id"), req.query(), req.caller());
      case STOP_QUERY -> stopQuery(m.param("id"), req.caller());
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
          subscriptions.forCaller(req.caller(), lookupTables).route(m, req.query(), req.body());
      case LIST_LOOKUP_TABLES -> lookupRoutes().list();
      case GET_LOOKUP_TABLE -> lookupRoutes().get(m.param("name"));
      case PUT_LOOKUP_TABLE -> lookupRoutes().put(m.param("name"), req.body());
      case DELETE_LOOKUP_TABLE -> lookupRoutes().delete(m.param("name"));
    };
  }

  private dev.trailquery.functions.lookup.LookupTableStore lookupTables =
      new dev.trailquery.functions.lookup.InMemoryLookupTableStore();

  /** Where {@code /lookup-tables} keeps its tables (in memory unless set). */
  public Api withLookupTables(dev.trailquery.functions.lookup.LookupTableStore store) {
    this.lookupTables = store;
    return this;
  }

  public dev.trailquery.functions.lookup.LookupTableStore lookupTables() {
    return lookupTables;
  }

  private LookupTableRoutes lookupRoutes() {
    return new LookupTableRoutes(lookupTables, clock);
  }

  // ---- queries ----

  private ApiResponse startQuery(String body, Caller caller) {
    QueryRequest q = QueryRequest.parse(Json.parseBody(body));
    if (dev.trailquery.saved.Templates.isCall(q.queryString())) {
      // $Name(p="v"): the saved query (the API's, else the pack's) with its parameters
      String expanded;
      try {
        expanded = dev.trailquery.saved.Templates.resolve(q.queryString(), this::template);
      } catch (QueryException e) {
        throw ApiException.malformedQuery(e, q.queryString());
      }
      q =
          new QueryRequest(
              expanded, q.startMillis(), q.endMillis(), q.limit(), q.accounts(), q.regions());
    }
    checkAccounts(q, caller);
    QueryLimits caps = limits;
    if (caps.maxRangeDays() > 0 && q.endMillis() - q.startMillis() > caps.maxRangeDays() * DAY) {
      throw ApiException.invalid(
          "the time range is longer than "
              + caps.maxRangeDays()
              + " days, the most this deployment allows (maxQueryRangeDays): split the query");
    }
    long now = clock.getAsLong();
    Planner.Options options = new Planner.Options(q.startMillis(), q.endMillis(), now, q.limit());
    try {
      options =
          options.withLookups(
              dev.trailquery.functions.lookup.QueryTables.of(
                  dev.trailquery.lang.Parser.parse(q.queryString()), lookupTables));
    } catch (QueryException e) {
      throw ApiException.malformedQuery(e, q.queryString());
    }
    check(q.queryString(), options);
    checkRunning(caps, caller, now);
    String id = ids.get();
    queries.create(QueryRecord.scheduled(id, q, now, caller.arn()));
    launcher.launch(id);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("queryId", id);
    return new ApiResponse(202, Json.write(out));
  }

  private static final long DAY = 24L * 3600 * 1000;

  /** 403 unless the caller may read every account the query asks for (and at least one). */
  private void checkAccounts(QueryRequest q, Caller caller) {
    AccountAccess.Scope scope = access.scope(caller.arn());
    if (scope.all()) {
      return;
    }
    if (scope.none()) {
      throw new ApiException(
          403,
          "AccessDenied",
          "the account allow-list (callerAccounts) has no entry for "
              + (caller.known() ? caller.principal() : "unsigned callers")
              + ": it may query no account");
    }
    List<String> denied = q.accounts().stream().filter(a -> !scope.accounts().contains(a)).toList();
    if (!denied.isEmpty()) {
      throw new ApiException(
          403,
          "AccessDenied",
          "the account allow-list lets "
              + caller.principal()
              + " query only "
              + scope.accounts().stream().sorted().toList()
              + ", not "
              + denied);
    }
  }

  /** 403 for a caller the account allow-list restricts: these routes span every account. */
  private void requireAllAccounts(Caller caller, String what) {
    AccountAccess.Scope scope = access.scope(caller.arn());
    if (!scope.all()) {
      throw new ApiException(
          403,
          "AccessDenied",
          "the "
              + what
              + " routes span every account, and the account allow-list (callerAccounts) lets "
              + (caller.known() ? caller.principal() : "unsigned callers")
              + " read only "
              + scope.accounts().stream().sorted().toList());
    }
  }

  /** 429 when the caller, or everyone together, already has the most queries running. */
  private void checkRunning(QueryLimits caps, Caller caller, long now) {
    if (!caps.any()) {
      return;
    }
    List<QueryRecord> running = queries.running(now - caps.staleMillis());
    if (caps.perCaller() > 0) {
      String me = caller.principal();
      long mine =
          running.stream()
              .filter(r -> java.util.Objects.equals(Caller.principal(r.createdBy()), me))
              .count();
      if (mine >= caps.perCaller()) {
        throw new ApiException(
            429,
            "TooManyRunningQueries",
            "you already have "
                + mine
                + " queries running, the most one caller may have at once ("
                + caps.perCaller()
                + "): wait for one to end, or stop one with DELETE /queries/{id}");
      }
    }
    if (caps.total() > 0 && running.size() >= caps.total()) {
      throw new ApiException(
          429,
          "TooManyRunningQueries",
          running.size()
              + " queries are running, the most this deployment runs at once ("
              + caps.total()
              + "): try again when one has ended");
    }
  }

  /** Compiles a query; a malformed one is a 400 with its line and column. */
  static void check(String queryString, Planner.Options options) {
    try {
      dev.trailquery.lang.ast.Query parsed = dev.trailquery.lang.Parser.parse(queryString);
      // subqueries run first, at run time: here each inner query is checked on its own
      for (var sub : dev.trailquery.exec.Subqueries.find(parsed)) {
        dev.trailquery.exec.Subqueries.innerPlan(sub, options);
      }
      if (dev.trailquery.exec.Subqueries.find(parsed).isEmpty()) {
        dev.trailquery.plan.Planner.plan(parsed, options);
      }
    } catch (QueryException e) {
      throw ApiException.malformedQuery(e, queryString);
    }
  }

  /** A saved query by name for {@code $Name(...)}: the API's own, else the pack's; or null. */
  private dev.trailquery.saved.Templates.Saved template(String name) {
    Optional<QueryDefinition> def = saved.get(name);
    if (def.isPresent()) {
      return def.get().template();
    }
    return QueryPack.template(name);
  }

  /** The query, if it exists and the caller may see it (404 alike otherwise). */
  private QueryRecord find(String id, Caller caller) {
    return queries
        .get(id)
        .filter(r -> visible(r, caller))
        .orElseThrow(() -> ApiException.notFound("no query with id '" + id + "'"));
  }

  /** Everyone sees every query, except callers the account allow-list restricts: their own. */
  private boolean visible(QueryRecord r, Caller caller) {
    return access.scope(caller.arn()).all()
        || (caller.known()
            && java.util.Objects.equals(Caller.principal(r.createdBy()), caller.principal()));
  }

  private ApiResponse getQuery(String id, Map<String, String> params, Caller caller) {
    QueryRecord r = find(id, caller);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("queryId", r.queryId());
    out.put("status", r.status().name());
    // Paged by bytes: every answer fits Lambda's 6 MB response (ResultPages).
    List<String> cut = new ArrayList<>();
    ResultPages.write(out, r.results(), params == null ? null : params.get("nextToken"), cut);
    QueryStats s = r.statistics();
    out.setAll(
        (ObjectNode)
            ResultJson.tree(g -> ResultJson.statistics(g, s.engine(), ResultJson.Stats.QUERY)));
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
    if (r.createdBy() != null) {
      out.put("createdBy", r.createdBy());
    }
    if (r.finishTime() > 0) {
      out.put("queryDuration", r.finishTime() - r.createTime());
    }
  }

  private ApiResponse stopQuery(String id, Caller caller) {
    QueryRecord r = find(id, caller);
    if (!queries.cancel(id, clock.getAsLong())) {
      throw new ApiException(
          409, "QueryNotRunning", "query '" + id + "' has already ended (" + r.status() + ")");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("success", true);
    return new ApiResponse(200, Json.write(out));
  }

  private ApiResponse listQueries(Map<String, String> params, Caller caller) {
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
    boolean all = access.scope(caller.arn()).all();
    for (QueryRecord r :
        queries.recent(status == null && all ? max : InMemoryQueryStore.MAX_QUERIES)) {
      if ((status != null && r.status() != status) || !visible(r, caller)) {
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
    List<dev.trailquery.saved.Parameter> parameters =
        dev.trailquery.functions.query.SavedParameters.parse(b.get("parameters"));
    String problem = dev.trailquery.saved.Templates.validate(q.asText(), parameters);
    if (problem != null) {
      throw ApiException.invalid(problem);
    }
    if (parameters.stream().allMatch(p -> p.defaultValue() != null)) {
      // with every parameter at its default the query must compile (else it is checked when run)
      String text =
          parameters.isEmpty()
              ? q.asText()
              : dev.trailquery.saved.Templates.expand(
                  new dev.trailquery.saved.Templates.Saved(name, q.asText(), parameters),
                  Map.of(),
                  q.asText());
      check(text, Planner.Options.defaults());
    }
    QueryDefinition def =
        new QueryDefinition(
            name,
            q.asText(),
            d == null || d.isNull() ? null : d.asText(),
            clock.getAsLong(),
            parameters);
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
    if (!d.parameters().isEmpty()) {
      n.set("parameters", dev.trailquery.functions.query.SavedParameters.toNode(d.parameters()));
    }
    return n;
  }

  private static ObjectNode builtin(SavedQuery p) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("name", p.name());
    n.put("queryString", p.query());
    n.put("description", p.description());
    n.put("source", p.source());
    n.put("builtin", true);
    if (!p.parameters().isEmpty()) {
      n.set("parameters", dev.trailquery.functions.query.SavedParameters.toNode(p.parameters()));
    }
    return n;
  }

  // ---- errors ----

  static ApiResponse error(ApiException e) {
    return error(e, null);
  }

  /** The error body; with the request id when there is one. */
  static ApiResponse error(ApiException e, String requestId) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ObjectNode err = out.putObject("error");
    err.put("code", e.code());
    err.put("message", e.getMessage());
    if (e.line() > 0) {
      err.put("line", e.line());
      err.put("column", e.column());
    }
    if (requestId != null) {
      err.put("requestId", requestId);
    }
    return new ApiResponse(e.status(), Json.write(out));
  }
}
