package dev.trailquery.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.Trailquery;
import dev.trailquery.blocks.BlockQuery;
import dev.trailquery.blocks.BlockStore;
import dev.trailquery.blocks.Compactor;
import dev.trailquery.blocks.DirBlockStore;
import dev.trailquery.exec.Finisher;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Compacted blocks against raw objects on a simulated organization trail (scripts/bench blocks):
 * GETs, bytes and worker-seconds per query under an S3 latency model, storage, and the local CLI
 * over raw objects and over blocks, side by side in one run.
 *
 * <p>The trail: {@code --objects-per-day} objects a day for {@code --days} days, over {@code
 * --accounts} accounts and 4 regions, laid out as an organization trail writes ({@code
 * AWSLogs/o-.../ACCOUNT/CloudTrail/REGION/yyyy/MM/dd/..._yyyyMMddTHHmmZ_....json.gz}); the records
 * are the bundled samples' events (their real shapes) with fresh identities, 4–16 per object, and
 * ConsoleLogin events at 1 in 3,000 records (org trails are dominated by API calls).
 *
 * <p>S3 model: every GET (whole object or range) waits 20–40 ms (uniform) before its first byte and
 * then streams at 80 MB/s; every LIST 30 ms per 1,000 keys. A worker keeps 32 GETs in flight and
 * takes up to 2,000 objects or 64 MB (the deployed fan-out); worker-seconds are the sum of the
 * workers' wall times, each worker run alone.
 */
public final class BlocksBench {
  static final ObjectMapper JSON = dev.trailquery.json.Mappers.MAPPER;
  static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter KEY_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  static final String[] REGIONS = {"us-east-1", "us-west-2", "eu-west-1", "ap-south-1"};
  static final long START = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
  static final long DAY_MS = 86_400_000L;

  public static void main(String[] args) throws Exception {
    int perDay = 10_000;
    int days = 7;
    int accounts = 40;
    long seed = 11;
    boolean cli = true;
    boolean formats = true;
    boolean formatsOnly = false;
    int runs = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--objects-per-day" -> perDay = Integer.parseInt(args[++i]);
        case "--days" -> days = Integer.parseInt(args[++i]);
        case "--accounts" -> accounts = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--no-cli" -> cli = false;
        case "--no-formats" -> formats = false;
        case "--formats-only" -> formatsOnly = true;
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path home = Path.of(System.getProperty("trailquery.home", ".")).toAbsolutePath().normalize();
    Path base =
        home.resolve("bench/target/orgtrail-" + perDay + "x" + days + "-" + accounts + "-" + seed);
    Path raw = base.resolve("trail");
    Path blocks = base.resolve("blocks");
    System.out.printf(
        "# blocks bench: %d objects/day x %d days, %d accounts x %d regions, seed %d (%s, %d cores)%n",
        perDay,
        days,
        accounts,
        REGIONS.length,
        seed,
        Instant.now(),
        Runtime.getRuntime().availableProcessors());
    long rawBytes;
    if (!Files.exists(base.resolve("generated"))) {
      long t0 = System.nanoTime();
      rawBytes = generate(home, raw, perDay, days, accounts, seed);
      Files.writeString(base.resolve("generated"), Long.toString(rawBytes));
      System.out.printf(
          "generated %.1f MB gzip in %.0f s%n", rawBytes / 1e6, (System.nanoTime() - t0) / 1e9);
    } else {
      rawBytes = Long.parseLong(Files.readString(base.resolve("generated")).trim());
    }
    long objects = perDay * (long) days;
    System.out.printf(
        "raw trail: %d objects, %.1f MB gzip (%.2f KB each)%n",
        objects, rawBytes / 1e6, rawBytes / 1e3 / objects);
    System.out.println("load average at start: " + loadAverage());
    if (formatsOnly) {
      formats(raw, base);
      System.out.println("load average at end: " + loadAverage());
      return;
    }

    // ---- compaction ----
    Compactor.Options opts = Compactor.Options.defaults().withThreads(2);
    long t0 = System.nanoTime();
    Compactor.Report rep =
        new Compactor(new DirBlockStore(blocks), opts, System::currentTimeMillis)
            .compact(List.of(new LocalFileSource(raw)), Long.MIN_VALUE, Long.MAX_VALUE, null);
    double compactSecs = (System.nanoTime() - t0) / 1e9;
    long stored = dirBytes(blocks);
    System.out.printf(
        "compaction: %d windows (%d compacted, %d up to date) %d blocks %d chunks, %.0f s (2 threads);"
            + " stored %.1f MB = %.1f%% of raw gzip (blocks %.1f MB + manifests/lists/indexes %.1f MB)%n",
        rep.windows(),
        rep.compacted(),
        rep.upToDate(),
        rep.blocks(),
        rep.chunks(),
        compactSecs,
        stored / 1e6,
        100.0 * stored / rawBytes,
        tqb(blocks) / 1e6,
        (stored - tqb(blocks)) / 1e6);

    // ---- simulated S3 ----
    String[] queries = {
      "stats count(*) as n by eventSource | sort n desc",
      "filter eventName = \"ConsoleLogin\" | fields @timestamp, userIdentity.arn, sourceIPAddress,"
          + " @logStream",
      "filter errorCode = \"AccessDenied\" | stats count(*) as n by userIdentity.arn, eventName",
      "filter sourceIPAddress = \"203.0.113.77\" | stats count(*) as n by eventName",
    };
    long end = START + days * DAY_MS;
    System.out.println();
    System.out.println(
        "| query (7 days) | GETs raw | GETs blocks | ratio | MB read raw | MB read blocks | ratio | worker-s raw | worker-s blocks | ratio | CPU-s raw | CPU-s blocks | ratio | plan s (blocks) | same result |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (String q : queries) {
      Plan plan = Trailquery.compile(q, new Planner.Options(START, end, end, null));
      Sim rawSim = new Sim(seed);
      LatencySource src = new LatencySource(new LocalFileSource(raw), rawSim);
      // raw: what the deployed coordinator does — list, split in batches, workers
      List<Scan.Input> inputs = new ArrayList<>();
      for (ObjectRef r : src.list()) {
        inputs.add(new Scan.Input(src, r));
      }
      List<BlockQuery.Task> rawTasks = new ArrayList<>();
      inputs.forEach(in -> rawTasks.add(new BlockQuery.Raw(in)));
      BlockQuery rawRunner = new BlockQuery(plan, new DirBlockStore(base.resolve("none")));
      Run rr = workers(rawRunner, plan, rawTasks);
      // blocks
      Sim bSim = new Sim(seed);
      LatencySource src2 = new LatencySource(new LocalFileSource(raw), bSim);
      BlockStore store = new LatencyStore(new DirBlockStore(blocks), bSim);
      BlockQuery bq = new BlockQuery(plan, store);
      long p0 = System.nanoTime();
      List<BlockQuery.Task> tasks = bq.tasks(List.of(src2));
      double planSecs = (System.nanoTime() - p0) / 1e9;
      long planGets = bSim.gets.get();
      Run br = workers(bq, plan, tasks);
      boolean same =
          rr.result.fields().equals(br.result.fields())
              && rr.result.rowMaps().equals(br.result.rowMaps());
      System.out.printf(
          "| `%s` | %d | %d (%d plan) | %.0f× | %.1f | %.2f | %.0f× | %.1f | %.2f | %.0f× | %.1f | %.2f | %.1f× | %.2f | %s |%n",
          q.replace("|", "\\|"),
          rawSim.gets.get(),
          bSim.gets.get(),
          planGets,
          (double) rawSim.gets.get() / bSim.gets.get(),
          rawSim.bytes.get() / 1e6,
          bSim.bytes.get() / 1e6,
          (double) rawSim.bytes.get() / bSim.bytes.get(),
          rr.workerSecs,
          br.workerSecs,
          rr.workerSecs / br.workerSecs,
          rr.cpuSecs,
          br.cpuSecs,
          rr.cpuSecs / Math.max(br.cpuSecs, 1e-3),
          planSecs,
          same ? "yes" : "NO");
      System.out.println(
          "  blocks: "
              + bq.stats()
              + "; raw LISTs "
              + rawSim.lists.get()
              + ", blocks LISTs "
              + bSim.lists.get()
              + "; workers raw "
              + rr.workers
              + ", blocks "
              + br.workers);
    }

    if (formats) {
      formats(raw, base);
    }
    if (cli) {
      cli(home, raw, blocks, runs);
    }
    System.out.println("load average at end: " + loadAverage());
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  // ---------------------------------------------------------------- workers

  record Run(Result result, double workerSecs, int workers, double cpuSecs) {}

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Splits tasks into worker batches (2,000 objects or 64 MB) and runs them one after another. */
  static Run workers(BlockQuery runner, Plan plan, List<BlockQuery.Task> tasks) {
    List<List<BlockQuery.Task>> batches = new ArrayList<>();
    List<BlockQuery.Task> cur = new ArrayList<>();
    long bytes = 0;
    for (BlockQuery.Task t : tasks) {
      long b =
          switch (t) {
            case BlockQuery.Raw r -> Math.max(r.input().ref().size(), 4096);
            case BlockQuery.ChunkRun c -> c.length();
          };
      if (!cur.isEmpty() && (cur.size() >= 2000 || bytes + b > 64L << 20)) {
        batches.add(cur);
        cur = new ArrayList<>();
        bytes = 0;
      }
      cur.add(t);
      bytes += b;
    }
    if (!cur.isEmpty()) {
      batches.add(cur);
    }
    PartialState merged = new PartialState(plan);
    double secs = 0;
    long c0 = cpuNanos();
    for (List<BlockQuery.Task> batch : batches) {
      long t0 = System.nanoTime();
      PartialState s = runner.scan(batch, 32);
      secs += (System.nanoTime() - t0) / 1e9;
      try {
        merged.merge(PartialState.fromBytes(plan, s.toBytes()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    double cpu = (cpuNanos() - c0) / 1e9;
    return new Run(Finisher.finish(merged), secs, batches.size(), cpu);
  }

  // ---------------------------------------------------------------- S3 model

  /** Counts requests and bytes and makes each wait as S3 would. */
  static final class Sim {
    final AtomicLong gets = new AtomicLong();
    final AtomicLong lists = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();

    Sim(long seed) {}

    void get(long n) {
      gets.incrementAndGet();
      bytes.addAndGet(n);
      sleepMicros(
          ThreadLocalRandom.current().nextLong(20_000, 40_001) + n * 1_000_000 / (80L << 20));
    }

    void list(long keys) {
      long pages = Math.max(1, (keys + 999) / 1000);
      lists.addAndGet(pages);
      sleepMicros(pages * 30_000);
    }

    static void sleepMicros(long us) {
      try {
        Thread.sleep(us / 1000, (int) (us % 1000) * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static final class LatencySource implements ObjectSource {
    final ObjectSource in;
    final Sim sim;

    LatencySource(ObjectSource in, Sim sim) {
      this.in = in;
      this.sim = sim;
    }

    @Override
    public List<ObjectRef> list() throws IOException {
      List<ObjectRef> l = in.list();
      sim.list(l.size());
      return l;
    }

    @Override
    public InputStream open(ObjectRef ref) throws IOException {
      sim.get(ref.size());
      return in.open(ref);
    }

    @Override
    public String location() {
      return in.location();
    }
  }

  static final class LatencyStore implements BlockStore {
    final BlockStore in;
    final Sim sim;

    LatencyStore(BlockStore in, Sim sim) {
      this.in = in;
      this.sim = sim;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
      List<String> l = in.list(prefix);
      sim.list(l.size());
      return l;
    }

    @Override
    public byte[] read(String name) throws IOException {
      byte[] b = in.read(name);
      sim.get(b == null ? 0 : b.length);
      return b;
    }

    @Override
    public InputStream openRange(String name, long offset, long length) throws IOException {
      sim.get(length);
      return in.openRange(name, offset, length);
    }

    @Override
    public void write(String name, byte[] bytes) throws IOException {
      in.write(name, bytes);
    }

    @Override
    public void delete(String name) throws IOException {
      in.delete(name);
    }

    @Override
    public String location() {
      return in.location();
    }
  }

  // ---------------------------------------------------------------- formats

  /**
   * One day compacted as version-1 chunks (gzip-6 NDJSON, the previous format) and as version-2
   * chunks (columns + zstd) at several levels: stored size, compaction time, and a full scan's time
   * for a query answered from columns and for one that parses the records' JSON.
   */
  static void formats(Path raw, Path base) throws IOException {
    System.out.println();
    System.out.println(
        "| block format (day 1) | stored MB | % of raw gzip | compact s (2 threads) | full scan, fields in columns s | full scan, a field not in columns s |");
    System.out.println("|---|---|---|---|---|---|");
    long rawDay = 0;
    try (Stream<Path> s = Files.walk(raw)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)
            && Compactor.keyTime(p.toString()) >= 0
            && Compactor.keyTime(p.toString()) < START + DAY_MS) {
          rawDay += Files.size(p);
        }
      }
    }
    Plan columns =
        Trailquery.compile("stats count(*) by eventSource, eventName", Planner.Options.defaults());
    Plan json =
        Trailquery.compile(
            "stats count(*) by eventSource, tlsDetails.tlsVersion", Planner.Options.defaults());
    // the raw day itself, scanned the same way
    List<Scan.Input> dayInputs = new ArrayList<>();
    LocalFileSource src = new LocalFileSource(raw);
    for (ObjectRef r : src.list()) {
      long t = Compactor.keyTime(r.key());
      if (t >= START && t < START + DAY_MS) {
        dayInputs.add(new Scan.Input(src, r));
      }
    }
    double[] rawScan = new double[3];
    double[] rawJson = new double[3];
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      Trailquery.runInputs(columns, dayInputs, 1, Scan.Listener.NONE);
      rawScan[i] = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      Trailquery.runInputs(json, dayInputs, 1, Scan.Listener.NONE);
      rawJson[i] = (System.nanoTime() - t0) / 1e9;
    }
    System.out.printf(
        "| raw objects (gzip JSON, one GET each) | %.1f | 100 | - | %.2f | %.2f |%n",
        rawDay / 1e6, median(rawScan), median(rawJson));
    for (int level : new int[] {-6, 3, 9, 15, 19}) {
      Path dir = base.resolve("format-" + level);
      Compactor.Options o = Compactor.Options.defaults();
      o =
          new Compactor.Options(
              o.windowMillis(), o.chunkJsonBytes(), o.blockJsonBytes(), level, 2, o.graceMillis());
      long t0 = System.nanoTime();
      new Compactor(new DirBlockStore(dir), o, System::currentTimeMillis)
          .compact(List.of(src), START, START + DAY_MS, null);
      double secs = (System.nanoTime() - t0) / 1e9;
      long stored = dirBytes(dir);
      double[] scan = new double[3];
      double[] scanJson = new double[3];
      for (int i = 0; i < 3; i++) {
        scan[i] = blockScan(columns, dir);
        scanJson[i] = blockScan(json, dir);
      }
      System.out.printf(
          "| %s | %.1f | %.1f | %.0f | %.2f | %.2f |%n",
          level < 0
              ? "v1: gzip-" + -level + " NDJSON chunks (before)"
              : "v2: columns + zstd-" + level,
          stored / 1e6,
          100.0 * stored / rawDay,
          secs,
          median(scan),
          median(scanJson));
    }
  }

  static double blockScan(Plan plan, Path dir) throws IOException {
    BlockQuery bq = new BlockQuery(plan, new DirBlockStore(dir));
    long s0 = System.nanoTime();
    Finisher.finish(bq.scan(bq.tasks(List.of()), 1));
    return (System.nanoTime() - s0) / 1e9;
  }

  // ---------------------------------------------------------------- CLI

  static void cli(Path home, Path raw, Path blocks, int runs)
      throws IOException, InterruptedException {
    String[] queries = {
      "stats count(*) as n by eventSource, eventName",
      "filter eventName = \"ConsoleLogin\" | stats count(*) by sourceIPAddress",
    };
    System.out.println();
    System.out.println(
        "| ./trailquery query (local, median of " + runs + ") | raw dir s | blocks dir s | ratio |");
    System.out.println("|---|---|---|---|");
    for (String q : queries) {
      double[] r = new double[runs];
      double[] b = new double[runs];
      String outR = null;
      String outB = null;
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        outR = run(home, q, raw.toString());
        r[i] = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        outB = run(home, q, blocks.toString());
        b[i] = (System.nanoTime() - t0) / 1e9;
      }
      System.out.printf(
          "| `%s` | %.2f | %.2f | %.1f× %s |%n",
          q.replace("|", "\\|"),
          median(r),
          median(b),
          median(r) / median(b),
          outR.equals(outB) ? "" : "(OUTPUT DIFFERS)");
    }
  }

  static String run(Path home, String q, String path) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                home.resolve("trailquery").toString(), "query", q, path, "--format", "csv")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("trailquery failed on " + path);
    }
    return out;
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  static long dirBytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static long tqb(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".tqb")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  // ---------------------------------------------------------------- the trail

  static long generate(Path home, Path dir, int perDay, int days, int accounts, long seed)
      throws IOException {
    List<ObjectNode> all = Generator.templates(home.resolve("samples/cloudtrail"));
    List<ObjectNode> logins = new ArrayList<>();
    List<ObjectNode> common = new ArrayList<>();
    for (ObjectNode t : all) {
      (t.path("eventName").asText().equals("ConsoleLogin") ? logins : common).add(t);
    }
    String[] accts = new String[accounts];
    Random ar = new Random(seed);
    for (int i = 0; i < accounts; i++) {
      accts[i] = String.format("%012d", Math.abs(ar.nextLong()) % 1_000_000_000_000L);
    }
    long total = 0;
    int objects = perDay * days;
    // two writers, each a deterministic half
    AtomicLong bytes = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int part = w;
      Thread t =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int o = part; o < objects; o += 2) {
                        bytes.addAndGet(object(dir, o, perDay, accts, common, logins, seed));
                      }
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
      threads.add(t);
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
    }
    total = bytes.get();
    return total;
  }

  static long object(
      Path dir,
      int o,
      int perDay,
      String[] accts,
      List<ObjectNode> common,
      List<ObjectNode> logins,
      long seed)
      throws IOException {
    // SplittableRandom mixes its seed: neighbouring objects get unrelated streams
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed * 1_000_003L + o);
    int day = o / perDay;
    long keyTime = START + day * DAY_MS + (long) (rnd.nextDouble() * DAY_MS);
    keyTime -= keyTime % 60_000;
    String account = accts[rnd.nextInt(accts.length)];
    String region = REGIONS[rnd.nextInt(REGIONS.length)];
    ObjectNode root = JSON.createObjectNode();
    ArrayNode recs = root.putArray("Records");
    int n = 4 + rnd.nextInt(13);
    for (int i = 0; i < n; i++) {
      ObjectNode t =
          rnd.nextInt(3000) == 0 && !logins.isEmpty()
              ? logins.get(rnd.nextInt(logins.size()))
              : common.get(rnd.nextInt(common.size()));
      ObjectNode e = t.deepCopy();
      long et = keyTime - rnd.nextInt(300_000);
      e.put("eventTime", EVENT_TIME.format(Instant.ofEpochMilli(et)));
      e.put("eventID", new UUID(rnd.nextLong(), rnd.nextLong()).toString());
      if (e.has("requestID")) {
        e.put("requestID", new UUID(rnd.nextLong(), rnd.nextLong()).toString());
      }
      e.put("awsRegion", region);
      e.put("recipientAccountId", account);
      e.put(
          "sourceIPAddress",
          rnd.nextInt(50_000) == 0
              ? "203.0.113.77"
              : (1 + rnd.nextInt(222))
                  + "."
                  + rnd.nextInt(256)
                  + "."
                  + rnd.nextInt(256)
                  + "."
                  + rnd.nextInt(256));
      if (e.get("userIdentity") instanceof ObjectNode u) {
        u.put("accountId", account);
        if (u.has("arn")) {
          u.put(
              "arn",
              "arn:aws:sts::"
                  + account
                  + ":assumed-role/role-"
                  + rnd.nextInt(30)
                  + "/s"
                  + rnd.nextInt(1000));
        }
      }
      recs.add(e);
    }
    String name =
        account
            + "_CloudTrail_"
            + region
            + "_"
            + KEY_TIME.format(Instant.ofEpochMilli(keyTime))
            + "_"
            + Long.toHexString(rnd.nextLong()).toUpperCase()
            + ".json.gz";
    Path folder =
        dir.resolve(
            "AWSLogs/o-sim0example/"
                + account
                + "/CloudTrail/"
                + region
                + "/"
                + DAY.format(Instant.ofEpochMilli(keyTime)));
    Files.createDirectories(folder);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      JSON.writeValue(gz, root);
    }
    Files.write(folder.resolve(name), out.toByteArray());
    return out.size();
  }
}
