package dev.trailquery.functions.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.catalog.LocalCatalog;
import dev.trailquery.functions.catalog.TrailLayout;
import dev.trailquery.functions.query.InMemoryQueryStore;
import dev.trailquery.functions.query.QueryRecord;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.query.QueryStatus;
import dev.trailquery.functions.query.ResultField;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.LocalFileSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fan-out gives the CLI's answer (one pass of the engine) whatever the number of workers. */
public class FanoutTest {
  public static final Path SAMPLES = Path.of("..", "samples", "cloudtrail");
  static final Path TESTDATA = Path.of("..", "testdata", "cloudtrail");
  static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  static final long ALL_START = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
  static final long ALL_END = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();

  static final List<String> QUERIES =
      List.of(
          "stats count(*) as n by eventSource | sort n desc, eventSource",
          "fields @timestamp, eventName, sourceIPAddress, @logStream | sort @timestamp desc | limit"
              + " 40",
          "filter ispresent(errorCode) | stats count(*) by errorCode, bin(1h)",
          "stats count_distinct(sourceIPAddress) as ips, min(@timestamp), max(@timestamp),"
              + " avg(strlen(eventName)) by recipientAccountId",
          "filter eventName like /Describe/ | fields eventName, awsRegion | dedup eventName",
          "stats count(*) as c by eventName | sort c desc | limit 5",
          "fields @timestamp, eventName");

  static Stream<Arguments> cases() {
    return Stream.of(1, 4, 32)
        .flatMap(
            w ->
                Stream.of(
                    Arguments.of(w, SAMPLES, ALL_START, ALL_END),
                    Arguments.of(w, TESTDATA, ALL_START, ALL_END),
                    // a narrow range inside the AWSLogs part of the samples: name-time pruning
                    Arguments.of(
                        w,
                        SAMPLES,
                        Instant.parse("2025-03-06T02:26:00Z").toEpochMilli(),
                        Instant.parse("2025-03-06T03:19:00Z").toEpochMilli()),
                    Arguments.of(
                        w,
                        SAMPLES,
                        Instant.parse("2023-07-10T11:00:00Z").toEpochMilli(),
                        Instant.parse("2023-07-10T12:00:00Z").toEpochMilli())));
  }

  @ParameterizedTest(name = "{0} workers over {1} [{2}, {3})")
  @MethodSource("cases")
  void sameAnswerAsOnePass(int workers, Path dir, long start, long end) throws Exception {
    FanoutConfig config = FanoutConfig.local(workers).withBatchBytes(16 * 1024, 1 << 20, 50);
    InMemoryQueryStore store = new InMemoryQueryStore(() -> NOW);
    LocalCatalog catalog = new LocalCatalog(dir, TrailLayout.defaults());
    try (ThreadInvoker invoker = new ThreadInvoker(catalog.source())) {
      Coordinator c = new Coordinator(store, catalog, invoker, config, () -> NOW);
      int i = 0;
      for (String q : QUERIES) {
        String id = "q" + i++;
        store.create(
            QueryRecord.scheduled(
                id, new QueryRequest(q, start, end, null, List.of(), List.of()), NOW));
        Coordinator.Metrics m = c.run(id);
        QueryRecord r = store.get(id).orElseThrow();
        assertThat(r.status()).as(q + ": " + r.message()).isEqualTo(QueryStatus.Complete);

        Result expected =
            Trailquery.run(
                Trailquery.compile(q, new Planner.Options(start, end, NOW, null)),
                List.of(new LocalFileSource(dir)),
                1,
                Scan.Listener.NONE);
        assertThat(r.results()).as(q).isEqualTo(ResultField.rows(expected));
        assertThat(r.statistics().recordsMatched())
            .isEqualTo(expected.statistics().recordsMatched());
        assertThat(r.statistics().batchesDone()).isEqualTo(m.batches());
        assertThat(r.statistics().objectsScanned() + r.statistics().objectsSkipped())
            .isEqualTo(r.statistics().objectsListed());
        if (start == ALL_START) {
          // the whole range reads every file the CLI reads
          assertThat(r.statistics().recordsScanned())
              .isEqualTo(expected.statistics().recordsScanned());
          assertThat(r.statistics().objectsListed())
              .isEqualTo(
                  expected.statistics().objectsScanned() + expected.statistics().objectsSkipped());
        }
      }
    }
  }
}
