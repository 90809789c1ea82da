package dev.trailquery.exec;

import dev.trailquery.plan.Plan;
import dev.trailquery.plan.RowOp;
import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs a plan's partial stage over objects. */
public final class Scan {
  /** Told about each object as it finishes (from any scanning thread). */
  @FunctionalInterface
  public interface Listener {
    void objectDone(ObjectRef ref, ObjectResult result);

    Listener NONE = (ref, result) -> {};
  }

  /** One object and the source it comes from. */
  public record Input(ObjectSource source, ObjectRef ref) {}

  private final Plan plan;
  private final long maxDecodedBytes;

  public Scan(Plan plan) {
    this(plan, CloudTrailReader.DEFAULT_MAX_DECODED_BYTES);
  }

  public Scan(Plan plan, long maxDecodedBytes) {
    this.plan = plan;
    this.maxDecodedBytes = maxDecodedBytes;
  }

  /** A reader for one thread (readers are not shared between threads). */
  public CloudTrailReader newReader() {
    return new CloudTrailReader(plan.read(), maxDecodedBytes);
  }

  /**
   * Reads one object into {@code state}. An object that cannot be opened or read counts as skipped,
   * with the error.
   */
  public ObjectResult scanObject(
      CloudTrailReader reader, ObjectSource source, ObjectRef ref, PartialState state) {
    ObjectResult result;
    try (InputStream in = source.open(ref)) {
      result = scanStream(reader, in, ref.container(), ref.key(), state);
    } catch (IOException e) {
      result =
          new ObjectResult(
              ObjectResult.Status.CORRUPT, 0, 0, 0, new BitSet(), "could not read: " + e);
    }
    state.objectRead(ref.key(), result);
    return result;
  }

  /** Reads one object's bytes into {@code state}, without recording the object's statistics. */
  public ObjectResult scanStream(
      CloudTrailReader reader, InputStream in, String container, String key, PartialState state) {
    Plan.SystemSlots s = plan.slots();
    List<RowOp> ops = plan.recordOps();
    int nOps = ops.size();
    RowOp[] opArray = ops.toArray(RowOp[]::new);
    boolean multiplies = dev.trailquery.plan.Pipeline.multiplies(ops);
    int element = s.element();
    long start = plan.startMillis();
    long end = plan.endMillis();
    boolean bounded = start != Long.MIN_VALUE || end != Long.MAX_VALUE;
    return reader.read(
        in,
        key,
        (row, ts, message, index) -> {
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
            row[s.ptr()] = pointer(container, key, index);
          }
          if (multiplies) {
            dev.trailquery.plan.Pipeline.run(opArray, row, element, state::accept);
            return true;
          }
          for (int i = 0; i < nOps; i++) {
            if (!opArray[i].apply(row)) {
              return true;
            }
          }
          state.accept(row);
          return true;
        });
  }

  /** {@code @ptr}: where a record can be read again (see {@link #decodePointer}). */
  public static String pointer(String container, String key, int index) {
    String raw = (container == null ? "" : container) + "\n" + key + "\n" + index;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The container, key and record index a {@code @ptr} names; null if it is not a pointer. */
  public static String[] decodePointer(String ptr) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(ptr), StandardCharsets.UTF_8);
      String[] parts = raw.split("\n", -1);
      if (parts.length != 3) {
        return null;
      }
      Integer.parseInt(parts[2]);
      return parts;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Scans every input with {@code threads} threads, each with its own partial state, and merges
   * them. Objects are handed out in order, one at a time, so a slow object never stalls the rest.
   */
  public PartialState scanAll(List<Input> inputs, int threads, Listener listener) {
    return scanAll(inputs, threads, listener, () -> false, false);
  }

  /**
   * Like {@link #scanAll(List, int, Listener)}; stops handing out objects once {@code cancelled}
   * says so, and runs on virtual threads when {@code virtualThreads} (for I/O-bound sources such as
   * S3, where many GETs in flight matter more than cores).
   */
  public PartialState scanAll(
      List<Input> inputs,
      int threads,
      Listener listener,
      java.util.function.BooleanSupplier cancelled,
      boolean virtualThreads) {
    int n = Math.max(1, Math.min(threads, inputs.size()));
    return scanAll(inputs.iterator(), n, listener, cancelled, virtualThreads);
  }

  /**
   * Like {@link #scanAll(List, int, Listener, java.util.function.BooleanSupplier, boolean)}, with
   * the objects taken from {@code inputs} as threads become free, so a lazily listed source is
   * never held whole. The iterator is only used under its own lock; an exception it throws ends the
   * scan.
   */
  public PartialState scanAll(
      Iterator<Input> inputs,
      int threads,
      Listener listener,
      java.util.function.BooleanSupplier cancelled,
      boolean virtualThreads) {
    int n = Math.max(1, threads);
    if (n == 1) {
      return worker(inputs, listener, cancelled);
    }
    java.util.concurrent.ThreadFactory factory =
        virtualThreads ? Thread.ofVirtual().factory() : Thread.ofPlatform().daemon().factory();
    try (ExecutorService pool = Executors.newFixedThreadPool(n, factory)) {
      List<Future<PartialState>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> worker(inputs, listener, cancelled)));
      }
      PartialState merged = new PartialState(plan);
      try {
        for (Future<PartialState> f : futures) {
          merged.merge(f.get());
        }
      } catch (InterruptedException e) { // stop the workers too, not only wait for them
        pool.shutdownNow();
        Thread.currentThread().interrupt();
        throw new CancellationException("scan interrupted");
      }
      return merged;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private PartialState worker(
      Iterator<Input> inputs, Listener listener, java.util.function.BooleanSupplier cancelled) {
    PartialState state = new PartialState(plan);
    CloudTrailReader reader = newReader();
    for (Input input = take(inputs); input != null; input = take(inputs)) {
      if (cancelled.getAsBoolean()) {
        break;
      }
      if (Thread.currentThread().isInterrupted()) { // the caller gave up (Ctrl-C in a client)
        throw new CancellationException("scan interrupted");
      }
      ObjectResult result = scanObject(reader, input.source(), input.ref(), state);
      listener.objectDone(input.ref(), result);
    }
    return state;
  }

  /** The next input, or null when there is none; objects are handed out in order, one at a time. */
  private static Input take(Iterator<Input> inputs) {
    synchronized (inputs) {
      return inputs.hasNext() ? inputs.next() : null;
    }
  }

  /**
   * Every object of {@code sources} in order, each source listed lazily ({@link
   * ObjectSource#objects}); each source's listing starts here, so a missing path fails at once.
   */
  public static Iterator<Input> inputs(List<? extends ObjectSource> sources) throws IOException {
    List<Iterator<Input>> parts = new ArrayList<>();
    for (ObjectSource source : sources) {
      Iterator<ObjectRef> refs = source.objects();
      parts.add(
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return refs.hasNext();
            }

            @Override
            public Input next() {
              return new Input(source, refs.next());
            }
          });
    }
    Iterator<Iterator<Input>> outer = parts.iterator();
    return new Iterator<>() {
      private Iterator<Input> current = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext()) {
          if (!outer.hasNext()) {
            return false;
          }
          current = outer.next();
        }
        return true;
      }

      @Override
      public Input next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return current.next();
      }
    };
  }
}
