package dev.trailquery.functions.store;

import dev.trailquery.exec.Finisher;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Statistics;
import dev.trailquery.plan.Plan;
import dev.trailquery.value.Periods;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Reads a subscription's results for {@code [start, end)}: per bin (a time series) or merged over
 * the range, with the query's sort and limit applied after the merge ({@link Finisher}). A bin
 * belongs to the range when its start does.
 *
 * <p>Exactly once: per object and day, among the complete bundles that evaluated the subscription
 * (there may be several when the subscription set changed between deliveries, or a backfill wrote
 * its own), exactly one is used.
 */
public final class Results {
  private final ResultStore store;
  private final LongSupplier clock;

  public Results(ResultStore store) {
    this(store, System::currentTimeMillis);
  }

  public Results(ResultStore store, LongSupplier clock) {
    this.store = store;
    this.clock = clock;
  }

  /** One bin of a time series. */
  public record Bin(long start, Result result) {}

  /** The merged state of each bin, plus what the objects that fed it were. */
  private record Gathered(
      Plan plan,
      SortedMap<Long, PartialState> states,
      SortedMap<Long, long[]> records,
      long objects,
      long bytes,
      long skipped) {}

  public Result merged(Subscription s, long start, long end) throws IOException {
    Gathered g = gather(s, start, end);
    PartialState all = new PartialState(g.plan());
    long records = 0;
    for (PartialState p : g.states().values()) {
      all.merge(p);
    }
    for (long[] r : g.records().values()) {
      records += r[0];
    }
    return withStatistics(Finisher.finish(all), records, g.bytes(), g.objects(), g.skipped());
  }

  /** Bins newest first, each finished on its own; only bins with records are listed. */
  public List<Bin> perBin(Subscription s, long start, long end) throws IOException {
    return series(s, start, end).bins();
  }

  /**
   * A time series: the bins (as {@link #perBin}), the fields every bin's result has (also when
   * there is no bin), and the statistics of the whole range (as {@link #merged} gives them).
   */
  public record Series(List<String> fields, List<Bin> bins, Statistics statistics) {}

  public Series series(Subscription s, long start, long end) throws IOException {
    Gathered g = gather(s, start, end);
    List<Bin> out = new ArrayList<>();
    long records = 0;
    long matched = 0;
    for (Map.Entry<Long, long[]> e : g.records().reversed().entrySet()) {
      PartialState p = g.states().getOrDefault(e.getKey(), new PartialState(g.plan()));
      Result r = withStatistics(Finisher.finish(p), e.getValue()[0], 0, 0, 0);
      records += r.statistics().recordsScanned();
      matched += r.statistics().recordsMatched();
      out.add(new Bin(e.getKey(), r));
    }
    List<String> fields = Finisher.finish(new PartialState(g.plan())).fields();
    return new Series(
        fields, out, new Statistics(records, matched, g.bytes(), 0, g.objects(), g.skipped()));
  }

  /** One bin's finished result and how many objects fed it (its version: it only grows). */
  public record BinResult(long start, Result result, long objects) {}

  /**
   * The finished results of the given bins of a subscription (bins nothing fed are left out),
   * reading only the day partitions those bins start on. {@code days} caches a day's bundles for
   * the caller (several subscriptions evaluated after one object read each day once). Retention is
   * not applied: the caller asks for the bins it has just written.
   */
  public SortedMap<Long, BinResult> bins(
      Subscription s,
      java.util.Collection<Long> starts,
      Map<String, Map<String, Map<String, ResultStore.StoredBundle>>> days)
      throws IOException {
    Plan plan = s.plan();
    java.util.Set<Long> wanted = new java.util.HashSet<>(starts);
    java.util.SortedSet<String> dayNames = new java.util.TreeSet<>();
    for (long start : starts) {
      dayNames.add(ResultStore.day(start));
    }
    SortedMap<Long, PartialState> states = new TreeMap<>();
    SortedMap<Long, long[]> counts = new TreeMap<>(); // records, objects
    for (String day : dayNames) {
      Map<String, Map<String, ResultStore.StoredBundle>> bundles = days.get(day);
      if (bundles == null) {
        bundles = store.bundles(day);
        days.put(day, bundles);
      }
      for (Map<String, ResultStore.StoredBundle> sets : bundles.values()) {
        Bundle chosen = null;
        for (ResultStore.StoredBundle b : sets.values()) { // the same choice as gather()
          if (b.bundle().states.containsKey(s.id())) {
            chosen = b.bundle();
            break;
          }
        }
        if (chosen == null) {
          continue;
        }
        SortedMap<Long, Long> hist = chosen.histograms.getOrDefault(s.bin(), new TreeMap<>());
        for (Map.Entry<Long, Long> h : hist.entrySet()) {
          if (wanted.contains(h.getKey())) {
            long[] c = counts.computeIfAbsent(h.getKey(), k -> new long[2]);
            c[0] += h.getValue();
            c[1]++;
          }
        }
        for (Map.Entry<Long, byte[]> e : chosen.states.get(s.id()).entrySet()) {
          if (wanted.contains(e.getKey())) {
            PartialState p = PartialState.fromBytes(plan, e.getValue());
            PartialState merged = states.get(e.getKey());
            if (merged == null) {
              states.put(e.getKey(), p);
            } else {
              merged.merge(p);
            }
          }
        }
      }
    }
    SortedMap<Long, BinResult> out = new TreeMap<>();
    for (Map.Entry<Long, long[]> e : counts.entrySet()) {
      PartialState p = states.getOrDefault(e.getKey(), new PartialState(plan));
      Result r = withStatistics(Finisher.finish(p), e.getValue()[0], 0, e.getValue()[1], 0);
      out.put(e.getKey(), new BinResult(e.getKey(), r, e.getValue()[1]));
    }
    return out;
  }

  /** The result store these results are read from. */
  public ResultStore store() {
    return store;
  }

  /**
   * One bin of an alarmed subscription from the alarm index ({@link ResultStore#putBinState}): one
   * Query of the bin's own partition, whatever the day's object count. Empty when the index cannot
   * give it (a state too large to be indexed): read {@link #bins} then.
   */
  public java.util.Optional<BinResult> indexedBin(Subscription s, long start) throws IOException {
    ResultStore.BinStates b = store.binStates(s.id(), start);
    if (!b.complete()) {
      return java.util.Optional.empty();
    }
    Plan plan = s.plan();
    PartialState merged = new PartialState(plan);
    for (byte[] image : b.states()) {
      merged.merge(PartialState.fromBytes(plan, image));
    }
    Result r = withStatistics(Finisher.finish(merged), b.records(), 0, b.objects(), 0);
    return java.util.Optional.of(new BinResult(start, r, b.objects()));
  }

  /** The columns of the subscription's per-bin results. */
  public static List<String> fields(Subscription s) {
    return Finisher.finish(new PartialState(s.plan())).fields();
  }

  private static Result withStatistics(
      Result r, long records, long bytes, long objects, long skipped) {
    Statistics st =
        new Statistics(records, r.statistics().recordsMatched(), bytes, 0, objects, skipped);
    return new Result(r.fields(), r.rows(), st, r.warnings(), r.skipped());
  }

  private Gathered gather(Subscription s, long start, long end) throws IOException {
    Plan plan = s.plan();
    Periods period = s.period();
    if (s.retentionDays() > 0) {
      start = Math.max(start, clock.getAsLong() - s.retentionDays() * 86_400_000L);
    }
    String firstDay = start == Long.MIN_VALUE ? "" : ResultStore.day(period.floor(start));
    String lastDay = end == Long.MAX_VALUE ? "\uffff" : ResultStore.day(end - 1);
    SortedMap<Long, PartialState> states = new TreeMap<>();
    SortedMap<Long, long[]> records = new TreeMap<>();
    long objects = 0;
    long bytes = 0;
    long skipped = 0;
    for (String day : store.days()) {
      if (day.compareTo(firstDay) < 0 || day.compareTo(lastDay) > 0) {
        continue;
      }
      skipped += store.skipped(day).size();
      for (Map<String, ResultStore.StoredBundle> sets : store.bundles(day).values()) {
        Bundle chosen = null;
        for (ResultStore.StoredBundle b : sets.values()) { // sorted by set id: a stable choice
          if (b.bundle().states.containsKey(s.id())) {
            chosen = b.bundle();
            break;
          }
        }
        if (chosen == null) {
          continue;
        }
        boolean counted = false;
        SortedMap<Long, Long> hist = chosen.histograms.getOrDefault(s.bin(), new TreeMap<>());
        for (Map.Entry<Long, Long> h : hist.entrySet()) {
          if (h.getKey() >= floor(period, start) && h.getKey() < end) {
            records.computeIfAbsent(h.getKey(), k -> new long[1])[0] += h.getValue();
            counted = true;
          }
        }
        for (Map.Entry<Long, byte[]> e : chosen.states.get(s.id()).entrySet()) {
          if (e.getKey() >= floor(period, start) && e.getKey() < end) {
            PartialState p = PartialState.fromBytes(plan, e.getValue());
            PartialState merged = states.get(e.getKey());
            if (merged == null) {
              states.put(e.getKey(), p);
            } else {
              merged.merge(p);
            }
          }
        }
        if (counted) {
          objects++;
          bytes += chosen.bytes;
        }
      }
    }
    return new Gathered(plan, states, records, objects, bytes, skipped);
  }

  private static long floor(Periods period, long start) {
    return start == Long.MIN_VALUE ? Long.MIN_VALUE : period.floor(start);
  }
}
