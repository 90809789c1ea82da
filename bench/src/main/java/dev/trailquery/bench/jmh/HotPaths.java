package dev.trailquery.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.Trailquery;
import dev.trailquery.bench.Generator;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Scan;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.plan.RowOp;
import dev.trailquery.read.CloudTrailReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The hot paths on one in-memory CloudTrail file of 1,000 realistic events (~1.3 MB of JSON): the
 * reader's walk (plain and gzip), a full Jackson token walk for reference, the filter evaluators,
 * and the aggregation of rows into groups. {@code scripts/bench jmh} runs them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx1g"})
public class HotPaths {
  static final String COUNT = "stats count(*) by eventSource, eventName";
  static final String FILTER =
      "filter eventSource = \"iam.amazonaws.com\" and (eventName like /^Delete/ or eventName like"
          + " /^Put/ or eventName like /^Create/ or eventName like /^Attach/ or eventName like"
          + " /^Detach/)";

  byte[] plain;
  byte[] gzip;
  Plan countPlan;
  Plan filterPlan;
  Scan countScan;
  CloudTrailReader countReader;
  List<Object[]> countRows;
  List<Object[]> filterRows;
  RowOp[] filterOps;
  final JsonFactory jackson = new JsonFactory();

  @Setup
  public void setup() throws IOException {
    Path samples =
        Path.of(System.getProperty("trailquery.home", ".")).resolve("samples/cloudtrail");
    List<ObjectNode> templates = Generator.templates(samples);
    ObjectMapper json = dev.trailquery.json.Mappers.MAPPER;
    ObjectNode root = json.createObjectNode();
    var records = root.putArray("Records");
    Random rnd = new Random(7);
    for (int i = 0; i < 1000; i++) {
      records.add(templates.get(rnd.nextInt(templates.size())));
    }
    plain = json.writeValueAsBytes(root);
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
      gz.write(plain);
    }
    gzip = bo.toByteArray();
    countPlan = Trailquery.compile(COUNT, Planner.Options.defaults());
    filterPlan = Trailquery.compile(FILTER, Planner.Options.defaults());
    countScan = new Scan(countPlan);
    countReader = countScan.newReader();
    countRows = rows(countPlan);
    filterRows = rows(filterPlan);
    filterOps = filterPlan.recordOps().toArray(RowOp[]::new);
  }

  private List<Object[]> rows(Plan plan) {
    List<Object[]> out = new ArrayList<>();
    new CloudTrailReader(plan.read())
        .read(
            new ByteArrayInputStream(plain),
            "x.json",
            (row, ts, message, index) -> {
              out.add(row);
              return true;
            });
    return out;
  }

  @Benchmark
  public PartialState readerPlain() {
    PartialState s = new PartialState(countPlan);
    countScan.scanStream(countReader, new ByteArrayInputStream(plain), "d", "x.json", s);
    return s;
  }

  @Benchmark
  public PartialState readerGzip() {
    PartialState s = new PartialState(countPlan);
    countScan.scanStream(countReader, new ByteArrayInputStream(gzip), "d", "x.json.gz", s);
    return s;
  }

  @Benchmark
  public long gunzipOnly() throws IOException {
    long n = 0;
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), 8192)) {
      for (int r; (r = in.read(buf)) >= 0; ) {
        n += r;
      }
    }
    return n;
  }

  @Benchmark
  public long jacksonTokenWalkPlain() throws IOException {
    long n = 0;
    try (JsonParser p = jackson.createParser(plain)) {
      while (p.nextToken() != null) {
        n++;
      }
    }
    return n;
  }

  @Benchmark
  public void filterEvaluators(Blackhole bh) {
    for (Object[] row : filterRows) {
      for (RowOp op : filterOps) {
        if (!op.apply(row)) {
          break;
        }
      }
      bh.consume(row);
    }
  }

  @Benchmark
  public PartialState aggregateCountBy() {
    PartialState s = new PartialState(countPlan);
    for (Object[] row : countRows) {
      s.accept(row);
    }
    return s;
  }
}
