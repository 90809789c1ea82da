package dev.trailquery.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.pack.QueryPack;
import org.junit.jupiter.api.Test;

class PrimingTest {
  @Test
  void primingRunsEveryPackQueryOverTheBuiltInRecordWithoutAnyClient() {
    // One record read per pack query: every plan went through scan, serialize, restore, finish.
    var watch = dev.trailquery.pack.WatchPack.get();
    assertThat(Priming.prime())
        .isEqualTo(QueryPack.all().size() + watch.metricFilters().size() + watch.rules().size());
  }

  @Test
  void registeringTwiceIsHarmlessOutsideSnapStart() {
    Priming.register();
    Priming.register();
  }
}
