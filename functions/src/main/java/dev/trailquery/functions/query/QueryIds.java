package dev.trailquery.functions.query;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Query ids: UUID version 7 (48 bits of epoch ms, then random), so ids sort by start time — the
 * DynamoDB store lists recent queries by querying its key range backwards.
 */
public final class QueryIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private QueryIds() {}

  public static String next(long nowMillis) {
    long hi = (nowMillis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
    long lo = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }
}
