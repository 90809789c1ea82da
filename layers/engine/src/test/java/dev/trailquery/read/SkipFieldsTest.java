package dev.trailquery.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How far {@link SkippingParser#skipFields} steps at byte level, and that Jackson reads on from
 * there exactly as from the start. Whether the byte scan took a value or left it to Jackson does
 * not change what is read (SkippingParserTest compares the two); it shows in where the parser
 * stands afterwards, which these tests work out by hand: the opening quote of the next wanted key,
 * or the closing brace, or — for whatever the scan leaves to Jackson — the point before it. Lines
 * and columns are counted by hand too (Jackson reports them in its errors).
 */
class SkipFieldsTest {
  static final SkippingParser.Factory FACTORY =
      new SkippingParser.Factory(
          new JsonFactoryBuilder()
              .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build()));

  static final SkippingParser.Keys W = new SkippingParser.Keys(Set.of("w"));

  static SkippingParser parser(String doc) {
    return FACTORY.createSkippingParser(
        new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)));
  }

  /** "offset line:column" of byte {@code index} of an ASCII {@code doc}, counted by hand. */
  static String at(String doc, int index) {
    int line = 1;
    int rowStart = 0;
    for (int i = 0; i < index; i++) {
      if (doc.charAt(i) == '\n') {
        line++;
        rowStart = i + 1;
      }
    }
    return index + " " + line + ":" + (index - rowStart + 1);
  }

  static String where(SkippingParser p) {
    var l = p.currentLocation();
    return l.getByteOffset() + " " + l.getLineNr() + ":" + l.getColumnNr();
  }

  /** Parses to the object's start, skips fields other than "w": where the parser stands. */
  static String fromStart(String doc) throws IOException {
    try (SkippingParser p = parser(doc)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      p.skipFields(W);
      return where(p);
    }
  }

  /** Valid values the byte scan steps over whole. */
  static final List<String> SCANNED =
      List.of(
          "0",
          "-1",
          "9",
          "12.5e-3",
          "1E+2",
          "true",
          "false",
          "null",
          "\"\"",
          "\"s\"",
          "\"esc \\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9\\uABCD\"",
          "{}",
          "[]",
          "[true,true]",
          "[false,false]",
          "[null,null]",
          "[0,-1,9,1.5,2e3]",
          "[\"s\",\"t\"]",
          "{\"k\":true,\"l\":false,\"m\":null,\"n\":-0.5,\"o\":\"p\"}",
          "[[],{},[[]],{\"x\":{}}]",
          "[{\"a\":1,\"b\":2}]",
          "{\"x\":{\"a\":1,\"b\":[1,2]}}",
          "{\"a\":[1,{\"b\":[\"}\",\"]\"]}],\"c\":[[{}],[]]}",
          "[{\"a\":[{\"b\":[]}]},{}]",
          "[ 1 , 2 ]",
          "{ \"k\" : [ { } , [ ] ] }",
          "[\n1,\n2\n]",
          "{\"k\"\t:\r\n\"v\",\n\"l\":\n{}\n}",
          "[".repeat(64) + "]".repeat(64));

  /** Values the scan leaves to Jackson (malformed, or beyond what it follows). */
  static final List<String> LEFT =
      List.of(
          "tru",
          "nul",
          "fals",
          "trUe",
          "tRue",
          "truE",
          "nUll",
          "nuLl",
          "nulL",
          "fAlse",
          "faLse",
          "falSe",
          "falsE",
          "x",
          "/",
          "+1",
          ".5",
          "'s'",
          "NaN",
          "\"\\x\"",
          "\"a\u0001\"",
          "[tru]",
          "[nul]",
          "[fals]",
          "[trUe]",
          "[nuLl]",
          "[faLse]",
          "[truex]",
          "[1,]",
          "[,1]",
          "[,]",
          "[1 2]",
          "[1[]]",
          "[1{}]",
          "[01]",
          "[-]",
          "[1.]",
          "[/]",
          "[+1]",
          "[:]",
          "[1:2]",
          "[\"a\":1]",
          "[\"a\"\"b\"]",
          "[}",
          "{]",
          "{,}",
          "{:}",
          "{\"a\"}",
          "{\"a\",}",
          "{\"a\":}",
          "{\"a\" \"b\"}",
          "{\"a\"\"b\":1}",
          "{\"a\"::1}",
          "{\"a\":1,}",
          "{\"a\":1\"b\":2}",
          "{1:2}",
          "{true:1}",
          "{null:1}",
          "{false:1}",
          "{{}:1}",
          "{[]:1}",
          "{\"a\":1 true}",
          "[1 null]",
          "[1 false]",
          "{\"a\":[1,2}",
          "[{\"a\":1]",
          "[\"\\x\"]",
          "[1" + "0".repeat(100) + "]",
          "[".repeat(65) + "]".repeat(65));

  @Test
  void valuesTheScanTakesAreSteppedOverUpToTheNextWantedKey() throws IOException {
    for (String v : SCANNED) {
      String doc = "{\"a\":" + v + ",\"w\":0}";
      assertThat(fromStart(doc)).as(doc).isEqualTo(at(doc, doc.indexOf("\"w\"")));
      try (SkippingParser p = parser(doc)) {
        p.nextToken();
        p.skipFields(W);
        assertThat(p.nextFieldName()).isEqualTo("w");
        assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
        assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
        assertThat(p.nextToken()).isNull();
      }
    }
  }

  @Test
  void afterAValueTheScanStopsAtTheObjectsEnd() throws IOException {
    for (String v : SCANNED) {
      String doc = "{\"w\":0,\"a\":" + v + ",\n \"b\" : " + v + " }";
      try (SkippingParser p = parser(doc)) {
        p.nextToken();
        p.skipFields(W);
        assertThat(where(p)).isEqualTo(at(doc, 1)); // "w" is wanted: nothing to skip
        assertThat(p.nextFieldName()).isEqualTo("w");
        assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
        p.skipFields(W);
        assertThat(where(p)).as(doc).isEqualTo(at(doc, doc.lastIndexOf('}')));
        assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
        assertThat(p.currentTokenLocation().getByteOffset()).isEqualTo(doc.lastIndexOf('}'));
      }
    }
  }

  @Test
  void whatTheScanLeavesIsJacksonsFromThePointBeforeIt() throws IOException {
    for (String v : LEFT) {
      String doc = "{\"a\":" + v + ",\"w\":0}";
      assertThat(fromStart(doc)).as(doc).isEqualTo(at(doc, 1));
      String after = "{\"w\":0,\"b\":1,\"a\":" + v + ",\"c\":0}";
      try (SkippingParser p = parser(after)) {
        p.nextToken();
        p.nextFieldName();
        p.nextToken();
        p.skipFields(W);
        assertThat(where(p)).as(after).isEqualTo(at(after, after.indexOf(",\"a\"")));
      }
    }
  }

  @Test
  void whitespaceAndLinesBetweenTheTokens() throws IOException {
    String[] docs = {
      "{ \n\t\r\"a\":1,\"w\":0}",
      "{\"a\" \n\t\r: \n\t\r1 \n\t\r, \n\t\r\"w\":0}",
      "{\n\"a\"\n:\n{\n\"b\"\n:\n[\n1\n]\n}\n,\n\"c\":\"x\"\n,\n\"w\":0}",
      "{\"a\":[1,\n2],\"c\":\n3,\n\n   \"w\":0}",
      "{\"a\":\"\\n\",\"w\":0}", // an escaped newline is no line
      "{\"a\" \n :1,\"w\":0}", // the last line starts after the key
      "{\"a\": \n 1,\"w\":0}" // or after the colon
    };
    for (String doc : docs) {
      assertThat(fromStart(doc)).as(doc).isEqualTo(at(doc, doc.indexOf("\"w\"")));
    }
    // after a value: the lines up to the closing brace
    String doc = "{\"w\":0,\n\"a\":\n[\n1],\r\n\"b\":{\n}\n\t}";
    try (SkippingParser p = parser(doc)) {
      p.nextToken();
      p.nextFieldName();
      p.nextToken();
      p.skipFields(W);
      assertThat(where(p)).isEqualTo(at(doc, doc.lastIndexOf('}')));
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
      assertThat(p.currentTokenLocation().getLineNr()).isEqualTo(7);
    }
    // the lines passed by a scan that then stops count only up to its stopping point
    String stops = "{\"w\":0,\n\"a\":1,\n\"b\":tru}";
    try (SkippingParser p = parser(stops)) {
      p.nextToken();
      p.nextFieldName();
      p.nextToken();
      p.skipFields(W);
      assertThat(where(p)).isEqualTo(at(stops, stops.indexOf(",\n\"b\"")));
    }
  }

  @Test
  void keysTheScanComparesAndKeysItLeaves() throws IOException {
    // keys with a space, a tilde, a digit: plain ASCII, compared byte for byte
    String plain = "{\"x y\":1,\"~\":2,\"0\":3,\"ww\":4,\"W\":5,\"w\":0}";
    assertThat(fromStart(plain)).isEqualTo(at(plain, plain.indexOf("\"w\"")));
    // an escape, a control character or a non-ASCII byte in a key: Jackson reads that key
    for (String key : List.of("a\\\"b", "\\u0061", "a\\\\", "a\u0001", "\u00e9")) {
      String doc = "{\"k\":1,\"" + key + "\":2,\"w\":0}";
      assertThat(fromStart(doc)).as(key).isEqualTo(at(doc, doc.indexOf("\"" + key)));
    }
    // DEL (0x7f) is a plain byte
    String del = "{\"k\":1,\"a\u007fb\":2,\"w\":0}";
    assertThat(fromStart(del)).isEqualTo(at(del, del.indexOf("\"w\"")));
    // the wanted key written with an escape is still the wanted key: it must not be skipped
    String escaped = "{\"a\":1,\"\\u0077\":7}";
    try (SkippingParser p = parser(escaped)) {
      p.nextToken();
      p.skipFields(W);
      assertThat(p.nextFieldName()).isEqualTo("w");
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
      assertThat(p.getIntValue()).isEqualTo(7);
    }
  }

  @Test
  void aLiteralEndingWithTheInputIsSteppedOver() throws IOException {
    // after a value, each field stepped over moves the stopping point past it, up to the input's
    // end (where Jackson then reports the missing end of the object)
    for (String literal : List.of("true", "null", "false", "-12", "\"s\"", "[1]")) {
      String doc = "{\"w\":0,\"a\":" + literal;
      try (SkippingParser p = parser(doc)) {
        p.nextToken();
        p.nextFieldName();
        p.nextToken();
        p.skipFields(W);
        // a number at the end may go on: it stays Jackson's
        int stop = literal.equals("-12") ? doc.indexOf(",\"a\"") : doc.length();
        assertThat(where(p)).as(doc).isEqualTo(at(doc, stop));
        assertThatThrownBy(
                () -> {
                  while (p.nextToken() != null) {
                    // to the end
                  }
                })
            .hasMessageContaining("end-of-input");
      }
    }
  }

  @Test
  void anEmptyObjectAndTrailingCommaAreJacksons() throws IOException {
    assertThat(fromStart("{}")).isEqualTo(at("{}", 1));
    assertThat(fromStart("{ }")).isEqualTo(at("{ }", 1));
    String all = "{\"a\":1,\"b\":[2]}"; // nothing wanted: up to the closing brace
    assertThat(fromStart(all)).isEqualTo(at(all, all.length() - 1));
    String trailing = "{\"w\":0, }";
    try (SkippingParser p = parser(trailing)) {
      p.nextToken();
      p.nextFieldName();
      p.nextToken();
      p.skipFields(W);
      assertThat(where(p)).isEqualTo(at(trailing, 6)); // just past the 0
      assertThatThrownBy(p::nextToken).hasMessageContaining("Unexpected character");
    }
  }

  @Test
  void aPendingStringValueIsSteppedOverFirst() throws IOException {
    String doc = "{\"w\":\"text, \\\"quoted\\\"\",\"a\":1,\"b\":[2]}";
    try (SkippingParser p = parser(doc)) {
      p.nextToken();
      assertThat(p.nextFieldName()).isEqualTo("w");
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING); // not read
      p.skipFields(W);
      assertThat(where(p)).isEqualTo(at(doc, doc.length() - 1));
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
    }
  }

  @Test
  void outsideAnObjectNothingIsSkipped() throws IOException {
    String doc = "[{\"a\":1},\"w\",2]";
    try (SkippingParser p = parser(doc)) {
      p.nextToken();
      p.skipFields(W); // in an array: nothing to do
      assertThat(where(p)).isEqualTo(at(doc, 1));
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      p.skipFields(W);
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
      p.skipFields(W); // after the object's end, in the array again
      assertThat(where(p)).isEqualTo(at(doc, doc.indexOf(",\"w\"")));
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
      p.skipFields(W); // a string value in an array, left unread: stepped over, nothing more
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
      assertThat(p.getIntValue()).isEqualTo(2);
    }
  }

  /** 150 nested objects (the innermost holding {@code inner}), inside the depth limit of 200. */
  static String deep(String inner) {
    return "{\"o\":".repeat(149) + "{" + inner + "}" + "}".repeat(149);
  }

  @Test
  void nearTheDepthLimitJacksonChecksTheDepth() throws IOException {
    // 150 objects, then an array 60 deep: 210 levels, over the limit of 200. The byte scan
    // follows 64 levels, so deep inside the document it must leave the value to Jackson.
    String tooDeep = deep("\"w\":0,\"a\":" + "[".repeat(60) + "]".repeat(60));
    try (SkippingParser p = parser(tooDeep)) {
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.VALUE_NUMBER_INT) {
        assertThat(t).isNotNull();
      }
      assertThat(p.getParsingContext().getNestingDepth()).isEqualTo(150);
      p.skipFields(W);
      assertThatThrownBy(
              () -> {
                while (p.nextToken() != null) {
                  // read on
                }
              })
          .isInstanceOf(StreamConstraintsException.class);
    }
    // the same by skipSubtree
    String deepArray = deep("\"a\":" + "[".repeat(60) + "]".repeat(60));
    try (SkippingParser p = parser(deepArray)) {
      while (p.nextToken() != JsonToken.START_ARRAY) {
        // to the array
      }
      assertThatThrownBy(p::skipSubtree).isInstanceOf(StreamConstraintsException.class);
    }
    // 50 levels fit: read to the end
    String fits = deep("\"w\":0,\"a\":" + "[".repeat(50) + "]".repeat(50));
    try (SkippingParser p = parser(fits)) {
      int tokens = 0;
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
          p.skipFields(W);
        } else if (p.currentToken() == JsonToken.START_ARRAY) {
          p.skipSubtree();
        }
        tokens++;
      }
      assertThat(tokens).isGreaterThan(300);
    }
  }

  /** Delivers the bytes so that no read goes past byte {@code first}: a buffer ends there. */
  static InputStream split(byte[] b, int first) {
    return new ByteArrayInputStream(b) {
      @Override
      public synchronized int read(byte[] out, int off, int len) {
        return super.read(out, off, pos < first ? Math.min(len, first - pos) : len);
      }
    };
  }

  @Test
  void aSubtreeStraddlingTheBufferKeepsTheColumns() throws IOException {
    String doc = "{\"a\":[" + "1,".repeat(50) + "1],\"b\":{\"c\":2}}";
    byte[] b = doc.getBytes(StandardCharsets.UTF_8);
    for (int first = 7; first < 40; first++) {
      try (SkippingParser p = FACTORY.createSkippingParser(split(b, first))) {
        p.nextToken();
        assertThat(p.nextFieldName()).isEqualTo("a");
        assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
        p.skipSubtree();
        assertThat(p.currentToken()).isEqualTo(JsonToken.END_ARRAY);
        var l = p.currentTokenLocation();
        int close = doc.indexOf("],");
        assertThat(l.getByteOffset() + " 1:" + l.getColumnNr())
            .as("first %d", first)
            .isEqualTo(close + " 1:" + (close + 1));
        assertThat(p.nextFieldName()).isEqualTo("b");
        assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
        p.skipSubtree();
        assertThat(p.currentTokenLocation().getColumnNr()).isEqualTo(doc.length() - 1);
      }
    }
  }
}
