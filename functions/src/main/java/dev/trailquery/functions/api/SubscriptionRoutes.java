package dev.trailquery.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.lookup.LookupTableStore;
import dev.trailquery.functions.lookup.QueryTables;
import dev.trailquery.functions.query.QueryDefinition;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.query.SavedQueryStore;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.lang.Parser;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lookup.LookupTable;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The subscription definitions:
 *
 * <ul>
 *   <li>{@code PUT /subscriptions/{name}} {@code {queryString | savedQuery | metricFilter |
 *       contributorRule, bin?, backfillFrom?, rowsPerBin?, retentionDays?}} → 200 the subscription.
 *       The same definition again changes nothing; another one replaces it (its results start
 *       afresh).
 *   <li>{@code GET /subscriptions/{name}}, {@code DELETE /subscriptions/{name}} (its alarm too),
 *       {@code GET /subscriptions}.
 * </ul>
 */
final class SubscriptionRoutes {
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
  private final SavedQueryStore saved;
  private final SubscriptionApi.Backfiller backfiller;
  private final LongSupplier clock;
  private final AlarmStore alarms;
  private final int defaultRetentionDays;
  private final LookupTableStore lookupTables;

  /**
   * @param lookupTables where a query's {@code lookup} tables are found (the stack's lookup-table
   *     store), or null: none
   */
  SubscriptionRoutes(
      SubscriptionStore store,
      SavedQueryStore saved,
      SubscriptionApi.Backfiller backfiller,
      LongSupplier clock,
      AlarmStore alarms,
      int defaultRetentionDays,
      LookupTableStore lookupTables) {
    this.lookupTables = lookupTables;
    this.store = store;
    this.saved = saved;
    this.backfiller = backfiller;
    this.clock = clock;
    this.alarms = alarms;
    this.defaultRetentionDays = defaultRetentionDays;
  }

  /** The subscription named so, else a 404. */
  static Subscription find(SubscriptionStore store, String name) {
    return store.get(name).orElseThrow(() -> notFound(name));
  }

  private static ApiException notFound(String name) {
    return ApiException.notFound("no subscription named '" + name + "'");
  }

  /** The body's {@code retentionDays}, else the deployment's default (null when that is 0). */
  static Integer retention(JsonNode b, int defaultRetentionDays) {
    Integer r = Json.integer(b, "retentionDays");
    return r != null || defaultRetentionDays == 0 ? r : Integer.valueOf(defaultRetentionDays);
  }

  ApiResponse put(String name, String body) {
    JsonNode b = Json.objectBody(body, PUT_FIELDS);
    String savedName = Json.text(b, "savedQuery");
    String queryString = Json.text(b, "queryString");
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
    String bin = Json.text(b, "bin");
    Integer rows = Json.integer(b, "rowsPerBin");
    Integer retention = retention(b, defaultRetentionDays);
    Long backfillFrom = backfillFrom(b);
    long now = clock.getAsLong();
    Subscription s;
    try {
      s =
          Subscription.create(
              name, queryString, bin, rows, retention, now, backfillFrom, tables(queryString));
    } catch (QueryException e) {
      throw ApiException.malformedQuery(e, queryString);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    return store(s, savedName, backfillFrom);
  }

  /**
   * The tables the query's {@code lookup} commands name, as the lookup-table store holds them now:
   * the subscription pins these versions. One that is not there is left out (planning then says
   * which, and where).
   */
  private Map<String, LookupTable> tables(String queryString) {
    Map<String, LookupTable> out = new HashMap<>();
    if (lookupTables == null) {
      return out;
    }
    for (String name : QueryTables.names(Parser.parse(queryString))) {
      lookupTables.table(name).ifPresent(t -> out.put(name, t));
    }
    return out;
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
    String bin = Json.text(b, "bin");
    Integer retention = retention(b, defaultRetentionDays);
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
        && a.retentionDays() == b.retentionDays()
        && a.lookups().equals(b.lookups());
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

  ApiResponse get(String name) {
    SubscriptionStore.Owned o = store.getOwned(name).orElseThrow(() -> notFound(name));
    return new ApiResponse(200, Json.write(describe(o, null)));
  }

  ApiResponse delete(String name) {
    if (!store.delete(name)) {
      throw notFound(name);
    }
    if (alarms != null) {
      alarms.delete(name); // an alarm does not outlive its subscription
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("success", true);
    return new ApiResponse(200, Json.write(out));
  }

  ApiResponse list() {
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
    if (!s.lookups().isEmpty()) {
      ArrayNode tables = n.putArray("lookupTables");
      for (Subscription.LookupPin p : s.lookups()) {
        ObjectNode t = tables.addObject().put("name", p.name()).put("version", p.version());
        if (p.table() != null) {
          t.put("rows", p.table().rows().size());
        }
      }
    }
    n.put("retentionDays", s.retentionDays());
    n.put("createTime", s.createdMillis());
    if (s.backfillFromMillis() != null) {
      n.put("backfillFrom", s.backfillFromMillis() / 1000);
    }
    return n;
  }
}
