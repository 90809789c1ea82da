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
 */
public record SavedQuery(
    String name,
    String description,
    String source,
    String query,
    String original,
    String correction,
    List<String> tags) {}
