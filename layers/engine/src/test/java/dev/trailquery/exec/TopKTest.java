package dev.trailquery.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TopK} on rows {@code [rank, key, tag]} ordered by rank alone, so that ties are possible
 * and the tag shows which of two tied rows was kept. Expected rows are worked out by hand in each
 * test.
 */
class TopKTest {
  static final Comparator<Object[]> BY_RANK = Comparator.comparingInt(r -> (Integer) r[0]);

  static Object[] row(int rank, String key, String tag) {
    return new Object[] {rank, key, tag};
  }

  static List<String> tags(TopK top) {
    return top.rows().stream().map(r -> (String) r[2]).toList();
  }

  static TopK of(int[] dedup, long k, Object[]... rows) {
    TopK top = new TopK(BY_RANK, dedup, k);
    for (Object[] r : rows) {
      top.offer(r);
    }
    return top;
  }

  @Test
  void keepsTheKBestInOrder() {
    TopK top = of(null, 2, row(5, "", "e"), row(3, "", "c"), row(9, "", "i"), row(1, "", "a"));
    assertThat(tags(top)).containsExactly("a", "c");
    assertThat(top.size()).isEqualTo(2);
    assertThat(tags(of(null, 3, row(2, "", "b")))).containsExactly("b");
  }

  @Test
  void aLimitOfZeroKeepsNothing() {
    assertThat(of(null, 0, row(1, "", "a")).size()).isZero();
    assertThat(of(new int[] {1}, 0, row(1, "k", "a")).size()).isZero();
  }

  @Test
  void aTieWithTheWorstKeptRowKeepsTheFirst() {
    assertThat(tags(of(null, 1, row(1, "", "first"), row(1, "", "second"))))
        .containsExactly("first");
    assertThat(tags(of(new int[] {1}, 1, row(1, "a", "first"), row(1, "b", "second"))))
        .containsExactly("first");
  }

  @Test
  void dedupKeepsTheBestRowPerKey() {
    // (5,A) in; (3,A) beats it; (4,B) in: {3A,4B}; (1,C) in, 4B out: {1C,3A}; (2,B) in (B's row
    // was dropped), 3A out: {1C,2B}; (6,C) is worse than C's 1: ignored
    TopK top =
        of(
            new int[] {1},
            2,
            row(5, "A", "5A"),
            row(3, "A", "3A"),
            row(4, "B", "4B"),
            row(1, "C", "1C"),
            row(2, "B", "2B"),
            row(6, "C", "6C"));
    assertThat(tags(top)).containsExactly("1C", "2B");
  }

  @Test
  void aTieWithinAKeyKeepsTheFirstAndAWorseRowNeverReplacesIt() {
    TopK top = of(new int[] {1}, 5, row(3, "A", "first"), row(3, "A", "second"), row(4, "A", "x"));
    assertThat(tags(top)).containsExactly("first");
  }

  @Test
  void rowsWithoutAKeyAreNeverDeduped() {
    TopK top = of(new int[] {1}, 5, row(1, null, "n1"), row(2, null, "n2"), row(3, "A", "a3"));
    assertThat(tags(top)).containsExactly("n1", "n2", "a3");
  }

  @Test
  void aKeyWhoseRowWasPushedOutCanComeBack() {
    // k=1: (2,A) in; (1,B) pushes it out; (3,A) is worse than the kept 1B: ignored; the A entry
    // must not block a better A later: (0,A) wins
    TopK top = of(new int[] {1}, 1, row(2, "A", "2A"), row(1, "B", "1B"), row(3, "A", "3A"));
    assertThat(tags(top)).containsExactly("1B");
    top.offer(row(0, "A", "0A"));
    assertThat(tags(top)).containsExactly("0A");
    assertThat(top.size()).isEqualTo(1);
  }

  @Test
  void theTopOfAUnionIsTheTopOfThePartsTops() {
    int[] dedup = {1};
    TopK a = of(dedup, 2, row(4, "A", "4A"), row(6, "B", "6B"), row(1, "C", "1C"));
    TopK b = of(dedup, 2, row(2, "A", "2A"), row(5, "D", "5D"), row(3, "E", "3E"));
    a.merge(b);
    // all rows: best per key A2 B6 C1 D5 E3 -> 1C, 2A
    assertThat(tags(a)).containsExactly("1C", "2A");
    assertThat(tags(b)).containsExactly("2A", "3E"); // b unchanged
    TopK c = of(null, 3, row(4, "", "4"), row(6, "", "6"));
    c.merge(of(null, 3, row(5, "", "5"), row(1, "", "1")));
    assertThat(tags(c)).containsExactly("1", "4", "5");
  }

  @Test
  void rowsAreTheCallersOwnCopy() {
    TopK top = of(null, 3, row(2, "", "b"), row(1, "", "a"));
    List<Object[]> rows = top.rows();
    rows.clear();
    assertThat(Arrays.asList(top.rows().getFirst())).containsExactly(1, "", "a");
  }
}
