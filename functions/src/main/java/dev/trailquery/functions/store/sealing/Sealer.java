package dev.trailquery.functions.store.sealing;

import dev.trailquery.exec.PartialState;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.plan.Plan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Seals closed delivery slots, oldest first: merges each slot's contributions ({@link Deltas}) into
 * one item per subscription and bin ({@link SealedBin}, a new version that says "through this
 * slot"), then moves the progress past the slot. Idempotent and safe to run twice at once
 * (docs/INGEST.md, "Sealing"): a bin already sealed through the slot is left alone, and two sealers
 * of one slot write the same bytes.
 */
public final class Sealer {
  /** How long a sealer owns the work before another may take over. */
  static final long LEASE_MILLIS = 5 * 60_000L;

  /** What one run did. */
  public record Report(
      long fromSlot,
      long throughSlot,
      int slots,
      long contributions,
      long binsWritten,
      long writeUnits,
      long millis,
      boolean busy) {}

  private final SealedStore sealed;
  private final Deltas deltas;
  private final Supplier<List<Subscription>> subscriptions;
  private final LongSupplier clock;
  private final String owner = java.util.UUID.randomUUID().toString();
  private boolean useLease = true;

  public Sealer(
      SealedStore sealed, Supplier<List<Subscription>> subscriptions, LongSupplier clock) {
    this.sealed = sealed;
    this.deltas = new Deltas(sealed.results());
    this.subscriptions = subscriptions;
    this.clock = clock;
  }

  /** Without the lease (tests: two sealers really at work at once). */
  public Sealer withoutLease() {
    useLease = false;
    return this;
  }

  /** Seals every slot closed at the clock's time. */
  public Report seal() throws IOException {
    return seal(Slots.sealable(clock.getAsLong()));
  }

  /**
   * Seals every slot up to {@code through} ({@code ./trailquery seal --now} passes the current
   * slot: only safe while nothing ingests).
   */
  public Report seal(long through) throws IOException {
    long started = System.nanoTime();
    long now = clock.getAsLong();
    if (useLease && !sealed.lease(owner, now, now + LEASE_MILLIS)) {
      return new Report(-1, -1, 0, 0, 0, 0, 0, true);
    }
    try {
      long progress = sealed.progress();
      if (through <= progress) {
        return new Report(progress, progress, 0, 0, 0, 0, ms(started), false);
      }
      Map<String, Subscription> byId = new HashMap<>();
      for (Subscription s : subscriptions.get()) {
        byId.put(s.id(), s);
      }
      Map<String, Plan> plans = new HashMap<>();
      List<SealedStore.Entry> entries = sealed.entries(progress, through);
      TreeMap<Long, List<SealedStore.Entry>> bySlot = new TreeMap<>();
      for (SealedStore.Entry e : entries) {
        bySlot.computeIfAbsent(e.slot(), k -> new ArrayList<>()).add(e);
      }
      long contributions = 0;
      long bins = 0;
      long units = 0;
      for (var slot : bySlot.entrySet()) {
        if (useLease) {
          sealed.lease(owner, clock.getAsLong(), clock.getAsLong() + LEASE_MILLIS);
        }
        long c = slot.getKey();
        Map<String, List<Deltas.Contribution>> found =
            deltas.read(slot.getValue(), s -> s == c, null);
        for (var sub : found.entrySet()) {
          Subscription s = byId.get(sub.getKey());
          if (s == null) {
            continue; // deleted or replaced: never read again
          }
          Plan plan = plans.computeIfAbsent(s.id(), k -> s.plan());
          BinTotals totals = new BinTotals(s, plan, Long.MIN_VALUE, Long.MAX_VALUE);
          for (Deltas.Contribution d : sub.getValue()) {
            totals.add(d);
            contributions++;
          }
          long[] written = sealInto(s, plan, c, totals.bins());
          bins += written[0];
          units += written[1];
        }
        sealed.advance(c);
      }
      sealed.advance(through);
      return new Report(
          progress, through, bySlot.size(), contributions, bins, units, ms(started), false);
    } finally {
      if (useLease) {
        sealed.release(owner);
      }
    }
  }

  /** Merges one slot's totals into the subscription's sealed bins; returns {bins, write units}. */
  private long[] sealInto(
      Subscription s, Plan plan, long slot, SortedMap<Long, BinTotals.Bin> totals)
      throws IOException {
    Map<String, TreeSet<Long>> byDay = new TreeMap<>();
    for (long start : totals.keySet()) {
      byDay.computeIfAbsent(Slots.day(start), k -> new TreeSet<>()).add(start);
    }
    long bins = 0;
    long units = 0;
    for (var day : byDay.entrySet()) {
      units +=
          sealed.markDay(
              s.id(), day.getKey(), Slots.sealedTtl(s, day.getValue().last() + 86_400_000L));
      SortedMap<Long, SealedStore.Stored> existing =
          sealed.read(s.id(), day.getKey(), day.getValue().first(), day.getValue().last(), true);
      for (long start : day.getValue()) {
        SealedStore.Stored old = existing.get(start);
        if (old != null && old.bin().sealedThrough() >= slot) {
          continue; // sealed through this slot already (a retry, or a second sealer)
        }
        BinTotals.Bin add = totals.get(start);
        PartialState state = null;
        long records = add.records;
        long objects = add.objects;
        long bytes = add.bytes;
        if (old != null) {
          records += old.bin().records();
          objects += old.bin().objects();
          bytes += old.bin().bytes();
          if (old.bin().state().length > 0) {
            state = PartialState.fromBytes(plan, old.bin().state());
          }
        }
        if (add.state != null) {
          if (state == null) {
            state = add.state;
          } else {
            state.merge(add.state);
          }
        }
        SealedBin bin =
            new SealedBin(
                s.id(),
                start,
                slot,
                records,
                objects,
                bytes,
                state == null ? new byte[0] : state.toBytes());
        units +=
            sealed.write(
                bin,
                day.getKey(),
                Slots.sealedTtl(s, start),
                old == null ? List.of() : old.versionKeys());
        bins++;
      }
    }
    return new long[] {bins, units};
  }

  private static long ms(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
