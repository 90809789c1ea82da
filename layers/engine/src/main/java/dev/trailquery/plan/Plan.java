package dev.trailquery.plan;

import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.Span;
import dev.trailquery.read.ReadRequest;
import java.util.List;
import java.util.Map;

/**
 * A compiled query. The partial stage ({@link #read}, {@link #recordOps}, {@link #terminal}) runs
 * over any part of the input and yields a mergeable partial state; the final stage ({@link
 * #finalOps}) runs once over the merged state.
 *
 * @param source the query text
 * @param warnings warnings from parsing and planning
 * @param read what the reader extracts, and the record row's width
 * @param slots where the scan puts system fields in record rows
 * @param recordOps per-record steps before the terminal
 * @param terminal what each part keeps
 * @param finalOps the rest of the pipeline, over merged rows
 * @param outputFields the result's columns, in order
 * @param outputSlots their slots in the final rows
 * @param finalWidth width of the final rows' layout (record layout for non-stats queries)
 * @param pathSpans every JSON path the query reads, with where it was first written
 * @param startMillis records before this {@code @timestamp} are ignored (inclusive bound)
 * @param endMillis records at or after this {@code @timestamp} are ignored
 * @param fingerprint identifies the plan, so partial states of different plans never merge
 * @param lookupTables the lookup tables the plan evaluates with, as {@code name@version}
 */
public record Plan(
    String source,
    List<Diagnostic> warnings,
    ReadRequest read,
    SystemSlots slots,
    List<RowOp> recordOps,
    Terminal terminal,
    List<FinalOp> finalOps,
    List<String> outputFields,
    int[] outputSlots,
    Map<String, Span> pathSpans,
    long startMillis,
    long endMillis,
    long fingerprint,
    List<String> lookupTables) {

  /**
   * Slots of the system fields in record rows; -1 when the query does not use one. {@code index}
   * holds the record's position in its object (for ordering ties and {@code @ptr}); {@code element}
   * numbers the rows {@code unnest} makes of one record (-1 when the query has no unnest).
   */
  public record SystemSlots(
      int timestamp, int message, int logStream, int log, int ptr, int index, int element) {}

  public boolean isAggregate() {
    return terminal instanceof Terminal.Aggregate;
  }
}
