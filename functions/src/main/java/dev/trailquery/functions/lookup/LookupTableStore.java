package dev.trailquery.functions.lookup;

import dev.trailquery.lookup.LookupTable;
import java.util.List;
import java.util.Optional;

/**
 * Lookup tables by name, as {@code PUT /lookup-tables/{name}} stores them: the CSV as given. In the
 * stack they live in the results bucket under {@code lookup-tables/}; {@code serve} keeps them in
 * memory.
 */
public interface LookupTableStore {
  /** A stored table: its CSV and when it was stored. */
  record Stored(String name, byte[] csv, long lastModified) {}

  /** Stores (or replaces) a table; the CSV was already checked. */
  void put(String name, byte[] csv, long lastModified);

  Optional<Stored> get(String name);

  /** False when there was none. */
  boolean delete(String name);

  /** Every table's name, size and time (CSV bodies may be left out: {@code csv} empty). */
  List<Stored> list();

  /** The table as the engine uses it (parsed, with its version); empty when there is none. */
  default Optional<LookupTable> table(String name) {
    return get(name)
        .map(
            s -> {
              try {
                return LookupTable.parse(s.name(), s.csv());
              } catch (LookupTable.InvalidTableException e) {
                throw new IllegalStateException(
                    "stored lookup table is invalid: " + e.getMessage());
              }
            });
  }
}
