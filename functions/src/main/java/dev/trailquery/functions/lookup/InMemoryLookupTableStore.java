package dev.trailquery.functions.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Lookup tables in memory ({@code ./trailquery serve}, tests). */
public final class InMemoryLookupTableStore implements LookupTableStore {
  private final Map<String, Stored> tables = new ConcurrentSkipListMap<>();

  @Override
  public void put(String name, byte[] csv, long lastModified) {
    tables.put(name, new Stored(name, csv.clone(), lastModified));
  }

  @Override
  public Optional<Stored> get(String name) {
    return Optional.ofNullable(tables.get(name));
  }

  @Override
  public boolean delete(String name) {
    return tables.remove(name) != null;
  }

  @Override
  public List<Stored> list() {
    return new ArrayList<>(tables.values());
  }
}
