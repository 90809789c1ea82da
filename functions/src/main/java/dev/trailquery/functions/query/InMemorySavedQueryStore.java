package dev.trailquery.functions.query;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Saved queries in memory. */
public final class InMemorySavedQueryStore implements SavedQueryStore {
  private final ConcurrentSkipListMap<String, QueryDefinition> queries =
      new ConcurrentSkipListMap<>();

  @Override
  public void put(QueryDefinition query) {
    queries.put(query.name(), query);
  }

  @Override
  public Optional<QueryDefinition> get(String name) {
    return Optional.ofNullable(queries.get(name));
  }

  @Override
  public boolean delete(String name) {
    return queries.remove(name) != null;
  }

  @Override
  public List<QueryDefinition> list() {
    return List.copyOf(queries.values());
  }
}
