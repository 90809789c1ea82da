package dev.trailquery.functions.fanout;

import java.io.IOException;

/**
 * Where a worker puts a partial state too large for its Lambda response ({@link WorkerReply}), and
 * where the coordinator takes it back from: the results bucket in AWS ({@link S3StateSpill}).
 */
public interface StateSpill {
  /** Stores {@code state}; returns the key to {@link #take} it with. */
  String put(byte[] state) throws IOException;

  /** The state stored under {@code key}, removed from the store (each state is read once). */
  byte[] take(String key) throws IOException;
}
