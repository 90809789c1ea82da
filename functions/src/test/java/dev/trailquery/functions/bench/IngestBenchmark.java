package dev.trailquery.functions.bench;

import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.ingest.Ingestor;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.store.ObjectRef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Benchmark, not a test: ingest time and DynamoDB write units per object with 1 and with 30
 * subscriptions, over the repository's real CloudTrail samples (gzip, CloudTrail keys), against
 * S3Proxy and dynalite. Run from {@code functions/}:
 *
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   dev.trailquery.functions.bench.IngestBenchmark
 * </pre>
 *
 * Write units are computed from item sizes (1 per started KB per item, as DynamoDB bills), per
 * processed object, including the day-index marker (once per day per container).
 */
public final class IngestBenchmark {
  public static void main(String[] args) throws Exception {
    S3Client s3 = Emulators.s3();
    DynamoDbClient db = Emulators.dynamo();
    s3.createBucket(b -> b.bucket("bench"));
    List<String> keys = new ArrayList<>();
    int i = 0;
    for (ObjectRef r : new LocalFileSource(Path.of("..", "samples", "cloudtrail")).list()) {
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
        out.write(Files.readAllBytes(Path.of(r.key())));
      }
      String key =
          String.format(
              "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/06/"
                  + "111122223333_CloudTrail_us-east-1_20250306T%02d%02dZ_%04d.json.gz",
              i / 60 % 24, i % 60, i);
      i++;
      s3.putObject(b -> b.bucket("bench").key(key), RequestBody.fromBytes(gz.toByteArray()));
      keys.add(key);
    }
    List<SavedQuery> pack = QueryPack.all();
    long now = System.currentTimeMillis();
    // 1 and 30 queries of the pack; then "watch": the 22 metric filters and 3 rules of the
    // watch pack (5-minute bins), as `subscribe --pack cis` subscribes them.
    for (int n : new int[] {1, 30, -1}) {
      String subsTable = "bench-subs-" + n;
      String resultsTable = "bench-results-" + n;
      Tables.createIfMissing(db, Tables.subscriptions(subsTable));
      Tables.createIfMissing(db, Tables.results(resultsTable));
      List<Subscription> subs = new ArrayList<>();
      for (int s = 0; s < n; s++) {
        SavedQuery q = pack.get(s % pack.size());
        subs.add(
            Subscription.create("q" + s, q.queryWithDefaults(), null, null, null, now + s, null));
      }
      if (n < 0) {
        var watch = dev.trailquery.pack.WatchPack.get();
        for (var f : watch.metricFilters()) {
          subs.add(Subscription.createMetricFilter(f.name(), f.filter(), null, null, now, null));
        }
        for (var r : watch.rules()) {
          subs.add(Subscription.createRule(r.name(), r.json(), null, null, now, null));
        }
      }
      Ingestor ingestor =
          new IngestHandler(
                  IngestConfig.defaults(
                      subsTable, resultsTable, new PrintStream(new ByteArrayOutputStream())),
                  s3,
                  db)
              .ingestor();
      // warm-up pass (JIT, connections), then the measured pass (same items: idempotent)
      for (String k : keys) {
        ingestor.process("bench", k, 1, subs);
      }
      long units = 0;
      long objects = 0;
      long records = 0;
      long started = System.nanoTime();
      for (String k : keys) {
        Ingestor.Report r = ingestor.process("bench", k, 1, subs);
        if (r.status() == Ingestor.Status.OK) {
          objects++;
          units += r.writeUnits();
          records += r.records();
        }
      }
      double ms = (System.nanoTime() - started) / 1e6;
      System.out.printf(
          "%2d subscription(s)%s: %d objects, %d records, %.2f ms/object, %.3f write units/object%n",
          subs.size(),
          n < 0 ? " (watch pack: 22 metric filters, 3 rules)" : "",
          objects,
          records,
          ms / objects,
          units / (double) objects);
    }
    System.exit(0);
  }
}
