package dev.trailquery.read;

import java.util.List;

/**
 * What a reader extracts from each record.
 *
 * @param paths dotted field paths as written in queries ({@code userIdentity.type}, {@code
 *     resources.0.ARN}); a numeric segment also indexes an array. A path naming an object or array
 *     yields that subtree as compact JSON text.
 * @param slots for each path, the slot of the row array that receives its value
 * @param rowWidth the length of the row array to allocate per record
 * @param needMessage whether {@link RecordSink#accept} must receive the record's raw JSON
 */
public record ReadRequest(List<String> paths, int[] slots, int rowWidth, boolean needMessage) {
  public ReadRequest {
    paths = List.copyOf(paths);
    if (slots.length != paths.size()) {
      throw new IllegalArgumentException("one slot per path");
    }
  }
}
