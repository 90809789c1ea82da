package dev.trailquery.pack;

import java.util.List;

/**
 * A query shipped with trailquery.
 *
 * @param name the name {@code --saved} takes
 * @param description what it finds
 * @param source where it comes from (one of the documents trailquery was built from)
 * @param query the query as it runs
 * @param original the query as published, when it had to be corrected; null otherwise
 * @param correction what was wrong with the original and how it was fixed; null otherwise
 * @param tags topics ({@code cis}, {@code security}, {@code s3}, ...)
 * @param parameters the {@code {{name}}} placeholders of {@code query}, with their defaults (run as
 *     {@code $name(p="v")} or {@code --saved name --param p=v})
 */
public record SavedQuery(
    String name,
    String description,
    String source,
    String query,
    String original,
    String correction,
    List<String> tags,
    List<dev.trailquery.saved.Parameter> parameters) {

  public SavedQuery {
    parameters = parameters == null ? List.of() : List.copyOf(parameters);
  }

  public SavedQuery(
      String name,
      String description,
      String source,
      String query,
      String original,
      String correction,
      List<String> tags) {
    this(name, description, source, query, original, correction, tags, List.of());
  }

  /** This query as {@link dev.trailquery.saved.Templates} runs it. */
  public dev.trailquery.saved.Templates.Saved template() {
    return new dev.trailquery.saved.Templates.Saved(name, query, parameters);
  }

  /** The query as it runs with every parameter at its default (the demo's way). */
  public String queryWithDefaults() {
    return parameters.isEmpty()
        ? query
        : dev.trailquery.saved.Templates.expand(template(), java.util.Map.of(), "$" + name + "()");
  }
}
