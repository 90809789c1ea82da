package dev.trailquery.functions.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Lookup tables as S3 objects {@code <prefix><name>.csv} (the stack: the results bucket). */
public final class S3LookupTableStore implements LookupTableStore {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  public S3LookupTableStore(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  private String key(String name) {
    return prefix + name + ".csv";
  }

  @Override
  public void put(String name, byte[] csv, long lastModified) {
    s3.putObject(
        b -> b.bucket(bucket).key(key(name)).contentType("text/csv; charset=utf-8"),
        RequestBody.fromBytes(csv));
  }

  @Override
  public Optional<Stored> get(String name) {
    try {
      var r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(name)));
      return Optional.of(
          new Stored(name, r.asByteArray(), r.response().lastModified().toEpochMilli()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean delete(String name) {
    if (get(name).isEmpty()) {
      return false;
    }
    s3.deleteObject(b -> b.bucket(bucket).key(key(name)));
    return true;
  }

  @Override
  public List<Stored> list() {
    List<Stored> out = new ArrayList<>();
    for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
      for (S3Object o : page.contents()) {
        String k = o.key();
        if (k.endsWith(".csv") && k.indexOf('/', prefix.length()) < 0) {
          out.add(
              new Stored(
                  k.substring(prefix.length(), k.length() - 4),
                  new byte[0],
                  o.lastModified().toEpochMilli()));
        }
      }
    }
    return out;
  }
}
