package dev.trailquery.functions.blocks;

import dev.trailquery.contract.Env;
import dev.trailquery.functions.catalog.ObjectCatalog;
import dev.trailquery.store.ObjectSource;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;

/** Wires compacted blocks into the query path when {@code TRAILQUERY_BLOCKS_BUCKET} is set. */
public final class Blocks {
  private Blocks() {}

  /** The blocks of the environment, or null when none are configured. */
  public static S3BlockStore store(S3Client s3, Function<String, String> env) {
    String bucket = Env.BLOCKS_BUCKET.get(env);
    if (bucket == null || bucket.isBlank()) {
      return null;
    }
    return new S3BlockStore(s3, bucket, Env.BLOCKS_PREFIX.get(env));
  }

  /** {@code raw}, answering from blocks where they exist when blocks are configured. */
  public static ObjectCatalog catalog(
      ObjectCatalog raw, S3Client s3, Function<String, String> env) {
    S3BlockStore store = store(s3, env);
    return store == null ? raw : new BlockCatalog(raw, store);
  }

  /** A worker's source: {@code raw}, plus the blocks' chunk runs when blocks are configured. */
  public static ObjectSource source(ObjectSource raw, S3Client s3, Function<String, String> env) {
    S3BlockStore store = store(s3, env);
    return store == null ? raw : new BlockSource(raw, store);
  }
}
