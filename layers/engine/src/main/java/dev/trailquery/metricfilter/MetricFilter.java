package dev.trailquery.metricfilter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.ErrorCode;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric filter as PutMetricFilter defines it: a pattern and one metric transformation.
 *
 * @param name the filter name
 * @param pattern the compiled filter pattern (empty = every event)
 * @param metricName the metric name
 * @param metricNamespace the metric namespace
 * @param metricValue what each matching event adds: a number ({@code "1"}) or a selector ({@code
 *     $.requestParameters.durationSeconds}); an event whose selector value is missing or not
 *     numeric adds nothing (CloudWatch publishes no datapoint for it)
 * @param defaultValue emitted for a bin in which events were read but none matched; null for none
 * @param dimensions up to 3 dimension names to selectors ({@code {"eventName": "$.eventName"}}); an
 *     event missing a dimension's value adds nothing
 * @param unit the CloudWatch unit (informational), null for None
 */
public record MetricFilter(
    String name,
    MetricPattern pattern,
    String metricName,
    String metricNamespace,
    String metricValue,
    Double defaultValue,
    Map<String, String> dimensions,
    String unit) {

  public static final int MAX_DIMENSIONS = 3;

  public MetricFilter {
    dimensions = dimensions == null ? Map.of() : new LinkedHashMap<>(dimensions);
  }

  /** A filter counting matches: metric value 1, no default, no dimensions. */
  public static MetricFilter counting(String name, String pattern) {
    return of(name, pattern, name, "trailquery", "1", null, Map.of(), null);
  }

  /**
   * Validates and builds a filter. Throws {@link QueryException} (code TQ4011, the span points into
   * the offending text) for a bad metric value or dimension, more than 3 dimensions, or a default
   * value combined with dimensions; the pattern's own errors are TQ4001–TQ4010.
   */
  public static MetricFilter of(
      String name,
      String pattern,
      String metricName,
      String metricNamespace,
      String metricValue,
      Double defaultValue,
      Map<String, String> dimensions,
      String unit) {
    MetricPattern p = MetricPattern.compile(pattern == null ? "" : pattern);
    valueSelector(metricValue, "metric value", true);
    Map<String, String> dims = dimensions == null ? Map.of() : dimensions;
    if (dims.size() > MAX_DIMENSIONS) {
      throw new QueryException(
          String.join(", ", dims.keySet()),
          Diagnostic.error(
              ErrorCode.BAD_METRIC_TRANSFORMATION.code(),
              "a metric filter has at most " + MAX_DIMENSIONS + " dimensions, not " + dims.size(),
              new Span(0, 0)));
    }
    for (String v : dims.values()) {
      valueSelector(v, "dimension value", false);
    }
    if (defaultValue != null && !dims.isEmpty()) {
      throw new QueryException(
          metricValue,
          Diagnostic.error(
              ErrorCode.BAD_METRIC_TRANSFORMATION.code(),
              "a metric filter with dimensions cannot have a default value",
              new Span(0, 0)));
    }
    return new MetricFilter(
        name, p, metricName, metricNamespace, metricValue, defaultValue, dims, unit);
  }

  /**
   * Parses a metric value as PutMetricFilter takes it: null for a number ({@code "1"}), else the
   * selector ({@code $.requestParameters.durationSeconds}). Throws {@link QueryException} (TQ4011)
   * for anything else.
   */
  public static Selector metricValueSelector(String text) {
    return valueSelector(text, "metric value", true);
  }

  /**
   * Parses a metric value or dimension: a number (when allowed) or a selector without wildcards.
   */
  private static Selector valueSelector(String text, String what, boolean numberAllowed) {
    if (text == null || text.isBlank()) {
      throw new QueryException(
          text == null ? "" : text,
          Diagnostic.error(
              ErrorCode.BAD_METRIC_TRANSFORMATION.code(), "missing " + what, Span.at(0)));
    }
    String t = text.strip();
    if (numberAllowed && NUMBER.matcher(t).matches()) {
      return null;
    }
    if (!t.startsWith("$")) {
      throw new QueryException(
          text,
          Diagnostic.error(
              ErrorCode.BAD_METRIC_TRANSFORMATION.code(),
              what
                  + " must be "
                  + (numberAllowed ? "a number or " : "")
                  + "a selector such as $.eventName",
              new Span(0, text.length())));
    }
    // Reuse the pattern parser's selector grammar: parse "{ SEL NOT EXISTS }".
    String probe = "{ " + t + " NOT EXISTS }";
    try {
      Selector s = PatternParser.parse(probe).selectors().getFirst();
      if (s.hasWildcard() || !s.text().equals(t)) {
        throw new QueryException(
            text,
            Diagnostic.error(
                ErrorCode.BAD_METRIC_TRANSFORMATION.code(),
                what + " must be a single property selector without wildcards",
                new Span(0, text.length())));
      }
      return s;
    } catch (QueryException e) {
      if (e.error().code().equals(ErrorCode.BAD_METRIC_TRANSFORMATION.code())) {
        throw e;
      }
      int at = Math.max(0, Math.min(text.length(), e.error().span().start() - 2));
      throw new QueryException(
          text,
          Diagnostic.error(
              ErrorCode.BAD_METRIC_TRANSFORMATION.code(),
              what + ": " + e.error().message(),
              new Span(at, Math.min(text.length(), at + 1))));
    }
  }

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private Selector selectorOf(String text) {
    String t = text.strip();
    return NUMBER.matcher(t).matches() ? null : valueSelector(t, "value", false);
  }

  /**
   * The metric as a Logs Insights query the engine runs (and the ingest path keeps up to date): one
   * row per {@code bin} and dimension values with CloudWatch's statistic set — {@code sum}, {@code
   * sampleCount}, {@code minimum}, {@code maximum}, {@code average}. With a default value, a bin in
   * which records were read but none matched has the default as its one sample; without one, such a
   * bin has no row.
   *
   * @param bin the period, e.g. {@code 1m} (CloudWatch's metric resolution) or {@code 5m} (the CIS
   *     alarms' period)
   */
  public String toQuery(String bin) {
    String p = literal(pattern.text());
    String v = literal(metricValue.strip());
    StringBuilder q = new StringBuilder();
    q.append("fields filterPattern(").append(p).append(", ").append(v).append(") as value");
    List<String> dimFields = new ArrayList<>();
    for (String sel : dimensions.values()) {
      dimFields.add(dev.trailquery.contributor.RuleCompiler.field(sel.strip()));
    }
    if (defaultValue == null) {
      q.append("\n| filter ispresent(value)");
      for (String f : dimFields) {
        q.append(" and ispresent(").append(f).append(')');
      }
    }
    q.append(
            "\n| stats sum(value) as valueSum, count(value) as valueCount, min(value) as valueMin,"
                + " max(value) as valueMax by bin(")
        .append(bin)
        .append(") as bin");
    int i = 0;
    List<String> dimNames = new ArrayList<>(dimensions.keySet());
    for (String f : dimFields) {
      q.append(", ").append(f).append(" as ").append(name(dimNames.get(i++)));
    }
    String d = defaultValue == null ? null : number(defaultValue);
    q.append("\n| fields ")
        .append(stat("valueSum", d))
        .append(" as sum, ")
        .append(d == null ? "valueCount" : "if(valueCount > 0, valueCount, 1)")
        .append(" as sampleCount, ")
        .append(stat("valueMin", d))
        .append(" as minimum, ")
        .append(stat("valueMax", d))
        .append(" as maximum\n| fields sum / sampleCount as average");
    q.append("\n| display bin");
    for (String n : dimNames) {
      q.append(", ").append(name(n));
    }
    q.append(", sum, sampleCount, minimum, maximum, average");
    q.append("\n| sort bin asc");
    return q.toString();
  }

  private static String stat(String column, String dflt) {
    return dflt == null ? column : "if(valueCount > 0, " + column + ", " + dflt + ")";
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** A dimension name as a Logs Insights field name (backquoted unless a plain identifier). */
  private static String name(String n) {
    return n.matches("[A-Za-z_][A-Za-z0-9_]*") ? n : "`" + n.replace("`", "") + "`";
  }

  /** Text as a single-quoted Logs Insights string literal. */
  public static String literal(String text) {
    StringBuilder sb = new StringBuilder("'");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\'' -> sb.append("\\'");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('\'').toString();
  }

  /**
   * What a matching record adds to the metric, or null when it adds nothing (no match, the value
   * selector missing or not numeric).
   */
  public Double valueOf(JsonNode record) {
    if (!pattern.matches(record)) {
      return null;
    }
    return value(record);
  }

  /** The metric value of a record (whether it matches or not), or null. */
  Double value(JsonNode record) {
    Selector s = selectorOf(metricValue);
    if (s == null) {
      return Double.parseDouble(metricValue.strip());
    }
    for (JsonNode v : s.resolve(record)) {
      return MetricPattern.number(v);
    }
    return null;
  }

  /**
   * The dimension values of a record in dimension order, or null when one is missing (or an object
   * or array).
   */
  public List<String> dimensionValues(JsonNode record) {
    List<String> out = new ArrayList<>(dimensions.size());
    for (String sel : dimensions.values()) {
      List<JsonNode> v = selectorOf(sel).resolve(record);
      if (v.isEmpty() || v.getFirst().isContainerNode() || v.getFirst().isNull()) {
        return null;
      }
      out.add(v.getFirst().asText());
    }
    return out;
  }
}
