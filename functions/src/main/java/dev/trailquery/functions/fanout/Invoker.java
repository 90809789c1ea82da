package dev.trailquery.functions.fanout;

import java.util.concurrent.CompletableFuture;

/**
 * Runs workers: threads of this process, or the worker Lambda. Each invocation completes with the
 * worker's serialized partial state. Cancelling the future asks the worker to stop (threads stop
 * between objects; a running Lambda finishes and its answer is ignored).
 */
public interface Invoker extends AutoCloseable {
  CompletableFuture<byte[]> invoke(WorkerRequest request);

  @Override
  default void close() {}
}
