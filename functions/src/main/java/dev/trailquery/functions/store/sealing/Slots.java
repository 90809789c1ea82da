package dev.trailquery.functions.store.sealing;

import dev.trailquery.contract.Keys;
import dev.trailquery.functions.store.Subscription;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an object's bundle is stored and when it is sealed (docs/INGEST.md, "Sealing").
 *
 * <p>Bundles are kept by <b>delivery slot</b>: the 15-minute slot of the time in the object's key
 * (CloudTrail names each file by when it wrote it), so every delivery of one object goes to the
 * same item. An object processed while its slot is open (until {@link #CLOSE_MILLIS} after the
 * slot's end) is <i>natural</i>: {@code D#<slot>#<shard>}. One processed later (an SQS redelivery,
 * a DLQ redrive, a backfill) is <i>late</i>: {@code L#<natural slot>}, carrying the slot of its
 * first write. A slot is sealed {@link #SEAL_AFTER_MILLIS} after its end: every write into it has
 * finished by then (the ingest function's timeout is 2 minutes).
 */
public final class Slots {
  /** The width of a delivery slot. */
  public static final long SLOT_MILLIS = 15 * 60_000L;

  /** How long after its end a slot still takes natural writes. */
  public static final long CLOSE_MILLIS = 5 * 60_000L;

  /** How long after its end a slot is sealed: {@link #CLOSE_MILLIS} plus a margin. */
  public static final long SEAL_AFTER_MILLIS = 20 * 60_000L;

  /** Natural bundles of a slot are spread over this many partitions (hot-partition limits). */
  public static final int SHARDS = 4;

  /**
   * How long natural bundles are kept after their slot: longer than SQS keeps a message (4 days)
   * plus the DLQ (14 days), so that a late redelivery can always find its first delivery.
   */
  public static final long KEEP_DELTAS_SECONDS = 21 * 86_400L;

  /** Natural slot of objects whose key has no time (never written naturally). */
  public static final long UNKNOWN = 0;

  private static final Pattern KEY_TIME =
      Pattern.compile("_(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})Z_[^/]*$");

  private Slots() {}

  public static long slot(long millis) {
    return Math.floorDiv(millis, SLOT_MILLIS) * SLOT_MILLIS;
  }

  /** The slot of the time in a CloudTrail key, or {@link #UNKNOWN}. */
  public static long naturalSlot(String key) {
    Matcher m = KEY_TIME.matcher(key);
    if (!m.find()) {
      return UNKNOWN;
    }
    try {
      long t =
          LocalDateTime.of(
                  Integer.parseInt(m.group(1)),
                  Integer.parseInt(m.group(2)),
                  Integer.parseInt(m.group(3)),
                  Integer.parseInt(m.group(4)),
                  Integer.parseInt(m.group(5)))
              .toInstant(ZoneOffset.UTC)
              .toEpochMilli();
      return t < SLOT_MILLIS ? UNKNOWN : slot(t);
    } catch (RuntimeException e) {
      return UNKNOWN;
    }
  }

  /**
   * Whether an object of this natural slot processed now is written naturally: its slot is known,
   * still open, not sealed ({@code sealedThrough}: the progress the writer knows), and not more
   * than an hour in the future (a bogus key time is treated as unknown).
   */
  public static boolean natural(long naturalSlot, long now, long sealedThrough) {
    return naturalSlot != UNKNOWN
        && now < naturalSlot + SLOT_MILLIS + CLOSE_MILLIS
        && naturalSlot > sealedThrough
        && naturalSlot <= now + 3_600_000L;
  }

  /** The newest slot that may be sealed at {@code now}. */
  public static long sealable(long now) {
    return slot(now - SEAL_AFTER_MILLIS) - SLOT_MILLIS;
  }

  /** The UTC day ({@code yyyy-MM-dd}) of an instant. */
  public static String day(long millis) {
    return java.time.Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  public static int shard(String objectId) {
    return Math.floorMod(objectId.hashCode(), SHARDS);
  }

  /** Fixed-width slot text: sorts as the numbers do. */
  public static String pad(long slot) {
    return String.format("%015d", slot);
  }

  public static String naturalPk(long slot, int shard) {
    return Keys.NATURAL_BUNDLE + pad(slot) + "#" + shard;
  }

  public static String latePk(long naturalSlot) {
    return Keys.LATE_BUNDLE + pad(naturalSlot);
  }

  /** The partition of a subscription's sealed bins starting on one UTC day. */
  public static String sealedPk(String subscriptionId, String day) {
    return Keys.SEALED + subscriptionId + "#" + day;
  }

  /** Seconds TTL of a sealed bin: its end plus the subscription's retention, or null (forever). */
  public static Long sealedTtl(Subscription s, long binStart) {
    return s.retentionDays() > 0
        ? s.period().next(binStart) / 1000 + s.retentionDays() * 86_400L
        : null;
  }
}
