package dev.trailquery.functions.ingest;

import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.store.Bundle;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.plan.Pipeline;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.RowOp;
import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.read.ReadRequest;
import dev.trailquery.value.Periods;
import dev.trailquery.value.Timestamp;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Evaluates every subscription over one object in one pass: one decompression and one parse with
 * the union of the fields all plans read; each record is then copied into each plan's row layout,
 * run through that plan's record steps and added to the partial state of the subscription's bin.
 */
public final class MultiScan {
  /** A subscription with its compiled plan and bin. */
  public record Target(Subscription sub, Plan plan, Periods bin) {
    public static Target of(Subscription s) {
      return new Target(s, s.plan(), s.period());
    }
  }

  /**
   * What one object gave: the reader's result, the newest event time, and per UTC day (of the bin
   * start) the bundle to store.
   */
  public record Outcome(ObjectResult result, long maxEventMillis, SortedMap<String, Bundle> days) {}

  private final List<Target> targets;
  private final CloudTrailReader reader;
  private final int[][] from;
  private final int[][] to;
  private final List<Periods> periods;
  private final List<String> periodNames;
  private final int[] periodOf;

  public MultiScan(List<Target> targets, long maxDecodedBytes) {
    this.targets = List.copyOf(targets);
    LinkedHashMap<String, Integer> union = new LinkedHashMap<>();
    boolean message = false;
    from = new int[targets.size()][];
    to = new int[targets.size()][];
    Map<String, Periods> bins = new LinkedHashMap<>();
    for (int t = 0; t < targets.size(); t++) {
      ReadRequest r = targets.get(t).plan().read();
      message |= r.needMessage();
      from[t] = new int[r.paths().size()];
      to[t] = new int[r.paths().size()];
      for (int i = 0; i < r.paths().size(); i++) {
        String path = r.paths().get(i);
        Integer u = union.get(path);
        if (u == null) {
          u = union.size();
          union.put(path, u);
        }
        from[t][i] = u;
        to[t][i] = r.slots()[i];
      }
      bins.putIfAbsent(targets.get(t).sub().bin(), targets.get(t).bin());
    }
    int[] slots = new int[union.size()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = i;
    }
    ReadRequest request =
        new ReadRequest(new ArrayList<>(union.keySet()), slots, Math.max(1, slots.length), message);
    reader = new CloudTrailReader(request, maxDecodedBytes);
    periodNames = List.copyOf(bins.keySet());
    periods = List.copyOf(bins.values());
    periodOf = new int[targets.size()];
    for (int t = 0; t < periodOf.length; t++) {
      periodOf[t] = periodNames.indexOf(targets.get(t).sub().bin());
    }
  }

  public List<Target> targets() {
    return targets;
  }

  /** The union of the fields every plan reads (what the reader materialises). */
  public List<String> paths() {
    return reader.request().paths();
  }

  /**
   * Reads one object. Partial states are built for every record; the caller stores them only when
   * the result is OK (an object counts entirely or not at all).
   */
  public Outcome scan(InputStream in, String bucket, String key) {
    int n = targets.size();
    @SuppressWarnings("unchecked")
    Map<Long, PartialState>[] states = new Map[n];
    RowOp[][] ops = new RowOp[n][];
    for (int t = 0; t < n; t++) {
      states[t] = new HashMap<>();
      ops[t] = targets.get(t).plan().recordOps().toArray(RowOp[]::new);
    }
    @SuppressWarnings("unchecked")
    Map<Long, long[]>[] hist = new Map[periods.size()];
    for (int p = 0; p < hist.length; p++) {
      hist[p] = new HashMap<>();
    }
    long[] maxTs = {Long.MIN_VALUE};
    long[] binStarts = new long[periods.size()];
    ObjectResult result =
        reader.read(
            in,
            key,
            (urow, ts, message, index) -> {
              if (ts > maxTs[0]) {
                maxTs[0] = ts;
              }
              for (int p = 0; p < binStarts.length; p++) {
                binStarts[p] = ts == Long.MIN_VALUE ? 0 : periods.get(p).floor(ts);
                hist[p].computeIfAbsent(binStarts[p], k -> new long[1])[0]++;
              }
              Timestamp stamp = ts == Long.MIN_VALUE ? null : new Timestamp(ts);
              for (int t = 0; t < n; t++) {
                Plan plan = targets.get(t).plan();
                Object[] row = new Object[plan.read().rowWidth()];
                int[] f = from[t];
                int[] d = to[t];
                for (int i = 0; i < f.length; i++) {
                  row[d[i]] = urow[f[i]];
                }
                Plan.SystemSlots s = plan.slots();
                row[s.timestamp()] = stamp;
                if (s.message() >= 0) {
                  row[s.message()] = message;
                }
                row[s.logStream()] = key;
                row[s.log()] = bucket;
                row[s.index()] = index;
                if (s.ptr() >= 0) {
                  row[s.ptr()] = Scan.pointer(bucket, key, index);
                }
                long bin = binStarts[periodOf[t]];
                Map<Long, PartialState> byBin = states[t];
                // unnest may make several rows of one record (Pipeline numbers them)
                Pipeline.run(
                    ops[t],
                    row,
                    s.element(),
                    r -> byBin.computeIfAbsent(bin, k -> new PartialState(plan)).accept(r));
              }
              return true;
            });
    SortedMap<String, Bundle> days = new TreeMap<>();
    if (result.status() == ObjectResult.Status.OK
        || result.status() == ObjectResult.Status.OVERSIZED_RECORDS) {
      for (int p = 0; p < periods.size(); p++) {
        for (Map.Entry<Long, long[]> e : hist[p].entrySet()) {
          Bundle b = days.computeIfAbsent(day(e.getKey()), k -> new Bundle());
          b.histograms
              .computeIfAbsent(periodNames.get(p), k -> new TreeMap<>())
              .put(e.getKey(), e.getValue()[0]);
          if (p == 0) {
            b.records += e.getValue()[0];
          }
        }
      }
      for (Bundle b : days.values()) {
        b.bytes = result.bytesDecoded();
        for (Target t : targets) {
          b.states.put(t.sub().id(), new TreeMap<>());
        }
      }
      for (int t = 0; t < n; t++) {
        for (Map.Entry<Long, PartialState> e : states[t].entrySet()) {
          Bundle b = days.computeIfAbsent(day(e.getKey()), k -> new Bundle());
          b.states.get(targets.get(t).sub().id()).put(e.getKey(), e.getValue().toBytes());
        }
      }
    }
    return new Outcome(result, maxTs[0], days);
  }

  /** The UTC day ({@code yyyy-MM-dd}) of an instant. */
  public static String day(long millis) {
    return dev.trailquery.functions.store.ResultStore.day(millis);
  }
}
