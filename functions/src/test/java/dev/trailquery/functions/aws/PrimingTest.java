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
  void registeringTwiceRegistersOnceAndPrimesOnCheckpoint() throws Exception {
    // Registering twice registers once (one priming per snapshot, not two), and a checkpoint
    // notification to the registered resource primes exactly once.
    Priming.register(); // this process's first registration, or a no-op after an earlier one
    assertThat(Priming.register()).isFalse();
    assertThat(Priming.register()).isFalse();
    long before = Priming.primings();
    Priming.resource().beforeCheckpoint(null);
    assertThat(Priming.primings()).isEqualTo(before + 1);
    Priming.resource().afterRestore(null); // holds nothing to restore: no priming, no error
    assertThat(Priming.primings()).isEqualTo(before + 1);
  }
}
