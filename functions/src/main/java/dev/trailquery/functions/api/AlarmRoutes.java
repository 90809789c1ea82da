package dev.trailquery.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.alarm.Alarm;
import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.value.Timestamp;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@code PUT /subscriptions/{name}/alarm} {@code {column, comparison, threshold, description?,
 * notifyOk?}} → 200 the alarm with its state; {@code GET} and {@code DELETE} the same path; {@code
 * GET /alarms} every alarm with its state. Without an {@link AlarmStore} they answer 501.
 */
final class AlarmRoutes {
  private static final Set<String> FIELDS =
      Set.of("column", "comparison", "threshold", "description", "notifyOk");

  private final SubscriptionStore subscriptions;
  private final AlarmStore alarms;
  private final LongSupplier clock;

  /**
   * @param alarms the alarms, or null: every route answers 501
   */
  AlarmRoutes(SubscriptionStore subscriptions, AlarmStore alarms, LongSupplier clock) {
    this.subscriptions = subscriptions;
    this.alarms = alarms;
    this.clock = clock;
  }

  /** 501 when this server keeps no alarms. */
  static ApiException notAvailable() {
    return new ApiException(501, "NotImplemented", "alarms are not available on this server");
  }

  private AlarmStore store() {
    if (alarms == null) {
      throw notAvailable();
    }
    return alarms;
  }

  ApiResponse put(String name, String body) {
    AlarmStore alarmStore = store();
    Subscription s = SubscriptionRoutes.find(subscriptions, name);
    JsonNode b = Json.objectBody(body, FIELDS);
    String column = Json.text(b, "column");
    String comparison = Json.text(b, "comparison");
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
              Json.text(b, "description"),
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
    ObjectNode out = describe(a, alarmStore.state(a));
    out.put("created", existing.isEmpty());
    out.put("changed", !same);
    return new ApiResponse(200, Json.write(out));
  }

  ApiResponse get(String name) {
    AlarmStore alarmStore = store();
    Alarm a = alarmStore.get(name).orElseThrow(() -> noAlarm(name));
    return new ApiResponse(200, Json.write(describe(a, alarmStore.state(a))));
  }

  ApiResponse delete(String name) {
    if (!store().delete(name)) {
      throw noAlarm(name);
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("success", true);
    return new ApiResponse(200, Json.write(out));
  }

  /** {@code GET /alarms}: every alarm with its state. */
  ApiResponse list() {
    AlarmStore alarmStore = store();
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("alarms");
    for (Alarm a : alarmStore.list()) {
      list.add(describe(a, alarmStore.state(a)));
    }
    return new ApiResponse(200, Json.write(out));
  }

  private static ApiException noAlarm(String name) {
    return ApiException.notFound("the subscription '" + name + "' has no alarm");
  }

  /** An alarm as the API and {@code ./trailquery alarms --format json} show it. */
  static ObjectNode describe(Alarm a, AlarmStore.State st) {
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
}
