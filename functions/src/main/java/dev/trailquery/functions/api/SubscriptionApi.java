package dev.trailquery.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.contract.Route;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Statistics;
import dev.trailquery.functions.alarm.Alarm;
import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.pack.CisPack;
import dev.trailquery.functions.query.Caller;
import dev.trailquery.functions.query.QueryDefinition;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.query.ResultField;
import dev.trailquery.functions.query.SavedQueryStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.lang.QueryException;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The {@code /subscriptions} routes of the query API, over the ingest path's DynamoDB tables (the
 * {@link SubscriptionStore} the ingest Lambda reads, and the {@link Results} reader):
 *
 * <ul>
 *   <li>{@code PUT /subscriptions/{name}} {@code {queryString | savedQuery, bin?, backfillFrom?,
 *       rowsPerBin?, retentionDays?}} → 200 the subscription. The same definition again changes
 *       nothing; another one replaces it (its results start afresh).
 *   <li>{@code GET /subscriptions/{name}}, {@code DELETE /subscriptions/{name}}, {@code GET
 *       /subscriptions}
 *   <li>{@code GET /subscriptions/{name}/results?startTime&endTime&granularity=total|bin}: bins
 *       starting in {@code [startTime, endTime]} (both optional: all bins), merged ({@code total},
 *       the default) or one entry per bin, newest first ({@code bin}).
 *   <li>{@code PUT /subscriptions/{name}/alarm} {@code {column, comparison, threshold,
 *       description?, notifyOk?}} → 200 the alarm with its state; {@code GET} and {@code DELETE}
 *       the same path; {@code GET /alarms} (routed here by {@link Api}) every alarm with its state.
 * </ul>
 */
public final class SubscriptionApi {
  /** Starts a backfill of a subscription just stored with {@code backfillFrom}. */
  @FunctionalInterface
  public interface Backfiller {
    /** Starts it (need not wait for it); returns a short description for the response. */
    String start(Subscription subscription);
  }

  private static final Set<String> PUT_FIELDS =
      Set.of(
          "queryString",
          "savedQuery",
          "metricFilter",
          "contributorRule",
          "bin",
          "backfillFrom",
          "rowsPerBin",
          "retentionDays");

  private final SubscriptionStore store;
  private final Results results;
  private final SavedQueryStore saved;
  private final Backfiller backfiller;
  private final LongSupplier clock;
  private final AlarmStore alarms;
  private final int defaultRetentionDays;

  /**
   * @param backfiller null when this deployment cannot backfill ({@code backfillFrom} is then a
   *     400)
   */
  public SubscriptionApi(
      SubscriptionStore store,
      Results results,
      SavedQueryStore saved,
      Backfiller backfiller,
      LongSupplier clock) {
    this(store, results, saved, backfiller, clock, null);
  }

  /**
   * @param alarms the alarms (in the results table), or null: the alarm routes answer 501
   */
  public SubscriptionApi(
      SubscriptionStore store,
      Results results,
      SavedQueryStore saved,
      Backfiller backfiller,
      LongSupplier clock,
      AlarmStore alarms) {
    this(store, results, saved, backfiller, clock, alarms, 0);
  }

  /**
   * @param defaultRetentionDays the retention of a subscription created without {@code
   *     retentionDays} (the stack's {@code TRAILQUERY_DEFAULT_RETENTION_DAYS}); 0: kept
   */
  public SubscriptionApi(
      SubscriptionStore store,
      Results results,
      SavedQueryStore saved,
      Backfiller backfiller,
      LongSupplier clock,
      AlarmStore alarms,
      int defaultRetentionDays) {
    this.defaultRetentionDays = defaultRetentionDays;
    this.store = store;
    this.results = results;
    this.saved = saved;
    this.backfiller = backfiller;
    this.clock = clock;
    this.alarms = alarms;
  }

  /** The same routes, recording {@code caller} as who created what it stores. */
  SubscriptionApi forCaller(Caller caller) {
    return new SubscriptionApi(
        store.as(caller.arn()), results, saved, backfiller, clock, alarms, defaultRetentionDays);
  }

  /** The subscription, alarm and pack {@link Route}s ({@link Api} resolved the request). */
  ApiResponse route(Route.Match m, Map<String, String> params, String body) {
    String name = m.param("name");
    return switch (m.route()) {
      case LIST_SUBSCRIPTIONS -> list();
      case GET_SUBSCRIPTION -> get(name);
      case PUT_SUBSCRIPTION -> put(name, body);
      case DELETE_SUBSCRIPTION -> delete(name);
      case GET_SUBSCRIPTION_RESULTS -> results(name, params);
      case GET_SUBSCRIPTION_ALARM -> getAlarm(name);
      case PUT_SUBSCRIPTION_ALARM -> putAlarm(name, body);
      case DELETE_SUBSCRIPTION_ALARM -> deleteAlarm(name);
      case LIST_ALARMS -> listAlarms();
      case PUT_PACK -> putPack(m.param("pack"), body);
      default -> throw new IllegalArgumentException("not a subscription route: " + m.route());
    };
  }

  /** The body's {@code retentionDays}, else the deployment's default (null when that is 0). */
  private Integer retention(JsonNode b) {
    Integer r = integer(b, "retentionDays");
    return r != null || defaultRetentionDays == 0 ? r : Integer.valueOf(defaultRetentionDays);
  }

  // ---- definitions ----

  private ApiResponse put(String name, String body) {
    JsonNode b = Json.objectBody(body, PUT_FIELDS);
    String savedName = text(b, "savedQuery");
    String queryString = text(b, "queryString");
    JsonNode metricFilter = b.get("metricFilter");
    JsonNode rule = b.get("contributorRule");
    int given =
        (savedName == null ? 0 : 1)
            + (queryString == null ? 0 : 1)
            + (metricFilter == null || metricFilter.isNull() ? 0 : 1)
            + (rule == null || rule.isNull() ? 0 : 1);
    if (given != 1) {
      throw ApiException.invalid(
          "give one of queryString, savedQuery (the name of one), metricFilter (PutMetricFilter"
              + " JSON) or contributorRule (a Contributor Insights rule)");
    }
    if (metricFilter != null && !metricFilter.isNull()) {
      return putWatch(name, b, metricFilter, null);
    }
    if (rule != null && !rule.isNull()) {
      return putWatch(name, b, null, rule);
    }
    if (savedName != null) {
      queryString = resolveSaved(savedName);
    }
    if (queryString.length() > QueryRequest.MAX_QUERY_LENGTH) {
      throw ApiException.invalid(
          "queryString is longer than " + QueryRequest.MAX_QUERY_LENGTH + " characters");
    }
    String bin = text(b, "bin");
    Integer rows = integer(b, "rowsPerBin");
    Integer retention = retention(b);
    Long backfillFrom = backfillFrom(b);
    long now = clock.getAsLong();
    Subscription s;
    try {
      s = Subscription.create(name, queryString, bin, rows, retention, now, backfillFrom);
    } catch (QueryException e) {
      throw ApiException.malformed("MalformedQuery", e, queryString);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    return store(s, savedName, backfillFrom);
  }

  /** The body's {@code backfillFrom}, or null; a 400 where this deployment cannot backfill. */
  private Long backfillFrom(JsonNode b) {
    JsonNode from = b.get("backfillFrom");
    Long backfillFrom =
        from == null || from.isNull() ? null : QueryRequest.time(from, "backfillFrom", false);
    if (backfillFrom != null && backfiller == null) {
      throw ApiException.invalid(
          "backfillFrom is not available here: run './trailquery subscribe' with --backfill-from"
              + " against the same tables");
    }
    return backfillFrom;
  }

  /** A metric-filter or Contributor Insights rule subscription. */
  private ApiResponse putWatch(String name, JsonNode b, JsonNode metricFilter, JsonNode rule) {
    if (b.has("rowsPerBin")) {
      throw ApiException.invalid("rowsPerBin applies to queries only");
    }
    Long backfillFrom = backfillFrom(b);
    String bin = text(b, "bin");
    Integer retention = retention(b);
    long now = clock.getAsLong();
    Subscription s;
    String text;
    String code;
    if (metricFilter != null) {
      if (!metricFilter.isObject()) {
        throw ApiException.invalid("metricFilter must be an object in PutMetricFilter shape");
      }
      JsonNode pattern = metricFilter.get("filterPattern");
      text = pattern == null ? "" : pattern.asText();
      code = "MalformedFilterPattern";
    } else {
      text = rule.isTextual() ? rule.asText() : Json.write(rule);
      code = "MalformedRule";
    }
    try {
      s =
          metricFilter != null
              ? Subscription.createMetricFilter(
                  name,
                  dev.trailquery.metricfilter.MetricFilterJson.parse(metricFilter),
                  bin,
                  retention,
                  now,
                  backfillFrom)
              : Subscription.createRule(name, text, bin, retention, now, backfillFrom);
    } catch (QueryException e) {
      throw ApiException.malformed(code, e, e.source() == null ? text : e.source());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    return store(s, null, backfillFrom);
  }

  /**
   * Stores a new definition: the same definition again changes nothing (its results stand), another
   * one replaces it; starts the backfill asked for.
   */
  private ApiResponse store(Subscription s, String savedName, Long backfillFrom) {
    Optional<SubscriptionStore.Owned> existing = store.getOwned(s.name());
    if (existing.isPresent()
        && sameDefinition(existing.get().subscription(), s)
        && backfillFrom == null) {
      ObjectNode out = describe(existing.get(), savedName);
      out.put("created", false);
      return new ApiResponse(200, Json.write(out));
    }
    store.put(s, true);
    ObjectNode out = describe(new SubscriptionStore.Owned(s, store.createdBy()), savedName);
    out.put("created", existing.isEmpty());
    if (backfillFrom != null) {
      out.put("backfill", backfiller.start(s));
    }
    return new ApiResponse(200, Json.write(out));
  }

  private static boolean sameDefinition(Subscription a, Subscription b) {
    return a.type().equals(b.type())
        && java.util.Objects.equals(a.definition(), b.definition())
        && a.query().equals(b.query())
        && a.bin().equals(b.bin())
        && a.topN() == b.topN()
        && a.retentionDays() == b.retentionDays();
  }

  private String resolveSaved(String name) {
    Optional<QueryDefinition> def = saved == null ? Optional.empty() : saved.get(name);
    if (def.isPresent()) {
      // a parameterized one subscribes with its defaults
      return def.get().parameters().isEmpty()
          ? def.get().queryString()
          : dev.trailquery.saved.Templates.expand(
              def.get().template(), Map.of(), "$" + name + "()");
    }
    return QueryPack.find(name)
        .map(SavedQuery::queryWithDefaults)
        .orElseThrow(() -> ApiException.invalid("no saved query named '" + name + "'"));
  }

  private static String text(JsonNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      throw ApiException.invalid(field + " must be a non-empty string");
    }
    return n.asText();
  }

  private static Integer integer(JsonNode b, String field) {
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

  private Subscription find(String name) {
    return store
        .get(name)
        .orElseThrow(() -> ApiException.notFound("no subscription named '" + name + "'"));
  }

  private ApiResponse get(String name) {
    SubscriptionStore.Owned o =
        store
            .getOwned(name)
            .orElseThrow(() -> ApiException.notFound("no subscription named '" + name + "'"));
    return new ApiResponse(200, Json.write(describe(o, null)));
  }

  private ApiResponse delete(String name) {
    if (!store.delete(name)) {
      throw ApiException.notFound("no subscription named '" + name + "'");
    }
    if (alarms != null) {
      alarms.delete(name); // an alarm does not outlive its subscription
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("success", true);
    return new ApiResponse(200, Json.write(out));
  }

  private ApiResponse list() {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("subscriptions");
    for (SubscriptionStore.Owned o : store.listOwned()) {
      list.add(describe(o, null));
    }
    return new ApiResponse(200, Json.write(out));
  }

  private static ObjectNode describe(SubscriptionStore.Owned o, String savedQuery) {
    ObjectNode n = describe(o.subscription(), savedQuery);
    if (o.createdBy() != null) {
      n.put("createdBy", o.createdBy());
    }
    return n;
  }

  private static ObjectNode describe(Subscription s, String savedQuery) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("name", s.name());
    n.put("id", s.id());
    n.put("queryString", s.query());
    if (savedQuery != null) {
      n.put("savedQuery", savedQuery);
    }
    n.put("bin", s.bin());
    n.put("type", s.type());
    if (s.definition() != null) {
      try {
        n.set(
            s.type().equals(Subscription.METRIC_FILTER) ? "metricFilter" : "contributorRule",
            Json.MAPPER.readTree(s.definition()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    boolean aggregate = s.plan().isAggregate();
    n.put("kind", aggregate ? "stats" : "rows");
    if (!aggregate) {
      n.put("rowsPerBin", s.topN());
    }
    n.put("retentionDays", s.retentionDays());
    n.put("createTime", s.createdMillis());
    if (s.backfillFromMillis() != null) {
      n.put("backfillFrom", s.backfillFromMillis() / 1000);
    }
    return n;
  }

  // ---- alarms ----

  private static final Set<String> ALARM_FIELDS =
      Set.of("column", "comparison", "threshold", "description", "notifyOk");

  private AlarmStore alarmStore() {
    if (alarms == null) {
      throw new ApiException(501, "NotImplemented", "alarms are not available on this server");
    }
    return alarms;
  }

  private ApiResponse putAlarm(String name, String body) {
    AlarmStore alarmStore = alarmStore();
    Subscription s = find(name);
    JsonNode b = Json.objectBody(body, ALARM_FIELDS);
    String column = text(b, "column");
    String comparison = text(b, "comparison");
    JsonNode threshold = b.get("threshold");
    if (column == null || comparison == null || threshold == null) {
      throw ApiException.invalid("give column, comparison and threshold");
    }
    if (!threshold.isNumber()) {
      throw ApiException.invalid("threshold must be a number");
    }
    JsonNode notifyOk = b.get("notifyOk");
    if (notifyOk != null && !notifyOk.isNull() && !notifyOk.isBoolean()) {
      throw ApiException.invalid("notifyOk must be true or false");
    }
    Alarm a;
    try {
      a =
          new Alarm(
              s.name(),
              column,
              Alarm.Comparison.parse(comparison),
              threshold.asDouble(),
              text(b, "description"),
              notifyOk != null && notifyOk.asBoolean(),
              clock.getAsLong());
      a.checkColumn(Results.fields(s));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    Optional<Alarm> existing = alarmStore.get(s.name());
    boolean same = existing.isPresent() && existing.get().sameDefinition(a);
    if (!same) {
      alarmStore.put(a);
    } else {
      a = existing.get();
    }
    ObjectNode out = describeAlarm(a, alarmStore.state(a));
    out.put("created", existing.isEmpty());
    out.put("changed", !same);
    return new ApiResponse(200, Json.write(out));
  }

  private ApiResponse getAlarm(String name) {
    AlarmStore alarmStore = alarmStore();
    Alarm a =
        alarmStore
            .get(name)
            .orElseThrow(
                () -> ApiException.notFound("the subscription '" + name + "' has no alarm"));
    return new ApiResponse(200, Json.write(describeAlarm(a, alarmStore.state(a))));
  }

  private ApiResponse deleteAlarm(String name) {
    if (!alarmStore().delete(name)) {
      throw ApiException.notFound("the subscription '" + name + "' has no alarm");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("success", true);
    return new ApiResponse(200, Json.write(out));
  }

  /** {@code GET /alarms}: every alarm with its state. */
  private static final Set<String> PACK_FIELDS =
      Set.of("bin", "retentionDays", "alarms", "replace");

  /**
   * {@code PUT /packs/cis} {@code {bin?, retentionDays?, alarms? (true), replace? (false)}}: the
   * CIS pack's subscriptions and alarms ({@link CisPack}); existing ones with the same definition
   * are kept as they are. 409 when some exist with another definition and {@code replace} is not
   * set.
   */
  ApiResponse putPack(String pack, String body) {
    if (!pack.equals(CisPack.NAME)) {
      throw ApiException.notFound("no pack named '" + pack + "' (there is: cis)");
    }
    // No body: the defaults. A backfill is the CLI's ('./trailquery subscribe --pack cis
    // --backfill-from T'), not a field here.
    JsonNode b =
        body == null || body.isBlank()
            ? Json.MAPPER.createObjectNode()
            : Json.objectBody(body, PACK_FIELDS);
    boolean withAlarms = !b.has("alarms") || b.get("alarms").asBoolean(true);
    if (withAlarms && alarms == null) {
      throw new ApiException(501, "NotImplemented", "alarms are not available on this server");
    }
    List<CisPack.Entry> entries;
    try {
      entries = CisPack.entries(text(b, "bin"), retention(b), null, clock.getAsLong());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    CisPack.Applied applied;
    try {
      applied =
          CisPack.apply(entries, store, alarms, withAlarms, b.path("replace").asBoolean(false));
    } catch (IllegalArgumentException e) {
      throw new ApiException(409, "Conflict", e.getMessage() + " (\"replace\": true)");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("pack", pack);
    ArrayNode names = out.putArray("subscriptions");
    applied.subscriptions().forEach(s -> names.add(s.name()));
    out.put("created", applied.created());
    out.put("unchanged", applied.unchanged());
    out.put("replaced", applied.replaced());
    out.put("alarms", applied.alarms());
    return new ApiResponse(200, Json.write(out));
  }

  ApiResponse listAlarms() {
    AlarmStore alarmStore = alarmStore();
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("alarms");
    for (Alarm a : alarmStore.list()) {
      list.add(describeAlarm(a, alarmStore.state(a)));
    }
    return new ApiResponse(200, Json.write(out));
  }

  /** An alarm as the API and {@code ./trailquery alarms --format json} show it. */
  public static ObjectNode describeAlarm(Alarm a, AlarmStore.State st) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("subscription", a.subscription());
    n.put("column", a.column());
    n.put("comparison", a.comparison().symbol());
    n.put("threshold", a.threshold());
    n.put("condition", a.condition());
    if (a.description() != null) {
      n.put("description", a.description());
    }
    n.put("notifyOk", a.notifyOk());
    n.put("createTime", a.createdMillis());
    ObjectNode state = n.putObject("state");
    state.put("value", st.state().name());
    if (st.bin() != null) {
      state.put("bin", new Timestamp(st.bin()).render());
      state.put("binStartTime", Math.floorDiv(st.bin(), 1000L));
      state.put("objects", st.objects());
      state.put("updateTime", st.updatedMillis());
      state.put("evaluations", st.evaluations());
      ArrayNode rows = state.putArray("triggeringRows");
      for (Map<String, String> row : st.rows()) {
        ObjectNode r = rows.addObject();
        row.forEach(r::put);
      }
    }
    return n;
  }

  // ---- results ----

  private ApiResponse results(String name, Map<String, String> params) {
    Subscription s = find(name);
    String granularity = params.getOrDefault("granularity", "total");
    if (!granularity.equals("total")
        && !granularity.equals("bin")
        && !granularity.equals("report")) {
      throw ApiException.invalid("granularity must be 'total', 'bin' or 'report'");
    }
    if (granularity.equals("report") && !s.type().equals(Subscription.CONTRIBUTOR_RULE)) {
      throw ApiException.invalid(
          "granularity=report is for Contributor Insights rule subscriptions; "
              + name
              + " is a "
              + s.type());
    }
    long start =
        params.get("startTime") == null
            ? Long.MIN_VALUE
            : QueryRequest.time(
                Json.MAPPER.getNodeFactory().textNode(params.get("startTime")), "startTime", false);
    long end =
        params.get("endTime") == null
            ? Long.MAX_VALUE
            : QueryRequest.time(
                Json.MAPPER.getNodeFactory().textNode(params.get("endTime")), "endTime", true);
    if (start >= end) {
      throw ApiException.invalid("startTime must be before endTime");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("name", s.name());
    out.put("granularity", granularity);
    out.put("bin", s.bin());
    if (start != Long.MIN_VALUE) {
      out.put("startTime", start / 1000);
    }
    if (end != Long.MAX_VALUE) {
      out.put("endTime", (end - 1) / 1000);
    }
    try {
      if (granularity.equals("report")) {
        int max = 10;
        if (params.get("maxContributors") != null) {
          try {
            max = Integer.parseInt(params.get("maxContributors"));
          } catch (NumberFormatException e) {
            max = -1;
          }
          if (max < 1 || max > 100) {
            throw ApiException.invalid("maxContributors must be 1..100");
          }
        }
        Result r = results.merged(s, start, end);
        out.set(
            "report",
            Json.MAPPER.valueToTree(
                dev.trailquery.contributor.InsightReport.fromSeries(s.rule(), r.rows(), max)));
        statistics(out.putObject("statistics"), r.statistics(), true);
      } else if (granularity.equals("total")) {
        Result r = results.merged(s, start, end);
        fields(out, r.fields());
        rows(out.putArray("results"), r);
        statistics(out.putObject("statistics"), r.statistics(), true);
      } else {
        Results.Series series = results.series(s, start, end);
        fields(out, series.fields());
        ArrayNode bins = out.putArray("bins");
        for (Results.Bin bin : series.bins()) {
          ObjectNode o = bins.addObject();
          o.put("startTime", Math.floorDiv(bin.start(), 1000L));
          o.put("bin", new Timestamp(bin.start()).render());
          rows(o.putArray("results"), bin.result());
          statistics(o.putObject("statistics"), bin.result().statistics(), false);
        }
        statistics(out.putObject("statistics"), series.statistics(), true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ApiResponse(200, Json.write(out));
  }

  private static void fields(ObjectNode out, List<String> fields) {
    ArrayNode f = out.putArray("fields");
    fields.forEach(f::add);
  }

  private static void rows(ArrayNode out, Result r) {
    for (List<ResultField> row : ResultField.rows(r)) {
      ArrayNode cells = out.addArray();
      for (ResultField f : row) {
        cells.addObject().put("field", f.field()).put("value", f.value());
      }
    }
  }

  private static void statistics(ObjectNode st, Statistics s, boolean objects) {
    st.put("recordsMatched", s.recordsMatched());
    st.put("recordsScanned", s.recordsScanned());
    if (objects) {
      st.put("bytesScanned", s.bytesScanned());
      st.put("objectsScanned", s.objectsScanned());
      st.put("objectsSkipped", s.objectsSkipped());
    }
  }
}
