package dev.trailquery.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The byte-level skip must be indistinguishable from Jackson's {@code skipChildren()}: the same
 * tokens, text, byte offsets and errors afterwards, on valid and on damaged JSON, whatever the
 * chunking of the input.
 */
class SkippingParserTest {
  private static final SkippingParser.Factory FACTORY =
      new SkippingParser.Factory(
          new JsonFactoryBuilder()
              .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build()));

  /** Trickles bytes in small random chunks, as a decompressor may. */
  private static InputStream chunked(byte[] b, long seed) {
    Random rnd = new Random(seed);
    return new ByteArrayInputStream(b) {
      @Override
      public synchronized int read(byte[] out, int off, int len) {
        return super.read(out, off, Math.min(len, 1 + rnd.nextInt(4096)));
      }
    };
  }

  private static final Set<String> WANTED = Set.of("Records", "eventName", "list", "k");

  /**
   * The token log of a walk as the reader does it: fields not in {@link #WANTED} skipped unlogged
   * (fast: {@code skipFields} first, then the same rule for what it left), every nested object or
   * array at depth >= 4 (inside an event) skipped (fast or with Jackson); ends with the error if
   * any.
   */
  private static List<String> walk(byte[] doc, boolean fast, long seed) {
    SkippingParser.Keys keys = new SkippingParser.Keys(WANTED);
    List<String> log = new ArrayList<>();
    try (SkippingParser p = FACTORY.createSkippingParser(chunked(doc, seed))) {
      JsonToken t;
      while (true) {
        if (fast) {
          p.skipFields(keys);
        }
        if ((t = p.nextToken()) == null) {
          break;
        }
        if (t == JsonToken.FIELD_NAME && !WANTED.contains(p.currentName())) {
          JsonToken v = p.nextToken();
          if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            skip(p, fast);
          }
          continue;
        }
        boolean inArray = p.getParsingContext().inArray();
        String text =
            t == JsonToken.START_OBJECT
                    || t == JsonToken.START_ARRAY
                    || (t == JsonToken.VALUE_STRING && inArray)
                ? "" // strings in arrays stay unread: the next step skips them
                : p.getText();
        // (a field name's own location is left out: Jackson's is off when the name straddles two
        // buffer loads, which fall differently once a skip has moved bytes; the reader never asks)
        long at = t == JsonToken.FIELD_NAME ? -1 : p.currentTokenLocation().getByteOffset();
        log.add(t + " " + text + " @" + at);
        if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)
            && p.getParsingContext().getNestingDepth() >= 4) {
          skip(p, fast);
          log.add(
              "skipped to " + p.currentToken() + " @" + p.currentTokenLocation().getByteOffset());
        }
      }
    } catch (IOException | RuntimeException e) {
      String m = e.getMessage();
      log.add("error " + e.getClass().getSimpleName() + ": " + (m == null ? "" : m.split("\n")[0]));
    }
    return log;
  }

  private static void skip(SkippingParser p, boolean fast) throws IOException {
    if (fast) {
      p.skipSubtree();
    } else {
      p.skipChildren();
    }
  }

  private static String event(Random rnd, int i) {
    String[] values = {
      "\"plain\"",
      "\"esc \\\" \\\\ \\/ \\n \\u00e9 done\"",
      "\"caf\u00e9 \u4e2d\u6587 \uD83D\uDE00\"",
      "12345",
      "-0.5e+10",
      "0",
      "true",
      "false",
      "null",
      "[]",
      "{}",
      "[1, [2, [3, {\"a\": [ ]}]], \"x\"]",
      "{\"k\": {\"k\": {\"k\": \"deep\"}}, \"n\": -12.25E-3}"
    };
    String[] keys = {"a", "eventName", "k", "ev\\u0065ntName", "caf\u00e9", "x y", "list"};
    StringBuilder b = new StringBuilder("{");
    for (int k = rnd.nextInt(4); k > 0; k--) {
      b.append("\"").append(keys[rnd.nextInt(keys.length)]).append("\":");
      b.append(values[rnd.nextInt(values.length)]).append(rnd.nextBoolean() ? "," : " ,\n\t");
    }
    b.append("\"eventName\":\"E" + i + "\",\"nested\":{");
    int n = rnd.nextInt(6);
    for (int k = 0; k < n; k++) {
      if (k > 0) {
        b.append(rnd.nextBoolean() ? "," : " ,\n ");
      }
      String key = rnd.nextInt(5) == 0 ? keys[rnd.nextInt(keys.length)] : "f" + k;
      b.append("\"").append(key).append("\" : ").append(values[rnd.nextInt(values.length)]);
    }
    b.append("},\"list\":[");
    for (int k = 0; k < rnd.nextInt(4); k++) {
      b.append(k > 0 ? "," : "").append(values[rnd.nextInt(values.length)]);
    }
    return b.append("]}").toString();
  }

  @Test
  void sameAsJacksonOnValidAndDamagedInput() {
    Random rnd = new Random(11);
    byte[] junk = " ,:{}[]\"\\tfn0-.eE+xu\u0001\t\n".getBytes(StandardCharsets.UTF_8);
    int compared = 0;
    for (int round = 0; round < 4000; round++) {
      StringBuilder doc = new StringBuilder("{\"Records\":[");
      int events = 1 + rnd.nextInt(40);
      for (int i = 0; i < events; i++) {
        doc.append(i > 0 ? "," : "").append(event(rnd, i));
      }
      doc.append("]}");
      byte[] b = doc.toString().getBytes(StandardCharsets.UTF_8);
      int mode = round % 4;
      if (mode == 1) { // one byte replaced
        b[rnd.nextInt(b.length)] = junk[rnd.nextInt(junk.length)];
      } else if (mode == 2) { // truncated
        b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
      } else if (mode == 3) { // a raw invalid byte
        b[rnd.nextInt(b.length)] = (byte) (0x80 + rnd.nextInt(128));
      }
      long seed = rnd.nextLong();
      assertThat(walk(b, true, seed))
          .as("round %d: %s", round, new String(b, StandardCharsets.UTF_8))
          .isEqualTo(walk(b, false, seed));
      compared++;
    }
    assertThat(compared).isEqualTo(4000);
  }

  @Test
  void subtreesLongerThanTheBufferAndDeepOnesFallBackToJackson() {
    StringBuilder big = new StringBuilder("{\"Records\":[{\"a\":{\"s\":\"");
    big.append("x".repeat(3 * SkippingParser.BUFFER_SIZE)).append("\"},\"deep\":");
    big.append("[".repeat(150)).append("]".repeat(150)).append(",\"b\":1}]}");
    byte[] b = big.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(walk(b, true, 1)).isEqualTo(walk(b, false, 1));
    byte[] tooDeep =
        ("{\"Records\":[{\"a\":" + "[".repeat(250) + "]".repeat(250) + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    List<String> log = walk(tooDeep, true, 1);
    assertThat(log).isEqualTo(walk(tooDeep, false, 1));
    assertThat(log.getLast()).contains("error");
  }

  @Test
  void aJacksonParserOverBytesStillSkipsWithSkipChildren() throws IOException {
    try (JsonParser p = FACTORY.createParser("{\"a\":{\"b\":[1,2]},\"c\":3}")) {
      p.nextToken();
      p.nextToken();
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      p.skipChildren();
      assertThat(p.nextFieldName()).isEqualTo("c");
    }
  }
}
