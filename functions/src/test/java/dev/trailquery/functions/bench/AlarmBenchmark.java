package dev.trailquery.functions.bench;

import dev.trailquery.functions.alarm.Alarm;
import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.alarm.LocalNotifier;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.ingest.Ingestor;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.store.ObjectRef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Benchmark, not a test: what alarms add per object on the live ingest path — DynamoDB requests by
 * operation, read units of the Queries (eventually consistent: bytes / 4 KB / 2, per page) and time
 * — with 5 subscriptions and 0, 1 or 5 alarms, over the repository's 677 real CloudTrail sample
 * objects (S3Proxy, dynalite). Run from {@code functions/} as {@link IngestBenchmark} says.
 */
public final class AlarmBenchmark {
  static final String[][] SUBS = {
    {"by-source", "stats count(*) as n by eventSource", "n", "50"},
    {"errors", "filter ispresent(errorCode) | stats count(*) as n by errorCode", "n", "10"},
    {"root", "filter userIdentity.type = 'Root' | stats count(*) as n", "n", "0"},
    {
      "console",
      "filter eventName = 'ConsoleLogin' | stats count(*) as n by sourceIPAddress",
      "n",
      "3"
    },
    {"deletes", "filter eventName like /^Delete/ | stats count(*) as n by eventName", "n", "5"},
  };

  public static void main(String[] args) throws Exception {
    S3Client s3 = Emulators.s3();
    DynamoDbClient real = Emulators.dynamo();
    Map<String, AtomicLong> calls = new TreeMap<>();
    AtomicLong queryBytes = new AtomicLong();
    AtomicLong readUnitsX2 = new AtomicLong();
    DynamoDbClient db =
        (DynamoDbClient)
            Proxy.newProxyInstance(
                DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class},
                (p, m, a) -> {
                  if (!m.getName().equals("serviceName") && !m.getName().equals("close")) {
                    synchronized (calls) {
                      calls.computeIfAbsent(m.getName(), k -> new AtomicLong()).incrementAndGet();
                    }
                  }
                  Object r;
                  try {
                    r = m.invoke(real, a);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (r instanceof QueryResponse q) {
                    long bytes = 0;
                    for (var item : q.items()) {
                      bytes += ResultStore.itemBytes(item);
                    }
                    queryBytes.addAndGet(bytes);
                    readUnitsX2.addAndGet(Math.max(1, (bytes + 4095) / 4096));
                  }
                  return r;
                });
    s3.createBucket(b -> b.bucket("alarm-bench"));
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
      s3.putObject(b -> b.bucket("alarm-bench").key(key), RequestBody.fromBytes(gz.toByteArray()));
      keys.add(key);
    }
    long now = System.currentTimeMillis();
    // {alarms, objects per batch}: a warm-up first, then one object per evaluation, then SQS-sized
    // batches of 10 (IngestHandler evaluates once per invocation)
    // Third number: 1 = alarms set before the bins (judged from the bins' running states, one small
    // read per bin and batch), 0 = set after them (judged from the results).
    for (int[] c :
        new int[][] {
          {0, 1, 0}, {0, 1, 0}, {1, 1, 0}, {5, 1, 0}, {1, 1, 1}, {5, 1, 1}, {5, 10, 0}, {5, 10, 1}
        }) {
      int alarms = c[0];
      int batch = c[1];
      boolean indexed = c[2] == 1;
      String run = "ab-" + alarms + "-" + System.nanoTime();
      Tables.createIfMissing(real, Tables.subscriptions(run + "-s"));
      Tables.createIfMissing(real, Tables.results(run + "-r"));
      for (int s = 0; s < SUBS.length; s++) {
        new SubscriptionStore(real, run + "-s", 0)
            .put(Subscription.create(SUBS[s][0], SUBS[s][1], "5m", null, null, now, null), true);
        if (s < alarms) {
          new AlarmStore(real, run + "-r")
              .put(
                  new Alarm(
                      SUBS[s][0],
                      SUBS[s][2],
                      Alarm.Comparison.GT,
                      Double.parseDouble(SUBS[s][3]),
                      null,
                      false,
                      indexed ? 0L : now));
        }
      }
      ByteArrayOutputStream notes = new ByteArrayOutputStream();
      IngestHandler h =
          new IngestHandler(
              IngestConfig.defaults(
                  run + "-s", run + "-r", new PrintStream(new ByteArrayOutputStream())),
              s3,
              db,
              new LocalNotifier(new PrintStream(notes), null));
      Ingestor ingestor = h.ingestor();
      synchronized (calls) {
        calls.clear();
      }
      queryBytes.set(0);
      readUnitsX2.set(0);
      long objects = 0;
      long started = System.nanoTime();
      for (int n = 0; n < keys.size(); n++) {
        if (batch > 1 && n % batch == 0) {
          ingestor.alarms().beginBatch();
        }
        if (ingestor.process("alarm-bench", keys.get(n), 1).status() == Ingestor.Status.OK) {
          objects++;
        }
        if (batch > 1 && (n % batch == batch - 1 || n == keys.size() - 1)) {
          ingestor.alarms().foldBatch();
          ingestor.alarms().endBatch();
        }
      }
      double ms = (System.nanoTime() - started) / 1e6;
      StringBuilder per = new StringBuilder();
      for (var e : calls.entrySet()) {
        per.append(String.format(" %s %.2f", e.getKey(), e.getValue().get() / (double) objects));
      }
      System.out.printf(
          "%d alarm(s)%s, batches of %d: %d objects, %.2f ms/object, requests/object:%s; Query KB/object %.1f,"
              + " read units/object %.2f; notifications %d%n",
          alarms,
          alarms == 0 ? "" : indexed ? " (running bin states)" : " (results read)",
          batch,
          objects,
          ms / objects,
          per,
          queryBytes.get() / 1024.0 / objects,
          readUnitsX2.get() / 2.0 / objects,
          h.ingestor().alarms().notifications());
    }
    System.exit(0);
  }
}
