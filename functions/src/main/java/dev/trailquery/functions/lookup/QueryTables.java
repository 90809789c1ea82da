package dev.trailquery.functions.lookup;

import dev.trailquery.functions.query.InvalidRequestException;
import dev.trailquery.lang.ast.Command;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.lookup.LookupTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lookup tables a query's {@code lookup} commands name (its subqueries' too), as stored now.
 */
public final class QueryTables {
  private QueryTables() {}

  /** Tables a query sends to its workers, in total (a worker invocation is at most 6 MB). */
  public static final int MAX_QUERY_TABLE_BYTES = 4 << 20;

  /**
   * The tables of {@code q} that exist in {@code store} (a missing one is left out: planning then
   * says so with its position); more than {@link #MAX_QUERY_TABLE_BYTES} in total is a 400.
   */
  public static Map<String, LookupTable> of(Query q, LookupTableStore store) {
    return parse(csv(q, store));
  }

  /** The CSV text of the tables of {@code q} that exist (see {@link #of}), by name. */
  public static Map<String, String> csv(Query q, LookupTableStore store) {
    Map<String, String> out = new LinkedHashMap<>();
    if (store == null) {
      return out;
    }
    long bytes = 0;
    for (String name : names(q)) {
      var s = store.get(name);
      if (s.isPresent()) {
        bytes += s.get().csv().length;
        out.put(name, new String(s.get().csv(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    if (bytes > MAX_QUERY_TABLE_BYTES) {
      throw new InvalidRequestException(
          "the lookup tables of one API query may hold at most "
              + MAX_QUERY_TABLE_BYTES
              + " bytes in total (they travel with each worker invocation); these hold "
              + bytes);
    }
    return out;
  }

  /** Tables from CSV text by name (what a worker request carries). */
  public static Map<String, LookupTable> parse(Map<String, String> csv) {
    Map<String, LookupTable> out = new LinkedHashMap<>();
    csv.forEach(
        (name, text) -> {
          try {
            out.put(
                name,
                LookupTable.parse(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
          } catch (LookupTable.InvalidTableException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
          }
        });
    return out;
  }

  /** The tables {@code q}'s {@code lookup} commands name (its subqueries' too), each once. */
  public static List<String> names(Query q) {
    List<String> names = new ArrayList<>();
    for (Command c : q.commands()) {
      if (c instanceof Command.Lookup l && !names.contains(l.table().name())) {
        names.add(l.table().name());
      }
    }
    for (var sub : dev.trailquery.exec.Subqueries.find(q)) {
      for (String n : names(sub.query())) {
        if (!names.contains(n)) {
          names.add(n);
        }
      }
    }
    return names;
  }
}
