package dev.trailquery.metricfilter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.lang.Span;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A metric-filter property selector: {@code $.a.b}, {@code $.resources[0].ARN}, {@code
 * $.['cluster.name']}, {@code $.items[*].id}, {@code $.*}.
 *
 * @param text the selector as written
 * @param segments what it steps through, in order
 * @param span where it is in the pattern
 */
public record Selector(String text, List<Segment> segments, Span span) {

  public Selector {
    segments = List.copyOf(segments);
  }

  /** One step of a selector. */
  public sealed interface Segment {}

  /** An object member by name ({@code .name} or {@code ['na.me']}). */
  public record Field(String name) implements Segment {}

  /** An array element by zero-based index ({@code [3]}). */
  public record Index(int index) implements Segment {}

  /** Any array element ({@code [*]}). */
  public record AnyElement() implements Segment {}

  /** Any object member ({@code .*}). */
  public record AnyField() implements Segment {}

  public boolean hasWildcard() {
    return segments.stream().anyMatch(s -> s instanceof AnyElement || s instanceof AnyField);
  }

  /**
   * The nodes this selector reaches in {@code record}: none when a step is missing, several when a
   * wildcard fans out. A JSON {@code null} is reached (it exists).
   */
  public List<JsonNode> resolve(JsonNode record) {
    List<JsonNode> out = new ArrayList<>(1);
    walk(record, 0, out);
    return out;
  }

  private void walk(JsonNode node, int i, List<JsonNode> out) {
    if (node == null || node.isMissingNode()) {
      return;
    }
    if (i == segments.size()) {
      out.add(node);
      return;
    }
    switch (segments.get(i)) {
      case Field f -> {
        if (node.isObject()) {
          walk(node.get(f.name()), i + 1, out);
        }
      }
      case Index x -> {
        if (node.isArray()) {
          walk(node.get(x.index()), i + 1, out);
        }
      }
      case AnyElement a -> {
        if (node.isArray()) {
          for (JsonNode e : node) {
            walk(e, i + 1, out);
          }
        }
      }
      case AnyField a -> {
        if (node.isObject()) {
          for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            walk(it.next(), i + 1, out);
          }
        }
      }
    }
  }

  /**
   * The engine reader path (dotted, numeric segments index arrays) of the part of this selector the
   * reader must materialise: the whole selector when it has no wildcard, else the prefix before the
   * first wildcard (the reader then yields that subtree as JSON text). Null when the prefix cannot
   * be written as a dotted path (a member name containing a dot) or is empty (a wildcard right
   * after {@code $}): the caller then needs the whole record.
   */
  public String readerPath() {
    StringBuilder sb = new StringBuilder();
    for (Segment s : segments) {
      String part;
      switch (s) {
        case Field f -> {
          if (f.name().contains(".") || f.name().isEmpty()) {
            return null;
          }
          part = f.name();
        }
        case Index x -> part = Integer.toString(x.index());
        default -> {
          return sb.isEmpty() ? null : sb.toString();
        }
      }
      if (!sb.isEmpty()) {
        sb.append('.');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
