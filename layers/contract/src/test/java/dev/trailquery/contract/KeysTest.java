package dev.trailquery.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class KeysTest {
  @Test
  void noResultsPartitionPrefixStartsAnother() {
    // a partition key names its kind by its prefix: if one prefix started another ("S#" and
    // "S#X"), a Query of one kind could read items of the other
    for (String a : Keys.RESULTS_PARTITIONS) {
      for (String b : Keys.RESULTS_PARTITIONS) {
        if (!a.equals(b)) {
          assertThat(b.startsWith(a)).as(a + " starts " + b).isFalse();
        }
      }
    }
    assertThat(new HashSet<>(Keys.RESULTS_PARTITIONS)).hasSize(Keys.RESULTS_PARTITIONS.size());
  }

  @Test
  void theListHoldsEveryPublicResultsPrefix() throws Exception {
    // every String constant that is a partition prefix appears in RESULTS_PARTITIONS; the sort-key
    // constants (named *_STATE, *_OBJECT, *_COMMIT, *_BREACH, *_PROGRESS) and S3 prefixes do not
    int partitions = 0;
    for (var f : Keys.class.getFields()) {
      if (f.getType() != String.class) {
        continue;
      }
      String name = f.getName();
      String value = (String) f.get(null);
      boolean sortKey = name.matches(".*_(STATE|OBJECT|COMMIT|BREACH|PROGRESS)");
      boolean s3 = name.endsWith("_PREFIX") || name.equals("AWS_LOGS") || name.endsWith("SUFFIX");
      if (!sortKey && !s3) {
        assertThat(Keys.RESULTS_PARTITIONS).as(name).contains(value);
        partitions++;
      }
    }
    assertThat(partitions).isEqualTo(Keys.RESULTS_PARTITIONS.size());
  }
}
