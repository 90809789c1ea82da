package dev.trailquery.functions.fanout;

import java.time.Duration;

/**
 * How a query fans out.
 *
 * @param maxWorkers worker invocations in flight at once
 * @param workerParallelism objects each worker reads at once (GETs in flight; threads locally)
 * @param minBatchBytes a batch is at least this big (unless the range is smaller)...
 * @param maxBatchBytes ...and at most this big,
 * @param maxBatchObjects ...and holds at most this many objects
 * @param timeout how long a query may run before it ends with status Timeout
 * @param publishMillis how often partial results and statistics are written while Running
 * @param cancelCheckMillis how often the store is asked whether the query was stopped
 * @param maxAttempts tries per batch before the query fails
 */
public record FanoutConfig(
    int maxWorkers,
    int workerParallelism,
    long minBatchBytes,
    long maxBatchBytes,
    int maxBatchObjects,
    Duration timeout,
    long publishMillis,
    long cancelCheckMillis,
    int maxAttempts) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);

  public FanoutConfig {
    if (maxWorkers < 1 || workerParallelism < 1 || maxBatchObjects < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("fan-out bounds must be positive");
    }
  }

  /** Lambda workers: many in flight, each keeping 32 GETs in flight. */
  public static FanoutConfig lambda() {
    return new FanoutConfig(
        64, 32, 256 * 1024, 64L * 1024 * 1024, 2000, DEFAULT_TIMEOUT, 1000, 1000, 2);
  }

  /** Thread workers in this process. */
  public static FanoutConfig local(int workers) {
    return new FanoutConfig(
        workers, 1, 256 * 1024, 64L * 1024 * 1024, 2000, DEFAULT_TIMEOUT, 250, 100, 1);
  }

  public FanoutConfig withWorkers(int workers) {
    return new FanoutConfig(
        workers,
        workerParallelism,
        minBatchBytes,
        maxBatchBytes,
        maxBatchObjects,
        timeout,
        publishMillis,
        cancelCheckMillis,
        maxAttempts);
  }

  public FanoutConfig withParallelism(int parallelism) {
    return new FanoutConfig(
        maxWorkers,
        parallelism,
        minBatchBytes,
        maxBatchBytes,
        maxBatchObjects,
        timeout,
        publishMillis,
        cancelCheckMillis,
        maxAttempts);
  }

  public FanoutConfig withTimeout(Duration t) {
    return new FanoutConfig(
        maxWorkers,
        workerParallelism,
        minBatchBytes,
        maxBatchBytes,
        maxBatchObjects,
        t,
        publishMillis,
        cancelCheckMillis,
        maxAttempts);
  }

  public FanoutConfig withBatchBytes(long min, long max, int maxObjects) {
    return new FanoutConfig(
        maxWorkers,
        workerParallelism,
        min,
        max,
        maxObjects,
        timeout,
        publishMillis,
        cancelCheckMillis,
        maxAttempts);
  }
}
