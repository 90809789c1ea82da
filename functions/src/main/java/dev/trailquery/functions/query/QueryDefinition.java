package dev.trailquery.functions.query;

/**
 * A query definition saved under a name ({@code PUT /saved-queries/{name}}, like
 * PutQueryDefinition). Names may contain {@code /} to form folders.
 *
 * @param lastModified epoch ms
 */
public record QueryDefinition(
    String name, String queryString, String description, long lastModified) {}
