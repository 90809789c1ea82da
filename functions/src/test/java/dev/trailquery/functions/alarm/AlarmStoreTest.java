package dev.trailquery.functions.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.testing.Emulators;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The alarm items on dynalite, call by call: definitions and their cache (time moved by hand), the
 * state that only moves forward, and the breaching-bin records behind exactly-once notifications
 * (lease taken over only once it ran out, released, marked sent).
 */
class AlarmStoreTest {
  static DynamoDbClient db;
  static String table;

  @BeforeAll
  static void start() {
    db = Emulators.dynamo();
    table = "alarm-store-" + UUID.randomUUID().toString().substring(0, 8);
    Tables.createIfMissing(db, Tables.results(table));
  }

  static String name() {
    return "s" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Map<String, AttributeValue> item(String pk, String sk) {
    return Emulators.item(db, table, pk, sk);
  }

  @Test
  void definitionsAreStoredReadListedAndDeleted() {
    AlarmStore store = new AlarmStore(db, table);
    String n1 = "a-" + name();
    String n2 = "b-" + name();
    Alarm a1 = new Alarm(n1, "failures", Alarm.Comparison.GE, 2.5, "too many", true, 1234L);
    Alarm a2 = new Alarm(n2, "count(*)", Alarm.Comparison.NE, -1.5, null, false, 99L);
    store.put(a1);
    store.put(a2);
    assertThat(store.get(n1)).contains(a1);
    assertThat(store.get(n2)).contains(a2);
    assertThat(store.get("missing-" + name())).isEmpty();
    assertThat(store.list()).contains(a1, a2);
    assertThat(store.list().indexOf(a1)).isLessThan(store.list().indexOf(a2));
    assertThat(store.cached()).containsEntry(n1, a1).containsEntry(n2, a2);
    Map<String, AttributeValue> raw = item(AlarmStore.INDEX, n2);
    assertThat(raw).doesNotContainKey("description");
    assertThat(raw.get("threshold").n()).isEqualTo("-1.5");

    store.advance(a1, 10, 1, Alarm.State.OK, List.of());
    assertThat(store.delete(n1)).isTrue();
    assertThat(store.get(n1)).isEmpty();
    assertThat(item(AlarmStore.pk(n1), "state")).isEmpty(); // the state went with it
    assertThat(store.delete(n1)).isFalse();
    assertThat(store.cached()).doesNotContainKey(n1).containsKey(n2);
  }

  @Test
  void theCacheIsReadAgainOnceItIsCacheMillisOld() {
    AtomicLong now = new AtomicLong(1_000_000);
    AlarmStore cachedStore = new AlarmStore(db, table, 1000, now::get);
    AlarmStore other = new AlarmStore(db, table);
    assertThat(cachedStore.cacheMillis()).isEqualTo(1000);
    Map<String, Alarm> first = cachedStore.cached();
    String n = name();
    Alarm a = new Alarm(n, "n", Alarm.Comparison.GT, 1, null, false, 5L);
    other.put(a); // another container sets an alarm
    now.addAndGet(999);
    assertThat(cachedStore.cached()).isSameAs(first).doesNotContainKey(n);
    now.addAndGet(1);
    assertThat(cachedStore.cached()).containsEntry(n, a);
    // its own writes drop the cache at once
    other.delete(n);
    assertThat(cachedStore.cached()).containsKey(n);
    cachedStore.delete(n);
    assertThat(cachedStore.cached()).doesNotContainKey(n);
  }

  @Test
  void theStateMovesOnlyForwardAndBelongsToOneCreation() {
    AtomicLong now = new AtomicLong(50_000);
    AlarmStore store = new AlarmStore(db, table, 0, now::get);
    String n = name();
    Alarm a = new Alarm(n, "n", Alarm.Comparison.GT, 1, null, false, 100L);
    assertThat(store.state(a)).isEqualTo(AlarmStore.State.INITIAL);

    List<Map<String, String>> rows = List.of(Map.of("ip", "203.0.113.5", "n", "4"));
    assertThat(store.advance(a, 600_000, 2, Alarm.State.ALARM, rows))
        .contains(AlarmStore.State.INITIAL);
    AlarmStore.State s1 =
        new AlarmStore.State(Alarm.State.ALARM, 600_000L, 2, 100, 50_000, 1, rows);
    assertThat(store.state(a)).isEqualTo(s1);

    now.set(60_000);
    // the same bin decided on fewer objects, or an older bin: stale, nothing changes
    assertThat(store.advance(a, 600_000, 1, Alarm.State.OK, List.of())).isEmpty();
    assertThat(store.advance(a, 300_000, 9, Alarm.State.OK, List.of())).isEmpty();
    assertThat(store.state(a)).isEqualTo(s1);
    // the same bin on as many objects confirms it (and counts the evaluation)
    assertThat(store.advance(a, 600_000, 2, Alarm.State.ALARM, rows)).contains(s1);
    AlarmStore.State s2 =
        new AlarmStore.State(Alarm.State.ALARM, 600_000L, 2, 100, 60_000, 2, rows);
    assertThat(store.state(a)).isEqualTo(s2);
    // more objects in the same bin, then a newer bin
    assertThat(store.advance(a, 600_000, 3, Alarm.State.OK, List.of())).contains(s2);
    now.set(70_000);
    assertThat(store.advance(a, 900_000, 1, Alarm.State.INSUFFICIENT_DATA, List.of()))
        .map(AlarmStore.State::state)
        .contains(Alarm.State.OK);
    assertThat(store.state(a))
        .isEqualTo(
            new AlarmStore.State(
                Alarm.State.INSUFFICIENT_DATA, 900_000L, 1, 100, 70_000, 4, List.of()));

    // the alarm set again (a newer creation) starts afresh; the older definition cannot write
    Alarm again = new Alarm(n, "n", Alarm.Comparison.GT, 2, null, false, 200L);
    assertThat(store.state(again)).isEqualTo(AlarmStore.State.INITIAL);
    assertThat(store.advance(again, 60_000, 1, Alarm.State.OK, List.of()))
        .contains(AlarmStore.State.INITIAL);
    assertThat(store.state(again).bin()).isEqualTo(60_000L);
    assertThat(store.state(again).evaluations()).isEqualTo(5); // ADD keeps counting the item
    assertThat(store.state(a)).isEqualTo(AlarmStore.State.INITIAL);
    assertThat(store.advance(a, 9_000_000, 9, Alarm.State.ALARM, List.of())).isEmpty();
  }

  @Test
  void aBreachRecordIsCreatedOnceAndItsLeaseTakenOverOnlyWhenItRanOut() {
    String n = name();
    AlarmStore store = new AlarmStore(db, table);
    Alarm a = new Alarm(n, "n", Alarm.Comparison.GT, 1, null, false, 7L);
    assertThat(AlarmStore.binKey(7, 42)).isEqualTo("x#7#00000000000000000042");
    assertThat(AlarmStore.pk(n)).isEqualTo("alarm#" + n);

    assertThat(store.breach(a, 1000)).isEmpty();
    assertThat(store.recordBreach(a, 1000, true, 5000, 777L)).isTrue();
    assertThat(store.recordBreach(a, 1000, true, 9999, null)).isFalse();
    assertThat(store.breach(a, 1000)).contains(new AlarmStore.Breach(true, false, 5000));
    Map<String, AttributeValue> raw = item("alarm#" + n, AlarmStore.binKey(7, 1000));
    assertThat(raw.get(Tables.TTL).n()).isEqualTo("777");

    // a bin that continues an episode: recorded as sent, no lease, no TTL when none is given
    assertThat(store.recordBreach(a, 2000, false, 5000, null)).isTrue();
    assertThat(store.breach(a, 2000)).contains(new AlarmStore.Breach(false, true, 0));
    assertThat(item("alarm#" + n, AlarmStore.binKey(7, 2000))).doesNotContainKey(Tables.TTL);
    // another creation of the alarm has its own records
    Alarm again = new Alarm(n, "n", Alarm.Comparison.GT, 1, null, false, 8L);
    assertThat(store.breach(again, 1000)).isEmpty();

    assertThat(store.takeOver(a, 1000, 4999, 20_000)).isFalse();
    assertThat(store.takeOver(a, 1000, 5000, 20_000)).isFalse(); // not yet run out
    assertThat(store.breach(a, 1000)).contains(new AlarmStore.Breach(true, false, 5000));
    assertThat(store.takeOver(a, 1000, 5001, 20_000)).isTrue();
    assertThat(store.breach(a, 1000)).contains(new AlarmStore.Breach(true, false, 20_000));
    assertThat(store.takeOver(a, 1000, 6000, 30_000)).isFalse(); // the new owner's lease holds

    store.releaseLease(a, 1000);
    assertThat(store.breach(a, 1000)).contains(new AlarmStore.Breach(true, false, 0));
    store.markSent(a, 1000);
    assertThat(store.breach(a, 1000)).contains(new AlarmStore.Breach(true, true, 0));
    assertThat(store.takeOver(a, 1000, Long.MAX_VALUE / 2, Long.MAX_VALUE / 2)).isFalse();
    assertThatThrownBy(() -> store.releaseLease(a, 1000))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThat(Optional.of(store.breach(a, 1000).orElseThrow().sent())).contains(true);
  }
}
