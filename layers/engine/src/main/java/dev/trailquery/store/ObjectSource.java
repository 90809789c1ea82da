package dev.trailquery.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;

/**
 * Where objects come from: a local directory or file, an S3 prefix. Implementations must be safe to
 * {@link #open} from several threads at once.
 */
public interface ObjectSource {
  /** Every object under this source, in a stable order (by key). */
  List<ObjectRef> list() throws IOException;

  /**
   * The objects of {@link #list}, in the same order, produced as they are asked for where the
   * source can (a directory walk, S3 listing pages), so a scan's memory does not grow with their
   * number. The iterator throws {@link java.io.UncheckedIOException} for errors met on the way.
   */
  default Iterator<ObjectRef> objects() throws IOException {
    return list().iterator();
  }

  /** Opens an object for reading; the caller closes the stream. */
  InputStream open(ObjectRef ref) throws IOException;

  /** A human-readable location: the path or {@code s3://bucket/prefix}. */
  String location();
}
