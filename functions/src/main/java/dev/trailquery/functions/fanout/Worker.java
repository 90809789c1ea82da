package dev.trailquery.functions.fanout;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Scan;
import dev.trailquery.plan.Plan;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.util.ArrayList;
import java.util.List;
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
    List<Scan.Input> inputs = new ArrayList<>(objects.size());
    for (ObjectRef ref : objects) {
      inputs.add(new Scan.Input(source, ref));
    }
    return new Scan(plan)
        .scanAll(inputs, parallelism, Scan.Listener.NONE, cancelled, /* virtualThreads= */ true);
  }
}
