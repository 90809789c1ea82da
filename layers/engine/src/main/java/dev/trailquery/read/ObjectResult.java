package dev.trailquery.read;

import java.util.BitSet;

/**
 * What reading one object gave.
 *
 * @param status how the object ended
 * @param records records passed to the sink
 * @param bytesRead bytes read from the source (compressed size for gzip)
 * @param bytesDecoded bytes of JSON after decompression
 * @param seenPaths bit {@code i} set when some record had {@code paths.get(i)}
 * @param error for {@code CORRUPT}/{@code TOO_LARGE}/{@code FOREIGN}/{@code OVERSIZED_RECORDS}:
 *     what was wrong and where
 */
public record ObjectResult(
    Status status,
    long records,
    long bytesRead,
    long bytesDecoded,
    BitSet seenPaths,
    String error) {

  public enum Status {
    /** Read to the end. */
    OK,
    /** No bytes, or only whitespace (CloudTrail's placeholder objects). */
    EMPTY,
    /** A CloudTrail digest file: skipped. */
    DIGEST,
    /** Not CloudTrail: skipped. */
    FOREIGN,
    /** Broken gzip or JSON; records before the break were delivered. */
    CORRUPT,
    /**
     * Decompressed past the reader's cap (a gzip bomb), or a key, number or nesting past the
     * parser's limits; records before were delivered.
     */
    TOO_LARGE,
    /**
     * Read to its end, but records over {@code CloudTrailReader.MAX_RECORD_TEXT_BYTES} were skipped
     * (the error counts them); every other record was delivered.
     */
    OVERSIZED_RECORDS
  }

  public boolean skipped() {
    return status != Status.OK;
  }
}
