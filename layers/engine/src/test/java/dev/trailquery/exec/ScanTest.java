package dev.trailquery.exec;

import static dev.trailquery.exec.QueryFeaturesTest.SOURCE;
import static dev.trailquery.exec.QueryFeaturesTest.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.Trailquery;
import dev.trailquery.plan.Planner;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * {@link Scan} over {@link QueryFeaturesTest}'s five records (10:00, 10:30, 11:00, 11:45, 12:10 in
 * one.json and two.json) and small sources of its own.
 */
class ScanTest {
  static List<Scan.Input> inputs(ObjectSource source) throws IOException {
    List<Scan.Input> in = new ArrayList<>();
    for (ObjectRef r : source.list()) {
      in.add(new Scan.Input(source, r));
    }
    return in;
  }

  static List<String> names(String query, long start, long end, ObjectSource source)
      throws IOException {
    var plan = Trailquery.compile(query, new Planner.Options(start, end, 0, null));
    Result r = Finisher.finish(new Scan(plan).scanAll(inputs(source), 1, Scan.Listener.NONE));
    return r.rows().stream().map(row -> String.valueOf(row[0])).toList();
  }

  static final String NAMES = "fields eventName | sort @timestamp asc";

  @Test
  void theTimeRangeIncludesItsStartAndExcludesItsEnd() throws IOException {
    assertThat(names(NAMES, ts("10:30:00"), ts("11:45:00"), SOURCE))
        .containsExactly("GetObject", "ConsoleLogin");
    assertThat(names(NAMES, ts("11:00:00"), Long.MAX_VALUE, SOURCE))
        .containsExactly("ConsoleLogin", "PutObject", "GetObject");
    assertThat(names(NAMES, Long.MIN_VALUE, ts("10:30:00"), SOURCE))
        .containsExactly("ConsoleLogin");
    assertThat(names(NAMES, Long.MIN_VALUE, Long.MAX_VALUE, SOURCE)).hasSize(5);
  }

  static ObjectSource source(String... objects) {
    return new ObjectSource() {
      @Override
      public List<ObjectRef> list() {
        List<ObjectRef> refs = new ArrayList<>();
        for (int i = 0; i < objects.length; i++) {
          refs.add(new ObjectRef("box", "o" + i, -1));
        }
        return refs;
      }

      @Override
      public InputStream open(ObjectRef ref) throws IOException {
        String text = objects[Integer.parseInt(ref.key().substring(1))];
        if (text == null) {
          throw new IOException("gone");
        }
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public String location() {
        return "box";
      }
    };
  }

  @Test
  void aRecordWithoutTimeIsOutsideEveryBoundedRange() throws IOException {
    ObjectSource s =
        source(
            "{\"eventVersion\":\"1.08\",\"eventName\":\"NoTime\"}\n"
                + "{\"eventVersion\":\"1.08\",\"eventName\":\"Timed\",\"eventTime\":\"2026-01-01T10:00:00Z\"}\n");
    assertThat(names("fields eventName", Long.MIN_VALUE, Long.MAX_VALUE, s))
        .containsExactlyInAnyOrder("NoTime", "Timed");
    assertThat(names("fields eventName", 0, Long.MAX_VALUE, s)).containsExactly("Timed");
    assertThat(names("fields eventName", Long.MIN_VALUE, ts("11:00:00"), s))
        .containsExactly("Timed");
  }

  @Test
  void anObjectThatCannotBeOpenedIsSkippedWithItsError() throws IOException {
    ObjectSource s =
        source(
            "{\"eventVersion\":\"1.08\",\"eventName\":\"A\",\"eventTime\":\"2026-01-01T10:00:00Z\"}",
            null);
    var plan = Trailquery.compile("stats count(*)", Planner.Options.defaults());
    List<String> done = Collections.synchronizedList(new ArrayList<>());
    PartialState state =
        new Scan(plan)
            .scanAll(inputs(s), 4, (ref, result) -> done.add(ref.key() + " " + result.status()));
    assertThat(done).containsExactlyInAnyOrder("o0 OK", "o1 CORRUPT");
    assertThat(state.statistics().objectsScanned()).isEqualTo(1);
    assertThat(state.statistics().objectsSkipped()).isEqualTo(1);
    assertThat(state.skipped()).hasSize(1);
    assertThat(state.skipped().getFirst().status()).isEqualTo(ObjectResult.Status.CORRUPT);
    assertThat(state.skipped().getFirst().error()).startsWith("could not read: ").contains("gone");
  }

  @Test
  void anUncheckedErrorOfOneObjectEndsTheScanAsItself() throws IOException {
    ObjectSource failing =
        new ObjectSource() {
          @Override
          public List<ObjectRef> list() {
            return List.of(new ObjectRef("box", "a", -1), new ObjectRef("box", "b", -1));
          }

          @Override
          public InputStream open(ObjectRef ref) {
            throw new java.io.UncheckedIOException(new IOException("disk on fire: " + ref.key()));
          }

          @Override
          public String location() {
            return "box";
          }
        };
    var plan = Trailquery.compile("stats count(*)", Planner.Options.defaults());
    for (int threads : new int[] {1, 2}) {
      assertThatThrownBy(() -> new Scan(plan).scanAll(inputs(failing), threads, Scan.Listener.NONE))
          .as("threads " + threads)
          .isExactlyInstanceOf(java.io.UncheckedIOException.class)
          .hasMessageContaining("disk on fire");
    }
  }

  @Test
  void tiedRowsAreOrderedByTheirContainerFirst() throws IOException {
    // the same record in container "a" (key z.json) and container "b" (key y.json): sorted by
    // eventName alone they tie, and the container decides before the key
    String rec =
        "{\"eventVersion\":\"1.08\",\"eventName\":\"X\",\"eventTime\":\"2026-01-01T10:00:00Z\"}";
    ObjectSource two =
        new ObjectSource() {
          @Override
          public List<ObjectRef> list() {
            return List.of(new ObjectRef("b", "y.json", -1), new ObjectRef("a", "z.json", -1));
          }

          @Override
          public InputStream open(ObjectRef ref) {
            return new ByteArrayInputStream(rec.getBytes(StandardCharsets.UTF_8));
          }

          @Override
          public String location() {
            return "two";
          }
        };
    assertThat(
            names(
                "fields @log | sort eventName asc | limit 1", Long.MIN_VALUE, Long.MAX_VALUE, two))
        .containsExactly("a");
  }

  @Test
  void anInterruptedCallerStopsTheWorkersAndKeepsItsInterrupt() throws Exception {
    java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
    ObjectSource blocking =
        new ObjectSource() {
          @Override
          public List<ObjectRef> list() {
            return List.of(new ObjectRef("box", "slow", -1));
          }

          @Override
          public InputStream open(ObjectRef ref) throws IOException {
            opened.countDown();
            try {
              Thread.sleep(60_000);
            } catch (InterruptedException e) {
              throw new IOException("interrupted");
            }
            throw new AssertionError("not interrupted");
          }

          @Override
          public String location() {
            return "box";
          }
        };
    var plan = Trailquery.compile("stats count(*)", Planner.Options.defaults());
    var thrown = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    var interrupted = new java.util.concurrent.atomic.AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                new Scan(plan)
                    .scanAll(
                        inputs(blocking).iterator(), 2, Scan.Listener.NONE, () -> false, false);
              } catch (Throwable e) {
                thrown.set(e);
                interrupted.set(Thread.currentThread().isInterrupted());
              }
            });
    caller.start();
    opened.await();
    caller.interrupt();
    caller.join(30_000);
    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(java.util.concurrent.CancellationException.class);
    assertThat(interrupted.get()).isTrue();
  }

  @Test
  void aCancelledScanReadsNothingMore() throws IOException {
    var plan = Trailquery.compile("stats count(*)", Planner.Options.defaults());
    for (int threads : new int[] {1, 2}) {
      PartialState state =
          new Scan(plan).scanAll(inputs(SOURCE), threads, Scan.Listener.NONE, () -> true, false);
      assertThat(state.statistics().objectsScanned()).as("threads " + threads).isZero();
      assertThat(state.statistics().recordsScanned()).isZero();
    }
    PartialState all =
        new Scan(plan).scanAll(inputs(SOURCE), 8, Scan.Listener.NONE, () -> false, true);
    assertThat(all.statistics().objectsScanned()).isEqualTo(2);
    assertThat(all.statistics().recordsScanned()).isEqualTo(5);
  }

  @Test
  void pointersNameTheRecordAndAnythingElseIsNoPointer() {
    assertThat(Scan.decodePointer(Scan.pointer("bucket", "a/b.json.gz", 7)))
        .containsExactly("bucket", "a/b.json.gz", "7");
    assertThat(Scan.decodePointer(Scan.pointer(null, "k", 0))).containsExactly("", "k", "0");
    assertThat(Scan.pointer("b", "k", 1))
        .isEqualTo(
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("b\nk\n1".getBytes(StandardCharsets.UTF_8)));
    assertThat(Scan.decodePointer("not base64!")).isNull();
    assertThat(Scan.decodePointer(encode("b\nk"))).isNull();
    assertThat(Scan.decodePointer(encode("b\nk\n1\n2"))).isNull();
    assertThat(Scan.decodePointer(encode("b\nk\nx"))).isNull();
  }

  static String encode(String s) {
    return Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void inputsGoThroughTheSourcesInOrderSkippingEmptyOnes() throws IOException {
    Iterator<Scan.Input> it = Scan.inputs(List.of(source(), SOURCE, source(), source("x", "y")));
    List<String> keys = new ArrayList<>();
    while (it.hasNext()) {
      assertThat(it.hasNext()).isTrue(); // asking again changes nothing
      keys.add(it.next().ref().key());
    }
    assertThat(keys).containsExactly("one.json", "two.json", "o0", "o1");
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    assertThat(Scan.inputs(List.of()).hasNext()).isFalse();
  }
}
