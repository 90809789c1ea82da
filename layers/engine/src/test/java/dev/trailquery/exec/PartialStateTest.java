package dev.trailquery.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.Trailquery;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.read.ObjectResult.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * A partial state's bookkeeping (statistics, skipped objects, seen paths) through {@code
 * objectRead}, {@code merge} and its image, and the image's refusals; every number is counted by
 * hand from the objects fed in.
 */
class PartialStateTest {
  static final Plan AGG =
      Trailquery.compile("stats count(*) by eventName", Planner.Options.defaults());
  static final Plan TOP =
      Trailquery.compile("fields eventName | limit 3", Planner.Options.defaults());

  static ObjectResult ok(long records, long read, long decoded, int... seen) {
    BitSet b = new BitSet();
    for (int i : seen) {
      b.set(i);
    }
    return new ObjectResult(Status.OK, records, read, decoded, b, null);
  }

  static ObjectResult skip(Status status, long records, String error) {
    return new ObjectResult(status, records, 7, 11, null, error);
  }

  @Test
  void objectsReadAddUpAndSkippedOnesAreListed() throws IOException {
    PartialState s = new PartialState(AGG);
    s.objectRead("a.json", ok(3, 100, 400, 0));
    s.objectRead("b.json", skip(Status.CORRUPT, 1, "cut"));
    s.objectRead("c.json", ok(2, 50, 200, 2));
    // records 3+1+2, bytes read 100+7+50, decoded 400+11+200, 2 objects read, 1 skipped
    assertThat(s.statistics()).isEqualTo(new Statistics(6, 0, 611, 157, 2, 1));
    assertThat(s.skipped()).containsExactly(new SkippedObject("b.json", Status.CORRUPT, 1, "cut"));
    assertThat(s.seenPaths()).isEqualTo(BitSet.valueOf(new long[] {0b101}));
    PartialState back = PartialState.fromBytes(AGG, s.toBytes());
    assertThat(back.statistics()).isEqualTo(s.statistics());
    assertThat(back.skipped()).isEqualTo(s.skipped());
    assertThat(back.seenPaths()).isEqualTo(s.seenPaths());
  }

  @Test
  void aThousandSkippedObjectsAreListedTheRestOnlyCounted() throws IOException {
    PartialState a = new PartialState(TOP);
    for (int i = 0; i < 1001; i++) {
      a.objectRead("x" + i, skip(Status.FOREIGN, 0, null));
    }
    assertThat(a.skipped()).hasSize(PartialState.MAX_LISTED_SKIPS).hasSize(1000);
    assertThat(a.skipped().getLast().key()).isEqualTo("x999");
    assertThat(a.statistics().objectsSkipped()).isEqualTo(1001);
    // an image with the full list reads back
    assertThat(PartialState.fromBytes(TOP, a.toBytes()).skipped()).hasSize(1000);

    PartialState b = new PartialState(TOP);
    PartialState c = new PartialState(TOP);
    for (int i = 0; i < 600; i++) {
      b.objectRead("b" + i, skip(Status.EMPTY, 0, null));
      c.objectRead("c" + i, skip(Status.DIGEST, 0, null));
    }
    b.merge(c);
    assertThat(b.skipped()).hasSize(1000);
    assertThat(b.skipped().get(600).key()).isEqualTo("c0");
    assertThat(b.statistics().objectsSkipped()).isEqualTo(1200);
    assertThat(c.skipped()).hasSize(600); // the merged-in state is unchanged
  }

  @Test
  void mergeAddsEveryCounter() {
    PartialState a = new PartialState(AGG);
    PartialState b = new PartialState(AGG);
    a.objectRead("a", ok(1, 10, 100, 1));
    b.objectRead("b", ok(2, 20, 200, 3));
    b.objectRead("c", skip(Status.TOO_LARGE, 4, "big"));
    a.merge(b);
    assertThat(a.statistics()).isEqualTo(new Statistics(7, 0, 311, 37, 2, 1));
    assertThat(a.seenPaths()).isEqualTo(BitSet.valueOf(new long[] {0b1010}));
    assertThat(a.skipped()).containsExactly(new SkippedObject("c", Status.TOO_LARGE, 4, "big"));
  }

  @Test
  void statesOfDifferentPlansDoNotMerge() {
    assertThatThrownBy(() -> new PartialState(AGG).merge(new PartialState(TOP)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different plans");
  }

  static IOException refused(Plan plan, byte[] image) {
    try {
      PartialState.fromBytes(plan, image);
    } catch (IOException e) {
      return e;
    }
    throw new AssertionError("accepted " + Arrays.toString(image));
  }

  @Test
  void imagesThatAreNotThisPlansStateAreRefused() {
    byte[] good = new PartialState(AGG).toBytes();
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertThat(refused(AGG, magic)).hasMessageContaining("bad magic");
    byte[] version = good.clone();
    version[4] = 2;
    assertThat(refused(AGG, version))
        .hasMessage("partial state version 2 not recognized, expected 1");
    assertThat(refused(TOP, good)).hasMessageContaining("another query");
    byte[] kind = good.clone();
    kind[13] = 2; // magic 4, version 1, fingerprint 8: the kind byte
    assertThat(refused(AGG, kind)).hasMessage("partial state kind 2, expected 1");
    byte[] longer = Arrays.copyOf(good, good.length + 2);
    assertThat(refused(AGG, longer)).hasMessage("2 unexpected bytes after the partial state");
  }

  @Test
  void anUnknownObjectStatusIsRefused() throws IOException {
    PartialState s = new PartialState(TOP);
    s.objectRead("KEY", skip(Status.CORRUPT, 0, null));
    byte[] image = s.toBytes();
    int at = indexOf(image, "KEY".getBytes(StandardCharsets.UTF_8)) + 3; // the status byte
    assertThat(image[at]).isEqualTo((byte) Status.CORRUPT.ordinal());
    int statuses = Status.values().length;
    image[at] = (byte) (statuses - 1); // the last status is still one
    assertThat(PartialState.fromBytes(TOP, image).skipped().getFirst().status())
        .isEqualTo(Status.values()[statuses - 1]);
    image[at] = (byte) statuses;
    assertThat(refused(TOP, image)).hasMessage("unknown object status " + statuses);
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
