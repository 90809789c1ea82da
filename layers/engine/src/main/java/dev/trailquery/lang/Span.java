package dev.trailquery.lang;

/**
 * A half-open range of characters {@code [start, end)} in the query text. Line and column are
 * computed only when a diagnostic is rendered.
 */
public record Span(int start, int end) {
  public Span {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad span " + start + ".." + end);
    }
  }

  public static Span at(int offset) {
    return new Span(offset, offset);
  }

  public Span to(Span other) {
    return new Span(Math.min(start, other.start), Math.max(end, other.end));
  }

  public int length() {
    return end - start;
  }

  /** The text this span covers in {@code source}, clamped to the source's length. */
  public String text(String source) {
    int s = Math.min(start, source.length());
    int e = Math.min(end, source.length());
    return source.substring(s, e);
  }
}
