package dev.trailquery.blocks;

import dev.trailquery.exec.Finisher;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.RowOp;
import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.store.ObjectSource;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a query over compacted blocks and the raw objects they do not cover: the manifests of the
 * range say which raw objects their blocks hold (those are never read raw, so no object counts
 * twice) and summarise each chunk, so only chunks the time range and the filters may match are
 * read, adjacent ones in one ranged read. Raw objects not covered (not compacted yet, left raw as
 * corrupt, or outside the manifests read) are scanned as usual. Results equal those of the raw
 * objects alone.
 */
public final class BlockQuery {
  /** Contiguous chunks read in one ranged GET, at most this many bytes. */
  static final long MAX_RANGE_BYTES = 16L << 20;

  /** The window of the layout's manifests (one folder per hour). */
  static final long WINDOW = 3_600_000L;

  /** What was planned and read. */
  public static final class Stats {
    public final AtomicLong manifestGets = new AtomicLong();
    public final AtomicLong manifests = new AtomicLong();
    public final AtomicLong sideReads = new AtomicLong();
    public final AtomicLong sideBytes = new AtomicLong();
    public final AtomicLong manifestBytes = new AtomicLong();
    public final AtomicLong chunksTotal = new AtomicLong();
    public final AtomicLong chunksRead = new AtomicLong();

    /** Chunks read answered from their columns alone (their JSON neither inflated nor parsed). */
    public final AtomicLong columnChunks = new AtomicLong();

    public final AtomicLong ranges = new AtomicLong();
    public final AtomicLong blockBytesRead = new AtomicLong();
    public final AtomicLong coveredObjects = new AtomicLong();
    public final AtomicLong rawObjects = new AtomicLong();

    @Override
    public String toString() {
      return manifests
          + " manifests ("
          + manifestBytes
          + " B, "
          + manifestGets
          + " GETs), "
          + sideReads
          + " object lists/indexes ("
          + sideBytes
          + " B), "
          + chunksRead
          + "/"
          + chunksTotal
          + " chunks in "
          + ranges
          + " reads ("
          + blockBytesRead
          + " B), "
          + coveredObjects
          + " objects from blocks, "
          + rawObjects
          + " raw";
    }
  }

  /** One unit of work: a run of chunks of a block, or a raw object. */
  public sealed interface Task {}

  /** Adjacent chunks of one block, read with one ranged read. */
  public record ChunkRun(String block, long offset, long length, List<Manifest.Chunk> chunks)
      implements Task {}

  /** A raw object no manifest covers. */
  public record Raw(Scan.Input input) implements Task {}

  private final Plan plan;
  private final BlockStore store;
  private final Skipping skipping;
  private final Stats stats = new Stats();

  public BlockQuery(Plan plan, BlockStore store) {
    this.plan = plan;
    this.store = store;
    this.skipping = Skipping.of(plan);
  }

  public Stats stats() {
    return stats;
  }

  /** Whether {@code store} holds compacted blocks (a {@code v1/} folder with a manifest). */
  public static boolean isBlockStore(BlockStore store) throws IOException {
    for (String n : store.list(Compactor.ROOT)) {
      if (n.endsWith("/" + Compactor.MANIFEST)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The manifests whose windows may hold records of the plan's range: every one for an unbounded
   * query, else the days of the range and one either side (CloudTrail delivers within minutes; a
   * record outside them is still read raw: the object is then not covered).
   */
  public List<Manifest> manifests() throws IOException {
    List<String> names = new ArrayList<>();
    if (plan.startMillis() == Long.MIN_VALUE || plan.endMillis() == Long.MAX_VALUE) {
      for (String n : store.list(Compactor.ROOT)) {
        if (n.endsWith("/" + Compactor.MANIFEST)) {
          names.add(n);
        }
      }
    } else {
      LocalDate d = day(plan.startMillis()).minusDays(1);
      LocalDate last = day(plan.endMillis() - 1).plusDays(1);
      for (; !d.isAfter(last); d = d.plusDays(1)) {
        String prefix =
            Compactor.ROOT
                + String.format(
                    "%04d/%02d/%02d/", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
        for (String n : store.list(prefix)) {
          if (n.endsWith("/" + Compactor.MANIFEST)) {
            names.add(n);
          }
        }
      }
    }
    return readManifests(names);
  }

  private static LocalDate day(long millis) {
    return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** The identity of a raw object for coverage: its key relative to its container. */
  public static String identity(String container, String key) {
    if (container != null && !container.isEmpty() && key.startsWith(container + "/")) {
      return key.substring(container.length() + 1);
    }
    if (container != null && key.startsWith(container) && container.endsWith("/")) {
      return key.substring(container.length());
    }
    return key;
  }

  /** Plans the chunk runs to read from {@code manifests} into {@code tasks}. */
  public void planChunks(List<Manifest> manifests, List<Task> tasks) {
    for (Manifest m : manifests) {
      stats.coveredObjects.addAndGet(m.objectCount());
      for (Manifest.Block b : m.blocks()) {
        List<Manifest.Chunk> run = new ArrayList<>();
        for (Manifest.Chunk c : b.chunks()) {
          stats.chunksTotal.incrementAndGet();
          boolean take = skipping.mayMatch(c);
          if (!take || (!run.isEmpty() && runBytes(run) + c.length() > MAX_RANGE_BYTES)) {
            flush(b, run, tasks);
          }
          if (take) {
            run.add(c);
            stats.chunksRead.incrementAndGet();
          }
        }
        flush(b, run, tasks);
      }
    }
  }

  private static long runBytes(List<Manifest.Chunk> run) {
    Manifest.Chunk last = run.getLast();
    return last.offset() + last.length() - run.getFirst().offset();
  }

  private void flush(Manifest.Block b, List<Manifest.Chunk> run, List<Task> tasks) {
    if (run.isEmpty()) {
      return;
    }
    tasks.add(new ChunkRun(b.name(), run.getFirst().offset(), runBytes(run), List.copyOf(run)));
    stats.ranges.incrementAndGet();
    run.clear();
  }

  /**
   * Every task of the query: chunk runs of the manifests, then the raw objects of {@code raw} no
   * manifest covers. With raw sources whose keys carry CloudTrail times, the manifests read are
   * exactly those of the windows the listing holds (so an object the raw listing brings is either
   * covered by a manifest read here or read raw); a window whose listing has its manifest's count
   * and hash needs no look at its object list.
   */
  public List<Task> tasks(List<? extends ObjectSource> raw) throws IOException {
    List<Scan.Input> inputs = new ArrayList<>();
    for (Iterator<Scan.Input> it = Scan.inputs(raw); it.hasNext(); ) {
      inputs.add(it.next());
    }
    Map<Long, List<Scan.Input>> byWindow = new TreeMap<>();
    List<Scan.Input> unnamed = new ArrayList<>();
    for (Scan.Input in : inputs) {
      long t = Compactor.keyTime(in.ref().key());
      if (t < 0) {
        unnamed.add(in);
      } else {
        byWindow.computeIfAbsent(Math.floorDiv(t, WINDOW) * WINDOW, w -> new ArrayList<>()).add(in);
      }
    }
    List<Manifest> manifests;
    if (raw.isEmpty() || !unnamed.isEmpty()) {
      manifests = manifests();
    } else {
      List<String> names = new ArrayList<>();
      for (long w : byWindow.keySet()) {
        names.add(Compactor.folder(w) + Compactor.MANIFEST);
      }
      manifests = readManifests(names);
    }
    return tasks(manifests, byWindow, unnamed);
  }

  /**
   * Like {@link #tasks(List)} for raw objects already listed (the coordinator's catalog): the
   * manifests of the windows they fall in are read (all of them when some key has no CloudTrail
   * time).
   */
  public List<Task> tasksFor(List<Scan.Input> inputs) throws IOException {
    Map<Long, List<Scan.Input>> byWindow = new TreeMap<>();
    List<Scan.Input> unnamed = new ArrayList<>();
    for (Scan.Input in : inputs) {
      long t = Compactor.keyTime(in.ref().key());
      if (t < 0) {
        unnamed.add(in);
      } else {
        byWindow.computeIfAbsent(Math.floorDiv(t, WINDOW) * WINDOW, w -> new ArrayList<>()).add(in);
      }
    }
    List<Manifest> manifests;
    if (!unnamed.isEmpty()) {
      manifests = manifests();
    } else {
      List<String> names = new ArrayList<>();
      for (long w : byWindow.keySet()) {
        names.add(Compactor.folder(w) + Compactor.MANIFEST);
      }
      manifests = readManifests(names);
    }
    return tasks(manifests, byWindow, unnamed);
  }

  /** Like {@link #tasks(List)} with the manifests already read. */
  public List<Task> tasks(List<Manifest> manifests, List<? extends ObjectSource> raw)
      throws IOException {
    Map<Long, List<Scan.Input>> byWindow = new TreeMap<>();
    List<Scan.Input> unnamed = new ArrayList<>();
    for (Iterator<Scan.Input> it = Scan.inputs(raw); it.hasNext(); ) {
      Scan.Input in = it.next();
      long t = Compactor.keyTime(in.ref().key());
      if (t < 0) {
        unnamed.add(in);
      } else {
        byWindow.computeIfAbsent(Math.floorDiv(t, WINDOW) * WINDOW, w -> new ArrayList<>()).add(in);
      }
    }
    return tasks(manifests, byWindow, unnamed);
  }

  private List<Task> tasks(
      List<Manifest> manifests, Map<Long, List<Scan.Input>> byWindow, List<Scan.Input> unnamed)
      throws IOException {
    if (skipping.usesWide()) {
      List<Manifest> joined = new ArrayList<>();
      for (Manifest m : manifests) {
        byte[] b = get(m.indexName());
        joined.add(b == null ? m : m.withWide(Manifest.indexFromBytes(b)));
      }
      manifests = joined;
    }
    List<Task> tasks = new ArrayList<>();
    planChunks(manifests, tasks);
    Set<String> covered = new HashSet<>();
    Set<Long> whole = new HashSet<>(); // windows whose listing is exactly the manifest's
    boolean needLists = !unnamed.isEmpty();
    for (Manifest m : manifests) {
      List<Scan.Input> listed = byWindow.getOrDefault(m.windowStart(), List.of());
      Coverage c = new Coverage();
      for (Scan.Input in : listed) {
        c.add(identity(in.ref().container(), in.ref().key()), in.ref().size());
      }
      if (m.windowMillis() == WINDOW && c.hash().equals(m.coverage()) && !needLists) {
        Set<String> left = new HashSet<>();
        m.left().forEach(l -> left.add(identity(l.container(), l.key())));
        for (Scan.Input in : listed) {
          String id = identity(in.ref().container(), in.ref().key());
          if (!left.contains(id)) {
            covered.add(id);
          }
        }
        whole.add(m.windowStart());
      } else {
        byte[] b = get(m.objectsName());
        if (b == null) {
          throw new IOException("block manifest without its object list: " + m.objectsName());
        }
        for (Manifest.Covered o : Manifest.objectsFromBytes(b)) {
          covered.add(identity(o.container(), o.key()));
        }
      }
    }
    List<Scan.Input> all = new ArrayList<>(unnamed);
    byWindow.values().forEach(all::addAll);
    all.sort(java.util.Comparator.comparing((Scan.Input i) -> i.ref().key()));
    for (Scan.Input in : all) {
      if (!covered.contains(identity(in.ref().container(), in.ref().key()))) {
        tasks.add(new Raw(in));
        stats.rawObjects.incrementAndGet();
      }
    }
    return tasks;
  }

  private byte[] get(String name) throws IOException {
    byte[] b = store.read(name);
    if (b != null) {
      stats.sideBytes.addAndGet(b.length);
      stats.sideReads.incrementAndGet();
    }
    return b;
  }

  /** Reads manifests by name (16 at a time: each is one GET), skipping those that do not exist. */
  public List<Manifest> readManifests(List<String> names) throws IOException {
    List<Manifest> out = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16, Thread.ofVirtual().factory())) {
      List<Future<byte[]>> fs = new ArrayList<>();
      for (String n : names) {
        fs.add(pool.submit(() -> store.read(n)));
      }
      for (Future<byte[]> f : fs) {
        byte[] b = f.get();
        stats.manifestGets.incrementAndGet();
        if (b != null) {
          stats.manifests.incrementAndGet();
          stats.manifestBytes.addAndGet(b.length);
          out.add(Manifest.fromBytes(b));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
    return out;
  }

  /** Runs the query: blocks where they exist, raw objects for the rest. */
  public Result run(List<? extends ObjectSource> raw, int threads) throws IOException {
    return Finisher.finish(scan(tasks(raw), threads));
  }

  /** Scans tasks with {@code threads} threads into one merged state. */
  public PartialState scan(List<Task> tasks, int threads) {
    Iterator<Task> it = tasks.iterator();
    int n = Math.max(1, Math.min(threads, tasks.size()));
    if (n == 1) {
      return worker(it);
    }
    try (ExecutorService pool =
        Executors.newFixedThreadPool(n, Thread.ofPlatform().daemon().factory())) {
      List<Future<PartialState>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        fs.add(pool.submit(() -> worker(it)));
      }
      PartialState merged = new PartialState(plan);
      for (Future<PartialState> f : fs) {
        merged.merge(f.get());
      }
      return merged;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("scan interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private PartialState worker(Iterator<Task> tasks) {
    Scan scan = new Scan(plan);
    CloudTrailReader reader = scan.newReader();
    PartialState state = new PartialState(plan);
    for (Task t = take(tasks); t != null; t = take(tasks)) {
      switch (t) {
        case Raw r -> scan.scanObject(reader, r.input().source(), r.input().ref(), state);
        case ChunkRun c -> {
          try {
            scanChunks(reader, c, state);
          } catch (IOException e) {
            throw new UncheckedIOException("block " + c.block() + ": " + e.getMessage(), e);
          }
        }
      }
    }
    return state;
  }

  private static Task take(Iterator<Task> tasks) {
    synchronized (tasks) {
      return tasks.hasNext() ? tasks.next() : null;
    }
  }

  /** Reads a run of chunks into {@code state}. */
  public void scanChunks(CloudTrailReader reader, ChunkRun run, PartialState state)
      throws IOException {
    stats.blockBytesRead.addAndGet(run.length());
    Plan.SystemSlots s = plan.slots();
    RowOp[] ops = plan.recordOps().toArray(RowOp[]::new);
    long start = plan.startMillis();
    long end = plan.endMillis();
    boolean bounded = start != Long.MIN_VALUE || end != Long.MAX_VALUE;
    if (!reader.request().needMessage()
        && ColumnChunk.COLUMNS.containsAll(reader.request().paths())) {
      stats.columnChunks.addAndGet(run.chunks().size());
    }
    try (InputStream in = store.openRange(run.block(), run.offset(), run.length())) {
      for (Manifest.Chunk chunk : run.chunks()) {
        String name = run.block() + "@" + chunk.offset();
        ObjectResult r =
            ChunkCodec.read(
                in,
                chunk.length(),
                name,
                reader,
                (row, ts, message, container, key, index) -> {
                  if (bounded && (ts == Long.MIN_VALUE || ts < start || ts >= end)) {
                    return true;
                  }
                  row[s.timestamp()] = ts == Long.MIN_VALUE ? null : new Timestamp(ts);
                  if (s.message() >= 0) {
                    row[s.message()] = message;
                  }
                  row[s.logStream()] = key;
                  row[s.log()] = container;
                  row[s.index()] = index;
                  if (s.ptr() >= 0) {
                    row[s.ptr()] = Scan.pointer(container, key, index);
                  }
                  for (RowOp op : ops) {
                    if (!op.apply(row)) {
                      return true;
                    }
                  }
                  state.accept(row);
                  return true;
                });
        state.objectRead(name, r);
      }
    }
  }
}
