package dev.trailquery.functions.catalog;

import dev.trailquery.functions.aws.S3ObjectSource;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket a trail writes to: {@code s3://bucket/[prefix/]AWSLogs/...}, listed through {@link
 * TrailLayout} (only the day prefixes of the range; never the whole bucket).
 */
public final class S3Catalog implements ObjectCatalog {
  private final S3Client s3;
  private final String bucket;
  private final String awsLogs;
  private final TrailLayout layout;
  private final S3ObjectSource source;

  /**
   * @param prefix the trail's S3 key prefix ("" when none); {@code AWSLogs/} follows it
   */
  public S3Catalog(S3Client s3, String bucket, String prefix, TrailLayout layout) {
    this.s3 = s3;
    this.bucket = bucket;
    String p = prefix == null ? "" : prefix;
    if (!p.isEmpty() && !p.endsWith("/")) {
      p += "/";
    }
    this.awsLogs = p + dev.trailquery.contract.Keys.AWS_LOGS;
    this.layout = layout;
    this.source = new S3ObjectSource(s3, bucket, awsLogs);
  }

  public String bucket() {
    return bucket;
  }

  @Override
  public ObjectSource source() {
    return source;
  }

  @Override
  public List<ObjectRef> list(Range range) throws IOException {
    return layout.list(new BucketTree(), awsLogs, range);
  }

  private final class BucketTree implements TrailLayout.Tree {
    @Override
    public String id() {
      return "s3://" + bucket + "/";
    }

    @Override
    public List<String> folders(String prefix) throws IOException {
      List<String> out = new ArrayList<>();
      try {
        ListObjectsV2Request req =
            ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).delimiter("/").build();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(req)) {
          for (CommonPrefix cp : page.commonPrefixes()) {
            String name = cp.prefix().substring(prefix.length());
            if (name.endsWith("/")) {
              name = name.substring(0, name.length() - 1);
            }
            out.add(name);
          }
        }
      } catch (SdkException e) {
        throw new IOException("listing s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
      }
      return out;
    }

    @Override
    public List<ObjectRef> objects(String prefix) throws IOException {
      List<ObjectRef> out = new ArrayList<>();
      try {
        ListObjectsV2Request req =
            ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
        for (S3Object o : s3.listObjectsV2Paginator(req).contents()) {
          out.add(new ObjectRef(bucket, o.key(), o.size() == null ? -1 : o.size()));
        }
      } catch (SdkException e) {
        throw new IOException("listing s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
      }
      return out;
    }
  }
}
