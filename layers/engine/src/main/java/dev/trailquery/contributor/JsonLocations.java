package dev.trailquery.contributor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each value (and each member name, under {@code path + "#name"}) of a JSON text starts and
 * ends, by JSON path ({@code $.Contribution.Filters[0].Match}), for error carets.
 */
final class JsonLocations {
  private final Map<String, int[]> spans = new HashMap<>();

  static JsonLocations index(String text) {
    JsonLocations l = new JsonLocations();
    try (JsonParser p = new JsonFactory().createParser(text)) {
      if (p.nextToken() != null) {
        l.value(p, "$");
      }
    } catch (IOException | RuntimeException e) {
      // the caller reports syntax errors from its own parse
    }
    return l;
  }

  private void value(JsonParser p, String path) throws IOException {
    int start = (int) p.currentTokenLocation().getCharOffset();
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int ks = (int) p.currentTokenLocation().getCharOffset();
        String child = path + "." + name;
        spans.put(child + "#name", new int[] {ks, ks + name.length() + 2});
        p.nextToken();
        value(p, child);
      }
      spans.put(path, new int[] {start, start + 1});
    } else if (t == JsonToken.START_ARRAY) {
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        value(p, path + "[" + i++ + "]");
      }
      spans.put(path, new int[] {start, start + 1});
    } else {
      int end = (int) p.currentLocation().getCharOffset();
      spans.put(path, new int[] {start, Math.max(start + 1, end)});
    }
  }

  /** The span of {@code path} (or its nearest located ancestor), else {0, 0}. */
  int[] span(String path) {
    String p = path;
    while (true) {
      int[] s = spans.get(p);
      if (s != null) {
        return s;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (p.endsWith("#name")) {
        p = p.substring(0, p.length() - 5);
      } else if (cut <= 0) {
        return new int[] {0, 0};
      } else {
        p = p.substring(0, cut);
      }
    }
  }
}
