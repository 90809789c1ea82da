package dev.trailquery.functions.store;

import dev.trailquery.exec.Finisher;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Statistics;
import dev.trailquery.functions.store.sealing.BinTotals;
import dev.trailquery.functions.store.sealing.Deltas;
import dev.trailquery.functions.store.sealing.SealedStore;
import dev.trailquery.functions.store.sealing.Slots;
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
 * <p>A read touches the subscription's sealed items of the range (one per bin, or a few parts) and
 * the bundles of the delivery slots not sealed yet; per bin, a slot's contribution counts only when
 * the bin's sealed item does not already include it (docs/INGEST.md, "Sealing").
 */
public final class Results {
  private final ResultStore store;
  private final SealedStore sealed;
  private final Deltas deltas;
  private final LongSupplier clock;

  public Results(ResultStore store) {
    this(store, System::currentTimeMillis);
  }

  public Results(ResultStore store, LongSupplier clock) {
    this.store = store;
    this.sealed = new SealedStore(store);
    this.deltas = new Deltas(store);
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
   * The finished results of the given bins of a subscription (bins nothing fed are left out): their
   * sealed items plus the unsealed slots' contributions. Retention is not applied: the caller asks
   * for the bins it has just written.
   */
  public SortedMap<Long, BinResult> bins(Subscription s, java.util.Collection<Long> starts)
      throws IOException {
    java.util.SortedSet<Long> wanted = new java.util.TreeSet<>(starts);
    SortedMap<Long, BinResult> out = new TreeMap<>();
    if (wanted.isEmpty()) {
      return out;
    }
    Plan plan = s.plan();
    BinTotals totals = totals(s, plan, wanted.first(), wanted.last() + 1);
    for (Map.Entry<Long, BinTotals.Bin> e : totals.bins().entrySet()) {
      if (!wanted.contains(e.getKey()) || e.getValue().records == 0) {
        continue;
      }
      BinTotals.Bin b = e.getValue();
      PartialState p = b.state != null ? b.state : new PartialState(plan);
      Result r = withStatistics(Finisher.finish(p), b.records, 0, b.objects, 0);
      out.put(e.getKey(), new BinResult(e.getKey(), r, b.objects));
    }
    return out;
  }

  /**
   * A subscription's bins in {@code [from, to)}: the sealed items of the days it has sealed bins
   * on, then the contributions of every slot after the sealed progress (docs/INGEST.md, "Reading").
   */
  private BinTotals totals(Subscription s, Plan plan, long from, long to) throws IOException {
    long progress = sealed.progress();
    BinTotals totals = new BinTotals(s, plan, from, to);
    String firstDay = from == Long.MIN_VALUE ? "" : Slots.day(from);
    String lastDay = to == Long.MAX_VALUE ? "\uffff" : Slots.day(to - 1);
    List<String> days = new ArrayList<>();
    for (String day : sealed.days(s.id())) {
      if (day.compareTo(firstDay) >= 0 && day.compareTo(lastDay) <= 0) {
        days.add(day);
      }
    }
    long toBin = to == Long.MAX_VALUE ? Long.MAX_VALUE / 2 : to - 1;
    // one Query per day partition, up to 8 at a time (a 30-day read is 30 small Queries)
    List<java.util.concurrent.Future<SortedMap<Long, SealedStore.Stored>>> reads =
        new ArrayList<>();
    try (var pool =
        java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, Math.min(8, days.size())))) {
      for (String day : days) {
        reads.add(pool.submit(() -> sealed.read(s.id(), day, Math.max(0, from), toBin, false)));
      }
      for (var read : reads) {
        for (SealedStore.Stored b : read.get().values()) {
          totals.addSealed(b.bin());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(e.getCause());
    }
    List<SealedStore.Entry> entries = sealed.entries(progress, Long.MAX_VALUE / 2);
    for (Deltas.Contribution c :
        deltas
            .read(entries, slot -> slot > progress, java.util.Set.of(s.id()))
            .getOrDefault(s.id(), List.of())) {
      totals.add(c);
    }
    return totals;
  }

  /** The result store these results are read from. */
  public ResultStore store() {
    return store;
  }

  /** A bin's finished result from its merged state (the alarm path's running bin states). */
  public static BinResult binResult(long start, PartialState state, long records, long objects) {
    Result r = withStatistics(Finisher.finish(state), records, 0, objects, 0);
    return new BinResult(start, r, objects);
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
    BinTotals totals = totals(s, plan, floor(period, start), end);
    SortedMap<Long, PartialState> states = new TreeMap<>();
    SortedMap<Long, long[]> records = new TreeMap<>();
    long objects = 0;
    long bytes = 0;
    for (Map.Entry<Long, BinTotals.Bin> e : totals.bins().entrySet()) {
      BinTotals.Bin b = e.getValue();
      if (b.records > 0) {
        records.put(e.getKey(), new long[] {b.records});
      }
      if (b.state != null) {
        states.put(e.getKey(), b.state);
      }
      objects += b.objects;
      bytes += b.bytes;
    }
    long skipped = 0;
    String firstDay = start == Long.MIN_VALUE ? "" : Slots.day(period.floor(start));
    String lastDay = end == Long.MAX_VALUE ? "\uffff" : Slots.day(end - 1);
    for (String day : store.skipDays()) {
      if (day.compareTo(firstDay) >= 0 && day.compareTo(lastDay) <= 0) {
        skipped += store.skipped(day).size();
      }
    }
    return new Gathered(plan, states, records, objects, bytes, skipped);
  }

  private static long floor(Periods period, long start) {
    return start == Long.MIN_VALUE ? Long.MIN_VALUE : period.floor(start);
  }
}
