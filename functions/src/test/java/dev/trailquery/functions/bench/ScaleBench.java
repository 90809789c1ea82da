package dev.trailquery.functions.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.Trailquery;
import dev.trailquery.contract.Keys;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.functions.alarm.Alarm;
import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.store.sealing.SealedStore;
import dev.trailquery.functions.store.sealing.Sealer;
import dev.trailquery.functions.store.sealing.Slots;
import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import dev.trailquery.store.ObjectRef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code scripts/bench scale}: a simulated organization trail ({@link OrgTrail}) driven through the
 * ingest handler in-process (SQS batches of 10, two concurrent "containers") against dynalite and
 * S3Proxy, sealed every 15 simulated minutes as the schedule does, then read; every subscription's
 * result is checked against the engine's one pass over the same objects.
 *
 * <pre>
 * scripts/bench scale [--objects-per-day N] [--days D] [--subscriptions S]
 *                     [--late-fraction F] [--duplicate-fraction F] [--alarms A] [--alarm-match errors|all] [--threads T]
 * </pre>
 *
 * DynamoDB use is metered by a counting client: write units by item size (1 per started KB), read
 * units per Query page and GetItem (4 KB units, halved for eventually consistent reads), per phase
 * (ingest, alarm, seal, read) and per partition key and simulated second (hot partitions).
 */
public final class ScaleBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "org-trail";

  /** Which part of the work a DynamoDB call belongs to (per thread). */
  static final InheritableThreadLocal<String> PHASE =
      new InheritableThreadLocal<>() {
        @Override
        protected String initialValue() {
          return "ingest";
        }
      };

  /** Counts of one phase. */
  static final class Usage {
    final LongAdder requests = new LongAdder();
    final LongAdder writeUnits = new LongAdder();
    final DoubleAdder readUnits = new DoubleAdder();
    final LongAdder itemsRead = new LongAdder();
    final LongAdder bytesRead = new LongAdder();
  }

  static final Map<String, Usage> USAGE = new ConcurrentHashMap<>();

  /** The objects as stored in S3, for the one-pass reference (read from memory, not S3Proxy). */
  static final Map<String, byte[]> OBJECTS = new ConcurrentHashMap<>();

  /** The one-pass answers, computed once per subscription. */
  static final Map<String, Result> REFERENCE = new ConcurrentHashMap<>();

  static final AtomicLong SIM_CLOCK = new AtomicLong();

  /** Write and read units per (partition key, simulated second) during ingest. */
  static final Map<String, double[]> HOT = new ConcurrentHashMap<>();

  /** Object claims in alarm bins: made (one per object and alarmed bin), and found made already. */
  static final LongAdder ALARM_CLAIMS = new LongAdder();

  static final LongAdder ALARM_CLAIMS_FAILED = new LongAdder();

  /** Items and bytes a read touched, by kind of partition (the key's prefix). */
  static final Map<String, long[]> READ_KINDS = new ConcurrentHashMap<>();

  static void kind(String pk, long items, long bytes) {
    if (!PHASE.get().equals("read") || pk == null) {
      return;
    }
    String kind = "other";
    for (String prefix : Keys.RESULTS_PARTITIONS) {
      if (pk.startsWith(prefix)) {
        kind = prefix;
      }
    }
    long[] a = READ_KINDS.computeIfAbsent(kind, k -> new long[3]);
    synchronized (a) {
      a[0] += items;
      a[1] += bytes;
      a[2]++;
    }
  }

  static Usage usage() {
    String phase = PHASE.get();
    return USAGE.computeIfAbsent(phase, k -> new Usage());
  }

  static void hot(String pk, double wcu, double rcu) {
    if (!PHASE.get().equals("ingest") && !PHASE.get().equals("alarm")) {
      return;
    }
    double[] a = HOT.computeIfAbsent(pk + "@" + SIM_CLOCK.get() / 1000, k -> new double[2]);
    synchronized (a) {
      a[0] += wcu;
      a[1] += rcu;
    }
  }

  static DynamoDbClient metered(DynamoDbClient real) {
    return (DynamoDbClient)
        Proxy.newProxyInstance(
            DynamoDbClient.class.getClassLoader(),
            new Class<?>[] {DynamoDbClient.class},
            (proxy, m, a) -> {
              if (m.isDefault()
                  && a != null
                  && a.length == 1
                  && a[0] instanceof java.util.function.Consumer) {
                // builder-style overloads: built here, so the request comes back through the proxy
                return java.lang.reflect.InvocationHandler.invokeDefault(proxy, m, a);
              }
              Object r;
              Throwable failure = null;
              try {
                r = m.invoke(real, a);
              } catch (InvocationTargetException e) {
                // a failed conditional write still costs its write units: metered, then thrown
                if (!(e.getCause()
                    instanceof
                    software.amazon.awssdk.services.dynamodb.model
                        .ConditionalCheckFailedException)) {
                  throw e.getCause();
                }
                failure = e.getCause();
                r = null;
              }
              if (a == null || a.length != 1) {
                return r;
              }
              Object req = a[0];
              boolean alarmPk = false;
              String pk = null;
              if (req instanceof QueryRequest q) {
                pk = q.expressionAttributeValues().get(":pk").s();
              } else if (req instanceof PutItemRequest p) {
                pk = p.item().get(Tables.PK).s();
              } else if (req instanceof GetItemRequest g) {
                pk = g.key().get(Tables.PK).s();
              } else if (req
                  instanceof software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest ui) {
                pk = ui.key().get(Tables.PK).s();
              }
              if (pk != null) {
                alarmPk =
                    pk.startsWith(Keys.ALARM_BIN)
                        || pk.startsWith(Keys.ALARM)
                        || pk.equals(Keys.ALARMS);
              }
              String saved = PHASE.get();
              if (alarmPk && saved.equals("ingest")) {
                PHASE.set("alarm");
              }
              try {
                Usage u = usage();
                u.requests.increment();
                if (req instanceof QueryRequest q && r instanceof QueryResponse qr) {
                  long bytes = 0;
                  for (Map<String, AttributeValue> item : qr.items()) {
                    bytes += ResultStore.itemBytes(item);
                  }
                  double rcu =
                      Math.max(1, Math.ceil(bytes / 4096.0))
                          * (Boolean.TRUE.equals(q.consistentRead()) ? 1 : 0.5);
                  u.readUnits.add(rcu);
                  u.itemsRead.add(qr.items().size());
                  u.bytesRead.add(bytes);
                  kind(pk, qr.items().size(), bytes);
                  hot(pk, 0, rcu);
                } else if (req instanceof GetItemRequest g && r instanceof GetItemResponse gr) {
                  long bytes = gr.item() == null ? 0 : ResultStore.itemBytes(gr.item());
                  double rcu =
                      Math.max(1, Math.ceil(bytes / 4096.0))
                          * (Boolean.TRUE.equals(g.consistentRead()) ? 1 : 0.5);
                  u.readUnits.add(rcu);
                  u.itemsRead.add(gr.hasItem() ? 1 : 0);
                  u.bytesRead.add(bytes);
                  kind(pk, gr.hasItem() ? 1 : 0, bytes);
                  hot(pk, 0, rcu);
                } else if (req instanceof PutItemRequest p) {
                  long wcu = ResultStore.writeUnits(p.item());
                  u.writeUnits.add(wcu);
                  hot(pk, wcu, 0);
                  String sk = p.item().get(Tables.SK).s();
                  if (pk.startsWith(Keys.ALARM_BIN) && sk.startsWith(Keys.ALARM_BIN_OBJECT)) {
                    (failure == null ? ALARM_CLAIMS : ALARM_CLAIMS_FAILED).increment();
                  }
                } else if (req instanceof BatchWriteItemRequest b) {
                  for (List<WriteRequest> list : b.requestItems().values()) {
                    for (WriteRequest w : list) {
                      if (w.putRequest() != null) {
                        long wcu = ResultStore.writeUnits(w.putRequest().item());
                        u.writeUnits.add(wcu);
                        hot(w.putRequest().item().get(Tables.PK).s(), wcu, 0);
                      }
                    }
                  }
                } else if (m.getName().equals("updateItem") || m.getName().equals("deleteItem")) {
                  u.writeUnits.add(1);
                  if (pk != null) {
                    hot(pk, 1, 0);
                  }
                }
              } finally {
                PHASE.set(saved);
              }
              if (failure != null) {
                throw failure;
              }
              return r;
            });
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(2); // S3Proxy's threads would keep the JVM alive
    }
  }

  static void run(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int perDay = Integer.parseInt(opt.getOrDefault("objects-per-day", "100000"));
    int days = Integer.parseInt(opt.getOrDefault("days", "1"));
    int nSubs = Integer.parseInt(opt.getOrDefault("subscriptions", "30"));
    double late = Double.parseDouble(opt.getOrDefault("late-fraction", "0.02"));
    double dup = Double.parseDouble(opt.getOrDefault("duplicate-fraction", "0.02"));
    int nAlarms = Integer.parseInt(opt.getOrDefault("alarms", "1"));
    // errors: the alarmed subscriptions match objects with errors (a fraction); all: every object
    String alarmMatch = opt.getOrDefault("alarm-match", "errors");
    String alarmQuery =
        switch (alarmMatch) {
          case "errors" -> "filter ispresent(errorCode) | stats count(*) as n by eventSource";
          case "all" -> "stats count(*) as n by eventSource";
          default -> throw new IllegalArgumentException("--alarm-match errors|all");
        };
    int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));
    Path samples = Path.of(opt.getOrDefault("samples", "../samples/cloudtrail"));
    long wallStart = System.nanoTime();

    OrgTrail.Config cfg = OrgTrail.Config.of(perDay, days, late, dup);
    OrgTrail trail = OrgTrail.fromSamples(samples, cfg);
    List<OrgTrail.Delivery> deliveries = trail.deliveries();
    List<OrgTrail.Delivery> firsts = deliveries.stream().filter(d -> !d.duplicate()).toList();
    System.out.printf(
        "org trail: %d account-regions every 5 min, %d objects over %d day(s), %d notifications"
            + " (%.1f%% duplicates), late-event fraction %.2f, %d subscriptions, %d alarm(s)%n",
        cfg.accountRegions(),
        firsts.size(),
        days,
        deliveries.size(),
        100.0 * (deliveries.size() - firsts.size()) / firsts.size(),
        late,
        nSubs,
        nAlarms);
    System.out.printf("alarmed subscriptions: %s (--alarm-match %s)%n", alarmQuery, alarmMatch);

    S3Client s3 = Emulators.s3();
    DynamoDbClient real = Emulators.dynamo();
    DynamoDbClient db = metered(real);
    s3.createBucket(b -> b.bucket(BUCKET));
    String run = "scale-" + System.nanoTime();
    Tables.createIfMissing(real, Tables.subscriptions(run + "-s"));
    Tables.createIfMissing(real, Tables.results(run + "-r"));

    // Objects into S3 (not part of the ingest figures).
    long t0 = System.nanoTime();
    LongAdder gzBytes = new LongAdder();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      int chunk = Math.max(1, firsts.size() / (threads * 8));
      for (int i = 0; i < firsts.size(); i += chunk) {
        List<OrgTrail.Delivery> part = firsts.subList(i, Math.min(firsts.size(), i + chunk));
        fs.add(
            pool.submit(
                () -> {
                  for (OrgTrail.Delivery d : part) {
                    byte[] gz = trail.object(d);
                    OBJECTS.put(d.key(), gz);
                    gzBytes.add(gz.length);
                    s3.putObject(b -> b.bucket(BUCKET).key(d.key()), RequestBody.fromBytes(gz));
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    System.out.printf(
        "generated and stored %d objects (avg %.1f KB gzip) in %.1f s%n",
        firsts.size(), gzBytes.sum() / 1024.0 / firsts.size(), secs(t0));

    // Subscriptions: the first S of the saved-query pack (1h bins unless the query bins), created
    // before the trail starts; alarms on the first A (5-minute bins, never breaching).
    long created = cfg.startMillis() - 86_400_000L;
    SubscriptionStore subStore = new SubscriptionStore(real, run + "-s", 0);
    AlarmStore alarmStore = new AlarmStore(real, run + "-r");
    List<Subscription> subs = new ArrayList<>();
    List<SavedQuery> pack = QueryPack.all();
    for (int i = 0; i < nAlarms; i++) {
      Subscription s =
          Subscription.create("alarmed-" + i, alarmQuery, "5m", null, null, created + i, null);
      subStore.put(s, false);
      alarmStore.put(
          new Alarm(s.name(), "n", Alarm.Comparison.GT, 1e9, null, false, created - 3_600_000L));
      subs.add(s);
    }
    // the read probe: the issue's hourly subscription, fed by every hour of the trail
    Subscription probeSub =
        Subscription.create(
            "by-source",
            "stats count(*) as n by eventSource, bin(1h)",
            null,
            null,
            null,
            created + 50,
            null);
    subStore.put(probeSub, false);
    subs.add(probeSub);
    for (int i = subs.size(); i < nSubs; i++) {
      SavedQuery q = pack.get(i % pack.size());
      Subscription s =
          Subscription.create("q" + i, q.query(), null, null, null, created + 100 + i, null);
      subStore.put(s, false);
      subs.add(s);
    }

    // Ingest in delivery order: SQS batches of 10 from `threads` concurrent containers; every
    // 15 simulated minutes the sealer runs (as the schedule does).
    PrintStream quiet =
        new PrintStream(
            new ByteArrayOutputStream() {
              @Override
              public synchronized void write(byte[] b, int off, int len) {
                // dropped: the handler's log lines
              }
            });
    IngestConfig config = IngestConfig.defaults(run + "-s", run + "-r", quiet);
    List<IngestHandler> handlers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      handlers.add(new IngestHandler(config, s3, db, null, SIM_CLOCK::get));
    }
    ResultStore store = new ResultStore(db, run + "-r", ResultStore.DEFAULT_PART_BYTES);
    SealedStore sealed = new SealedStore(store);
    Sealer sealer = new Sealer(sealed, subStore::list, SIM_CLOCK::get);
    long sealMillis = 0;
    int sealRuns = 0;
    double[] cpuBefore = cpu();
    long ingestNanos = 0;
    long lastSeal = Slots.slot(cfg.startMillis());
    int pos = 0;
    AtomicInteger failedMessages = new AtomicInteger();
    Read midDay = null;
    Map<String, long[]> midDayKinds = Map.of();
    long midDayProgress = 0;
    long midDayClock = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      while (pos < deliveries.size()) {
        long waveEnd = lastSeal + Slots.SLOT_MILLIS;
        int end = pos;
        while (end < deliveries.size() && deliveries.get(end).atMillis() < waveEnd) {
          end++;
        }
        List<OrgTrail.Delivery> wave = deliveries.subList(pos, end);
        long w0 = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          IngestHandler h = handlers.get(t);
          fs.add(
              pool.submit(
                  () -> {
                    for (int i; (i = next.getAndAdd(10)) < wave.size(); ) {
                      List<OrgTrail.Delivery> batch =
                          wave.subList(i, Math.min(wave.size(), i + 10));
                      SIM_CLOCK.accumulateAndGet(batch.getLast().atMillis(), Math::max);
                      var response = h.handle(sqsEvent(batch));
                      failedMessages.addAndGet(response.path("batchItemFailures").size());
                    }
                    return null;
                  }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
        ingestNanos += System.nanoTime() - w0;
        if (midDay == null
            && waveEnd >= cfg.startMillis() + (days - 1) * 86_400_000L + 43_200_000L) {
          // steady state at noon of the last day: what a read finds before the sealer's next run
          SIM_CLOCK.accumulateAndGet(waveEnd, Math::max);
          Results noonResults = new Results(store, SIM_CLOCK::get);
          long d0 = cfg.startMillis() + (days - 1) * 86_400_000L;
          READ_KINDS.clear();
          midDay = read(noonResults, probeSub, d0, d0 + 86_400_000L);
          midDayKinds = new java.util.TreeMap<>();
          for (var e : READ_KINDS.entrySet()) {
            midDayKinds.put(e.getKey(), e.getValue().clone());
          }
          midDayProgress = sealed.progress();
          midDayClock = SIM_CLOCK.get();
        }
        pos = end;
        lastSeal = waveEnd;
        SIM_CLOCK.accumulateAndGet(waveEnd, Math::max);
        PHASE.set("seal");
        long s0 = System.nanoTime();
        sealer.seal();
        sealMillis += (System.nanoTime() - s0) / 1_000_000;
        sealRuns++;
        PHASE.set("ingest");
      }
    }
    long simEnd = SIM_CLOCK.get();
    double[] cpuAfter = cpu();
    Usage ingest = USAGE.getOrDefault("ingest", new Usage());
    Usage alarm = USAGE.getOrDefault("alarm", new Usage());
    double ingestSecs = ingestNanos / 1e9;
    System.out.printf(
        "ingested %d notifications in %.1f s: %.0f objects/s; failed messages %d%n",
        deliveries.size(), ingestSecs, deliveries.size() / ingestSecs, failedMessages.get());

    // Reads in the steady state (the last slots not sealed yet), then after sealing everything.
    Subscription probe = probeSub;
    Results results = new Results(store, SIM_CLOCK::get);
    long dayStart = cfg.startMillis() + (days - 1) * 86_400_000L;
    long dayEnd = dayStart + 86_400_000L;
    Read steady = read(results, probe, dayStart, dayEnd);
    List<String> mismatches = check(s3, results, subs, firsts);
    PHASE.set("seal");
    long s0 = System.nanoTime();
    SIM_CLOCK.set(simEnd + 3 * 3_600_000L); // hours later: every slot closed
    Sealer.Report last = sealer.seal();
    sealMillis += (System.nanoTime() - s0) / 1_000_000;
    sealRuns++;
    PHASE.set("ingest");
    Read sealedDay = read(results, probe, dayStart, dayEnd);
    List<String> mismatchesSealed = check(s3, results, subs, firsts);
    Usage seal = USAGE.getOrDefault("seal", new Usage());

    // 30 days: the simulated days' sealed items copied to the 30 - D days before them (same
    // sizes), then a 30-day hourly read of the probe subscription.
    int copied = copyDays(real, run + "-r", probe, cfg.startMillis(), days, 30 - days);
    Read month = read(results, probe, dayEnd - 30 * 86_400_000L, dayEnd);

    long objects = firsts.size();
    System.out.println();
    System.out.printf(
        "| figure | value |%n|---|---|%n"
            + "| objects (unique) / notifications | %d / %d |%n"
            + "| ingest rate (in-process handler, %d containers) | %.0f objects/s |%n"
            + "| ingest write units per notification | %.2f WCU |%n"
            + "| ingest read units per notification (not alarms) | %.3f RCU |%n"
            + "| alarm reads per notification (%d alarm(s)) | %.3f requests, %.3f RCU |%n"
            + "| alarm write units per notification | included above |%n"
            + "| sealing: runs, time | %d runs, %.1f s |%n"
            + "| sealing write units per object | %.3f WCU |%n"
            + "| sealing read units per object | %.3f RCU |%n"
            + "| total write units per object (ingest + sealing) | %.2f WCU |%n"
            + "| 1-day read, last slots unsealed: items, KB, handler ms (median of 5) | %d, %.0f KB,"
            + " %.0f ms |%n"
            + "| 1-day read, all sealed: items, KB, handler ms | %d, %.0f KB, %.0f ms |%n"
            + "| 30-day read, all sealed (%d days copied): items, KB, handler ms | %d, %.0f KB,"
            + " %.0f ms |%n"
            + "| hottest partition during ingest: WCU in one simulated second | %.0f (%s) |%n"
            + "| hottest partition during ingest: RCU in one simulated second | %.0f (%s) |%n"
            + "| results equal to the one-pass query (%d subscriptions) | unsealed: %s; sealed: %s"
            + " |%n"
            + "| wall time of the whole run | %.1f s |%n",
        objects,
        deliveries.size(),
        threads,
        deliveries.size() / ingestSecs,
        ingest.writeUnits.sum() / (double) deliveries.size(),
        ingest.readUnits.sum() / deliveries.size(),
        nAlarms,
        alarm.requests.sum() / (double) deliveries.size(),
        alarm.readUnits.sum() / deliveries.size(),
        sealRuns,
        sealMillis / 1000.0,
        seal.writeUnits.sum() / (double) objects,
        seal.readUnits.sum() / objects,
        (ingest.writeUnits.sum() + alarm.writeUnits.sum() + seal.writeUnits.sum())
            / (double) objects,
        steady.items,
        steady.bytes / 1024.0,
        steady.medianMillis,
        sealedDay.items,
        sealedDay.bytes / 1024.0,
        sealedDay.medianMillis,
        copied,
        month.items,
        month.bytes / 1024.0,
        month.medianMillis,
        hottest(0)[0],
        hottestKey(0),
        hottest(1)[0],
        hottestKey(1),
        subs.size(),
        mismatches.isEmpty() ? "yes" : "NO " + mismatches,
        mismatchesSealed.isEmpty() ? "yes" : "NO " + mismatchesSealed,
        secs(wallStart));
    System.out.printf("last seal: %s%n", last);
    System.out.printf(
        "alarm bins: %d object claims (%.3f per notification), %d found made already (%.3f per"
            + " notification); alarm write units per notification %.3f WCU, per claim %.3f;"
            + " alarm read units per claim %.3f RCU%n",
        ALARM_CLAIMS.sum(),
        ALARM_CLAIMS.sum() / (double) deliveries.size(),
        ALARM_CLAIMS_FAILED.sum(),
        ALARM_CLAIMS_FAILED.sum() / (double) deliveries.size(),
        alarm.writeUnits.sum() / (double) deliveries.size(),
        alarm.writeUnits.sum() / (double) Math.max(1, ALARM_CLAIMS.sum()),
        alarm.readUnits.sum() / Math.max(1, ALARM_CLAIMS.sum()));
    if (midDay != null) {
      System.out.printf(
          "steady-state 1-day read at %s (sealed through %s): %d items, %.0f KB, %.0f ms (median"
              + " of 5); per read, by partition kind (items, KB, requests):%n",
          Instant.ofEpochMilli(midDayClock),
          Instant.ofEpochMilli(midDayProgress + Slots.SLOT_MILLIS),
          midDay.items,
          midDay.bytes / 1024.0,
          midDay.medianMillis);
      for (var e : midDayKinds.entrySet()) {
        System.out.printf(
            "  %-8s %7.0f items %9.1f KB %6.0f requests%n",
            e.getKey(), e.getValue()[0] / 5.0, e.getValue()[1] / 5.0 / 1024, e.getValue()[2] / 5.0);
      }
    }
    double ingestCpu = cpuAfter[0] - cpuBefore[0] + cpuAfter[1] - cpuBefore[1];
    System.out.printf(
        "ingest + sealing phase: %.1f s wall; CPU %.1f s in this JVM (handlers, S3Proxy, sealer) +"
            + " %.1f s in dynalite = %.2f ms CPU per notification; on 2 free cores that phase"
            + " takes >= %.1f s for these %d notifications (%.0f s per 100,000)%n",
        ingestSecs + sealMillis / 1000.0,
        cpuAfter[0] - cpuBefore[0],
        cpuAfter[1] - cpuBefore[1],
        1000 * ingestCpu / deliveries.size(),
        ingestCpu / 2,
        deliveries.size(),
        ingestCpu / 2 / deliveries.size() * 100_000);
    double[] total = cpu();
    System.out.printf(
        "whole run: %.1f s wall, %.1f s CPU (JVM %.1f + dynalite %.1f): >= %.1f s on 2 free cores%n",
        secs(wallStart), total[0] + total[1], total[0], total[1], (total[0] + total[1]) / 2);
    if (!mismatches.isEmpty() || !mismatchesSealed.isEmpty()) {
      System.exit(1);
    }
    System.exit(0);
  }

  /** A read's cost: items and bytes read, median handler time. */
  record Read(long items, long bytes, double medianMillis) {}

  static Read read(Results results, Subscription s, long start, long end) throws Exception {
    PHASE.set("read");
    double[] ms = new double[5];
    long items = 0;
    long bytes = 0;
    for (int i = 0; i < ms.length; i++) {
      Usage before = snapshot();
      long t = System.nanoTime();
      results.series(s, start, end);
      ms[i] = (System.nanoTime() - t) / 1e6;
      Usage u = USAGE.get("read");
      items = u.itemsRead.sum() - before.itemsRead.sum();
      bytes = u.bytesRead.sum() - before.bytesRead.sum();
    }
    PHASE.set("ingest");
    Arrays.sort(ms);
    return new Read(items, bytes, ms[ms.length / 2]);
  }

  static Usage snapshot() {
    Usage u = USAGE.computeIfAbsent("read", k -> new Usage());
    Usage s = new Usage();
    s.itemsRead.add(u.itemsRead.sum());
    s.bytesRead.add(u.bytesRead.sum());
    return s;
  }

  /** Subscriptions whose merged result differs from the engine's one pass over the objects. */
  static List<String> check(
      S3Client s3, Results results, List<Subscription> subs, List<OrgTrail.Delivery> firsts)
      throws Exception {
    PHASE.set("check");
    dev.trailquery.store.ObjectSource memory =
        new dev.trailquery.store.ObjectSource() {
          @Override
          public List<ObjectRef> list() {
            return firsts.stream().map(d -> new ObjectRef(BUCKET, d.key(), -1)).toList();
          }

          @Override
          public java.io.InputStream open(ObjectRef ref) {
            return new java.io.ByteArrayInputStream(OBJECTS.get(ref.key()));
          }

          @Override
          public String location() {
            return "memory";
          }
        };
    List<Scan.Input> inputs = new ArrayList<>();
    for (OrgTrail.Delivery d : firsts) {
      inputs.add(new Scan.Input(memory, new ObjectRef(BUCKET, d.key(), -1)));
    }
    List<String> bad = new ArrayList<>();
    for (Subscription s : subs) {
      Result expected =
          REFERENCE.computeIfAbsent(
              s.id(), k -> Trailquery.runInputs(s.plan(), inputs, 2, Scan.Listener.NONE));
      Result actual = results.merged(s, Long.MIN_VALUE, Long.MAX_VALUE);
      if (!actual.rowMaps().equals(expected.rowMaps())
          || actual.statistics().recordsMatched() != expected.statistics().recordsMatched()
          || actual.statistics().recordsScanned() != expected.statistics().recordsScanned()) {
        bad.add(s.name());
      }
    }
    PHASE.set("ingest");
    return bad;
  }

  /** Copies the probe's sealed items of the simulated days to {@code n} earlier days. */
  static int copyDays(
      DynamoDbClient db, String table, Subscription s, long firstDay, int days, int n) {
    int copied = 0;
    for (int back = 1; back <= n; back++) {
      long src = firstDay + ((back - 1) % days) * 86_400_000L;
      long dst = firstDay - back * 86_400_000L;
      String srcDay = Slots.day(src);
      String dstDay = Slots.day(dst);
      long shift = dst - src;
      QueryResponse r =
          db.query(
              q ->
                  q.tableName(table)
                      .keyConditionExpression("pk = :pk")
                      .expressionAttributeValues(
                          Map.of(":pk", AttributeValue.fromS(Slots.sealedPk(s.id(), srcDay)))));
      for (Map<String, AttributeValue> item : r.items()) {
        Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
        String[] f = item.get("sk").s().split("#");
        copy.put("pk", AttributeValue.fromS(Slots.sealedPk(s.id(), dstDay)));
        copy.put(
            "sk",
            AttributeValue.fromS(
                Slots.pad(Long.parseLong(f[0]) + shift) + "#" + f[1] + "#" + f[2]));
        copy.put("b", AttributeValue.fromB(rebased(item, shift)));
        db.putItem(p -> p.tableName(table).item(copy));
      }
      db.putItem(
          p ->
              p.tableName(table)
                  .item(
                      Map.of(
                          "pk", AttributeValue.fromS(Keys.SEALED_DAYS + s.id()),
                          "sk", AttributeValue.fromS(dstDay))));
      copied++;
    }
    return copied;
  }

  /** A sealed item's image with its bin start moved (single-part items only, as here). */
  static software.amazon.awssdk.core.SdkBytes rebased(
      Map<String, AttributeValue> item, long shift) {
    try {
      var bin =
          dev.trailquery.functions.store.sealing.SealedBin.decode(item.get("b").b().asByteArray());
      var moved =
          new dev.trailquery.functions.store.sealing.SealedBin(
              bin.subscriptionId(),
              bin.binStart() + shift,
              bin.sealedThrough(),
              bin.records(),
              bin.objects(),
              bin.bytes(),
              bin.state());
      return software.amazon.awssdk.core.SdkBytes.fromByteArray(moved.encode());
    } catch (java.io.IOException e) {
      return item.get("b").b();
    }
  }

  static double[] hottest(int which) {
    double max = 0;
    for (double[] v : HOT.values()) {
      max = Math.max(max, v[which]);
    }
    return new double[] {max};
  }

  static String hottestKey(int which) {
    String best = "-";
    double max = -1;
    for (var e : HOT.entrySet()) {
      if (e.getValue()[which] > max) {
        max = e.getValue()[which];
        best = e.getKey().substring(0, e.getKey().lastIndexOf('@'));
      }
    }
    return best.length() > 40 ? best.substring(0, 40) : best;
  }

  static com.fasterxml.jackson.databind.JsonNode sqsEvent(List<OrgTrail.Delivery> batch) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (OrgTrail.Delivery d : batch) {
      ObjectNode body = JSON.createObjectNode();
      ObjectNode r = body.putArray("Records").addObject();
      r.put("eventSource", "aws:s3");
      r.put("eventName", "ObjectCreated:Put");
      r.put("eventTime", Instant.ofEpochMilli(d.atMillis()).toString());
      ObjectNode s3 = r.putObject("s3");
      s3.putObject("bucket").put("name", BUCKET);
      s3.putObject("object").put("key", d.key()).put("size", 1);
      records
          .addObject()
          .put("messageId", java.util.UUID.randomUUID().toString())
          .put("eventSource", "aws:sqs")
          .put("body", body.toString());
    }
    return event;
  }

  /** CPU seconds used so far by this JVM and by its child processes (dynalite). */
  static double[] cpu() {
    double jvm =
        ((com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime()
            / 1e9;
    double children = 0;
    for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
      children += p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
    return new double[] {jvm, children};
  }

  private static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
