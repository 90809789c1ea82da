package dev.trailquery.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.value.Timestamp;
import org.junit.jupiter.api.Test;

class GroupKeyTest {
  @Test
  void numericStringsGroupWithTheirNumber() {
    assertThat(GroupKey.canonical("1")).isEqualTo(1.0);
    assertThat(GroupKey.canonical("-25")).isEqualTo(-25.0);
    assertThat(GroupKey.canonical("0.5")).isEqualTo(0.5);
    assertThat(new GroupKey(new Object[] {GroupKey.canonical("100")}))
        .isEqualTo(new GroupKey(new Object[] {GroupKey.canonical(100.0)}));
  }

  @Test
  void otherStringsStayStrings() {
    assertThat(GroupKey.canonical("01")).isEqualTo("01");
    assertThat(GroupKey.canonical("1.0")).isEqualTo("1.0");
    assertThat(GroupKey.canonical("123456789012345678")).isEqualTo("123456789012345678");
    assertThat(GroupKey.canonical("ConsoleLogin")).isEqualTo("ConsoleLogin");
    assertThat(GroupKey.canonical("")).isEqualTo("");
    Timestamp t = new Timestamp(5);
    assertThat(GroupKey.canonical(t)).isSameAs(t);
  }
}
