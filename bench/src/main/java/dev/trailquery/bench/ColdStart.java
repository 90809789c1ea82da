package dev.trailquery.bench;

import java.lang.management.ManagementFactory;

/**
 * A Lambda handler's cold initialisation, in a fresh JVM whose class path is only this class, the
 * functions zip's classes and libraries and the layer's jars (the runtime's layout): prints the
 * JVM's own start-up (to {@code main}), loading the handler class, its constructor (AWS clients,
 * configuration, the SnapStart priming hook's registration) and the priming itself (parsing,
 * planning and running every pack query over built-in data: the engine's first-request work), in
 * milliseconds. Uses reflection only, so nothing of trailquery is loaded before it is timed.
 *
 * <p>{@code java -cp ... dev.trailquery.bench.ColdStart HANDLER_CLASS}; the handler's environment
 * variables (region, table and bucket names) come from the caller. No request is sent anywhere:
 * constructing clients does not connect.
 */
public final class ColdStart {
  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    long mainAt = System.currentTimeMillis();
    long t0 = System.nanoTime();
    Class<?> handler = Class.forName(args[0]);
    long t1 = System.nanoTime();
    handler.getConstructor().newInstance();
    long t2 = System.nanoTime();
    Class<?> priming = Class.forName("dev.trailquery.functions.aws.Priming");
    var prime = priming.getDeclaredMethod("prime");
    prime.setAccessible(true);
    prime.invoke(null);
    long t3 = System.nanoTime();
    System.out.printf(
        "%s jvm-to-main=%d load=%.0f construct=%.0f prime=%.0f total=%.0f%n",
        handler.getSimpleName(),
        mainAt - jvmStart,
        (t1 - t0) / 1e6,
        (t2 - t1) / 1e6,
        (t3 - t2) / 1e6,
        (mainAt - jvmStart) + (t3 - t0) / 1e6);
  }
}
