package dev.trailquery.blocks;

import dev.trailquery.exec.Scan;
import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.read.ReadRequest;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rolls raw CloudTrail objects into blocks, one time window (by the delivery time in each object's
 * key) at a time: reads every object of the window with the engine's reader, keeps the objects that
 * read whole (a corrupt, truncated, foreign or too large object stays raw, never half in a block),
 * sorts their records by eventSource, eventName and time so that a chunk holds few distinct values
 * of the fields queries filter on, cuts chunks ({@link Options#chunkJsonBytes}) and blocks ({@link
 * Options#blockJsonBytes}), writes the blocks, then the window's {@link Manifest}.
 *
 * <p>Idempotent and resumable: a window whose manifest already holds exactly the objects listed now
 * is left alone; otherwise it is compacted again under a new generation and its manifest replaced
 * (one PUT, so a query sees the old or the new, never a mix). Blocks no manifest names (an earlier
 * generation, or a run that stopped before its manifest) are deleted once older than {@link
 * Options#graceMillis}, so queries still reading them are not cut short.
 */
public final class Compactor {
  /** Fields with few values per chunk: their index is in the manifest itself. */
  public static final List<String> NARROW_FIELDS =
      List.of(
          "eventSource", "eventName", "errorCode", "readOnly", "recipientAccountId", "awsRegion");

  /**
   * Fields with many values (bloom filters): their index is a separate object, read only by a query
   * that filters on one of them, so the manifest stays small for every other query.
   */
  public static final List<String> WIDE_FIELDS = List.of("userIdentity.arn", "sourceIPAddress");

  /** The fields each chunk summarises (exact values or a bloom filter). */
  public static final List<String> SUMMARY_FIELDS;

  static {
    List<String> f = new ArrayList<>(NARROW_FIELDS);
    f.addAll(WIDE_FIELDS);
    SUMMARY_FIELDS = List.copyOf(f);
  }

  /** What the compactor reads of each record: the summarised fields, then the other columns. */
  private static final List<String> PATHS;

  /** For each of {@link ColumnChunk#COLUMNS}, its position in {@link #PATHS}. */
  private static final int[] COLUMN_AT;

  static {
    List<String> p = new ArrayList<>(SUMMARY_FIELDS);
    for (String c : ColumnChunk.COLUMNS) {
      if (!p.contains(c)) {
        p.add(c);
      }
    }
    if (!p.contains("eventVersion")) {
      p.add("eventVersion");
    }
    if (!p.contains("eventTime")) {
      p.add("eventTime");
    }
    PATHS = List.copyOf(p);
    COLUMN_AT = ColumnChunk.COLUMNS.stream().mapToInt(PATHS::indexOf).toArray();
  }

  private static final int SOURCE = 0;
  private static final int NAME = 1;
  private static final int VERSION = PATHS.indexOf("eventVersion");
  private static final int TIME = PATHS.indexOf("eventTime");

  /** The name of a window's manifest in its folder. */
  public static final String MANIFEST = "manifest.json.gz";

  /** The root folder of this layout's windows. */
  public static final String ROOT = "v1/";

  private static final Pattern KEY_TIME = Pattern.compile("_(\\d{8}T\\d{4})Z_[^/]*$");
  private static final DateTimeFormatter KEY_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm");
  private static final DateTimeFormatter FOLDER =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HHmm").withZone(ZoneOffset.UTC);

  /**
   * How to compact.
   *
   * @param windowMillis the time window of one manifest (objects placed by their key's time)
   * @param chunkJsonBytes JSON bytes per chunk, the unit a query skips or reads
   * @param blockJsonBytes JSON bytes per block object
   * @param level the zstd level of the chunks (1..22); 0 or less writes version-1 chunks (gzip
   *     NDJSON at gzip level {@code -level}, no columns), kept to measure against and to test that
   *     blocks written before version 2 still read
   * @param threads objects read at once
   * @param graceMillis age after which blocks no manifest names are deleted
   */
  public record Options(
      long windowMillis,
      long chunkJsonBytes,
      long blockJsonBytes,
      int level,
      int threads,
      long graceMillis) {
    public static Options defaults() {
      return new Options(
          3_600_000L,
          1L << 20,
          64L << 20,
          15,
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          15 * 60_000L);
    }

    public Options withLevel(int zstdLevel) {
      return new Options(
          windowMillis, chunkJsonBytes, blockJsonBytes, zstdLevel, threads, graceMillis);
    }

    public Options withThreads(int n) {
      return new Options(windowMillis, chunkJsonBytes, blockJsonBytes, level, n, graceMillis);
    }
  }

  /** What a run did. */
  public record Report(
      int windows,
      int compacted,
      int upToDate,
      long objects,
      long objectsLeft,
      long records,
      long blocks,
      long chunks,
      long blockBytes,
      long rawBytes) {}

  private final BlockStore store;
  private final Options options;
  private final LongSupplier clock;

  public Compactor(BlockStore store, Options options, LongSupplier clock) {
    this.store = store;
    this.options = options;
    this.clock = clock;
  }

  /** The folder of the window starting at {@code windowStart}: {@code v1/yyyy/MM/dd/HHmm/}. */
  public static String folder(long windowStart) {
    return ROOT + FOLDER.format(Instant.ofEpochMilli(windowStart)) + "/";
  }

  /** The delivery time in a CloudTrail object key ({@code ..._20261201T0005Z_...}), or -1. */
  public static long keyTime(String key) {
    Matcher m = KEY_TIME.matcher(key);
    if (!m.find()) {
      return -1;
    }
    try {
      return LocalDateTime.parse(m.group(1), KEY_STAMP).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * Compacts every window in {@code [from, to)} of the objects of {@code sources}. Objects whose
   * key has no CloudTrail time are placed by their earliest eventTime (read once to find it).
   */
  public Report compact(
      List<? extends ObjectSource> sources, long from, long to, Consumer<String> progress)
      throws IOException {
    List<Scan.Input> inputs = new ArrayList<>();
    for (Iterator<Scan.Input> it = Scan.inputs(sources); it.hasNext(); ) {
      inputs.add(it.next());
    }
    String location =
        sources.stream().map(ObjectSource::location).reduce((a, b) -> a + "," + b).orElse("");
    return compactInputs(inputs, from, to, location, progress);
  }

  /**
   * Like {@link #compact} over objects already listed (the deployed compactor lists the trail's day
   * folders of the range, as the query catalog does).
   *
   * @param location where they come from, recorded in the manifests
   */
  public Report compactInputs(
      List<Scan.Input> all, long from, long to, String location, Consumer<String> progress)
      throws IOException {
    TreeMap<Long, List<Scan.Input>> windows = new TreeMap<>();
    List<Scan.Input> unnamed = new ArrayList<>();
    for (Scan.Input in : all) {
      long t = keyTime(in.ref().key());
      if (t < 0) {
        unnamed.add(in);
      } else {
        addTo(windows, t, from, to, in);
      }
    }
    if (!unnamed.isEmpty()) {
      List<Long> first = parallel(unnamed, in -> earliest(in));
      for (int i = 0; i < unnamed.size(); i++) {
        if (first.get(i) != Long.MIN_VALUE) {
          addTo(windows, first.get(i), from, to, unnamed.get(i));
        }
      }
    }
    Totals totals = new Totals();
    for (Map.Entry<Long, List<Scan.Input>> w : windows.entrySet()) {
      compactWindow(w.getKey(), w.getValue(), location, totals);
      if (progress != null) {
        progress.accept(
            folder(w.getKey())
                + ": "
                + w.getValue().size()
                + " objects"
                + (totals.lastUpToDate ? " (up to date)" : ""));
      }
    }
    return new Report(
        windows.size(),
        totals.compacted,
        totals.upToDate,
        totals.objects,
        totals.left,
        totals.records,
        totals.blocks,
        totals.chunks,
        totals.blockBytes,
        totals.rawBytes);
  }

  private void addTo(
      TreeMap<Long, List<Scan.Input>> windows, long t, long from, long to, Scan.Input in) {
    long w = Math.floorDiv(t, options.windowMillis()) * options.windowMillis();
    if (w >= from && w < to) {
      windows.computeIfAbsent(w, x -> new ArrayList<>()).add(in);
    }
  }

  private static long earliest(Scan.Input in) {
    CloudTrailReader reader =
        new CloudTrailReader(new ReadRequest(List.of(), new int[0], 0, false));
    long[] min = {Long.MAX_VALUE};
    try (InputStream s = in.source().open(in.ref())) {
      ObjectResult r =
          reader.read(
              s,
              in.ref().key(),
              (row, ts, m, i) -> {
                if (ts != Long.MIN_VALUE && ts < min[0]) {
                  min[0] = ts;
                }
                return true;
              });
      if (r.status() != ObjectResult.Status.OK) {
        return Long.MIN_VALUE; // stays raw
      }
    } catch (IOException e) {
      return Long.MIN_VALUE;
    }
    return min[0] == Long.MAX_VALUE ? Long.MIN_VALUE : min[0];
  }

  private static final class Totals {
    int compacted;
    int upToDate;
    long objects;
    long left;
    long records;
    long blocks;
    long chunks;
    long blockBytes;
    long rawBytes;
    boolean lastUpToDate;
  }

  /** One record of a window being compacted. */
  private record Rec(int object, int index, long ts, Object[] values, String message) {}

  /** What reading one raw object gave. */
  private record Read(Scan.Input input, ObjectResult result, String why, List<Rec> records) {}

  private void compactWindow(long start, List<Scan.Input> inputs, String location, Totals t)
      throws IOException {
    String dir = folder(start);
    inputs.sort(Comparator.comparing((Scan.Input i) -> i.ref().key()));
    Manifest old = readManifest(dir);
    Coverage listed = new Coverage();
    for (Scan.Input in : inputs) {
      listed.add(BlockQuery.identity(in.ref().container(), in.ref().key()), in.ref().size());
    }
    if (old != null && listed.hash().equals(old.coverage())) {
      t.upToDate++;
      t.lastUpToDate = true;
      cleanup(dir, old);
      return;
    }
    t.lastUpToDate = false;
    List<Read> reads = new ArrayList<>();
    List<Integer> ordinals = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      ordinals.add(i);
    }
    reads = parallel(ordinals, i -> readObject(inputs.get(i), i));
    List<Rec> recs = new ArrayList<>();
    List<Manifest.Covered> covered = new ArrayList<>();
    List<Manifest.Left> left = new ArrayList<>();
    for (Read r : reads) {
      ObjectRef ref = r.input().ref();
      if (r.why() != null) {
        left.add(
            new Manifest.Left(ref.container(), ref.key(), r.result().status().name(), r.why()));
        continue;
      }
      covered.add(new Manifest.Covered(ref.container(), ref.key(), size(r), r.records().size()));
      recs.addAll(r.records());
      t.rawBytes += r.result().bytesRead();
    }
    recs.sort(
        Comparator.comparing((Rec r) -> text(r.values()[SOURCE]))
            .thenComparing(r -> text(r.values()[NAME]))
            .thenComparingLong(Rec::ts)
            .thenComparingInt(Rec::object)
            .thenComparingInt(Rec::index));
    String generation =
        "g"
            + Long.toString(clock.getAsLong(), 36)
            + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
    List<Manifest.Block> blocks = new ArrayList<>();
    List<Map<String, FieldIndex>> wide = new ArrayList<>();
    int from = 0;
    while (from < recs.size()) {
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      List<Manifest.Chunk> chunks = new ArrayList<>();
      long blockJson = 0;
      while (from < recs.size() && blockJson < options.blockJsonBytes()) {
        int to = cut(recs, from);
        Manifest.Chunk c = writeChunk(recs, from, to, inputs, block, wide);
        chunks.add(c);
        blockJson += c.jsonBytes();
        from = to;
      }
      String name = dir + generation + "-" + String.format("%03d", blocks.size()) + ".tqb";
      byte[] bytes = block.toByteArray();
      store.write(name, bytes);
      blocks.add(new Manifest.Block(name, bytes.length, chunks));
      t.blockBytes += bytes.length;
      t.chunks += chunks.size();
    }
    Manifest m =
        new Manifest(
            start,
            options.windowMillis(),
            generation,
            location,
            covered.size(),
            recs.size(),
            listed.hash(),
            left,
            List.copyOf(blocks));
    store.write(m.objectsName(), Manifest.objectsToBytes(covered));
    store.write(m.indexName(), Manifest.indexToBytes(wide));
    store.write(dir + MANIFEST, m.toBytes());
    t.compacted++;
    t.objects += covered.size();
    t.left += left.size();
    t.records += recs.size();
    t.blocks += blocks.size();
    cleanup(dir, m);
  }

  private static long size(Read r) {
    long s = r.input().ref().size();
    return s >= 0 ? s : r.result().bytesRead();
  }

  /** The end (exclusive) of the chunk starting at {@code from}. */
  private int cut(List<Rec> recs, int from) {
    long target = options.chunkJsonBytes();
    long bytes = 0;
    int i = from;
    String source = text(recs.get(from).values()[SOURCE]);
    while (i < recs.size()) {
      Rec r = recs.get(i);
      String s = text(r.values()[SOURCE]);
      // a new eventSource always starts a new chunk: a query for one service's events reads
      // only that service's chunks
      if (i > from && (bytes >= target || !s.equals(source))) {
        break;
      }
      bytes += r.message().length() + 1;
      i++;
    }
    return i;
  }

  private Manifest.Chunk writeChunk(
      List<Rec> recs,
      int from,
      int to,
      List<Scan.Input> inputs,
      ByteArrayOutputStream block,
      List<Map<String, FieldIndex>> wide)
      throws IOException {
    List<ColumnChunk.Entry> entries = new ArrayList<>(to - from);
    FieldIndex.Builder[] builders = new FieldIndex.Builder[SUMMARY_FIELDS.size()];
    for (int f = 0; f < builders.length; f++) {
      builders[f] = new FieldIndex.Builder();
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long untimed = 0;
    long json = 0;
    for (int i = from; i < to; i++) {
      Rec r = recs.get(i);
      ObjectRef ref = inputs.get(r.object()).ref();
      Object[] columns = new Object[COLUMN_AT.length];
      for (int c = 0; c < columns.length; c++) {
        columns[c] = r.values()[COLUMN_AT[c]];
      }
      entries.add(
          new ColumnChunk.Entry(
              ref.container(), ref.key(), r.index(), r.ts(), columns, r.message()));
      for (int f = 0; f < builders.length; f++) {
        builders[f].add(r.values()[f]);
      }
      if (r.ts() == Long.MIN_VALUE) {
        untimed++;
      } else {
        min = Math.min(min, r.ts());
        max = Math.max(max, r.ts());
      }
      json += r.message().length() + 1;
    }
    byte[] bytes;
    if (options.level() > 0) {
      bytes = ColumnChunk.encode(entries, options.level());
    } else {
      List<ChunkCodec.Entry> v1 = new ArrayList<>(entries.size());
      entries.forEach(
          e -> v1.add(new ChunkCodec.Entry(e.container(), e.key(), e.index(), e.message())));
      bytes = ChunkCodec.encodeV1(v1, -options.level());
    }
    long offset = block.size();
    block.write(bytes);
    Map<String, FieldIndex> fields = new LinkedHashMap<>();
    Map<String, FieldIndex> wideFields = new LinkedHashMap<>();
    for (int f = 0; f < builders.length; f++) {
      String name = SUMMARY_FIELDS.get(f);
      (f < NARROW_FIELDS.size() ? fields : wideFields).put(name, builders[f].build());
    }
    wide.add(wideFields);
    return new Manifest.Chunk(offset, bytes.length, to - from, json, min, max, untimed, fields);
  }

  private static String text(Object v) {
    return v == null ? "" : String.valueOf(v);
  }

  private Read readObject(Scan.Input in, int ordinal) {
    CloudTrailReader reader =
        new CloudTrailReader(new ReadRequest(PATHS, slots(PATHS.size()), PATHS.size(), true));
    List<Rec> recs = new ArrayList<>();
    boolean[] foreign = {false};
    ObjectResult r;
    try (InputStream s = in.source().open(in.ref())) {
      r =
          reader.read(
              s,
              in.ref().key(),
              (row, ts, message, index) -> {
                if (row[SOURCE] == null
                    && row[NAME] == null
                    && row[VERSION] == null
                    && row[TIME] == null) {
                  foreign[0] = true; // the reader may take it after the first record; a block's
                  // first record must be CloudTrail, so the whole object stays raw
                }
                recs.add(new Rec(ordinal, index, ts, row, message));
                return true;
              });
    } catch (IOException | UncheckedIOException e) {
      return new Read(
          in,
          new ObjectResult(ObjectResult.Status.CORRUPT, 0, 0, 0, new java.util.BitSet(), null),
          "could not read: " + e.getMessage(),
          List.of());
    }
    if (r.status() != ObjectResult.Status.OK) {
      return new Read(in, r, r.error() == null ? r.status().name() : r.error(), List.of());
    }
    if (foreign[0]) {
      return new Read(in, r, "a record has none of the CloudTrail keys", List.of());
    }
    return new Read(in, r, null, recs);
  }

  private static int[] slots(int n) {
    int[] s = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = i;
    }
    return s;
  }

  private Manifest readManifest(String dir) {
    try {
      byte[] b = store.read(dir + MANIFEST);
      return b == null ? null : Manifest.fromBytes(b);
    } catch (IOException e) {
      return null; // damaged: compact the window again
    }
  }

  /**
   * Deletes the objects of the folder of other generations than the manifest's (blocks, object
   * lists, indexes) once old enough.
   */
  private void cleanup(String dir, Manifest m) throws IOException {
    long now = clock.getAsLong();
    for (String name : store.list(dir)) {
      String file = name.substring(name.lastIndexOf('/') + 1);
      if (!file.startsWith("g")
          || file.startsWith(m.generation() + "-")
          || file.startsWith(m.generation() + ".")) {
        continue;
      }
      String base = name.substring(name.lastIndexOf('/') + 1);
      long made;
      try {
        made = Long.parseLong(base.substring(1, base.indexOf('-')), 36);
      } catch (RuntimeException e) {
        continue;
      }
      if (now - made >= options.graceMillis()) {
        store.delete(name);
      }
    }
  }

  @FunctionalInterface
  private interface Job<T, R> {
    R run(T t) throws IOException;
  }

  private <T, R> List<R> parallel(List<T> items, Job<T, R> job) throws IOException {
    int n = Math.max(1, Math.min(options.threads(), items.size()));
    if (n == 1) {
      List<R> out = new ArrayList<>();
      for (T t : items) {
        out.add(job.run(t));
      }
      return out;
    }
    try (ExecutorService pool =
        Executors.newFixedThreadPool(n, Thread.ofPlatform().daemon().factory())) {
      List<Future<R>> fs = new ArrayList<>();
      for (T t : items) {
        fs.add(pool.submit(() -> job.run(t)));
      }
      List<R> out = new ArrayList<>();
      for (Future<R> f : fs) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(e.getCause());
    }
  }
}
