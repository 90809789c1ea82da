package dev.trailquery.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.pack.CisPack;
import dev.trailquery.functions.store.SubscriptionStore;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@code PUT /packs/cis} {@code {bin?, retentionDays?, alarms? (true), replace? (false)}}: the CIS
 * pack's subscriptions and alarms ({@link CisPack}); existing ones with the same definition are
 * kept as they are. 409 when some exist with another definition and {@code replace} is not set.
 */
final class PackRoutes {
  private static final Set<String> FIELDS = Set.of("bin", "retentionDays", "alarms", "replace");

  private final SubscriptionStore store;
  private final AlarmStore alarms;
  private final LongSupplier clock;
  private final int defaultRetentionDays;

  PackRoutes(
      SubscriptionStore store, AlarmStore alarms, LongSupplier clock, int defaultRetentionDays) {
    this.store = store;
    this.alarms = alarms;
    this.clock = clock;
    this.defaultRetentionDays = defaultRetentionDays;
  }

  ApiResponse put(String pack, String body) {
    if (!pack.equals(CisPack.NAME)) {
      throw ApiException.notFound("no pack named '" + pack + "' (there is: cis)");
    }
    // No body: the defaults. A backfill is the CLI's ('./trailquery subscribe --pack cis
    // --backfill-from T'), not a field here.
    JsonNode b =
        body == null || body.isBlank()
            ? Json.MAPPER.createObjectNode()
            : Json.objectBody(body, FIELDS);
    boolean withAlarms = !b.has("alarms") || b.get("alarms").asBoolean(true);
    if (withAlarms && alarms == null) {
      throw AlarmRoutes.notAvailable();
    }
    List<CisPack.Entry> entries;
    try {
      entries =
          CisPack.entries(
              Json.text(b, "bin"),
              SubscriptionRoutes.retention(b, defaultRetentionDays),
              null,
              clock.getAsLong());
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
}
