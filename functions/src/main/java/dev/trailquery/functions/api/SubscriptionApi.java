package dev.trailquery.functions.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.contract.Route;
import dev.trailquery.functions.alarm.Alarm;
import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.lookup.LookupTableStore;
import dev.trailquery.functions.query.Caller;
import dev.trailquery.functions.query.SavedQueryStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The ingest path's routes of the query API, over its DynamoDB tables (the {@link
 * SubscriptionStore} the ingest Lambda reads, and the {@link Results} reader). Each concern is its
 * own class; this one wires them and dispatches the contract's {@link Route}s:
 *
 * <ul>
 *   <li>{@link SubscriptionRoutes}: {@code PUT|GET|DELETE /subscriptions/{name}}, {@code GET
 *       /subscriptions};
 *   <li>{@link SubscriptionResults}: {@code GET /subscriptions/{name}/results};
 *   <li>{@link AlarmRoutes}: {@code PUT|GET|DELETE /subscriptions/{name}/alarm}, {@code GET
 *       /alarms};
 *   <li>{@link PackRoutes}: {@code PUT /packs/{pack}}.
 * </ul>
 */
public final class SubscriptionApi {
  /** Starts a backfill of a subscription just stored with {@code backfillFrom}. */
  @FunctionalInterface
  public interface Backfiller {
    /** Starts it (need not wait for it); returns a short description for the response. */
    String start(Subscription subscription);
  }

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

  private LookupTableStore lookupTables;

  /**
   * The same routes, recording {@code caller} as who created what it stores; a query's {@code
   * lookup} tables come from {@code lookupTables} (null: none).
   */
  SubscriptionApi forCaller(Caller caller, LookupTableStore lookupTables) {
    SubscriptionApi a =
        new SubscriptionApi(
            store.as(caller.arn()),
            results,
            saved,
            backfiller,
            clock,
            alarms,
            defaultRetentionDays);
    a.lookupTables = lookupTables;
    return a;
  }

  /** The subscription, alarm and pack {@link Route}s ({@link Api} resolved the request). */
  ApiResponse route(Route.Match m, Map<String, String> params, String body) {
    String name = m.param("name");
    return switch (m.route()) {
      case LIST_SUBSCRIPTIONS -> definitions().list();
      case GET_SUBSCRIPTION -> definitions().get(name);
      case PUT_SUBSCRIPTION -> definitions().put(name, body);
      case DELETE_SUBSCRIPTION -> definitions().delete(name);
      case GET_SUBSCRIPTION_RESULTS -> new SubscriptionResults(store, results).get(name, params);
      case GET_SUBSCRIPTION_ALARM -> alarmRoutes().get(name);
      case PUT_SUBSCRIPTION_ALARM -> alarmRoutes().put(name, body);
      case DELETE_SUBSCRIPTION_ALARM -> alarmRoutes().delete(name);
      case LIST_ALARMS -> alarmRoutes().list();
      case PUT_PACK ->
          new PackRoutes(store, alarms, clock, defaultRetentionDays).put(m.param("pack"), body);
      default -> throw new IllegalArgumentException("not a subscription route: " + m.route());
    };
  }

  private SubscriptionRoutes definitions() {
    return new SubscriptionRoutes(
        store, saved, backfiller, clock, alarms, defaultRetentionDays, lookupTables);
  }

  private AlarmRoutes alarmRoutes() {
    return new AlarmRoutes(store, alarms, clock);
  }

  /** An alarm as the API and {@code ./trailquery alarms --format json} show it. */
  public static ObjectNode describeAlarm(Alarm a, AlarmStore.State st) {
    return AlarmRoutes.describe(a, st);
  }
}
