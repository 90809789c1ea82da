package dev.trailquery.functions.pack;

import dev.trailquery.functions.alarm.Alarm;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import dev.trailquery.pack.WatchPack;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The CIS AWS Foundations pack, ready to subscribe in one command: every metric filter of seed 002
 * (the CIS CloudWatch metric filters and the other CloudTrail patterns listed there) as a metric
 * filter subscription with an alarm, and seed 001's CIS 3.1–3.14 Logs Insights queries as row
 * subscriptions (the events behind an alarm: who, from where, with what).
 *
 * <p>Alarms: a metric filter alarms when its {@code sum} in a bin is at least 1 (one event is
 * enough, as the CIS benchmark sets them), except console authentication failures, which alarm
 * above 3 per bin. Of the seed 001 queries, only the two controls no metric filter covers (3.9 AWS
 * Config changes, 3.13 route table changes) carry an alarm ({@code @recordsMatched >= 1}), so that
 * every control alarms exactly once.
 */
public final class CisPack {
  public static final String NAME = "cis";

  /** One subscription of the pack and its alarm (null for none). */
  public record Entry(Subscription subscription, Alarm alarm) {}

  /** Seed 001 queries whose control no seed 002 metric filter covers. */
  static final Set<String> ALARMED_QUERIES =
      Set.of("cis-3.9-config-changes", "cis-3.13-route-table-changes");

  private CisPack() {}

  /**
   * The pack's subscriptions (bin {@code bin}, 5m when null) and alarms, created at {@code now}.
   */
  public static List<Entry> entries(String bin, long now) {
    String b = bin == null ? Subscription.DEFAULT_WATCH_BIN : bin;
    List<Entry> out = new ArrayList<>();
    for (WatchPack.SavedMetricFilter f : WatchPack.get().metricFilters()) {
      if (!f.source().startsWith("seed 002")) {
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
