package dev.trailquery.functions.fanout;

import dev.trailquery.functions.catalog.LocalCatalog;
import dev.trailquery.functions.catalog.S3Catalog;
import dev.trailquery.functions.catalog.TrailLayout;
import dev.trailquery.functions.catalog.TrailLayoutTest;
import dev.trailquery.functions.query.InMemoryQueryStore;
import dev.trailquery.functions.query.QueryRecord;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Not a test: objects/s and events/s of an on-demand query as workers grow, and the merge time per
 * worker result — over local disk ({@link #run}, also with a simulated GET latency) and through the
 * local S3 server ({@link #s3Proxy}). Run with {@code -Dtest=FanoutBenchmark -Dbenchmark=true}.
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

  /** Object {@code i} of the benchmark, delivered at {@code t}: 10 events, gzipped. */
  static byte[] gzippedObject(int i, Instant t) throws IOException {
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
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(buf)) {
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    return buf.toByteArray();
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
      Files.write(p, gzippedObject(i, t));
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

  /**
   * The same objects in S3Proxy (in this JVM, on loopback), listed by {@link S3Catalog} (account
   * and region discovery, day prefixes) and read by thread workers, each with {@code
   * benchmark.inflight} (8) GETs in flight through the SDK's URLConnection client, as the worker
   * Lambda reads S3. Run alone with {@code -Dtest='FanoutBenchmark#s3Proxy' -Dbenchmark=true}.
   */
  @Test
  void s3Proxy() throws Exception {
    S3Client s3 = Emulators.s3();
    String bucket = "fanout-bench-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(bucket));
    Instant day0 = Instant.parse("2025-06-01T00:00:00Z");
    AtomicLong bytes = new AtomicLong();
    long t0 = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < OBJECTS; i++) {
        int n = i;
        puts.add(
            pool.submit(
                () -> {
                  Instant t = day0.plusSeconds(30L * n);
                  String key =
                      "AWSLogs/" + TrailLayoutTest.key("", "111111111111", "us-east-1", t, n);
                  byte[] body = gzippedObject(n, t);
                  bytes.addAndGet(body.length);
                  s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
                  return null;
                }));
      }
      for (Future<?> f : puts) {
        f.get();
      }
    }
    System.out.printf(
        "S3Proxy: %d objects, %d events, %.1f MB gzipped, uploaded in %.1f s%n",
        OBJECTS, OBJECTS * EVENTS_PER_OBJECT, bytes.get() / 1e6, (System.nanoTime() - t0) / 1e9);
    long start = day0.minusSeconds(3600).toEpochMilli();
    long end = day0.plus(Duration.ofDays(30)).toEpochMilli();
    String q = "stats count(*) as n, count_distinct(sourceIPAddress) by eventSource, bin(1h)";
    int inflight = Integer.getInteger("benchmark.inflight", 8);
    String[] workerCounts = System.getProperty("benchmark.workers", "1,2,4,8,16,32").split(",");
    for (String w : workerCounts) {
      int workers = Integer.parseInt(w.trim());
      S3Catalog catalog = new S3Catalog(s3, bucket, null, TrailLayout.defaults());
      FanoutConfig config =
          FanoutConfig.local(workers)
              .withParallelism(inflight)
              .withBatchBytes(64 * 1024, 64L << 20, 2000);
      InMemoryQueryStore store = new InMemoryQueryStore();
      try (ThreadInvoker invoker = new ThreadInvoker(catalog.source())) {
        Coordinator c = new Coordinator(store, catalog, invoker, config, System::currentTimeMillis);
        for (int rep = 0; rep < 2; rep++) {
          String id = "s3-" + workers + "-" + rep;
          store.create(
              QueryRecord.scheduled(
                  id,
                  new QueryRequest(q, start, end, null, List.of(), List.of()),
                  System.currentTimeMillis()));
          Coordinator.Metrics m = c.run(id);
          QueryRecord r = store.get(id).orElseThrow();
          if (r.statistics().objectsScanned() != OBJECTS) {
            throw new AssertionError(
                "scanned " + r.statistics().objectsScanned() + " of " + OBJECTS + ": " + r);
          }
          if (rep == 1) {
            double secs = m.totalNanos() / 1e9;
            System.out.printf(
                "S3Proxy  workers %2d x %d in flight: %6.2f s  %8.0f objects/s  %9.0f events/s"
                    + "  %3d batches  merge %.2f ms/result (max %.2f)  list %.0f ms  %s%n",
                workers,
                inflight,
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
