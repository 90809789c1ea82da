package dev.trailquery.value;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Maps and lists of the value model: access by key and index, elements, numbers, equality. */
class JsonValueTest {
  static final JsonValue DOC =
      JsonValue.parse(
          "{\"name\":\"x\",\"n\":3,\"big\":12345678901234567,\"neg\":-1234567890123456,"
              + "\"ok\":true,\"nil\":null,\"list\":[\"a\",{\"b\":1},[2]],\"3\":\"three\"}");
  static final JsonValue LIST = (JsonValue) DOC.get("list");

  @Test
  void aMapGivesItsValuesByKey() {
    assertThat(DOC.isMap()).isTrue();
    assertThat(DOC.isList()).isFalse();
    assertThat(DOC.get("name")).isEqualTo("x");
    assertThat(DOC.get("n")).isEqualTo(3.0);
    assertThat(DOC.get("ok")).isEqualTo(Boolean.TRUE);
    assertThat(DOC.get("nil")).isNull();
    assertThat(DOC.get("absent")).isNull();
    assertThat(DOC.get(3)).isEqualTo("three"); // [3] on a map: the key "3"
    assertThat(DOC.size()).isEqualTo(8);
  }

  @Test
  void integersOfMoreThanFifteenDigitsStayText() {
    assertThat(DOC.get("big")).isEqualTo("12345678901234567"); // 17 digits
    assertThat(DOC.get("neg")).isEqualTo("-1234567890123456"); // 16 digits after the sign
    assertThat(JsonValue.parse("[123456789012345,1234567890123456,-123456789012345]").elements())
        .containsExactly(123456789012345.0, "1234567890123456", -123456789012345.0);
  }

  @Test
  void aListGivesItsElementsByIndexOrCanonicalDecimalKey() {
    assertThat(LIST.isList()).isTrue();
    assertThat(LIST.isMap()).isFalse();
    assertThat(LIST.get(0)).isEqualTo("a");
    assertThat(LIST.get(2)).isEqualTo(JsonValue.parse("[2]"));
    assertThat(LIST.get(3)).isNull();
    assertThat(LIST.get(-1)).isNull();
    assertThat(LIST.get("1")).isEqualTo(JsonValue.parse("{\"b\":1}"));
    assertThat(LIST.get("0")).isEqualTo("a");
    for (String notAnIndex : new String[] {"", "01", "-1", "1a", "b", "1234567890", "+1"}) {
      assertThat(LIST.get(notAnIndex)).as(notAnIndex).isNull();
    }
    JsonValue wide = JsonValue.listOf(Arrays.asList(new Object[12]));
    assertThat(JsonValue.index("11")).isEqualTo(11);
    assertThat(JsonValue.index("999999999")).isEqualTo(999_999_999);
    assertThat(JsonValue.index("0")).isZero();
    assertThat(JsonValue.index(":")).isEqualTo(-1); // the character after '9'
    assertThat(JsonValue.index("/")).isEqualTo(-1); // the character before '0'
    assertThat(wide.size()).isEqualTo(12);
  }

  @Test
  void elementsOfAListAndOfAMap() {
    assertThat(LIST.elements())
        .containsExactly("a", JsonValue.parse("{\"b\":1}"), JsonValue.parse("[2]"));
    assertThat(DOC.elements()).containsExactly(DOC);
  }

  @Test
  void equalityIsByCompactText() {
    JsonValue a = JsonValue.parse("{ \"a\" : [1, 2] }");
    JsonValue b = JsonValue.ofTrustedText("{\"a\":[1,2]}");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).hasToString("{\"a\":[1,2]}");
    assertThat(a).isNotEqualTo(JsonValue.parse("{\"a\":[2,1]}")).isNotEqualTo("{\"a\":[1,2]}");
    assertThat(b.node())
        .isEqualTo(new ObjectMapper().createObjectNode().set("a", a.node().get("a")));
  }

  @Test
  void valuesBecomeJsonNodes() {
    JsonValue list =
        JsonValue.listOf(
            List.of(3.0, 2.5, 1e15, true, "t", new Timestamp(0), JsonValue.parse("[]")));
    assertThat(list.text()).isEqualTo("[3,2.5,1.0E15,true,\"t\",\"1970-01-01 00:00:00.000\",[]]");
    assertThat(JsonValue.toNode(null).isNull()).isTrue();
  }
}
