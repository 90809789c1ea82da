package dev.trailquery.cli;

import dev.trailquery.exec.Scan;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.store.ObjectRef;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/** A progress line on stderr (a terminal) for scans that take longer than a second. */
final class Progress implements Scan.Listener, AutoCloseable {
  private final PrintStream err;
  private final int total; // -1: not known
  private final AtomicLong objects = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final long started = System.nanoTime();
  private final Thread ticker;
  private volatile boolean shown;
  private volatile boolean done;

  Progress(PrintStream err, int total) {
    this.err = err;
    this.total = total;
    this.ticker = Thread.ofPlatform().daemon().start(this::tick);
  }

  @Override
  public void objectDone(ObjectRef ref, ObjectResult result) {
    objects.incrementAndGet();
    if (result != null) {
      records.addAndGet(result.records());
      bytes.addAndGet(result.bytesDecoded());
    }
  }

  private void tick() {
    try {
      Thread.sleep(1000);
      while (!done) {
        double secs = (System.nanoTime() - started) / 1e9;
        synchronized (err) {
          err.printf(
              "\r\033[Kscanning: %s objects, %,d records, %.1f MB, %.1f s",
              total < 0 ? objects.get() : objects.get() + "/" + total,
              records.get(),
              bytes.get() / 1e6,
              secs);
          err.flush();
        }
        shown = true;
        Thread.sleep(250);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    done = true;
    ticker.interrupt();
    try {
      ticker.join(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (shown) {
      synchronized (err) {
        err.print("\r\033[K");
        err.flush();
      }
    }
  }
}
