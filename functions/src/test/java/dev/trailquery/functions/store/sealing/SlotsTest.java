package dev.trailquery.functions.store.sealing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.contract.Keys;
import dev.trailquery.functions.store.Subscription;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Delivery slots worked out by hand (docs/INGEST.md, "Sealing"): 15-minute slots, open until 5
 * minutes after their end, sealable 20 minutes after, and the keys and TTLs derived from them.
 */
class SlotsTest {
  static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  static final String KEY =
      "AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/10/"
          + "111122223333_CloudTrail_us-east-1_20250310T1017Z_abcd.json.gz";

  @Test
  void slotsAreQuarterHoursTakenFromTheKeysTime() {
    assertThat(Slots.slot(at("2025-03-10T10:14:59.999Z"))).isEqualTo(at("2025-03-10T10:00:00Z"));
    assertThat(Slots.slot(at("2025-03-10T10:15:00Z"))).isEqualTo(at("2025-03-10T10:15:00Z"));
    assertThat(Slots.slot(-1)).isEqualTo(-Slots.SLOT_MILLIS);
    assertThat(Slots.naturalSlot(KEY)).isEqualTo(at("2025-03-10T10:15:00Z"));
    assertThat(Slots.naturalSlot("AWSLogs/x/readme.txt")).isEqualTo(Slots.UNKNOWN);
    // a time that is no date, and one before the first slot's end, are unknown
    assertThat(Slots.naturalSlot("x_20251345T1017Z_a.json.gz")).isEqualTo(Slots.UNKNOWN);
    assertThat(Slots.naturalSlot("x_19700101T0014Z_a.json.gz")).isEqualTo(Slots.UNKNOWN);
    assertThat(Slots.naturalSlot("x_19700101T0015Z_a.json.gz")).isEqualTo(Slots.SLOT_MILLIS);
  }

  @Test
  void anObjectIsWrittenNaturallyWhileItsSlotIsOpenAndUnsealed() {
    long slot = at("2025-03-10T10:15:00Z");
    long closes = at("2025-03-10T10:35:00Z"); // end 10:30 + 5 minutes
    assertThat(Slots.natural(slot, closes - 1, 0)).isTrue();
    assertThat(Slots.natural(slot, closes, 0)).isFalse();
    assertThat(Slots.natural(Slots.UNKNOWN, 0, -1)).isFalse(); // else open, unsealed, not ahead
    // sealed through the slot before: still natural; through this slot: not
    assertThat(Slots.natural(slot, closes - 1, slot - 1)).isTrue();
    assertThat(Slots.natural(slot, closes - 1, slot)).isFalse();
    // a key time up to an hour ahead of the clock is believed, more is not
    long now = slot - 3_600_000L;
    assertThat(Slots.natural(slot, now, 0)).isTrue();
    assertThat(Slots.natural(slot, now - 1, 0)).isFalse();
  }

  @Test
  void slotsAreSealableTwentyMinutesAfterTheirEnd() {
    // at 10:50 the slot 10:15-10:30 has been closed 20 minutes
    assertThat(Slots.sealable(at("2025-03-10T10:50:00Z"))).isEqualTo(at("2025-03-10T10:15:00Z"));
    assertThat(Slots.sealable(at("2025-03-10T10:49:59Z"))).isEqualTo(at("2025-03-10T10:00:00Z"));
  }

  @Test
  void keysAndTtls() {
    assertThat(Slots.pad(42)).isEqualTo("000000000000042");
    assertThat(Slots.naturalPk(42, 3)).isEqualTo(Keys.NATURAL_BUNDLE + "000000000000042#3");
    assertThat(Slots.latePk(42)).isEqualTo(Keys.LATE_BUNDLE + "000000000000042");
    assertThat(Slots.sealedPk("sub1", "2025-03-10")).isEqualTo(Keys.SEALED + "sub1#2025-03-10");
    assertThat(Slots.day(at("2025-03-10T23:59:59Z"))).isEqualTo("2025-03-10");
    assertThat(Slots.day(at("2025-03-11T00:00:00Z"))).isEqualTo("2025-03-11");
    // String hashes: "" 0, "a" 97, "b" 98, "c" 99, "polygenelubricants" -2^31 (never negative)
    assertThat(Slots.shard("")).isZero();
    assertThat(Slots.shard("a")).isEqualTo(1);
    assertThat(Slots.shard("b")).isEqualTo(2);
    assertThat(Slots.shard("c")).isEqualTo(3);
    assertThat(Slots.shard("polygenelubricants")).isZero();
    Subscription kept = Subscription.create("k", "stats count(*)", "1h", null, 2, 0L, null);
    // the bin 10:00-11:00 ends at 11:00; kept two days after
    assertThat(Slots.sealedTtl(kept, at("2025-03-10T10:00:00Z")))
        .isEqualTo(at("2025-03-12T11:00:00Z") / 1000);
    Subscription forever = Subscription.create("f", "stats count(*)", "1h", null, null, 0L, null);
    assertThat(Slots.sealedTtl(forever, at("2025-03-10T10:00:00Z"))).isNull();
  }
}
