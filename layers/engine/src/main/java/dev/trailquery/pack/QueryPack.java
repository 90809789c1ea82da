package dev.trailquery.pack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.json.Mappers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The saved queries that ship with trailquery: every Logs Insights query of the documents it was
 * built from (the AWS knowledge-center article's 12, the CIS AWS Foundations 3.1–3.14 monitoring
 * queries, the AWS blog's sign-in, KMS and RDS queries), corrected where the published text is
 * wrong.
 */
public final class QueryPack {
  private static final String RESOURCE = "/dev/trailquery/pack/queries.json";
  private static volatile List<SavedQuery> cached;

  private QueryPack() {}

  public static List<SavedQuery> all() {
    List<SavedQuery> c = cached;
    if (c == null) {
      c = load();
      cached = c;
    }
    return c;
  }

  /** For {@link dev.trailquery.saved.Templates#resolve}: the pack's queries by name, or null. */
  public static dev.trailquery.saved.Templates.Saved template(String name) {
    return find(name).map(SavedQuery::template).orElse(null);
  }

  public static Optional<SavedQuery> find(String name) {
    return all().stream().filter(q -> q.name().equalsIgnoreCase(name)).findFirst();
  }

  private static List<SavedQuery> load() {
    try (InputStream in = QueryPack.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      JsonNode root = Mappers.MAPPER.readTree(in);
      List<SavedQuery> out = new ArrayList<>();
      for (JsonNode q : root.path("queries")) {
        List<String> tags = new ArrayList<>();
        q.path("tags").forEach(t -> tags.add(t.asText()));
        List<dev.trailquery.saved.Parameter> parameters = new ArrayList<>();
        for (JsonNode p : q.path("parameters")) {
          parameters.add(
              new dev.trailquery.saved.Parameter(
                  p.path("name").asText(),
                  p.hasNonNull("defaultValue") ? p.get("defaultValue").asText() : null,
                  p.hasNonNull("description") ? p.get("description").asText() : null));
        }
        out.add(
            new SavedQuery(
                q.path("name").asText(),
                q.path("description").asText(),
                q.path("source").asText(),
                q.path("query").asText(),
                q.hasNonNull("original") ? q.get("original").asText() : null,
                q.hasNonNull("correction") ? q.get("correction").asText() : null,
                List.copyOf(tags),
                parameters));
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
