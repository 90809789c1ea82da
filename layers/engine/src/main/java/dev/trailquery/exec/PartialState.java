package dev.trailquery.exec;

import dev.trailquery.agg.Accumulator;
import dev.trailquery.agg.BoundAggregate;
import dev.trailquery.plan.Order;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.StatsSpec;
import dev.trailquery.plan.Terminal;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.value.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one part of the input contributes to a query's result: statistics, and either the groups of
 * the first {@code stats} with their accumulators, or the top rows. Any two states of the same plan
 * {@link #merge}; the merged state of all parts finishes into the same result as one pass.
 *
 * <p>Image layout ({@link #toBytes}), big-endian:
 *
 * <pre>
 * +--------+--------+---------------+------+-------------------------------------------+
 * | "TQPS" | ver=1  | plan fp (i64) | kind | statistics (6 varints), seen paths bitset, |
 * | 4 B    | 1 B    | 8 B           | 1 B  | skipped objects, then the kind's payload   |
 * +--------+--------+---------------+------+-------------------------------------------+
 * kind 1 (aggregate): group count, then per group: key values, one accumulator image each
 * kind 2 (top rows):  row count, row width, then per row: its values
 * </pre>
 */
public final class PartialState {
  /** Skipped objects listed by name; beyond this only counted. */
  public static final int MAX_LISTED_SKIPS = 1000;

  /** Groups one state may hold before the query fails: bounds memory. */
  public static final int MAX_GROUPS = 2_000_000;

  private static final byte[] MAGIC = {'T', 'Q', 'P', 'S'};
  private static final int VERSION = 1;
  private static final int KIND_AGGREGATE = 1;
  private static final int KIND_TOP = 2;

  private final Plan plan;
  private final StatsSpec stats;
  private final Map<GroupKey, Accumulator[]> groups;
  private final TopK top;

  long recordsScanned;
  long recordsMatched;
  long bytesScanned;
  long bytesRead;
  long objectsScanned;
  long objectsSkipped;
  final BitSet seenPaths = new BitSet();
  final List<SkippedObject> skipped = new ArrayList<>();

  public PartialState(Plan plan) {
    this.plan = plan;
    switch (plan.terminal()) {
      case Terminal.Aggregate a -> {
        stats = a.spec();
        groups = new HashMap<>();
        top = null;
      }
      case Terminal.TopK t -> {
        stats = null;
        groups = null;
        top = new TopK(rowOrder(plan, t.order()), t.dedupSlots(), t.k());
      }
    }
  }

  /** The terminal's order, then the record's identity, so ties never depend on the split. */
  static Comparator<Object[]> rowOrder(Plan plan, Order order) {
    int stream = plan.slots().logStream();
    int log = plan.slots().log();
    int index = plan.slots().index();
    int element = plan.slots().element();
    Comparator<Object[]> c =
        order
            .thenComparing(r -> (String) r[log], Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(
                r -> (String) r[stream], Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(r -> r[index] == null ? -1 : ((Number) r[index]).intValue());
    if (element >= 0) {
      // rows unnest made of one record, in element order
      c = c.thenComparingInt(r -> r[element] == null ? -1 : ((Number) r[element]).intValue());
    }
    return c;
  }

  public Plan plan() {
    return plan;
  }

  /** Feeds one row that passed the record steps. */
  public void accept(Object[] row) {
    recordsMatched++;
    if (top != null) {
      top.offer(row);
      return;
    }
    Object[] key = new Object[stats.groupBy().length];
    for (int i = 0; i < key.length; i++) {
      key[i] = GroupKey.canonical(stats.groupBy()[i].eval(row));
    }
    GroupKey gk = new GroupKey(key);
    Accumulator[] accs = groups.get(gk);
    if (accs == null) {
      if (groups.size() >= MAX_GROUPS) {
        throw new TooManyGroupsException(MAX_GROUPS);
      }
      accs = newAccumulators();
      groups.put(gk, accs);
    }
    int tsSlot = stats.inputTimestampSlot();
    long ts =
        tsSlot >= 0 && row[tsSlot] instanceof dev.trailquery.value.Timestamp t
            ? t.millis()
            : Long.MIN_VALUE;
    for (int i = 0; i < accs.length; i++) {
      var arg = stats.aggregateArgs()[i];
      accs[i].add(arg == null ? Boolean.TRUE : arg.eval(row), ts);
    }
  }

  private Accumulator[] newAccumulators() {
    BoundAggregate[] aggs = stats.aggregates();
    Accumulator[] accs = new Accumulator[aggs.length];
    for (int i = 0; i < aggs.length; i++) {
      accs[i] = aggs[i].function().create();
    }
    return accs;
  }

  /** Records what reading one object gave. */
  public void objectRead(String key, ObjectResult result) {
    recordsScanned += result.records();
    bytesScanned += result.bytesDecoded();
    bytesRead += result.bytesRead();
    if (result.seenPaths() != null) {
      seenPaths.or(result.seenPaths());
    }
    if (result.status() == ObjectResult.Status.OK) {
      objectsScanned++;
    } else {
      objectsSkipped++;
      if (skipped.size() < MAX_LISTED_SKIPS) {
        skipped.add(new SkippedObject(key, result.status(), result.records(), result.error()));
      }
    }
  }

  /** Merges another state of the same plan into this one; {@code other} is not changed. */
  public void merge(PartialState other) {
    if (other.plan.fingerprint() != plan.fingerprint()) {
      throw new IllegalArgumentException("partial states of different plans cannot merge");
    }
    recordsScanned += other.recordsScanned;
    recordsMatched += other.recordsMatched;
    bytesScanned += other.bytesScanned;
    bytesRead += other.bytesRead;
    objectsScanned += other.objectsScanned;
    objectsSkipped += other.objectsSkipped;
    seenPaths.or(other.seenPaths);
    for (SkippedObject s : other.skipped) {
      if (skipped.size() < MAX_LISTED_SKIPS) {
        skipped.add(s);
      }
    }
    if (top != null) {
      top.merge(other.top);
      return;
    }
    for (Map.Entry<GroupKey, Accumulator[]> e : other.groups.entrySet()) {
      Accumulator[] mine = groups.get(e.getKey());
      if (mine == null) {
        if (groups.size() >= MAX_GROUPS) {
          throw new TooManyGroupsException(MAX_GROUPS);
        }
        mine = newAccumulators();
        groups.put(e.getKey(), mine);
      }
      for (int i = 0; i < mine.length; i++) {
        mine[i].merge(e.getValue()[i]);
      }
    }
  }

  public Statistics statistics() {
    return new Statistics(
        recordsScanned, recordsMatched, bytesScanned, bytesRead, objectsScanned, objectsSkipped);
  }

  public List<SkippedObject> skipped() {
    return Collections.unmodifiableList(skipped);
  }

  public BitSet seenPaths() {
    return (BitSet) seenPaths.clone();
  }

  Map<GroupKey, Accumulator[]> groups() {
    return groups;
  }

  StatsSpec stats() {
    return stats;
  }

  List<Object[]> topRows() {
    return top.rows();
  }

  // ---- serialization ----

  /** A compact, versioned image of this state (see the class comment for the layout). */
  public byte[] toBytes() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeByte(VERSION);
      out.writeLong(plan.fingerprint());
      out.writeByte(top != null ? KIND_TOP : KIND_AGGREGATE);
      for (long v :
          new long[] {
            recordsScanned, recordsMatched, bytesScanned, bytesRead, objectsScanned, objectsSkipped
          }) {
        ValueCodec.writeVarLong(out, v);
      }
      byte[] seen = seenPaths.toByteArray();
      ValueCodec.writeVarLong(out, seen.length);
      out.write(seen);
      ValueCodec.writeVarLong(out, skipped.size());
      for (SkippedObject s : skipped) {
        ValueCodec.write(out, s.key());
        out.writeByte(s.status().ordinal());
        ValueCodec.writeVarLong(out, s.records());
        ValueCodec.write(out, s.error());
      }
      if (top != null) {
        writeRows(out, top.rows());
      } else {
        writeGroups(out);
      }
      return bytes.toByteArray(); // a DataOutputStream writes through: nothing to flush
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeRows(DataOutput out, List<Object[]> rows) throws IOException {
    int width = plan.read().rowWidth();
    ValueCodec.writeVarLong(out, rows.size());
    ValueCodec.writeVarLong(out, width);
    int index = plan.slots().index();
    for (Object[] row : rows) {
      for (int i = 0; i < width; i++) {
        Object v = row[i];
        if (i == index) {
          v = v == null ? null : ((Number) v).doubleValue();
        }
        ValueCodec.write(out, v);
      }
    }
  }

  private void writeGroups(DataOutput out) throws IOException {
    ValueCodec.writeVarLong(out, groups.size());
    for (Map.Entry<GroupKey, Accumulator[]> e : groups.entrySet()) {
      for (Object v : e.getKey().values()) {
        ValueCodec.write(out, v);
      }
      for (Accumulator a : e.getValue()) {
        a.write(out);
      }
    }
  }

  /**
   * Restores a state written by {@link #toBytes} for the same plan. Rejects images of another plan,
   * another version, or malformed bytes with an {@link IOException} saying what was found.
   */
  public static PartialState fromBytes(Plan plan, byte[] image) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(image));
    byte[] magic = new byte[4];
    in.readFully(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IOException("not a trailquery partial state (bad magic)");
    }
    int version = in.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException(
          "partial state version " + version + " not recognized, expected " + VERSION);
    }
    long fp = in.readLong();
    if (fp != plan.fingerprint()) {
      throw new IOException("partial state belongs to another query (plan fingerprint differs)");
    }
    PartialState s = new PartialState(plan);
    int kind = in.readUnsignedByte();
    int expected = s.top != null ? KIND_TOP : KIND_AGGREGATE;
    if (kind != expected) {
      throw new IOException("partial state kind " + kind + ", expected " + expected);
    }
    s.recordsScanned = ValueCodec.readVarLong(in);
    s.recordsMatched = ValueCodec.readVarLong(in);
    s.bytesScanned = ValueCodec.readVarLong(in);
    s.bytesRead = ValueCodec.readVarLong(in);
    s.objectsScanned = ValueCodec.readVarLong(in);
    s.objectsSkipped = ValueCodec.readVarLong(in);
    byte[] seen = new byte[readCount(in, 1 << 20, "seen-path byte")];
    in.readFully(seen);
    s.seenPaths.or(BitSet.valueOf(seen));
    int nSkipped = readCount(in, MAX_LISTED_SKIPS, "skipped object");
    ObjectResult.Status[] statuses = ObjectResult.Status.values();
    for (int i = 0; i < nSkipped; i++) {
      String key = (String) ValueCodec.read(in);
      int st = in.readUnsignedByte();
      if (st >= statuses.length) {
        throw new IOException("unknown object status " + st);
      }
      long records = ValueCodec.readVarLong(in);
      String error = (String) ValueCodec.read(in);
      s.skipped.add(new SkippedObject(key, statuses[st], records, error));
    }
    if (s.top != null) {
      int n = readCount(in, Integer.MAX_VALUE - 8, "row");
      int width = readCount(in, 1 << 16, "column");
      if (width != plan.read().rowWidth()) {
        throw new IOException("row width " + width + ", expected " + plan.read().rowWidth());
      }
      int index = plan.slots().index();
      for (int r = 0; r < n; r++) {
        Object[] row = new Object[width];
        for (int i = 0; i < width; i++) {
          row[i] = ValueCodec.read(in);
        }
        if (row[index] instanceof Double d) {
          row[index] = d.intValue();
        }
        s.top.offer(row);
      }
    } else {
      int n = readCount(in, MAX_GROUPS, "group");
      int keyWidth = s.stats.groupBy().length;
      BoundAggregate[] aggs = s.stats.aggregates();
      for (int g = 0; g < n; g++) {
        Object[] key = new Object[keyWidth];
        for (int i = 0; i < keyWidth; i++) {
          key[i] = ValueCodec.read(in);
        }
        Accumulator[] accs = new Accumulator[aggs.length];
        for (int i = 0; i < aggs.length; i++) {
          accs[i] = aggs[i].function().read(in);
        }
        s.groups.put(new GroupKey(key), accs);
      }
    }
    if (in.available() > 0) {
      throw new IOException(in.available() + " unexpected bytes after the partial state");
    }
    return s;
  }

  private static int readCount(DataInput in, int max, String what) throws IOException {
    long n = ValueCodec.readVarLong(in);
    if (n < 0 || n > max) {
      throw new IOException(what + " count " + n + " exceeds " + max);
    }
    return (int) n;
  }
}
