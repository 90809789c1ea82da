package dev.trailquery.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Finisher;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Partial states over any split of the input merge into the answer of one pass: the sample objects
 * are dealt at random into k parts (k = 1..8, seeded), each part is scanned into its own {@link
 * PartialState}, serialised and restored, the restored states are merged pairwise in random order,
 * and the finished result must equal one pass over everything, row for row and value for value.
 * (Sketches only take over beyond 10,000 values, which this data never reaches, so every aggregate
 * here must be exact; only {@code stddev} is allowed rounding in its last digits, see {@link
 * #assertSameRows}.)
 */
class SplitMergeTest {
  private static final List<String> QUERIES =
      List.of(
          // count, count(field), count_distinct
          "stats count(*) as n, count(errorCode) as errors, count_distinct(eventName) as apis"
              + " by eventSource",
          // sum, avg, min, max, pct, stddev over a numeric field
          "filter eventSource = 's3.amazonaws.com'"
              + " | stats sum(additionalEventData.bytesTransferredIn) as total,"
              + " avg(additionalEventData.bytesTransferredIn) as mean,"
              + " min(additionalEventData.bytesTransferredOut) as least,"
              + " max(additionalEventData.bytesTransferredOut) as most,"
              + " pct(additionalEventData.bytesTransferredIn, 90) as p90,"
              + " stddev(additionalEventData.bytesTransferredIn) as sd by eventName",
          // the same over computed values, grouped by a key that is sometimes missing
          "stats pct(strlen(eventName), 50) as median, pct(strlen(userAgent), 99) as p99,"
              + " stddev(strlen(userAgent)) as sd, avg(strlen(userAgent)) as mean,"
              + " sum(strlen(eventName)) as chars by userIdentity.type",
          // time and order aggregates
          "stats min(@timestamp) as first, max(@timestamp) as last,"
              + " earliest(eventName) as firstCall, latest(eventName) as lastCall,"
              + " sortsFirst(sourceIPAddress) as lowIp, sortsLast(sourceIPAddress) as highIp"
              + " by eventSource",
          // time series
          "stats count(*) as n, count_distinct(userIdentity.arn) as who by bin(1h)",
          "stats count(*) as n by bin(5m), eventSource | sort n desc | limit 20",
          // stats of stats
          "stats count(*) as c by eventSource, eventName"
              + " | stats count(*) as apis, sum(c) as calls by eventSource | sort calls desc",
          "filter eventName like /^Describe/ | stats count(*) as n by awsRegion, userIdentity.type"
              + " | sort n desc, awsRegion asc",
          // non-stats: sort and limit, the default order, dedup
          "fields @timestamp, eventSource, eventName, @logStream | filter ispresent(errorCode)"
              + " | sort eventName asc | limit 25",
          "fields eventTime, eventName, sourceIPAddress | limit 30",
          "fields eventSource, eventName, @timestamp | dedup eventSource",
          "fields eventName, errorCode | sort eventTime desc | dedup errorCode | limit 15",
          // maps and lists: unnest, expand, jsonParse paths, split, the JSON functions
          "unnest resources into r | stats count(*) as n by r.type, eventSource",
          "unnest resources into r | fields @timestamp, eventName, r.ARN | limit 40",
          "expand resources | stats count(*) as n by resources.ARN | sort n desc | limit 30",
          "fields jsonParse(@message) as js | filter ispresent(js.resources[0].ARN)"
              + " | stats count(*) as n by js.eventSource, js.userIdentity.type",
          "fields split(eventSource, '.')[0] as service | stats count(*) as n by service",
          "filter jsonArraySize(resources) > 1"
              + " | fields eventName, jsonStringify(resources) as r, @timestamp | limit 20",
          // countFrequent (exact at this size)
          "countFrequent eventSource, eventName",
          "unnest resources into r | countFrequent r.type | limit 5");

  private static final CachedSource SOURCE = new CachedSource(localSource());

  static Stream<Arguments> splits() {
    return QUERIES.stream()
        .flatMap(q -> IntStream.rangeClosed(1, 8).mapToObj(k -> Arguments.of(q, k)));
  }

  @ParameterizedTest(name = "k={1}: {0}")
  @MethodSource("splits")
  void partsMergeIntoOnePass(String query, int k) throws IOException {
    Plan plan = Trailquery.compile(query, Planner.Options.defaults());
    List<ObjectRef> refs = SOURCE.list();
    Result whole =
        Trailquery.runInputs(
            plan,
            refs.stream().map(r -> new Scan.Input(SOURCE, r)).toList(),
            1,
            Scan.Listener.NONE);
    assertThat(whole.rows()).as("one pass of %s", query).isNotEmpty();

    Random random = new Random(31L * query.hashCode() + k);
    List<List<ObjectRef>> parts = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      parts.add(new ArrayList<>());
    }
    List<ObjectRef> shuffled = new ArrayList<>(refs);
    Collections.shuffle(shuffled, random);
    for (ObjectRef ref : shuffled) {
      parts.get(random.nextInt(k)).add(ref);
    }

    Scan scan = new Scan(plan);
    List<PartialState> states = new ArrayList<>();
    for (List<ObjectRef> part : parts) {
      PartialState state = new PartialState(plan);
      CloudTrailReader reader = scan.newReader();
      for (ObjectRef ref : part) {
        scan.scanObject(reader, SOURCE, ref, state);
      }
      states.add(PartialState.fromBytes(plan, state.toBytes()));
    }
    while (states.size() > 1) {
      PartialState into = states.remove(random.nextInt(states.size()));
      PartialState from = states.remove(random.nextInt(states.size()));
      into.merge(from);
      states.add(random.nextBoolean() ? into : PartialState.fromBytes(plan, into.toBytes()));
    }
    Result merged = Finisher.finish(states.getFirst());

    String what = "k=" + k + " split of " + query;
    assertThat(merged.fields()).as(what).containsExactlyElementsOf(whole.fields());
    assertSameRows(what, merged, whole);
    assertThat(merged.statistics()).as(what).isEqualTo(whole.statistics());
    assertThat(codes(merged)).as(what).containsExactlyElementsOf(codes(whole));
    assertThat(merged.skipped()).as(what).containsExactlyInAnyOrderElementsOf(whole.skipped());
  }

  /**
   * The rows match exactly, except that {@code stddev} columns (named {@code sd} here) may differ
   * by 1e-12 relative: the engine's stddev (Welford updates, Chan merges; see agg/Variance.java)
   * documents that it depends on the split by rounding, in the last bits of the double.
   */
  private static void assertSameRows(String what, Result merged, Result whole) {
    assertThat(merged.rows()).as(what).hasSameSizeAs(whole.rows());
    int sd = whole.fields().indexOf("sd");
    for (int i = 0; i < whole.rows().size(); i++) {
      List<Object> got = new ArrayList<>(Arrays.asList(merged.rows().get(i)));
      List<Object> want = new ArrayList<>(Arrays.asList(whole.rows().get(i)));
      if (sd >= 0 && got.get(sd) instanceof Double g && want.get(sd) instanceof Double w) {
        assertThat(g).as("sd of row %d of %s", i, what).isCloseTo(w, within(1e-12 * Math.abs(w)));
        got.set(sd, w);
      }
      assertThat(got).as("row %d of %s", i, what).isEqualTo(want);
    }
  }

  private static List<String> codes(Result r) {
    return r.warnings().stream().map(Diagnostic::code).toList();
  }

  private static LocalFileSource localSource() {
    return new LocalFileSource(CloudTrailOracle.samples().dir());
  }

  /** The sample objects, each read from disk once. */
  private static final class CachedSource implements ObjectSource {
    private final ObjectSource source;
    private final Map<ObjectRef, byte[]> bytes = new ConcurrentHashMap<>();
    private List<ObjectRef> refs;

    CachedSource(ObjectSource source) {
      this.source = source;
    }

    @Override
    public synchronized List<ObjectRef> list() throws IOException {
      if (refs == null) {
        refs = List.copyOf(source.list());
      }
      return refs;
    }

    @Override
    public InputStream open(ObjectRef ref) {
      return new ByteArrayInputStream(
          bytes.computeIfAbsent(
              ref,
              r -> {
                try (InputStream in = source.open(r)) {
                  return in.readAllBytes();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }));
    }

    @Override
    public String location() {
      return source.location();
    }
  }
}
