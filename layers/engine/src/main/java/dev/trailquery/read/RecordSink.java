package dev.trailquery.read;

/** Receives the records of one object as a reader streams them. */
@FunctionalInterface
public interface RecordSink {
  /**
   * One record.
   *
   * @param row a fresh array of {@link ReadRequest#rowWidth()} slots, the requested paths filled
   *     (missing fields are null); the sink may keep it
   * @param timestampMillis the record's {@code eventTime} in epoch ms, or {@code Long.MIN_VALUE}
   *     when it has none or it does not parse
   * @param message the record's JSON text when {@link ReadRequest#needMessage()}, else null
   * @param index the record's 0-based position in its object (for {@code @ptr})
   * @return false to stop reading this object
   */
  boolean accept(Object[] row, long timestampMillis, String message, int index);
}
