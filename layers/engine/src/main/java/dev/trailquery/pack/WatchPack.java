package dev.trailquery.pack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.contributor.ContributorRule;
import dev.trailquery.contributor.RuleParser;
import dev.trailquery.json.Mappers;
import dev.trailquery.metricfilter.MetricFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metric filters and Contributor Insights rules that ship with trailquery: every CIS AWS
 * Foundations Benchmark metric-filter pattern, and the AWS blog post's three rules and AssumeRole
 * duration metric filter ({@code dev/trailquery/pack/watch.json}).
 */
public final class WatchPack {
  private static final String RESOURCE = "/dev/trailquery/pack/watch.json";
  private static volatile WatchPack cached;

  /** A shipped metric filter. */
  public record SavedMetricFilter(
      String name, String description, String source, MetricFilter filter, List<String> tags) {}

  /** A shipped Contributor Insights rule, with its JSON text. */
  public record SavedRule(
      String name, String description, String source, String json, ContributorRule rule) {}

  private final List<SavedMetricFilter> filters;
  private final List<SavedRule> rules;

  private WatchPack(List<SavedMetricFilter> filters, List<SavedRule> rules) {
    this.filters = List.copyOf(filters);
    this.rules = List.copyOf(rules);
  }

  public static WatchPack get() {
    WatchPack c = cached;
    if (c == null) {
      c = load();
      cached = c;
    }
    return c;
  }

  public List<SavedMetricFilter> metricFilters() {
    return filters;
  }

  public List<SavedRule> rules() {
    return rules;
  }

  public Optional<SavedMetricFilter> metricFilter(String name) {
    return filters.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
  }

  public Optional<SavedRule> rule(String name) {
    return rules.stream().filter(r -> r.name().equalsIgnoreCase(name)).findFirst();
  }

  private static WatchPack load() {
    try (InputStream in = WatchPack.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      JsonNode root = Mappers.MAPPER.readTree(in);
      List<SavedMetricFilter> filters = new ArrayList<>();
      for (JsonNode f : root.path("metricFilters")) {
        Map<String, String> dims = new LinkedHashMap<>();
        f.path("dimensions").properties().forEach(e -> dims.put(e.getKey(), e.getValue().asText()));
        List<String> tags = new ArrayList<>();
        f.path("tags").forEach(t -> tags.add(t.asText()));
        String name = f.path("name").asText();
        filters.add(
            new SavedMetricFilter(
                name,
                f.path("description").asText(),
                f.path("source").asText(),
                MetricFilter.of(
                    name,
                    f.path("pattern").asText(),
                    f.path("metricName").asText(),
                    f.path("metricNamespace").asText(),
                    f.path("metricValue").asText("1"),
                    f.hasNonNull("defaultValue") ? f.get("defaultValue").asDouble() : null,
                    dims,
                    f.hasNonNull("unit") ? f.get("unit").asText() : null),
                List.copyOf(tags)));
      }
      List<SavedRule> rules = new ArrayList<>();
      for (JsonNode r : root.path("contributorRules")) {
        String json = Mappers.pretty().writeValueAsString(r.get("rule"));
        rules.add(
            new SavedRule(
                r.path("name").asText(),
                r.path("description").asText(),
                r.path("source").asText(),
                json,
                RuleParser.parse(json)));
      }
      return new WatchPack(filters, rules);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
