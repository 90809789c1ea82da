package dev.trailquery.functions.store.sealing;

import dev.trailquery.exec.PartialState;
import dev.trailquery.functions.store.Bundle;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.plan.Plan;
import java.io.IOException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One subscription's bins being merged: sealed bins plus the contributions of later slots (a
 * contribution counts for a bin only when its slot is after the bin's sealed-through slot), the
 * same for the readers and the sealer.
 */
public final class BinTotals {
  /** One bin's running totals. */
  public static final class Bin {
    public PartialState state;
    public long records;
    public long objects;
    public long bytes;
    public long sealedThrough = -1;
  }

  private final Subscription sub;
  private final Plan plan;
  private final long from;
  private final long to;
  private final SortedMap<Long, Bin> bins = new TreeMap<>();

  /** Bins whose start lies in {@code [from, to)}. */
  public BinTotals(Subscription sub, Plan plan, long from, long to) {
    this.sub = sub;
    this.plan = plan;
    this.from = from;
    this.to = to;
  }

  public SortedMap<Long, Bin> bins() {
    return bins;
  }

  private boolean inRange(long start) {
    return start >= from && start < to;
  }

  public void addSealed(SealedBin b) throws IOException {
    if (!inRange(b.binStart())) {
      return;
    }
    Bin bin = bins.computeIfAbsent(b.binStart(), k -> new Bin());
    bin.sealedThrough = b.sealedThrough();
    bin.records += b.records();
    bin.objects += b.objects();
    bin.bytes += b.bytes();
    if (b.state().length > 0) {
      merge(bin, PartialState.fromBytes(plan, b.state()));
    }
  }

  /** The sealed-through slot of a bin (-1: nothing sealed). */
  public long sealedThrough(long binStart) {
    Bin b = bins.get(binStart);
    return b == null ? -1 : b.sealedThrough;
  }

  /** Adds what a contribution gives the bins it has not already been sealed into. */
  public void add(Deltas.Contribution c) throws IOException {
    Bundle bundle = c.bundle();
    SortedMap<Long, Long> hist = bundle.histograms.getOrDefault(sub.bin(), new TreeMap<>());
    Long first = hist.isEmpty() ? null : hist.firstKey();
    for (Map.Entry<Long, Long> h : hist.entrySet()) {
      long start = h.getKey();
      if (!inRange(start) || c.slot() <= sealedThrough(start)) {
        continue;
      }
      Bin bin = bins.computeIfAbsent(start, k -> new Bin());
      bin.records += h.getValue();
      if (first != null && start == first) {
        bin.objects++;
        bin.bytes += bundle.bytes;
      }
    }
    SortedMap<Long, byte[]> states = bundle.states.get(sub.id());
    if (states == null) {
      return;
    }
    for (Map.Entry<Long, byte[]> e : states.entrySet()) {
      long start = e.getKey();
      if (!inRange(start) || c.slot() <= sealedThrough(start)) {
        continue;
      }
      merge(
          bins.computeIfAbsent(start, k -> new Bin()), PartialState.fromBytes(plan, e.getValue()));
    }
  }

  private static void merge(Bin bin, PartialState p) {
    if (bin.state == null) {
      bin.state = p;
    } else {
      bin.state.merge(p);
    }
  }
}
