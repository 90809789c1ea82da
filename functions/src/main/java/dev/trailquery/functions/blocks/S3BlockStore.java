package dev.trailquery.functions.blocks;

import dev.trailquery.blocks.BlockStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blocks under a prefix of the stack's own bucket ({@code s3://bucket/blocks/}), never the trail's
 * prefix. A chunk run is one ranged GET; a manifest one GET; a day of manifests one LIST.
 */
public final class S3BlockStore implements BlockStore {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  /**
   * @param prefix the blocks prefix, empty or ending in {@code /}
   */
  public S3BlockStore(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix =
        prefix == null || prefix.isEmpty() || prefix.endsWith("/") ? nz(prefix) : prefix + "/";
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /** Parses {@code s3://bucket/prefix}; null when {@code url} is not an s3 URL. */
  public static S3BlockStore parse(S3Client s3, String url) {
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
    return new S3BlockStore(s3, bucket, prefix);
  }

  @Override
  public List<String> list(String p) throws IOException {
    List<String> out = new ArrayList<>();
    try {
      ListObjectsV2Request req =
          ListObjectsV2Request.builder().bucket(bucket).prefix(prefix + p).build();
      for (S3Object o : s3.listObjectsV2Paginator(req).contents()) {
        out.add(o.key().substring(prefix.length()));
      }
    } catch (SdkException e) {
      throw new IOException("listing " + location() + p + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public byte[] read(String name) throws IOException {
    try {
      return s3.getObjectAsBytes(
              GetObjectRequest.builder().bucket(bucket).key(prefix + name).build())
          .asByteArray();
    } catch (NoSuchKeyException e) {
      return null;
    } catch (SdkException e) {
      throw new IOException("reading " + location() + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public InputStream openRange(String name, long offset, long length) throws IOException {
    try {
      return s3.getObject(
          GetObjectRequest.builder()
              .bucket(bucket)
              .key(prefix + name)
              .range("bytes=" + offset + "-" + (offset + length - 1))
              .build());
    } catch (SdkException e) {
      throw new IOException("reading " + location() + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(String name, byte[] bytes) throws IOException {
    try {
      s3.putObject(
          PutObjectRequest.builder().bucket(bucket).key(prefix + name).build(),
          RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw new IOException("writing " + location() + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String name) throws IOException {
    try {
      s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(prefix + name).build());
    } catch (SdkException e) {
      throw new IOException("deleting " + location() + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String location() {
    return "s3://" + bucket + "/" + prefix;
  }
}
