package dev.trailquery.functions.query;

import java.util.List;
import java.util.Optional;

/** Saved query definitions. */
public interface SavedQueryStore {
  void put(QueryDefinition query);

  Optional<QueryDefinition> get(String name);

  /** False when there was none. */
  boolean delete(String name);

  /** All, by name. */
  List<QueryDefinition> list();
}
