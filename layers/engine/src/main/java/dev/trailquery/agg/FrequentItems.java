package dev.trailquery.agg;

import dev.trailquery.eval.Evaluator;
import dev.trailquery.exec.GroupKey;
import dev.trailquery.value.Timestamp;
import dev.trailquery.value.ValueCodec;
import dev.trailquery.value.Values;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.FrequentItemsSketch;

/**
 * The state of {@code countFrequent f1, f2, ...}: how often each combination of the fields' values
 * occurs, in a frequent-items sketch (DataSketches' {@link FrequentItemsSketch}, a Misra-Gries /
 * SpaceSaving summary with a hash map of at most {@link #MAX_MAP_SIZE} entries).
 *
 * <ul>
 *   <li>Exact while the input has at most {@link #EXACT_ITEMS} distinct combinations (the map never
 *       purges): every count is the true count, for any split of the input.
 *   <li>Beyond that, each reported count is an upper bound, at most {@code ε·N} above the true
 *       count, where {@code N} is the number of rows counted and {@code ε = 3.5 / MAX_MAP_SIZE}
 *       (0.043%); every combination whose true count exceeds {@code ε·N} is reported (no false
 *       negatives). Merging parts keeps the same bound over the whole.
 * </ul>
 *
 * Image (after {@link StateIO}'s header): the number of fields (varint), then the sketch's own
 * serialization (length-prefixed; empty sketch: length 0).
 */
public final class FrequentItems implements AggregateFunction {
  /** The output column of the counts, as Logs Insights names it. */
  public static final String COUNT_FIELD = "_approxcount";

  /** The sketch's largest map (a power of two). */
  public static final int MAX_MAP_SIZE = 8192;

  /** Distinct combinations counted exactly (the map's load factor is 3/4). */
  public static final int EXACT_ITEMS = MAX_MAP_SIZE * 3 / 4;

  private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();
  private static final int MAX_IMAGE_BYTES = 64 << 20;

  private final int fields;

  public FrequentItems(int fields) {
    this.fields = fields;
  }

  @Override
  public String name() {
    return Kind.FREQUENT.canonical;
  }

  @Override
  public Accumulator create() {
    return new Acc(fields);
  }

  @Override
  public Accumulator read(DataInput in) throws IOException {
    StateIO.readHeader(in, Kind.FREQUENT);
    int n = (int) StateIO.readCount(in, 1, 1000, "countFrequent field count");
    if (n != fields) {
      throw new IOException("countFrequent state of " + n + " fields, expected " + fields);
    }
    int length = (int) StateIO.readCount(in, 0, MAX_IMAGE_BYTES, "sketch length");
    Acc acc = new Acc(fields);
    if (length > 0) {
      byte[] bytes = ValueCodec.readBytes(in, length);
      try {
        acc.sketch = FrequentItemsSketch.getInstance(MemorySegment.ofArray(bytes), SERDE);
      } catch (RuntimeException e) {
        throw new IOException("corrupt countFrequent sketch: " + e.getMessage(), e);
      }
    }
    return acc;
  }

  /**
   * One row's combination as the sketch's item: each field's value as it groups ({@link
   * GroupKey#canonical}), typed and length-prefixed, so that distinct combinations never collide.
   */
  public static String key(Evaluator[] fields, Object[] row) {
    StringBuilder sb = new StringBuilder();
    for (Evaluator f : fields) {
      Object v = GroupKey.canonical(f.eval(row));
      switch (v) {
        case null -> sb.append('n');
        case Timestamp t -> sb.append('t').append(t.millis()).append(';');
        case Boolean b -> sb.append(b ? "b1" : "b0");
        default -> {
          String s = Values.toText(v);
          sb.append('s').append(s.length()).append(':').append(s);
        }
      }
    }
    return sb.toString();
  }

  /** The values of a combination written by {@link #key}. */
  static Object[] decode(String key, int fields) {
    Object[] out = new Object[fields];
    int p = 0;
    for (int i = 0; i < fields; i++) {
      char c = key.charAt(p++);
      switch (c) {
        case 'n' -> out[i] = null;
        case 't' -> {
          int end = key.indexOf(';', p);
          out[i] = new Timestamp(Long.parseLong(key.substring(p, end)));
          p = end + 1;
        }
        case 'b' -> out[i] = Values.bool(key.charAt(p++) == '1');
        default -> {
          int colon = key.indexOf(':', p);
          int len = Integer.parseInt(key.substring(p, colon));
          out[i] = key.substring(colon + 1, colon + 1 + len);
          p = colon + 1 + len;
        }
      }
    }
    return out;
  }

  /** The result: combinations with their counts, highest count first (ties: by the values). */
  public static final class Rows {
    private final List<Object[]> keys;
    private final long[] counts;
    private final long maximumError;

    Rows(List<Object[]> keys, long[] counts, long maximumError) {
      this.keys = keys;
      this.counts = counts;
      this.maximumError = maximumError;
    }

    public int size() {
      return keys.size();
    }

    public Object[] key(int i) {
      return keys.get(i);
    }

    public long count(int i) {
      return counts[i];
    }

    /** How far above the true count any reported count may be (0: every count is exact). */
    public long maximumError() {
      return maximumError;
    }
  }

  static final class Acc implements Accumulator {
    private final int fields;
    private FrequentItemsSketch<String> sketch;

    Acc(int fields) {
      this.fields = fields;
    }

    private FrequentItemsSketch<String> sketch() {
      if (sketch == null) {
        sketch = new FrequentItemsSketch<>(MAX_MAP_SIZE);
      }
      return sketch;
    }

    @Override
    public void add(Object value, long timestampMillis) {
      sketch().update((String) value);
    }

    @Override
    public void merge(Accumulator other) {
      Acc o = StateIO.same(Acc.class, this, other);
      if (o.sketch != null && !o.sketch.isEmpty()) {
        sketch().merge(o.sketch);
      }
    }

    @Override
    public Object result() {
      if (sketch == null || sketch.isEmpty()) {
        return new Rows(List.of(), new long[0], 0);
      }
      FrequentItemsSketch.Row<String>[] found =
          sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES);
      record Item(Object[] key, long count) {}
      List<Item> items = new ArrayList<>(found.length);
      for (FrequentItemsSketch.Row<String> r : found) {
        items.add(new Item(decode(r.getItem(), fields), r.getEstimate()));
      }
      Comparator<Object[]> byValues =
          (a, b) -> {
            for (int i = 0; i < a.length; i++) {
              int c = compareNullsLast(a[i], b[i]);
              if (c != 0) {
                return c;
              }
            }
            return 0;
          };
      items.sort(
          Comparator.comparingLong(Item::count).reversed().thenComparing(Item::key, byValues));
      List<Object[]> keys = new ArrayList<>(items.size());
      long[] counts = new long[items.size()];
      for (int i = 0; i < items.size(); i++) {
        keys.add(items.get(i).key());
        counts[i] = items.get(i).count();
      }
      return new Rows(keys, counts, sketch.getMaximumError());
    }

    private static int compareNullsLast(Object a, Object b) {
      if (a == null || b == null) {
        return a == b ? 0 : a == null ? 1 : -1;
      }
      return ValueOrder.compare(a, b);
    }

    @Override
    public void write(DataOutput out) throws IOException {
      StateIO.writeHeader(out, Kind.FREQUENT);
      ValueCodec.writeVarLong(out, fields);
      if (sketch == null || sketch.isEmpty()) {
        ValueCodec.writeVarLong(out, 0);
        return;
      }
      byte[] bytes = sketch.toByteArray(SERDE);
      ValueCodec.writeVarLong(out, bytes.length);
      out.write(bytes);
    }

    @Override
    public long sizeBytes() {
      return sketch == null ? 32 : 64L * sketch.getCurrentMapCapacity() + 64;
    }

    @Override
    public String toString() {
      return "countFrequent" + Arrays.toString(new Object[] {sketch});
    }
  }
}
