package dev.trailquery.functions.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.metricfilter.MetricFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A subscription's definition on its own (no emulators): the limits {@link Subscription#create}
 * enforces, at and just past each bound, where its bin comes from, how bins parse, its identity,
 * and what kind of subscription it says it is.
 */
class SubscriptionTest {
  static Subscription create(String name, String query, String bin, Integer topN, Integer days) {
    return Subscription.create(name, query, bin, topN, days, 1000L, null);
  }

  @Test
  void namesAreOneTo128LettersDigitsDotsUnderscoresAndDashes() {
    assertThat(create("a", "stats count(*)", null, null, null).name()).isEqualTo("a");
    String longest = "A" + "b.c_d-".repeat(21) + "x"; // 1 + 126 + 1 = 128
    assertThat(longest).hasSize(128);
    assertThat(create(longest, "stats count(*)", null, null, null).name()).isEqualTo(longest);
    for (String bad : new String[] {longest + "x", ".a", "-a", "", "a b", "a/b"}) {
      assertThatThrownBy(() -> create(bad, "stats count(*)", null, null, null))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a subscription name is 1-128 letters, digits, '.', '_' or '-': " + bad);
    }
    assertThatThrownBy(() -> create(null, "stats count(*)", null, null, null))
        .hasMessageEndingWith(": null");
  }

  @Test
  void rowsKeptAndRetentionAreBounded() {
    String rows = "fields eventName";
    assertThat(create("r", rows, null, null, null).topN()).isEqualTo(Subscription.DEFAULT_TOP_N);
    assertThat(create("r", rows, null, 1, null).topN()).isEqualTo(1);
    assertThat(create("r", rows, null, 10_000, null).topN()).isEqualTo(10_000);
    assertThatThrownBy(() -> create("r", rows, null, 0, null))
        .hasMessage("the rows kept per bin must be 1..10000: 0");
    assertThatThrownBy(() -> create("r", rows, null, 10_001, null))
        .hasMessage("the rows kept per bin must be 1..10000: 10001");
    assertThat(create("r", rows, null, null, null).retentionDays()).isZero();
    assertThat(create("r", rows, null, null, 0).retentionDays()).isZero();
    assertThat(create("r", rows, null, null, 3).retentionDays()).isEqualTo(3);
    assertThatThrownBy(() -> create("r", rows, null, null, -1))
        .hasMessage("retentionDays must be 0 (keep every bin) or a positive number of days: -1");
  }

  @Test
  void theBinIsTheQuerysOwnElseTheRequestedElseAnHour() {
    assertThat(create("b", "stats count(*) by bin(15m)", "1d", null, null).bin()).isEqualTo("15m");
    assertThat(create("b", "stats count(*) by eventName, bin(2h)", null, null, null).bin())
        .isEqualTo("2h");
    assertThat(create("b", "stats count(*) by eventName", "1d", null, null).bin()).isEqualTo("1d");
    assertThat(create("b", "stats count(*) by eventName", null, null, null).bin())
        .isEqualTo(Subscription.DEFAULT_BIN)
        .isEqualTo("1h");
    assertThat(create("b", "fields eventName", "5m", null, null).bin()).isEqualTo("5m");
  }

  @Test
  void binsAreWholePositiveAmountsOfAUnit() {
    assertThat(Subscription.period("5m").fixedMillis()).isEqualTo(300_000);
    assertThat(Subscription.period(" 1h ").fixedMillis()).isEqualTo(3_600_000);
    assertThat(Subscription.period("005m").fixedMillis()).isEqualTo(300_000);
    assertThat(Subscription.period("999999999s")).isNotNull(); // accepted (the engine caps it)
    for (String zero : new String[] {"0m", "000h", "1000000000s", "12345678901234567890m"}) {
      assertThatThrownBy(() -> Subscription.period(zero))
          .as(zero)
          .hasMessage(
              "a time bin needs a whole number of units from 1 to 999999999: '" + zero + "'");
    }
    for (String bad : new String[] {"m", "1.5h", "5 parsecs", "", "-1h"}) {
      assertThatThrownBy(() -> Subscription.period(bad))
          .as(bad)
          .hasMessage("not a time bin: '" + bad + "' (expected e.g. 5m, 1h, 1d, 1w, 1mo)");
    }
    assertThatThrownBy(() -> Subscription.period(null)).hasMessageContaining("'null'");
    assertThat(create("p", "stats count(*)", "1d", null, null).period().fixedMillis())
        .isEqualTo(86_400_000);
  }

  @Test
  void theIdentityIsAHashOfTheDefinitionAndItsCreation() {
    // SHA-256 of "abc" (FIPS 180-2, appendix B.1)
    assertThat(Subscription.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Subscription a = create("n", "stats count(*)", "5m", null, null);
    assertThat(a.id()).hasSize(12).isEqualTo(create("n", "stats count(*)", "5m", null, 7).id());
    assertThat(
            List.of(
                create("m", "stats count(*)", "5m", null, null).id(),
                create("n", "stats count(*) as c", "5m", null, null).id(),
                create("n", "stats count(*)", "1h", null, null).id(),
                create("n", "stats count(*)", "5m", 9, null).id(),
                Subscription.create("n", "stats count(*)", "5m", null, null, 1001L, null).id()))
        .doesNotContain(a.id())
        .doesNotHaveDuplicates();
    assertThat(a.type()).isEqualTo(Subscription.QUERY);
    assertThat(a.lookups()).isEmpty();
    assertThat(a.createdMillis()).isEqualTo(1000);
    Subscription old = new Subscription("o", "id", "stats count(*)", "1h", 5, 0, 1L, null);
    assertThat(old.type()).isEqualTo(Subscription.QUERY);
    assertThat(old.definition()).isNull();
    assertThat(old.lookups()).isEmpty();
  }

  @Test
  void eachKindDescribesItself() {
    assertThat(create("s", "stats count(*) by eventName", null, null, null).describeKind())
        .isEqualTo("stats");
    assertThat(create("r", "fields eventName", null, 7, null).describeKind())
        .isEqualTo("rows (latest 7 per bin)");
    Subscription mf =
        Subscription.createMetricFilter(
            "root",
            MetricFilter.counting("RootUse", "{ $.userIdentity.type = \"Root\" }"),
            null,
            2,
            5L,
            3L);
    assertThat(mf.describeKind()).isEqualTo("metric filter");
    assertThat(mf.type()).isEqualTo(Subscription.METRIC_FILTER);
    assertThat(mf.bin()).isEqualTo(Subscription.DEFAULT_WATCH_BIN);
    assertThat(mf.retentionDays()).isEqualTo(2);
    assertThat(mf.backfillFromMillis()).isEqualTo(3L);
    assertThat(mf.metricFilter().name()).isEqualTo("RootUse");
    // the same query as a metric filter is another subscription
    assertThat(mf.id())
        .isNotEqualTo(Subscription.create("root", mf.query(), mf.bin(), null, 2, 5L, 3L).id());
    Subscription q = create("q", "stats count(*)", null, null, null);
    assertThatThrownBy(q::metricFilter).hasMessage("q is not a metric filter");
    assertThatThrownBy(q::rule).hasMessage("q is not a Contributor Insights rule");
  }
}
