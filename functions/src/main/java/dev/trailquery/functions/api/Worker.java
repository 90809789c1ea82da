package dev.trailquery.functions.api;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Scan;
import dev.trailquery.plan.Plan;
import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What a worker does with one batch: reads its objects ({@code parallelism} at once — for S3 that
 * many GETs in flight) into a partial state and returns the state's bytes. Stops between objects
 * once {@code cancelled} says so.
 */
public final class Worker {
  private Worker() {}

  public static byte[] run(WorkerRequest request, ObjectSource source, BooleanSupplier cancelled) {
    Plan plan = Trailquery.compile(request.queryString(), request.options());
    return scan(plan, request.objects(), request.parallelism(), source, cancelled).toBytes();
  }

  static PartialState scan(
      Plan plan,
      List<ObjectRef> objects,
      int parallelism,
      ObjectSource source,
      BooleanSupplier cancelled) {
    Scan scan = new Scan(plan);
    AtomicInteger next = new AtomicInteger();
    int n = Math.max(1, Math.min(parallelism, objects.size()));
    if (n == 1) {
      return loop(scan, plan, objects, next, source, cancelled);
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<PartialState>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> loop(scan, plan, objects, next, source, cancelled)));
      }
      PartialState merged = new PartialState(plan);
      for (Future<PartialState> f : futures) {
        merged.merge(f.get());
      }
      return merged;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("worker interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static PartialState loop(
      Scan scan,
      Plan plan,
      List<ObjectRef> objects,
      AtomicInteger next,
      ObjectSource source,
      BooleanSupplier cancelled) {
    PartialState state = new PartialState(plan);
    CloudTrailReader reader = scan.newReader();
    for (int i = next.getAndIncrement(); i < objects.size(); i = next.getAndIncrement()) {
      if (cancelled.getAsBoolean()) {
        break;
      }
      scan.scanObject(reader, source, objects.get(i), state);
    }
    return state;
  }
}
