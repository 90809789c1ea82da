package dev.trailquery.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.value.Timestamp;
import org.junit.jupiter.api.Test;

class GroupKeyTest {
  @Test
  void numbersGroupWithTheirText() {
    assertThat(GroupKey.canonical(100.0)).isEqualTo("100");
    assertThat(GroupKey.canonical(0.5)).isEqualTo("0.5");
    assertThat(new GroupKey(new Object[] {GroupKey.canonical("100")}))
        .isEqualTo(new GroupKey(new Object[] {GroupKey.canonical(100.0)}));
  }

  @Test
  void stringsTimestampsAndBooleansKeepTheirValue() {
    assertThat(GroupKey.canonical("01")).isEqualTo("01");
    assertThat(GroupKey.canonical("123456789012")).isEqualTo("123456789012");
    Timestamp t = new Timestamp(5);
    assertThat(GroupKey.canonical(t)).isSameAs(t);
    assertThat(GroupKey.canonical(Boolean.TRUE)).isEqualTo(Boolean.TRUE);
  }

  @Test
  void mapsAndListsGroupByTheirJsonText() {
    // userIdentity is an object: alice's two records are one group, bob and carol one each, the
    // record without a userIdentity its own (missing) group
    Result r = QueryFeaturesTest.run("stats count(*) as n by userIdentity");
    assertThat(QueryFeaturesTest.rows(r))
        .containsExactlyInAnyOrder(
            java.util.List.of("{\"userName\":\"alice\"}", 2.0),
            java.util.List.of("{\"userName\":\"bob\"}", 1.0),
            java.util.List.of("{\"userName\":\"carol\"}", 1.0),
            java.util.Arrays.asList(null, 1.0));
  }

  @Test
  void aKeyPrintsAsItsValues() {
    assertThat(new GroupKey(new Object[] {"a", null, 2.0})).hasToString("[a, null, 2.0]");
  }
}
