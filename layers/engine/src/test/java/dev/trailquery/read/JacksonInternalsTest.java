package dev.trailquery.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.JsonReadContext;
import com.fasterxml.jackson.core.json.PackageVersion;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link SkippingParser} subclasses Jackson's internal {@link UTF8StreamJsonParser} and works on
 * its protected state. This test pins exactly what it relies on, so that a Jackson upgrade that
 * changes any of it fails here, with the reason, instead of silently misreading CloudTrail:
 *
 * <ol>
 *   <li>the members it uses exist, protected, with these types;
 *   <li>moving {@code _inputPtr} to the closing bracket of a container whose start was just
 *       returned makes {@code nextToken()} return that container's end, then go on normally;
 *   <li>a token's location is {@code _currInputProcessed + _inputPtr} (byte offset) and {@code
 *       _inputPtr - _currInputRowStart} (column), so shifting the buffer keeps locations;
 *   <li>{@code nextFieldName()} leaves a string value unread ({@code _tokenIncomplete}) for {@code
 *       _skipString()} to step over.
 * </ol>
 *
 * The version check makes an upgrade a conscious step: run this and SkippingParserTest (which
 * compares the byte skip with Jackson's own on valid and damaged input), then raise the version.
 */
class JacksonInternalsTest {
  /** The jackson-core version these behaviours were checked against. */
  static final String VERIFIED = "2.21";

  @Test
  void jacksonCoreIsTheVerifiedVersion() {
    String v =
        PackageVersion.VERSION.getMajorVersion() + "." + PackageVersion.VERSION.getMinorVersion();
    assertThat(v)
        .as(
            "jackson-core changed: re-check read/SkippingParser against UTF8StreamJsonParser (this"
                + " test, SkippingParserTest), then update VERIFIED")
        .isEqualTo(VERIFIED);
  }

  private static Field field(String name, Class<?> type) throws NoSuchFieldException {
    Class<?> c = UTF8StreamJsonParser.class;
    while (c != null) {
      try {
        Field f = c.getDeclaredField(name);
        assertThat(f.getType()).as(name).isEqualTo(type);
        assertThat(Modifier.isProtected(f.getModifiers()) || Modifier.isPublic(f.getModifiers()))
            .as(name + " is visible to subclasses")
            .isTrue();
        assertThat(Modifier.isFinal(f.getModifiers()) && !name.equals("_inputStream"))
            .as(name + " is writable")
            .isFalse();
        return f;
      } catch (NoSuchFieldException e) {
        c = c.getSuperclass();
      }
    }
    throw new NoSuchFieldException(name);
  }

  @Test
  void theMembersItUsesExist() throws Exception {
    field("_inputBuffer", byte[].class);
    field("_inputPtr", int.class);
    field("_inputEnd", int.class);
    field("_currInputProcessed", long.class);
    field("_currInputRow", int.class);
    field("_currInputRowStart", int.class);
    field("_nameStartOffset", int.class);
    field("_currToken", JsonToken.class);
    field("_tokenIncomplete", boolean.class);
    field("_parsingContext", JsonReadContext.class);
    field("_inputStream", InputStream.class);
    Constructor<UTF8StreamJsonParser> ctor =
        UTF8StreamJsonParser.class.getConstructor(
            IOContext.class,
            int.class,
            InputStream.class,
            ObjectCodec.class,
            ByteQuadsCanonicalizer.class,
            byte[].class,
            int.class,
            int.class,
            int.class,
            boolean.class);
    assertThat(ctor).isNotNull();
    Method skip = UTF8StreamJsonParser.class.getDeclaredMethod("_skipString");
    assertThat(Modifier.isProtected(skip.getModifiers())).isTrue();
    Method release = UTF8StreamJsonParser.class.getDeclaredMethod("_releaseBuffers");
    assertThat(Modifier.isProtected(release.getModifiers())).isTrue();
    Method ctx =
        JsonFactory.class.getDeclaredMethod(
            "_createContext", ContentReference.class, boolean.class);
    assertThat(Modifier.isProtected(ctx.getModifiers())).isTrue();
    for (String f : new String[] {"_parserFeatures", "_factoryFeatures"}) {
      assertThat(Modifier.isProtected(JsonFactory.class.getDeclaredField(f).getModifiers()))
          .as(f)
          .isTrue();
    }
    assertThat(JsonFactory.class.getDeclaredField("_byteSymbolCanonicalizer").getType())
        .isEqualTo(ByteQuadsCanonicalizer.class);
  }

  /** The parser with its protected state in reach. */
  static final class Probe extends UTF8StreamJsonParser {
    Probe(JsonFactory f, byte[] json, int bufferSize) {
      super(
          new IOContext(
              f.streamReadConstraints(),
              new com.fasterxml.jackson.core.util.BufferRecycler(),
              ContentReference.unknown(),
              false),
          f.getParserFeatures(),
          new ByteArrayInputStream(json),
          null,
          ByteQuadsCanonicalizer.createRoot().makeChild(f.getFactoryFeatures()),
          new byte[bufferSize],
          0,
          0,
          0,
          false);
    }

    int ptr() {
      return _inputPtr;
    }

    void ptr(int p) {
      _inputPtr = p;
    }

    long processed() {
      return _currInputProcessed;
    }

    int row() {
      return _currInputRow;
    }

    int rowStart() {
      return _currInputRowStart;
    }

    boolean incomplete() {
      return _tokenIncomplete;
    }

    /** What SkippingParser does with a pending string value the walker did not read. */
    void skipPendingString() throws IOException {
      _skipString();
      _tokenIncomplete = false;
    }

    /**
     * What SkippingParser.readMore does: move the unread bytes to the front of the buffer, shifting
     * the offsets the other way.
     */
    void shiftToFront() {
      int start = _inputPtr;
      int n = _inputEnd - start;
      System.arraycopy(_inputBuffer, start, _inputBuffer, 0, n);
      _currInputProcessed += start;
      _currInputRowStart -= start;
      _nameStartOffset -= start;
      _inputPtr = 0;
      _inputEnd = n;
    }
  }

  private static final JsonFactory F = new JsonFactory();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void movingThePointerToTheClosingBracketEndsTheContainer() throws IOException {
    String json = "{\"a\":{\"b\":[1,{\"x\":\"}\"}],\"d\":null},\n \"c\":3}";
    byte[] bytes = utf8(json);
    try (Probe p = new Probe(F, bytes, 4096);
        JsonParser jackson = F.createParser(bytes)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      assertThat(p.nextFieldName()).isEqualTo("a");
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      p.ptr(json.indexOf("},\n")); // the bracket that closes a's value
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
      assertThat(p.nextFieldName()).isEqualTo("c");
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);

      jackson.nextToken();
      jackson.nextFieldName();
      jackson.nextToken();
      jackson.skipChildren();
      jackson.nextFieldName();
      jackson.nextToken();
      assertThat(p.currentLocation().getByteOffset())
          .isEqualTo(jackson.currentLocation().getByteOffset());
      assertThat(p.currentTokenLocation().getByteOffset())
          .isEqualTo(jackson.currentTokenLocation().getByteOffset());
    }
  }

  @Test
  void locationsComeFromTheFieldsTheScanMoves() throws IOException {
    String json = "{\"a\":1,\n\"bb\":2}";
    try (Probe p = new Probe(F, utf8(json), 4096)) {
      p.nextToken();
      p.nextFieldName();
      p.nextToken();
      p.nextFieldName(); // "bb", on line 2
      assertThat(p.currentLocation().getByteOffset()).isEqualTo(p.processed() + p.ptr());
      assertThat(p.currentLocation().getLineNr()).isEqualTo(p.row());
      assertThat(p.currentLocation().getColumnNr()).isEqualTo(p.ptr() - p.rowStart() + 1);
      // What SkippingParser.readMore does: move the unread bytes to the front, shifting the
      // offsets the other way; the location stays.
      long before = p.currentLocation().getByteOffset();
      int col = p.currentLocation().getColumnNr();
      p.shiftToFront();
      assertThat(p.currentLocation().getByteOffset()).isEqualTo(before);
      assertThat(p.currentLocation().getColumnNr()).isEqualTo(col);
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
      assertThat(p.getIntValue()).isEqualTo(2);
    }
  }

  @Test
  void aStringValueAfterNextFieldNameIsLeftForSkipString() throws IOException {
    String json = "{\"a\":\"long \\\" value\",\"b\":2}";
    try (Probe p = new Probe(F, utf8(json), 4096)) {
      p.nextToken();
      assertThat(p.nextFieldName()).isEqualTo("a");
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
      assertThat(p.incomplete()).as("the string is not decoded until asked").isTrue();
      p.skipPendingString();
      assertThat(p.nextFieldName()).isEqualTo("b");
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
    }
  }
}
