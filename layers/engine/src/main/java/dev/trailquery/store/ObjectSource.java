package dev.trailquery.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where objects come from: a local directory or file, an S3 prefix. Implementations must be safe to
 * {@link #open} from several threads at once.
 */
public interface ObjectSource {
  /** Every object under this source, in a stable order (by key). */
  List<ObjectRef> list() throws IOException;

  /** Opens an object for reading; the caller closes the stream. */
  InputStream open(ObjectRef ref) throws IOException;

  /** A human-readable location: the path or {@code s3://bucket/prefix}. */
  String location();
}
