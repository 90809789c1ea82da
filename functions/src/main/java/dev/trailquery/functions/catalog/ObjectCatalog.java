package dev.trailquery.functions.catalog;

import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.util.List;

/**
 * The objects a query's time range needs, and how to open them: an S3 bucket laid out as CloudTrail
 * writes it, or a local directory.
 */
public interface ObjectCatalog {
  /**
   * What a query reads.
   *
   * @param startMillis inclusive
   * @param endMillis exclusive
   * @param accounts account ids to read, empty for all
   * @param regions regions to read, empty for all
   */
  record Range(long startMillis, long endMillis, List<String> accounts, List<String> regions) {
    public Range {
      accounts = List.copyOf(accounts);
      regions = List.copyOf(regions);
    }
  }

  /** The objects that may hold records of the range, in a stable order. */
  List<ObjectRef> list(Range range) throws IOException;

  /** Opens the objects this catalog lists (safe to use from several threads). */
  ObjectSource source();
}
