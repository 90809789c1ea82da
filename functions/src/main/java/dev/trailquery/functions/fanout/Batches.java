package dev.trailquery.functions.fanout;

import dev.trailquery.store.ObjectRef;
import java.util.ArrayList;
import java.util.List;

/** Splits a query's objects into worker batches by size. */
public final class Batches {
  /** Size assumed for an object whose size is unknown (a CloudTrail object is a few KB). */
  static final long UNKNOWN_SIZE = 4096;

  private Batches() {}

  /**
   * Consecutive runs of {@code refs} (which stay in key order, so a batch reads neighbouring
   * prefixes) of about {@code total / (4 × maxWorkers)} bytes each — enough batches that every
   * worker gets several and a slow one does not hold the query up — bounded by the config's min and
   * max batch bytes and max batch objects.
   */
  public static List<List<ObjectRef>> split(List<ObjectRef> refs, FanoutConfig config) {
    long total = 0;
    for (ObjectRef r : refs) {
      total += size(r);
    }
    long target = (total + 4L * config.maxWorkers() - 1) / (4L * config.maxWorkers());
    target = Math.max(config.minBatchBytes(), Math.min(config.maxBatchBytes(), target));
    List<List<ObjectRef>> out = new ArrayList<>();
    List<ObjectRef> current = new ArrayList<>();
    long bytes = 0;
    for (ObjectRef r : refs) {
      current.add(r);
      bytes += size(r);
      if (bytes >= target || current.size() >= config.maxBatchObjects()) {
        out.add(List.copyOf(current));
        current.clear();
        bytes = 0;
      }
    }
    if (!current.isEmpty()) {
      out.add(List.copyOf(current));
    }
    return out;
  }

  static long size(ObjectRef r) {
    return r.size() < 0 ? UNKNOWN_SIZE : r.size();
  }
}
