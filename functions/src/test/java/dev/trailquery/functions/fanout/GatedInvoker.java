package dev.trailquery.functions.fanout;

import dev.trailquery.store.ObjectSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Workers that run only when the test releases them. */
public final class GatedInvoker implements Invoker {
  private record Pending(WorkerRequest request, CompletableFuture<byte[]> future) {}

  private final ObjectSource source;
  private final List<Pending> pending = new ArrayList<>();
  private final List<CompletableFuture<byte[]>> all = new ArrayList<>();

  public GatedInvoker(ObjectSource source) {
    this.source = source;
  }

  @Override
  public synchronized CompletableFuture<byte[]> invoke(WorkerRequest request) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    pending.add(new Pending(request, f));
    all.add(f);
    return f;
  }

  public synchronized int waiting() {
    return (int) pending.stream().filter(p -> !p.future().isDone()).count();
  }

  /** Runs up to {@code n} waiting workers; returns how many ran. */
  public int release(int n) {
    List<Pending> run = new ArrayList<>();
    synchronized (this) {
      while (run.size() < n && !pending.isEmpty()) {
        Pending p = pending.removeFirst();
        if (!p.future().isDone()) {
          run.add(p);
        }
      }
    }
    for (Pending p : run) {
      p.future().complete(Worker.run(p.request(), source, () -> false));
    }
    return run.size();
  }

  public synchronized long cancelled() {
    return all.stream().filter(CompletableFuture::isCancelled).count();
  }

  public synchronized int invocations() {
    return all.size();
  }
}
