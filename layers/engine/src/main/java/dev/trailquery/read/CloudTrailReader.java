package dev.trailquery.read;

import java.io.InputStream;
import java.util.BitSet;

/**
 * Streams CloudTrail records out of one object. PLACEHOLDER: the real implementation replaces this
 * file.
 */
public final class CloudTrailReader {
  /** Default cap on decompressed bytes per object: 1 GiB. */
  public static final long DEFAULT_MAX_DECODED_BYTES = 1L << 30;

  private final ReadRequest request;
  private final long maxDecodedBytes;

  public CloudTrailReader(ReadRequest request) {
    this(request, DEFAULT_MAX_DECODED_BYTES);
  }

  public CloudTrailReader(ReadRequest request, long maxDecodedBytes) {
    this.request = request;
    this.maxDecodedBytes = maxDecodedBytes;
  }

  public ReadRequest request() {
    return request;
  }

  public long maxDecodedBytes() {
    return maxDecodedBytes;
  }

  /**
   * Reads one object (gzip or plain, detected by content). Never throws for bad data: a broken
   * object ends with a non-OK status after delivering the records before the break. Does not close
   * {@code in}.
   *
   * @param name the object key or file path, used to recognise digest files
   */
  public ObjectResult read(InputStream in, String name, RecordSink sink) {
    return new ObjectResult(ObjectResult.Status.EMPTY, 0, 0, 0, new BitSet(), null);
  }
}
