package dev.trailquery.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.LocalFileSource;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The side-by-side harness: generates (or reuses) a seeded data set, then runs every contender in
 * rounds, alternating (the order rotates each round), and prints medians and ratios.
 *
 * <pre>
 * Bench [--events N] [--files N] [--seed S] [--data DIR] [--rounds R] [--threads 1,2]
 *       [--skip jackson,tq-jvm,tq-cli,tq-cli-nodaemon,tq-cli-cold,duckdb,duckdb-process,jq,day]
 *       [--day-events N] [--seeds] [--seed-rounds R] [--generate-only]
 * </pre>
 */
public final class Bench {
  static final String COUNT_QUERY = "stats count(*) by eventSource, eventName";
  static final JsonFactory JACKSON = new JsonFactory();

  long events = 300_000;
  int files = 13_800;
  long seed = 42;
  Path data;
  Path root = Path.of(System.getProperty("trailquery.home", ".")).toAbsolutePath().normalize();
  int rounds = 5;
  int seedRounds = 3;
  int[] threads = {1, 2};
  List<String> skip = new ArrayList<>();
  boolean seeds;
  boolean json;
  boolean generateOnly;

  /** The account-day data set (~30 MB of JSON): whole-process times where start-up dominates. */
  long dayEvents = 23_000;

  public static void main(String[] args) throws Exception {
    Bench b = new Bench();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--events" -> b.events = Long.parseLong(args[++i]);
        case "--files" -> b.files = Integer.parseInt(args[++i]);
        case "--seed" -> b.seed = Long.parseLong(args[++i]);
        case "--data" -> b.data = Path.of(args[++i]);
        case "--rounds" -> b.rounds = Integer.parseInt(args[++i]);
        case "--seed-rounds" -> b.seedRounds = Integer.parseInt(args[++i]);
        case "--threads" ->
            b.threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--skip" -> b.skip.addAll(Arrays.asList(args[++i].split(",")));
        case "--seeds" -> b.seeds = true;
        case "--json" -> b.json = true;
        case "--generate-only" -> b.generateOnly = true;
        case "--day-events" -> b.dayEvents = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    b.run();
  }

  void run() throws Exception {
    if (data == null) {
      data = root.resolve("bench/target/data/e" + events + "-f" + files + "-s" + seed);
    }
    generate(data, events, files);
    Path marker = data.resolve(".done");
    String[] st = Files.readString(marker).trim().split(" ");
    long jsonBytes = Long.parseLong(st[2]);
    long gzBytes = Long.parseLong(st[3]);
    List<Path> paths;
    try (Stream<Path> s = Files.walk(data)) {
      paths = s.filter(p -> p.toString().endsWith(".json.gz")).sorted().toList();
    }
    System.out.printf(
        "data: %s: %s events, %,d files, %.1f MB JSON, %.1f MB gzip%n",
        data, st[0], paths.size(), jsonBytes / 1e6, gzBytes / 1e6);
    System.out.printf(
        "machine: %d cores, %s %s, %s; %s; rounds %d; load average %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        System.getProperty("os.arch"),
        java.time.Instant.now(),
        rounds,
        load());
    if (generateOnly) {
      return;
    }

    for (int n : threads) {
      Map<String, Contender> cs = new LinkedHashMap<>();
      cs.put("gunzip (JDK GZIPInputStream)", () -> gunzip(paths, n));
      if (!skip.contains("jackson")) {
        cs.put("gunzip + Jackson token walk", () -> jacksonWalk(paths, n));
      }
      if (!skip.contains("tq-jvm")) {
        Plan plan = Trailquery.compile(COUNT_QUERY, Planner.Options.defaults());
        cs.put("trailquery in-JVM", () -> tq(plan, n));
      }
      if (!skip.contains("tq-cli")) {
        cs.put("./trailquery query (daemon, warm)", () -> tqCli(data, n, false));
      }
      if (!skip.contains("tq-cli-nodaemon")) {
        cs.put("./trailquery query (NO_DAEMON)", () -> tqCli(data, n, true));
      }
      if (!skip.contains("duckdb")) {
        cs.put("DuckDB read_json (in-process JDBC)", () -> duckdb(data, n));
      }
      if (!skip.contains("duckdb-process") && duckdbNode() != null) {
        cs.put("DuckDB whole process (node)", () -> duckdbProcess(data, n));
      }
      if (!skip.contains("jq") && n == 1 && hasJq()) {
        cs.put("jq 1.6 (zcat | jq, process)", this::jq);
      }
      System.out.printf("%n== %s, %d thread%s ==%n", COUNT_QUERY, n, n == 1 ? "" : "s");
      Map<String, double[]> times = rounds(cs, rounds);
      table(times, "gunzip (JDK GZIPInputStream)", jsonBytes);
      System.out.println("load average after: " + load());
    }

    if (!skip.contains("day")) {
      day();
    }

    if (json) {
      jsonQueries(paths, threads[0]);
    }

    if (seeds) {
      int n = threads[0];
      Map<String, Contender> cs = new LinkedHashMap<>();
      cs.put("gunzip", () -> gunzip(paths, n));
      cs.put(
          "count-by-source-name",
          () -> tq(Trailquery.compile(COUNT_QUERY, Planner.Options.defaults()), n));
      for (SavedQuery q : QueryPack.all()) {
        Plan plan = Trailquery.compile(q.queryWithDefaults(), Planner.Options.defaults());
        cs.put(q.name(), () -> tq(plan, n));
      }
      System.out.printf("%n== seed queries, in-JVM, %d thread%s ==%n", n, n == 1 ? "" : "s");
      Map<String, double[]> times = rounds(cs, seedRounds);
      double fastest = Double.MAX_VALUE;
      for (var e : times.entrySet()) {
        if (!e.getKey().equals("gunzip")) {
          fastest = Math.min(fastest, median(e.getValue()));
        }
      }
      double gz = median(times.get("gunzip"));
      System.out.printf("%-36s %9s %9s %9s%n", "query", "median s", "/fastest", "/gunzip");
      for (var e : times.entrySet()) {
        double m = median(e.getValue());
        System.out.printf(
            Locale.ROOT, "%-36s %9.3f %9.2f %9.2f%n", e.getKey(), m, m / fastest, m / gz);
      }
    }
  }

  /** Generates {@code events} in {@code files} under {@code dir} unless done before. */
  void generate(Path dir, long events, int files) throws IOException {
    Path marker = dir.resolve(".done");
    if (!Files.exists(marker)) {
      System.out.printf(
          "generating %,d events in %,d files (seed %d) into %s%n", events, files, seed, dir);
      List<ObjectNode> t = Generator.templates(root.resolve("samples/cloudtrail"));
      long t0 = System.nanoTime();
      Generator.Stats s = Generator.generate(t, dir, events, files, seed);
      Files.writeString(
          marker, s.events() + " " + s.files() + " " + s.jsonBytes() + " " + s.gzipBytes() + "\n");
      System.out.printf(
          "  %d templates; done in %.1f s%n", t.size(), (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * The same questions written with discovered fields and with {@code jsonParse(@message)} (and
   * {@code unnest} over {@code resources}), side by side: the jsonParse forms read only the paths
   * they need, so they should cost about the same (the bound: at most 1.5x).
   */
  private void jsonQueries(List<Path> paths, int n) throws Exception {
    String[][] pairs = {
      {
        "fields: filter + stats by 2",
        "filter eventSource = 's3.amazonaws.com' | stats count(*) as n by userIdentity.arn, eventName"
      },
      {
        "jsonParse alias: same",
        "fields jsonParse(@message) as js | filter js.eventSource = 's3.amazonaws.com'"
            + " | stats count(*) as n by js.userIdentity.arn, js.eventName"
      },
      {
        "jsonParse(@message).path: same",
        "filter jsonParse(@message).eventSource = 's3.amazonaws.com'"
            + " | stats count(*) as n by jsonParse(@message).userIdentity.arn,"
            + " jsonParse(@message).eventName"
      },
      {"fields: first resource type", "stats count(*) as n by resources.0.type"},
      {"unnest resources: every type", "unnest resources into r | stats count(*) as n by r.type"},
      {
        "whole record: @message like",
        "filter @message like 's3.amazonaws.com' | stats count(*) as n"
      },
    };
    Map<String, Contender> cs = new LinkedHashMap<>();
    for (String[] p : pairs) {
      Plan plan = Trailquery.compile(p[1], Planner.Options.defaults());
      cs.put(p[0], () -> tq(plan, n));
    }
    System.out.printf(
        "%n== discovered fields vs jsonParse(@message), in-JVM, %d thread%s ==%n",
        n, n == 1 ? "" : "s");
    Map<String, double[]> times = rounds(cs, rounds);
    double base = median(times.get(pairs[0][0]));
    double resBase = median(times.get(pairs[3][0]));
    System.out.printf("%-36s %9s %9s%n", "query", "median s", "ratio");
    for (var e : times.entrySet()) {
      double m = median(e.getValue());
      boolean res = e.getKey().contains("resource");
      System.out.printf(
          Locale.ROOT,
          "%-36s %9.3f %9.2f%s%n",
          e.getKey(),
          m,
          m / (res ? resBase : base),
          res ? " (vs first resource type)" : " (vs fields)");
    }
  }

  @FunctionalInterface
  interface Contender {
    long run() throws Exception;

    /** Untimed, before each timed run. */
    default void prepare() throws Exception {}
  }

  /** One warm-up run each, then {@code r} rounds, the order rotated every round. */
  static Map<String, double[]> rounds(Map<String, Contender> cs, int r) throws Exception {
    List<String> names = new ArrayList<>(cs.keySet());
    Map<String, double[]> out = new LinkedHashMap<>();
    Map<String, Long> checks = new LinkedHashMap<>();
    for (String name : names) {
      cs.get(name).prepare();
      long c = cs.get(name).run();
      checks.put(name, c);
      out.put(name, new double[r]);
    }
    System.out.println("warm-up check values: " + checks);
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < names.size(); j++) {
        String name = names.get((i + j) % names.size());
        cs.get(name).prepare();
        long t0 = System.nanoTime();
        cs.get(name).run();
        out.get(name)[i] = (System.nanoTime() - t0) / 1e9;
      }
      System.out.print(".");
      System.out.flush();
    }
    System.out.println();
    return out;
  }

  static void table(Map<String, double[]> times, String base, long jsonBytes) {
    table(times, base, "/gunzip", jsonBytes);
  }

  static void table(Map<String, double[]> times, String base, String ratio, long jsonBytes) {
    double b = median(times.get(base));
    System.out.printf(
        "%-42s %9s %9s %9s %9s%n", "contender", "median s", "min s", ratio, "MB/s JSON");
    for (var e : times.entrySet()) {
      double m = median(e.getValue());
      double min = Arrays.stream(e.getValue()).min().orElse(0);
      System.out.printf(
          Locale.ROOT,
          "%-42s %9.3f %9.3f %9.2f %9.0f%n",
          e.getKey(),
          m,
          min,
          m / b,
          jsonBytes / 1e6 / m);
    }
  }

  /** The 1, 5 and 15 minute load averages (Linux), to judge how quiet the machine was. */
  static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  interface PerFile {
    long apply(Path p, byte[] scratch) throws IOException;
  }

  /** Runs {@code f} over every file with {@code n} threads (files handed out in order). */
  static long parallel(List<Path> paths, int n, PerFile f) throws Exception {
    AtomicInteger next = new AtomicInteger();
    java.util.concurrent.Callable<Long> worker =
        () -> {
          byte[] scratch = new byte[64 * 1024];
          long sum = 0;
          for (int i = next.getAndIncrement(); i < paths.size(); i = next.getAndIncrement()) {
            sum += f.apply(paths.get(i), scratch);
          }
          return sum;
        };
    if (n == 1) {
      return worker.call();
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
      List<Future<Long>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        fs.add(pool.submit(worker));
      }
      long sum = 0;
      for (Future<Long> x : fs) {
        sum += x.get();
      }
      return sum;
    }
  }

  /** Decompressed bytes. */
  static long gunzip(List<Path> paths, int n) throws Exception {
    return parallel(
        paths,
        n,
        (p, buf) -> {
          long total = 0;
          try (InputStream in = new GZIPInputStream(Files.newInputStream(p), 8 * 1024)) {
            for (int r; (r = in.read(buf)) >= 0; ) {
              total += r;
            }
          }
          return total;
        });
  }

  /** Tokens. */
  static long jacksonWalk(List<Path> paths, int n) throws Exception {
    return parallel(
        paths,
        n,
        (p, buf) -> {
          long tokens = 0;
          try (InputStream in = new GZIPInputStream(Files.newInputStream(p), 8 * 1024);
              JsonParser jp = JACKSON.createParser(in)) {
            while (jp.nextToken() != null) {
              tokens++;
            }
          }
          return tokens;
        });
  }

  /** Records scanned. */
  long tq(Plan plan, int n) throws IOException {
    Result r = Trailquery.run(plan, List.of(new LocalFileSource(data)), n, Scan.Listener.NONE);
    return r.statistics().recordsScanned();
  }

  /**
   * One account-day (~30 MB of JSON, ~1,000 objects): the whole process against the warm engine, at
   * each thread count, and the first command of a session (the daemon started by it).
   */
  void day() throws Exception {
    int dayFiles = (int) Math.max(1, dayEvents * 10 / 217); // ~21.7 events per object
    Path dir = root.resolve("bench/target/data/day-e" + dayEvents + "-f" + dayFiles + "-s" + seed);
    generate(dir, dayEvents, dayFiles);
    String[] st = Files.readString(dir.resolve(".done")).trim().split(" ");
    long jsonBytes = Long.parseLong(st[2]);
    System.out.printf(
        "%n== account-day: %s events, %s files, %.1f MB JSON, %.1f MB gzip ==%n",
        st[0], st[1], jsonBytes / 1e6, Long.parseLong(st[3]) / 1e6);
    Plan plan = Trailquery.compile(COUNT_QUERY, Planner.Options.defaults());
    for (int n : threads) {
      Map<String, Contender> cs = new LinkedHashMap<>();
      cs.put(
          "trailquery in-JVM",
          () ->
              Trailquery.run(plan, List.of(new LocalFileSource(dir)), n, Scan.Listener.NONE)
                  .statistics()
                  .recordsScanned());
      cs.put("./trailquery query (daemon, warm)", () -> tqCli(dir, n, false));
      if (!skip.contains("tq-cli-cold")) {
        cs.put(
            "./trailquery query (first: daemon starts)",
            new Contender() {
              @Override
              public void prepare() throws Exception {
                process(List.of(root.resolve("trailquery").toString(), "daemon", "stop"));
              }

              @Override
              public long run() throws Exception {
                return tqCli(dir, n, false);
              }
            });
      }
      cs.put("./trailquery query (NO_DAEMON)", () -> tqCli(dir, n, true));
      cs.put("./trailquery check (daemon, warm)", this::tqCheck);
      if (!skip.contains("duckdb")) {
        cs.put("DuckDB read_json (in-process JDBC)", () -> duckdb(dir, n));
      }
      if (!skip.contains("duckdb-process") && duckdbNode() != null) {
        cs.put("DuckDB whole process (node)", () -> duckdbProcess(dir, n));
      }
      System.out.printf(
          "%n== account-day, %s, %d thread%s ==%n", COUNT_QUERY, n, n == 1 ? "" : "s");
      Map<String, double[]> times = rounds(cs, rounds);
      table(times, "trailquery in-JVM", "/in-JVM", jsonBytes);
      System.out.println("load average after: " + load());
    }
  }

  long tqCli(Path dir, int n, boolean noDaemon) throws Exception {
    return process(
        List.of(
            root.resolve("trailquery").toString(),
            "query",
            "--threads",
            String.valueOf(n),
            "--format",
            "json",
            COUNT_QUERY,
            dir.toString()),
        noDaemon ? Map.of("TRAILQUERY_NO_DAEMON", "1") : Map.of());
  }

  long tqCheck() throws Exception {
    return process(List.of(root.resolve("trailquery").toString(), "check", COUNT_QUERY));
  }

  /** The Node.js script of DuckDB whole-process runs, when scripts/bench could install it. */
  Path duckdbNode() {
    Path script = root.resolve("bench/target/duckdb-node/duckdb-query.mjs");
    return Files.exists(script) && Files.isDirectory(script.resolveSibling("node_modules/@duckdb"))
        ? script
        : null;
  }

  long duckdbProcess(Path dir, int n) throws Exception {
    return process(List.of("node", duckdbNode().toString(), dir.toString(), String.valueOf(n)));
  }

  static boolean hasJq() {
    try {
      return new ProcessBuilder("jq", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  long jq() throws Exception {
    String script =
        "find '"
            + data
            + "' -name '*.json.gz' -print0 | sort -z | xargs -0 zcat | jq -n -c 'reduce"
            + " (inputs.Records[] | [.eventSource, .eventName] | tostring) as $k ({}; .[$k] += 1)"
            + " | length'";
    return process(List.of("bash", "-c", script));
  }

  /** Runs a command, its output discarded; the exit code must be 0. Returns the output's size. */
  static long process(List<String> cmd) throws Exception {
    return process(cmd, Map.of());
  }

  /** {@link #process(List)} with {@code env} added to the environment. */
  static long process(List<String> cmd, Map<String, String> env) throws Exception {
    File out = File.createTempFile("tq-bench", ".out");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().putAll(env);
      Process p = pb.redirectOutput(out).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      int rc = p.waitFor();
      if (rc != 0) {
        throw new IllegalStateException(cmd + " exited " + rc);
      }
      return out.length();
    } finally {
      out.delete();
    }
  }

  private Connection duck;

  /** The fairest SQL: only the two fields declared, so DuckDB extracts nothing else. */
  long duckdb(Path data, int n) throws Exception {
    if (duck == null) {
      duck = DriverManager.getConnection("jdbc:duckdb:");
    }
    try (Statement s = duck.createStatement()) {
      s.execute("SET threads TO " + n);
      String sql =
          "SELECT r.eventSource, r.eventName, count(*) AS c FROM (SELECT unnest(Records) AS r"
              + " FROM read_json('"
              + data
              + "/**/*.json.gz', format = 'auto', columns = {Records:"
              + " 'STRUCT(eventSource VARCHAR, eventName VARCHAR)[]'})) GROUP BY ALL";
      long total = 0;
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          total += rs.getLong(3);
        }
      }
      return total;
    }
  }
}
