package dev.trailquery.metricfilter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.json.Mappers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Metric filters as CloudWatch Logs writes them: the PutMetricFilter request /
 * DescribeMetricFilters shape ({@code {"filterName", "filterPattern", "metricTransformations":
 * [{"metricName", "metricNamespace", "metricValue", "defaultValue", "dimensions", "unit"}]}}), so
 * users bring their existing filters as they are. Also read: the output of {@code aws logs
 * describe-metric-filters} ({@code {"metricFilters": [...]}}) and a bare array of filters.
 */
public final class MetricFilterJson {
  private static final ObjectMapper MAPPER = Mappers.MAPPER;
  private static final Set<String> FILTER_FIELDS =
      Set.of(
          "filterName",
          "filterPattern",
          "metricTransformations",
          "logGroupName",
          "creationTime",
          "applyOnTransformedLogs",
          "fieldSelectionCriteria",
          "emitSystemFieldDimensions");
  private static final Set<String> TRANSFORMATION_FIELDS =
      Set.of("metricName", "metricNamespace", "metricValue", "defaultValue", "dimensions", "unit");

  private MetricFilterJson() {}

  /**
   * Every filter in {@code json}: one filter object, an array of them, or {@code {"metricFilters":
   * [...]}}. Throws {@link IllegalArgumentException} for a bad shape and {@link
   * dev.trailquery.lang.QueryException} for a bad pattern, value or dimension.
   */
  public static List<MetricFilter> parseAll(JsonNode json) {
    List<MetricFilter> out = new ArrayList<>();
    JsonNode list = json.isObject() && json.has("metricFilters") ? json.get("metricFilters") : json;
    if (list.isArray()) {
      for (JsonNode f : list) {
        out.add(parse(f));
      }
    } else {
      out.add(parse(list));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no metric filter in the JSON");
    }
    return out;
  }

  /** One filter object (PutMetricFilter shape, exactly one metric transformation). */
  public static MetricFilter parse(JsonNode f) {
    if (!f.isObject()) {
      throw new IllegalArgumentException("a metric filter must be a JSON object");
    }
    f.fieldNames()
        .forEachRemaining(
            n -> {
              if (!FILTER_FIELDS.contains(n)) {
                throw new IllegalArgumentException(
                    "unknown metric filter field '" + n + "' (expected " + FILTER_FIELDS + ")");
              }
            });
    JsonNode pattern = f.get("filterPattern");
    if (pattern == null || !pattern.isTextual()) {
      throw new IllegalArgumentException("filterPattern (a string) is required");
    }
    JsonNode ts = f.get("metricTransformations");
    JsonNode t;
    if (ts == null || ts.isNull()) {
      t = MAPPER.createObjectNode();
    } else if (ts.isArray() && ts.size() == 1 && ts.get(0).isObject()) {
      t = ts.get(0);
    } else {
      throw new IllegalArgumentException(
          "metricTransformations must be an array of exactly one object, as CloudWatch requires");
    }
    t.fieldNames()
        .forEachRemaining(
            n -> {
              if (!TRANSFORMATION_FIELDS.contains(n)) {
                throw new IllegalArgumentException(
                    "unknown metric transformation field '"
                        + n
                        + "' (expected "
                        + TRANSFORMATION_FIELDS
                        + ")");
              }
            });
    String name = text(f, "filterName", "metric-filter");
    Map<String, String> dims = new LinkedHashMap<>();
    JsonNode d = t.get("dimensions");
    if (d != null && !d.isNull()) {
      if (!d.isObject()) {
        throw new IllegalArgumentException("dimensions must be an object of name to selector");
      }
      d.properties().forEach(e -> dims.put(e.getKey(), e.getValue().asText()));
    }
    JsonNode dv = t.get("defaultValue");
    if (dv != null && !dv.isNull() && !dv.isNumber()) {
      throw new IllegalArgumentException("defaultValue must be a number");
    }
    JsonNode mv = t.get("metricValue");
    return MetricFilter.of(
        name,
        pattern.asText(),
        text(t, "metricName", name),
        text(t, "metricNamespace", "trailquery"),
        mv == null || mv.isNull() ? "1" : mv.asText(),
        dv == null || dv.isNull() ? null : dv.asDouble(),
        dims,
        text(t, "unit", null));
  }

  private static String text(JsonNode n, String field, String dflt) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? dflt : v.asText();
  }

  /** The filter in PutMetricFilter shape (what {@link #parse} reads back). */
  public static ObjectNode toJson(MetricFilter f) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("filterName", f.name());
    o.put("filterPattern", f.pattern().text());
    ObjectNode t = o.putArray("metricTransformations").addObject();
    t.put("metricName", f.metricName());
    t.put("metricNamespace", f.metricNamespace());
    t.put("metricValue", f.metricValue());
    if (f.defaultValue() != null) {
      t.put("defaultValue", f.defaultValue());
    }
    if (!f.dimensions().isEmpty()) {
      ObjectNode d = t.putObject("dimensions");
      f.dimensions().forEach(d::put);
    }
    if (f.unit() != null) {
      t.put("unit", f.unit());
    }
    return o;
  }
}
