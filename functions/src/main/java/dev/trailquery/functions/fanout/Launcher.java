package dev.trailquery.functions.fanout;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Starts a stored query's coordinator without waiting for it, so {@code POST /queries} returns at
 * once: a thread of this process, or (in AWS) an asynchronous invocation of the coordinator Lambda.
 */
public interface Launcher extends AutoCloseable {
  void launch(String queryId);

  @Override
  default void close() {}

  /** Runs {@code coordinator} for each launched query on a thread of this process. */
  static Launcher threads(Consumer<String> coordinator) {
    ExecutorService pool =
        Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("tq-coordinator-", 0).factory());
    return new Launcher() {
      @Override
      public void launch(String queryId) {
        pool.execute(() -> coordinator.accept(queryId));
      }

      @Override
      public void close() {
        pool.shutdownNow();
      }
    };
  }
}
