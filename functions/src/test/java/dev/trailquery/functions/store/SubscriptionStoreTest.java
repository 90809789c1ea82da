package dev.trailquery.functions.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.functions.testing.Emulators;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The subscriptions table on dynalite, call by call: what a put stores and a get reads back, names
 * taken, who subscribed, deletes, the list by name, and the cache (time moved by hand).
 */
class SubscriptionStoreTest {
  static DynamoDbClient db = Emulators.dynamo();

  static String table() {
    String t = "subs-store-" + UUID.randomUUID().toString().substring(0, 8);
    Tables.createIfMissing(db, Tables.subscriptions(t));
    return t;
  }

  @Test
  void aSubscriptionIsStoredReadListedAndDeleted() {
    String t = table();
    SubscriptionStore store = new SubscriptionStore(db, t, 0);
    assertThat(store.table()).isEqualTo(t);
    assertThat(store.createdBy()).isNull();
    Subscription b = Subscription.create("b-sub", "fields eventName", "5m", 7, 30, 1234L, 1000L);
    Subscription a = Subscription.create("a-sub", "stats count(*)", null, null, null, 99L, null);
    assertThat(store.put(b, false)).isTrue();
    assertThat(store.as("arn:aws:iam::111122223333:user/alice").put(a, false)).isTrue();
    assertThat(store.get("b-sub")).contains(b);
    assertThat(store.get("a-sub")).contains(a);
    assertThat(store.get("c-sub")).isEmpty();
    assertThat(store.getOwned("a-sub").orElseThrow().createdBy())
        .isEqualTo("arn:aws:iam::111122223333:user/alice");
    assertThat(store.getOwned("b-sub").orElseThrow().createdBy()).isNull();
    assertThat(store.list()).containsExactly(a, b);
    assertThat(store.listOwned())
        .extracting(SubscriptionStore.Owned::createdBy)
        .containsExactly("arn:aws:iam::111122223333:user/alice", null);

    // the name is taken unless replacing
    Subscription b2 = Subscription.create("b-sub", "fields eventSource", "5m", 7, 30, 5L, null);
    assertThat(store.put(b2, false)).isFalse();
    assertThat(store.get("b-sub")).contains(b);
    assertThat(store.put(b2, true)).isTrue();
    assertThat(store.get("b-sub")).contains(b2);

    assertThat(store.delete("b-sub")).isTrue();
    assertThat(store.delete("b-sub")).isFalse();
    assertThat(store.list()).containsExactly(a);
  }

  @Test
  void aMetricFilterKeepsItsTypeAndDefinition() {
    String t = table();
    SubscriptionStore store = new SubscriptionStore(db, t, 0);
    Subscription mf =
        Subscription.createMetricFilter(
            "root",
            dev.trailquery.metricfilter.MetricFilter.counting(
                "RootUse", "{ $.userIdentity.type = \"Root\" }"),
            "1h",
            null,
            5L,
            null);
    store.put(mf, false);
    Subscription read = store.get("root").orElseThrow();
    assertThat(read).isEqualTo(mf);
    assertThat(read.type()).isEqualTo(Subscription.METRIC_FILTER);
    assertThat(read.metricFilter().name()).isEqualTo("RootUse");
  }

  @Test
  void anItemOfAnEarlierVersionReadsWithDefaults() {
    String t = table();
    db.putItem(
        b ->
            b.tableName(t)
                .item(
                    Map.of(
                        Tables.SUB_NAME,
                        AttributeValue.fromS("old"),
                        "id",
                        AttributeValue.fromS("abc"),
                        "query",
                        AttributeValue.fromS("stats count(*)"),
                        "bin",
                        AttributeValue.fromS("1h"),
                        "topN",
                        AttributeValue.fromN("100"),
                        "createdMillis",
                        AttributeValue.fromN("5"))));
    Subscription s = new SubscriptionStore(db, t, 0).get("old").orElseThrow();
    assertThat(s)
        .isEqualTo(new Subscription("old", "abc", "stats count(*)", "1h", 100, 0, 5L, null));
    assertThat(s.type()).isEqualTo(Subscription.QUERY);
  }

  @Test
  void aStoreWithoutAResultsTableCannotPinLookupTables() {
    SubscriptionStore store = new SubscriptionStore(db, table(), 0);
    Subscription s =
        new Subscription(
            "with-table",
            "id",
            "stats count(*)",
            "1h",
            100,
            0,
            1L,
            null,
            Subscription.QUERY,
            null,
            List.of(new Subscription.LookupPin("admins", "v1", null)));
    assertThatThrownBy(() -> store.put(s, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this store cannot pin lookup tables (no results table): with-table");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void theCachedListIsReadAgainOnceItIsCacheMillisOld() {
    String t = table();
    AtomicLong now = new AtomicLong(10_000);
    SubscriptionStore cachedStore = new SubscriptionStore(db, t, 1000, now::get);
    SubscriptionStore other = new SubscriptionStore(db, t, 0);
    assertThat(cachedStore.cachedList()).isEmpty();
    Subscription s = Subscription.create("s", "stats count(*)", null, null, null, 1L, null);
    other.put(s, false);
    now.addAndGet(999);
    assertThat(cachedStore.cachedList()).isEmpty();
    now.addAndGet(1);
    assertThat(cachedStore.cachedList()).containsExactly(s);
    other.delete("s");
    assertThat(cachedStore.cachedList()).containsExactly(s);
    // its own writes drop the cache at once
    Subscription u = Subscription.create("u", "stats count(*)", null, null, null, 1L, null);
    cachedStore.put(u, false);
    assertThat(cachedStore.cachedList()).containsExactly(u);
    cachedStore.delete("u");
    assertThat(cachedStore.cachedList()).isEmpty();
  }
}
