package dev.trailquery.functions.query;

import java.util.List;

/**
 * A query definition saved under a name ({@code PUT /saved-queries/{name}}, like
 * PutQueryDefinition). Names may contain {@code /} to form folders.
 *
 * @param lastModified epoch ms
 */
public record QueryDefinition(
    String name,
    String queryString,
    String description,
    long lastModified,
    List<dev.trailquery.saved.Parameter> parameters) {

  public QueryDefinition {
    parameters = parameters == null ? List.of() : List.copyOf(parameters);
  }

  public QueryDefinition(String name, String queryString, String description, long lastModified) {
    this(name, queryString, description, lastModified, List.of());
  }

  /** This definition as {@link dev.trailquery.saved.Templates} runs it. */
  public dev.trailquery.saved.Templates.Saved template() {
    return new dev.trailquery.saved.Templates.Saved(name, queryString, parameters);
  }
}
