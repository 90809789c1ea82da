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
}
