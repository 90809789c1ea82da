package dev.trailquery.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * That the byte-level paths are taken where they should be, not only that they give Jackson's
 * results. The probe: a parser whose factory enables duplicate-key detection, which happens only
 * when Jackson tokenizes an object; a subtree with a duplicate key stepped over without an error
 * was stepped over by the byte scan (the reader itself never enables the detection, so for it both
 * paths are equal). Also: long strings read in pieces, and the per-thread buffers reused.
 */
class FastPathTest {
  static final SkippingParser.Factory STRICT =
      new SkippingParser.Factory(
          new JsonFactoryBuilder()
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build()));

  static final String DUP = "{\"d\":0,\"d\":1}";

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static SkippingParser strict(InputStream in) {
    return STRICT.createSkippingParser(in);
  }

  @Test
  void theProbeWorks() throws IOException {
    try (SkippingParser p = strict(new ByteArrayInputStream(utf8("[" + DUP + "]")))) {
      p.nextToken();
      p.nextToken();
      assertThatThrownBy(p::skipChildren)
          .isInstanceOf(JsonParseException.class)
          .hasMessageContaining("Duplicate field 'd'");
    }
  }

  @Test
  void aSubtreeInTheBufferIsScanned() throws IOException {
    for (String subtree : List.of("[" + DUP + "]", "{\"a\":" + DUP + ",\"b\":[" + DUP + "]}")) {
      String doc = "{\"x\":" + subtree + ",\"y\":1}";
      try (SkippingParser p = strict(new ByteArrayInputStream(utf8(doc)))) {
        p.nextToken();
        p.nextFieldName();
        JsonToken start = p.nextToken();
        p.skipSubtree();
        assertThat(p.currentToken())
            .isEqualTo(start == JsonToken.START_ARRAY ? JsonToken.END_ARRAY : JsonToken.END_OBJECT);
        assertThat(p.nextFieldName()).isEqualTo("y");
      }
    }
  }

  /** Delivers the bytes in pieces of {@code piece}. */
  static InputStream pieces(byte[] b, int piece) {
    return new ByteArrayInputStream(b) {
      @Override
      public synchronized int read(byte[] out, int off, int len) {
        return super.read(out, off, Math.min(len, piece));
      }
    };
  }

  @Test
  void aSubtreeStraddlingTheBufferIsScannedAfterReadingMore() throws IOException {
    // the subtree starts in one read and ends in a later one: the scan reads more behind it
    String subtree = "[" + DUP + "," + DUP + ",[" + DUP + "]]";
    String doc = "{\"x\":" + subtree + ",\"y\":1}";
    for (int piece = 6; piece < 30; piece++) {
      try (SkippingParser p = strict(pieces(utf8(doc), piece))) {
        p.nextToken();
        p.nextFieldName();
        p.nextToken();
        p.skipSubtree();
        assertThat(p.currentToken()).as("pieces of %d", piece).isEqualTo(JsonToken.END_ARRAY);
        assertThat(p.currentTokenLocation().getByteOffset()).isEqualTo(doc.indexOf(",\"y\"") - 1);
        assertThat(p.nextFieldName()).isEqualTo("y");
      }
    }
    // a full buffer: the unread bytes move to its front first
    String pad = "{\"pad\":\"" + "p".repeat(SkippingParser.BUFFER_SIZE - 20) + "\",\"x\":";
    String big = pad + subtree + ",\"y\":1}";
    try (SkippingParser p = strict(new ByteArrayInputStream(utf8(big)))) {
      p.nextToken();
      p.nextFieldName();
      p.nextToken();
      p.getText();
      assertThat(p.nextFieldName()).isEqualTo("x");
      p.nextToken();
      p.skipSubtree();
      assertThat(p.currentTokenLocation().getByteOffset()).isEqualTo(big.indexOf(",\"y\"") - 1);
      assertThat(p.nextFieldName()).isEqualTo("y");
    }
  }

  @Test
  void aSubtreeCutAnywhereIsScannedAfterReadingMore() throws IOException {
    // every kind of token, the input cut at every byte: the scan resumes where it had to stop
    String subtree =
        "["
            + DUP
            + ",true,false,null,-12.5e3,0,\"s\\u00e9\\\"\u00e9\u4e2d\",{\"k\":["
            + DUP
            + "]}]";
    String doc = "{\"x\":" + subtree + ",\"y\":1}";
    byte[] b = utf8(doc);
    for (int cut = 6; cut < b.length - 8; cut++) {
      try (SkippingParser p = strict(SkipFieldsTest.split(b, cut))) {
        p.nextToken();
        p.nextFieldName();
        p.nextToken();
        p.skipSubtree();
        assertThat(p.currentToken()).as("cut at %d", cut).isEqualTo(JsonToken.END_ARRAY);
        assertThat(p.nextFieldName()).isEqualTo("y");
      }
    }
  }

  @Test
  void subtreesTheScanLeavesAreJacksons() throws IOException {
    // longer than the buffer, or malformed: Jackson steps over them (and so finds the duplicate)
    String longOne = "[" + DUP + ",\"" + "s".repeat(SkippingParser.BUFFER_SIZE) + "\"]";
    try (SkippingParser p = strict(new ByteArrayInputStream(utf8("{\"x\":" + longOne + "}")))) {
      p.nextToken();
      p.nextFieldName();
      p.nextToken();
      assertThatThrownBy(p::skipSubtree).hasMessageContaining("Duplicate field");
    }
  }

  @Test
  void theWalkerSkipsUnwantedFieldsAtByteLevel() throws IOException {
    PathTrie trie = PathTrie.build(List.of("eventName", "a.b"), new int[] {0, 1});
    String doc =
        "{\"d\":0,\"d\":1,\"eventName\":\"E\",\"a\":{\"d\":0,\"d\":1,\"b\":2,\"d\":3},\"z\":"
            + DUP
            + "}";
    try (SkippingParser p = strict(new ByteArrayInputStream(utf8(doc)))) {
      EventWalker w = new EventWalker(trie, p, TextSource.of(utf8(doc)));
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      EventWalker.Rec rec = new EventWalker.Rec(2);
      assertThat(w.walkRoot(rec, 0)).isEqualTo(EventWalker.END);
      assertThat(rec.row).containsExactly("E", 2.0);
      assertThat(rec.cloudTrail).isTrue();
    }
    // skipRest, as after a LookupEvents string
    String rest = "{\"x\":1,\"d\":0,\"d\":1,\"o\":" + DUP + "}";
    try (SkippingParser p = strict(new ByteArrayInputStream(utf8(rest)))) {
      EventWalker w = new EventWalker(trie, p, TextSource.of(utf8(rest)));
      p.nextToken();
      assertThat(p.nextFieldName()).isEqualTo("x");
      p.nextToken();
      w.skipRest();
      assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
      assertThat(p.nextToken()).isNull();
    }
  }

  // -- strings read in pieces
  // -----------------------------------------------------------------------

  /** The parser at the string value of {@code {"s":...}}, its input cut {@code cut} bytes in. */
  static SkippingParser atString(String doc, int cut) throws IOException {
    SkippingParser p =
        SkipFieldsTest.FACTORY.createSkippingParser(SkipFieldsTest.split(utf8(doc), cut));
    p.nextToken();
    p.nextFieldName();
    assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
    return p;
  }

  @Test
  void aStringRunningPastTheBufferIsReadUpToItsLimit() throws IOException {
    // JSON text between the quotes: a \" b \\ c \u00e9 = 13 bytes, decoded a"b\cé
    String doc = "{\"s\":\"a\\\"b\\\\c\\u00e9\",\"t\":1}";
    for (int cut = 7; cut < doc.indexOf(",\"t\""); cut++) {
      try (SkippingParser p = atString(doc, cut)) {
        assertThat(p.stringEndsInBuffer()).as("cut %d", cut).isFalse();
        assertThat(p.textAtMost(13)).as("cut %d", cut).isEqualTo("a\"b\\c\u00e9");
        assertThat(p.stringEndsInBuffer()).isTrue(); // read now
        assertThat(p.nextFieldName()).isEqualTo("t");
      }
      try (SkippingParser p = atString(doc, cut)) {
        assertThat(p.textAtMost(12)).as("cut %d", cut).isNull();
        assertThat(p.nextFieldName()).isEqualTo("t");
        assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
      }
    }
    // a string ending in the buffer is Jackson's to read, whatever the limit
    try (SkippingParser p = atString(doc, doc.length())) {
      assertThat(p.stringEndsInBuffer()).isTrue();
      assertThat(p.textAtMost(1)).isEqualTo("a\"b\\c\u00e9");
    }
    // an escaped quote in the buffer is not the string's end
    try (SkippingParser p = atString(doc, doc.indexOf("b\\\\"))) {
      assertThat(p.stringEndsInBuffer()).isFalse();
    }
  }

  @Test
  void aStringOverAMebibyteGrowsItsCopyUpToTheLimit() throws IOException {
    int n = (1 << 20) + (1 << 19);
    String doc = "{\"s\":\"" + "x".repeat(n) + "\"}";
    try (SkippingParser p = atString(doc, 10)) {
      assertThat(p.textAtMost(n)).hasSize(n);
    }
    try (SkippingParser p = atString(doc, 10)) {
      assertThat(p.textAtMost(n - 1)).isNull();
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
    }
  }

  @Test
  void stringsAroundAMebibyteFitTheirCopyExactly() throws IOException {
    // the copy starts at 1 MiB + 2 (quotes) and grows when a piece would not fit it
    for (int n = (1 << 20) - 2; n <= (1 << 20) + 3; n++) {
      String doc = "{\"s\":\"" + "y".repeat(n) + "\"}";
      try (SkippingParser p = atString(doc, 10)) {
        assertThat(p.textAtMost(1 << 21)).as("%d bytes", n).hasSize(n);
      }
    }
  }

  @Test
  void aStringCutOffByTheEndOfInputIsAnError() throws IOException {
    String doc = "{\"s\":\"abcdefgh";
    try (SkippingParser p = atString(doc, 8)) {
      assertThatThrownBy(() -> p.textAtMost(100))
          .isInstanceOf(JsonParseException.class)
          .hasMessageContaining("was expecting closing quote");
    }
  }

  // -- per-thread buffers
  // -----------------------------------------------------------------------------

  static Object field(Object o, String name) throws ReflectiveOperationException {
    Class<?> c = o.getClass();
    while (c != null) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
      } catch (NoSuchFieldException e) {
        c = c.getSuperclass();
      }
    }
    throw new NoSuchFieldException(name);
  }

  @Test
  void parsersOnOneThreadReuseOneBufferOneAtATime() throws Exception {
    SkippingParser first = SkipFieldsTest.parser("{}");
    Object firstBuffer = field(first, "_inputBuffer");
    assertThat((byte[]) firstBuffer).hasSize(SkippingParser.BUFFER_SIZE);
    first.close();
    SkippingParser second = SkipFieldsTest.parser("{}");
    assertThat(field(second, "_inputBuffer")).isSameAs(firstBuffer);
    SkippingParser nested = SkipFieldsTest.parser("{}"); // while the second is open
    assertThat(field(nested, "_inputBuffer")).isNotSameAs(firstBuffer).isNotNull();
    nested.close();
    second.close();
  }

  @Test
  void decodedInputsOnOneThreadReuseOneBuffer() throws Exception {
    boolean[] closed = {false};
    InputStream src =
        new ByteArrayInputStream(utf8("{}")) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    DecodedInput first = new DecodedInput(src, 100, 100);
    Object buffer = field(first, "buf");
    first.close();
    assertThat(closed[0]).as("the decompressor is closed").isTrue();
    DecodedInput second = new DecodedInput(new ByteArrayInputStream(new byte[0]), 100, 100);
    assertThat(field(second, "buf")).isSameAs(buffer);
    DecodedInput nested = new DecodedInput(new ByteArrayInputStream(new byte[0]), 100, 100);
    assertThat(field(nested, "buf")).isNotSameAs(buffer);
    nested.close();
    second.close();
  }

  @Test
  void aReadHandsBothBuffersBackHoweverItEnds() throws Exception {
    CloudTrailReader reader = Fixtures.reader(false, "eventName");
    String two = Fixtures.event(1) + "\n" + Fixtures.event(2);
    List<String> docs =
        List.of(
            two, // to the end (where Jackson closes its parser itself)
            two, // stopped by the sink after the first record
            "{\"eventName\":x}\n" + Fixtures.event(2), // corrupt
            "{\"a\":1}\n" + Fixtures.event(2), // foreign
            "{\"digestStartTime\":\"x\"}\n" + Fixtures.event(2)); // a digest
    for (int i = 0; i < docs.size(); i++) {
      SkippingParser k = SkipFieldsTest.parser("{}");
      Object parserBuffer = field(k, "_inputBuffer");
      k.close(); // the thread's spare now
      DecodedInput e = new DecodedInput(new ByteArrayInputStream(new byte[0]), 100, 100);
      Object inputBuffer = field(e, "buf");
      e.close();
      // the read takes both spares and must give them back
      boolean stop = i == 1;
      reader.read(new ByteArrayInputStream(utf8(docs.get(i))), "x", (row, ts, m, n) -> !stop);
      SkippingParser p = SkipFieldsTest.parser("{}");
      DecodedInput d = new DecodedInput(new ByteArrayInputStream(new byte[0]), 100, 100);
      assertThat(field(p, "_inputBuffer")).as(docs.get(i)).isSameAs(parserBuffer);
      assertThat(field(d, "buf")).as(docs.get(i)).isSameAs(inputBuffer);
      p.close();
      d.close();
    }
  }
}
