package dev.trailquery.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random nested events with random (sometimes huge) whitespace, read whole, trickled and gzipped,
 * against the tree-walk oracle: exercises the buffer that text is cut from.
 */
class RandomJsonTest {
  static final List<String> PATHS =
      List.of(
          "eventName",
          "requestParameters",
          "requestParameters.a",
          "requestParameters.a.0",
          "requestParameters.a.1.b",
          "requestParameters.b",
          "requestParameters.b.c",
          "requestParameters.b.c.0.a",
          "responseElements");

  final Random rnd = new Random(20260101);

  String ws() {
    int r = rnd.nextInt(100);
    if (r < 60) {
      return "";
    }
    if (r < 97) {
      return " \n\t\r".substring(0, 1 + rnd.nextInt(4));
    }
    return " ".repeat(rnd.nextInt(40_000));
  }

  String scalar() {
    return switch (rnd.nextInt(7)) {
      case 0 -> "\"s" + rnd.nextInt(100) + " \\\"q\\\" \\u00e9 {[,:]}\"";
      case 1 -> Integer.toString(rnd.nextInt(2000) - 1000);
      case 2 -> "1234567890123456789" + rnd.nextInt(10);
      case 3 -> rnd.nextBoolean() ? "true" : "false";
      case 4 -> "null";
      case 5 -> (rnd.nextInt(1000) / 8.0) + "e" + rnd.nextInt(3);
      default -> "\"" + "x".repeat(rnd.nextInt(3000)) + "\"";
    };
  }

  String value(int depth) {
    int r = rnd.nextInt(10);
    if (depth >= 5 || r < 4) {
      return scalar();
    }
    StringBuilder b = new StringBuilder();
    String[] keys = {"a", "b", "c", "0", "1", "z"};
    if (r < 7) {
      b.append('{').append(ws());
      int n = rnd.nextInt(5);
      int first = rnd.nextInt(keys.length);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          b.append(ws()).append(',').append(ws());
        }
        String key = keys[(first + i) % keys.length]; // distinct keys
        b.append('"').append(key).append('"').append(ws()).append(':');
        b.append(ws()).append(value(depth + 1));
      }
      return b.append(ws()).append('}').toString();
    }
    b.append('[').append(ws());
    int n = rnd.nextInt(5);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(ws()).append(',').append(ws());
      }
      b.append(value(depth + 1));
    }
    return b.append(ws()).append(']').toString();
  }

  String event(int i) {
    return "{"
        + ws()
        + "\"eventVersion\":\"1.08\","
        + ws()
        + "\"requestParameters\""
        + ws()
        + ":"
        + ws()
        + value(0)
        + ws()
        + ",\"eventName\":\"E"
        + i
        + "\","
        + ws()
        + "\"responseElements\":"
        + ws()
        + value(1)
        + ws()
        + "}";
  }

  @Test
  void randomDocuments() throws Exception {
    int[] slots = new int[PATHS.size()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = i;
    }
    CloudTrailReader reader =
        new CloudTrailReader(new ReadRequest(PATHS, slots, PATHS.size(), true));
    for (int doc = 0; doc < 120; doc++) {
      StringBuilder b = new StringBuilder(ws()).append("{\"Records\":").append(ws()).append('[');
      int n = 1 + rnd.nextInt(5);
      for (int i = 0; i < n; i++) {
        b.append(i > 0 ? "," + ws() : "").append(event(i));
      }
      String text = b.append("]}").append(ws()).toString();
      byte[] bytes = Fixtures.utf8(text);
      List<JsonNode> events = OracleTest.oracleEvents(bytes);
      assertThat(events).hasSize(n);
      long seed = doc;
      for (InputStream in :
          List.of(
              new ByteArrayInputStream(bytes),
              ChunkingTest.trickle(bytes, seed),
              new ByteArrayInputStream(Fixtures.gzip(bytes)))) {
        Fixtures.Read r = Fixtures.read(reader, in, "x");
        assertThat(r.status()).as(r.result().error()).isEqualTo(ObjectResult.Status.OK);
        assertThat(r.count()).isEqualTo(n);
        for (int e = 0; e < n; e++) {
          Object[] row = r.got().get(e).row();
          for (int p = 0; p < PATHS.size(); p++) {
            Object want = OracleTest.expected(OracleTest.navigate(events.get(e), PATHS.get(p)));
            if (want instanceof JsonNode node) {
              String json = ((dev.trailquery.value.JsonValue) row[p]).text();
              assertThat(OracleTest.M.readTree(json)).isEqualTo(node);
              assertThat(OracleTest.compact(json)).isTrue();
            } else {
              assertThat(row[p]).as(PATHS.get(p)).isEqualTo(want);
            }
          }
          String message = r.got().get(e).message();
          assertThat(OracleTest.M.readTree(message)).isEqualTo(events.get(e));
          assertThat(OracleTest.compact(message)).isTrue();
        }
      }
    }
  }
}
