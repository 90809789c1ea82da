package dev.trailquery.blocks;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where blocks and manifests live: a local directory or an S3 prefix in the stack's own bucket
 * (never the trail's). Names are relative, {@code /}-separated. Implementations are safe to use
 * from several threads.
 */
public interface BlockStore {
  /** Names under {@code prefix} (recursively), sorted. */
  List<String> list(String prefix) throws IOException;

  /** The whole object, or null when it does not exist. */
  byte[] read(String name) throws IOException;

  /** {@code length} bytes from {@code offset} (one ranged GET on S3). */
  InputStream openRange(String name, long offset, long length) throws IOException;

  /** Writes an object whole (a reader never sees part of it). */
  void write(String name, byte[] bytes) throws IOException;

  void delete(String name) throws IOException;

  /** A human-readable location. */
  String location();
}
