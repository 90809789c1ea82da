package dev.trailquery.agg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.eval.Evaluator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * countFrequent's state: any split of the input, each part serialised and restored, merged in any
 * order, gives the counts of one pass; exact while the distinct combinations fit, within the
 * documented bound beyond. Expected counts come from a plain HashMap count of the same stream.
 */
class FrequentItemsTest {
  static final FrequentItems F = new FrequentItems(1);
  static final Evaluator[] KEY = {row -> row[0]};

  static List<Object> stream(Random rnd, int n, int distinct) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // skewed: a few heavy values and a long tail
      int v = rnd.nextDouble() < 0.3 ? rnd.nextInt(5) : rnd.nextInt(distinct);
      out.add(rnd.nextInt(7) == 0 ? (Object) (double) v : "v" + v);
    }
    return out;
  }

  static Accumulator splitAndMerge(List<Object> values, Random rnd, int parts) throws IOException {
    List<Accumulator> accs = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      accs.add(F.create());
    }
    for (Object v : values) {
      accs.get(rnd.nextInt(parts)).add(FrequentItems.key(KEY, new Object[] {v}), Long.MIN_VALUE);
    }
    List<Accumulator> restored = new ArrayList<>();
    for (Accumulator a : accs) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      a.write(new DataOutputStream(bytes));
      restored.add(F.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    }
    Collections.shuffle(restored, rnd);
    Accumulator merged = F.create();
    for (Accumulator a : restored) {
      merged.merge(a);
    }
    return merged;
  }

  static Map<String, Long> truth(List<Object> values) {
    Map<String, Long> m = new HashMap<>();
    for (Object v : values) {
      m.merge(dev.trailquery.value.Values.toText(v), 1L, Long::sum);
    }
    return m;
  }

  static Map<String, Long> counts(FrequentItems.Rows rows) {
    Map<String, Long> m = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      m.put((String) rows.key(i)[0], rows.count(i));
    }
    return m;
  }

  @Test
  void exactForAnySplitWhileTheDistinctValuesFit() throws IOException {
    Random rnd = new Random(12);
    for (int round = 0; round < 20; round++) {
      List<Object> values = stream(rnd, 5_000, 1 + rnd.nextInt(FrequentItems.EXACT_ITEMS));
      FrequentItems.Rows rows =
          (FrequentItems.Rows) splitAndMerge(values, rnd, 1 + rnd.nextInt(8)).result();
      assertThat(rows.maximumError()).isZero();
      assertThat(counts(rows)).isEqualTo(truth(values));
      for (int i = 1; i < rows.size(); i++) {
        assertThat(rows.count(i)).isLessThanOrEqualTo(rows.count(i - 1));
      }
    }
  }

  @Test
  void withinTheBoundBeyondIt() throws IOException {
    Random rnd = new Random(7);
    for (int round = 0; round < 3; round++) {
      int n = 60_000;
      List<Object> values = stream(rnd, n, 40_000);
      FrequentItems.Rows rows =
          (FrequentItems.Rows) splitAndMerge(values, rnd, 1 + rnd.nextInt(8)).result();
      Map<String, Long> truth = truth(values);
      double bound = 3.5 / FrequentItems.MAX_MAP_SIZE * n;
      assertThat((double) rows.maximumError()).isLessThanOrEqualTo(bound);
      Map<String, Long> got = counts(rows);
      for (Map.Entry<String, Long> e : got.entrySet()) {
        long t = truth.get(e.getKey());
        assertThat(e.getValue()).isBetween(t, t + rows.maximumError());
      }
      // no false negatives: everything above the error is reported
      for (Map.Entry<String, Long> e : truth.entrySet()) {
        if (e.getValue() > rows.maximumError()) {
          assertThat(got).containsKey(e.getKey());
        }
      }
    }
  }

  @Test
  void combinationsOfSeveralFieldsRoundTrip() {
    Object[] key = {
      "a:b",
      null,
      dev.trailquery.value.Values.bool(true),
      new dev.trailquery.value.Timestamp(5),
      3.0
    };
    Evaluator[] fields = new Evaluator[key.length];
    for (int i = 0; i < key.length; i++) {
      int k = i;
      fields[i] = row -> row[k];
    }
    Object[] back = FrequentItems.decode(FrequentItems.key(fields, key), key.length);
    assertThat(back)
        .containsExactly("a:b", null, Boolean.TRUE, new dev.trailquery.value.Timestamp(5), "3");
  }
}
