package dev.trailquery.functions.aws;

import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Objects under an S3 prefix ({@code s3://bucket/prefix}). */
public final class S3ObjectSource implements ObjectSource {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  public S3ObjectSource(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix == null ? "" : prefix;
  }

  /** Parses {@code s3://bucket/prefix}; null when {@code url} is not an s3 URL. */
  public static S3ObjectSource parse(S3Client s3, String url) {
    if (!url.startsWith("s3://")) {
      return null;
    }
    String rest = url.substring(5);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("no bucket in " + url);
    }
    return new S3ObjectSource(s3, bucket, prefix);
  }

  @Override
  public List<ObjectRef> list() throws IOException {
    List<ObjectRef> refs = new ArrayList<>();
    try {
      ListObjectsV2Request req =
          ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
      for (S3Object o : s3.listObjectsV2Paginator(req).contents()) {
        refs.add(new ObjectRef(bucket, o.key(), o.size() == null ? -1 : o.size()));
      }
    } catch (SdkException e) {
      throw new IOException("listing " + location() + ": " + e.getMessage(), e);
    }
    return refs;
  }

  /** The listing page by page (1,000 keys a request) as the scan asks for objects. */
  @Override
  public Iterator<ObjectRef> objects() {
    ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
    Iterator<S3Object> pages = s3.listObjectsV2Paginator(req).contents().iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return pages.hasNext();
        } catch (SdkException e) {
          throw new UncheckedIOException(
              new IOException("listing " + location() + ": " + e.getMessage(), e));
        }
      }

      @Override
      public ObjectRef next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        S3Object o = pages.next();
        return new ObjectRef(bucket, o.key(), o.size() == null ? -1 : o.size());
      }
    };
  }

  @Override
  public InputStream open(ObjectRef ref) throws IOException {
    try {
      return s3.getObject(GetObjectRequest.builder().bucket(bucket).key(ref.key()).build());
    } catch (SdkException e) {
      throw new IOException("reading s3://" + bucket + "/" + ref.key() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String location() {
    return "s3://" + bucket + "/" + prefix;
  }
}
