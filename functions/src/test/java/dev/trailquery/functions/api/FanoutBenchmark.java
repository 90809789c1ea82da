package dev.trailquery.functions.api;

import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: objects/s and events/s of an on-demand query as workers grow, and the merge time per
 * worker result. Run with {@code -Dtest=FanoutBenchmark -Dbenchmark=true}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class FanoutBenchmark {
  static final int OBJECTS = Integer.getInteger("benchmark.objects", 10_000);
  static final int EVENTS_PER_OBJECT = 10;

  /** Adds a fixed latency to every GET, like a small S3 object's first byte. */
  record SlowSource(ObjectSource inner, long millis) implements ObjectSource {
    @Override
    public List<ObjectRef> list() throws IOException {
      return inner.list();
    }

    @Override
    public InputStream open(ObjectRef ref) throws IOException {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      return inner.open(ref);
    }

    @Override
    public String location() {
      return inner.location();
    }
  }

  @Test
  void run() throws Exception {
    Path dir = Files.createTempDirectory("tq-bench");
    Instant day0 = Instant.parse("2025-06-01T00:00:00Z");
    long bytes = 0;
    for (int i = 0; i < OBJECTS; i++) {
      Instant t = day0.plusSeconds(30L * i);
      Path p = dir.resolve("AWSLogs/" + TrailLayoutTest.key("", "111111111111", "us-east-1", t, i));
      Files.createDirectories(p.getParent());
      StringBuilder sb = new StringBuilder("{\"Records\":[");
      for (int e = 0; e < EVENTS_PER_OBJECT; e++) {
        sb.append(e == 0 ? "" : ",")
            .append("{\"eventVersion\":\"1.08\",\"eventTime\":\"")
            .append(t.minusSeconds(e + 1))
            .append("\",\"eventSource\":\"s")
            .append(e % 5)
            .append(".amazonaws.com\",\"eventName\":\"Describe")
            .append(i % 13)
            .append("\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"10.0.")
            .append(i % 250)
            .append(".")
            .append(e)
            .append("\",\"userAgent\":\"aws-cli/2.15 Python/3.11\",\"requestParameters\":")
            .append("{\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0abc")
            .append(i)
            .append("\"}]}},\"responseElements\":null,\"requestID\":\"r-")
            .append(i)
            .append("-")
            .append(e)
            .append("\",\"eventID\":\"e-")
            .append(i)
            .append("-")
            .append(e)
            .append("\",\"readOnly\":true,\"recipientAccountId\":\"111111111111\"}");
      }
      sb.append("]}");
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      }
      bytes += Files.size(p);
    }
    System.out.printf(
        "%d objects, %d events, %.1f MB gzipped%n",
        OBJECTS, OBJECTS * EVENTS_PER_OBJECT, bytes / 1e6);
    long start = day0.minusSeconds(3600).toEpochMilli();
    long end = day0.plus(Duration.ofDays(30)).toEpochMilli();
    String q = "stats count(*) as n, count_distinct(sourceIPAddress) by eventSource, bin(1h)";
    for (long latency : new long[] {0, 10}) {
      for (int workers : new int[] {1, 2, 4, 8, 16, 32}) {
        LocalCatalog local = new LocalCatalog(dir, TrailLayout.defaults());
        ObjectSource source =
            latency == 0 ? local.source() : new SlowSource(local.source(), latency);
        int parallelism = latency == 0 ? 1 : 8;
        FanoutConfig config =
            FanoutConfig.local(workers)
                .withParallelism(parallelism)
                .withBatchBytes(64 * 1024, 64L << 20, 2000);
        InMemoryQueryStore store = new InMemoryQueryStore();
        try (ThreadInvoker invoker = new ThreadInvoker(source)) {
          Coordinator c = new Coordinator(store, local, invoker, config, System::currentTimeMillis);
          for (int rep = 0; rep < 2; rep++) {
            String id = "b" + latency + "-" + workers + "-" + rep;
            store.create(
                QueryRecord.scheduled(
                    id,
                    new QueryRequest(q, start, end, null, List.of(), List.of()),
                    System.currentTimeMillis()));
            Coordinator.Metrics m = c.run(id);
            QueryRecord r = store.get(id).orElseThrow();
            if (rep == 1) {
              double secs = m.totalNanos() / 1e9;
              System.out.printf(
                  "latency %2d ms  workers %2d x %d in flight: %6.2f s  %8.0f objects/s  %9.0f"
                      + " events/s  %3d batches  merge %.2f ms/result (max %.2f)  list %.0f ms  %s%n",
                  latency,
                  workers,
                  parallelism,
                  secs,
                  r.statistics().objectsScanned() / secs,
                  r.statistics().recordsScanned() / secs,
                  m.batches(),
                  m.mergeNanos() / 1e6 / Math.max(1, m.batches()),
                  m.maxMergeNanos() / 1e6,
                  m.listNanos() / 1e6,
                  r.status());
            }
          }
        }
      }
    }
  }
}
