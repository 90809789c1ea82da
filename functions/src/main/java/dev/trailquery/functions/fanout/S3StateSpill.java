package dev.trailquery.functions.fanout;

import java.io.IOException;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Spilled partial states as objects {@code <prefix>spill/<uuid>.state} of the results bucket: the
 * worker puts, the coordinator gets and deletes. The bucket's lifecycle rule on the results prefix
 * (7 days) removes a state whose coordinator died before taking it.
 */
public final class S3StateSpill implements StateSpill {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  public S3StateSpill(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = (prefix == null ? "" : prefix) + "spill/";
  }

  @Override
  public String put(byte[] state) throws IOException {
    String key = prefix + UUID.randomUUID() + ".state";
    try {
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(state));
    } catch (S3Exception e) {
      throw new IOException("could not spill a partial state to s3://" + bucket + "/" + key, e);
    }
    return key;
  }

  @Override
  public byte[] take(String key) throws IOException {
    if (!key.startsWith(prefix)) {
      throw new IOException("not a spilled state: " + key);
    }
    byte[] state;
    try {
      state = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    } catch (S3Exception e) {
      throw new IOException("could not read the spilled state s3://" + bucket + "/" + key, e);
    }
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (S3Exception e) {
      // the lifecycle rule removes it later; the state was read
    }
    return state;
  }
}
