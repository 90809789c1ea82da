package dev.trailquery.functions.pack;

import dev.trailquery.functions.alarm.Alarm;
import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import dev.trailquery.pack.WatchPack;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The CIS AWS Foundations pack, ready to subscribe in one command: every metric filter of the CIS
 * AWS Foundations Benchmark (the CIS CloudWatch metric filters and the other CloudTrail patterns
 * listed there) as a metric filter subscription with an alarm, and Classmethod's CIS 3.1–3.14 Logs
 * Insights queries as row subscriptions (the events behind an alarm: who, from where, with what).
 *
 * <p>Alarms: a metric filter alarms when its {@code sum} in a bin is at least 1 (one event is
 * enough, as the CIS benchmark sets them), except console authentication failures, which alarm
 * above 3 per bin. Of those queries, only the two controls no metric filter covers (3.9 AWS Config
 * changes, 3.13 route table changes) carry an alarm ({@code @recordsMatched >= 1}), so that every
 * control alarms exactly once.
 */
public final class CisPack {
  public static final String NAME = "cis";

  /** One subscription of the pack and its alarm (null for none). */
  public record Entry(Subscription subscription, Alarm alarm) {}

  /** The pack's metric filters: those whose source is the benchmark's patterns. */
  static final String CIS_BENCHMARK = "CIS AWS Foundations Benchmark";

  /** Classmethod's CIS queries whose control no benchmark metric filter covers. */
  static final Set<String> ALARMED_QUERIES =
      Set.of("cis-3.9-config-changes", "cis-3.13-route-table-changes");

  private CisPack() {}

  /**
   * The pack's subscriptions (bin {@code bin}, 5m when null) and alarms, created at {@code now}.
   */
  public static List<Entry> entries(String bin, long now) {
    return entries(bin, null, null, now);
  }

  /** As {@link #entries(String, long)}, with a retention and a backfill start (null: none). */
  public static List<Entry> entries(
      String bin, Integer retentionDays, Long backfillFromMillis, long now) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : build(bin, now)) {
      Subscription s = e.subscription();
      s =
          new Subscription(
              s.name(),
              s.id(),
              s.query(),
              s.bin(),
              s.topN(),
              retentionDays == null ? s.retentionDays() : retentionDays,
              s.createdMillis(),
              backfillFromMillis,
              s.type(),
              s.definition());
      out.add(new Entry(s, e.alarm()));
    }
    return out;
  }

  /** What {@link #apply} did. */
  public record Applied(
      List<Subscription> subscriptions, int created, int unchanged, int replaced, int alarms) {}

  /**
   * Stores the pack: subscriptions that exist with the same definition are kept as they are (their
   * results and alarm state too); ones that exist with another definition are replaced only when
   * {@code replace} (else nothing is written and {@link IllegalArgumentException} names them).
   */
  public static Applied apply(
      List<Entry> entries,
      SubscriptionStore subscriptions,
      AlarmStore alarms,
      boolean withAlarms,
      boolean replace) {
    List<String> conflicts = new ArrayList<>();
    List<Subscription> existing = new ArrayList<>();
    for (Entry e : entries) {
      Subscription s = e.subscription();
      Subscription old = subscriptions.get(s.name()).orElse(null);
      existing.add(old);
      if (old != null && !sameDefinition(old, s)) {
        conflicts.add(s.name());
      }
    }
    if (!conflicts.isEmpty() && !replace) {
      throw new IllegalArgumentException(
          "subscriptions exist with another definition: "
              + String.join(", ", conflicts)
              + " (replace them to subscribe the pack)");
    }
    List<Subscription> stored = new ArrayList<>();
    int created = 0;
    int unchanged = 0;
    int replaced = 0;
    int alarmed = 0;
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      Subscription old = existing.get(i);
      if (old != null && sameDefinition(old, e.subscription())) {
        unchanged++;
        stored.add(old);
      } else {
        subscriptions.put(e.subscription(), true);
        stored.add(e.subscription());
        if (old == null) {
          created++;
        } else {
          replaced++;
        }
      }
      if (withAlarms && e.alarm() != null) {
        Alarm current = alarms.get(e.alarm().subscription()).orElse(null);
        if (current == null || !current.sameDefinition(e.alarm())) {
          alarms.put(e.alarm());
        }
        alarmed++;
      }
    }
    return new Applied(List.copyOf(stored), created, unchanged, replaced, alarmed);
  }

  private static boolean sameDefinition(Subscription a, Subscription b) {
    return a.type().equals(b.type())
        && Objects.equals(a.definition(), b.definition())
        && a.query().equals(b.query())
        && a.bin().equals(b.bin())
        && a.topN() == b.topN()
        && a.retentionDays() == b.retentionDays();
  }

  private static List<Entry> build(String bin, long now) {
    String b = bin == null ? Subscription.DEFAULT_WATCH_BIN : bin;
    List<Entry> out = new ArrayList<>();
    for (WatchPack.SavedMetricFilter f : WatchPack.get().metricFilters()) {
      if (!f.source().startsWith(CIS_BENCHMARK)) {
        continue;
      }
      Subscription s = Subscription.createMetricFilter(f.name(), f.filter(), b, null, now, null);
      boolean failures = f.name().equals("console-auth-failures");
      Alarm a =
          new Alarm(
              s.name(),
              "sum",
              failures ? Alarm.Comparison.GT : Alarm.Comparison.GE,
              failures ? 3 : 1,
              f.description(),
              false,
              now);
      out.add(new Entry(s, a));
    }
    for (SavedQuery q : QueryPack.all()) {
      if (!q.name().startsWith("cis-3.")) {
        continue;
      }
      Subscription s = Subscription.create(q.name(), q.query(), b, null, null, now, null);
      Alarm a =
          ALARMED_QUERIES.contains(q.name())
              ? new Alarm(
                  s.name(),
                  Alarm.RECORDS_MATCHED,
                  Alarm.Comparison.GE,
                  1,
                  q.description(),
                  false,
                  now)
              : null;
      out.add(new Entry(s, a));
    }
    return out;
  }
}
