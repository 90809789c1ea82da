package dev.trailquery.functions.fanout;

import dev.trailquery.store.ObjectSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Workers as threads of this process, reading from one object source. */
public final class ThreadInvoker implements Invoker {
  private final ObjectSource source;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("tq-worker-", 0).factory());

  public ThreadInvoker(ObjectSource source) {
    this.source = source;
  }

  @Override
  public CompletableFuture<byte[]> invoke(WorkerRequest request) {
    CompletableFuture<byte[]> future = new CompletableFuture<>();
    pool.execute(
        () -> {
          if (future.isDone()) {
            return;
          }
          try {
            future.complete(Worker.run(request, source, future::isDone));
          } catch (RuntimeException | Error e) {
            future.completeExceptionally(e);
          }
        });
    return future;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
