package dev.trailquery.blocks;

import java.nio.charset.StandardCharsets;

/**
 * An order-independent 128-bit hash of a set of raw objects (identity and size): a window's listing
 * whose count and hash equal its manifest's holds exactly the objects the manifest knows, so a
 * query need not read the manifest's object list to tell covered objects from new ones.
 */
public final class Coverage {
  private long a;
  private long b;
  private long count;

  public void add(String identity, long size) {
    byte[] bytes = (identity + "\n" + size).getBytes(StandardCharsets.UTF_8);
    a += mix(bytes, 0x9E3779B97F4A7C15L);
    b += mix(bytes, 0xD6E8FEB86659FD93L);
    count++;
  }

  public long count() {
    return count;
  }

  /** {@code count:hexA:hexB}. */
  public String hash() {
    return count + ":" + Long.toHexString(a) + ":" + Long.toHexString(b);
  }

  private static long mix(byte[] s, long seed) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte x : s) {
      h ^= x & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
