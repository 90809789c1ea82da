package dev.trailquery.functions.ingest;

import dev.trailquery.functions.catalog.CloudTrailKeys;
import dev.trailquery.functions.store.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Evaluates new subscriptions over the objects already in the bucket. It writes bundles that hold
 * only these subscriptions (their own subscription set), so it never disturbs what the ingest
 * Lambda writes; an object that both write is still counted once (the reader uses one bundle per
 * object). Objects that arrive while it runs are either in its listing or processed by a Lambda
 * that already knows the subscriptions — provided the listing starts after the Lambdas' cache
 * expired ({@link #run} waits {@code cacheMillis} first).
 */
public final class Backfill {
  private Backfill() {}

  /** What a backfill did. */
  public record Report(long listed, long processed, long skipped, long records) {}

  /**
   * Where a trail with key prefix {@code trailPrefix} ("" or null: none) writes: {@code
   * [prefix/]AWSLogs/}. Backfills list only under it — the functions' {@code s3:ListBucket} grant
   * holds only for {@code s3:prefix} values under it, so listing the whole bucket is denied in AWS.
   */
  public static String logsPrefix(String trailPrefix) {
    String p = trailPrefix == null ? "" : trailPrefix.strip();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    if (!p.isEmpty() && !p.endsWith("/")) {
      p += "/";
    }
    return p + "AWSLogs/";
  }

  public static Report run(
      Ingestor ingestor,
      S3Client s3,
      String bucket,
      String prefix,
      List<Subscription> subs,
      long fromMillis,
      long waitMillis,
      int threads)
      throws InterruptedException {
    if (waitMillis > 0) {
      Thread.sleep(waitMillis);
    }
    String fromDay = MultiScan.day(fromMillis);
    List<S3Object> objects = new ArrayList<>();
    for (S3Object o :
        s3.listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(logsPrefix(prefix)).build())
            .contents()) {
      if (!CloudTrailKeys.isLog(o.key())) {
        continue;
      }
      // Delivery is at or after the events; an object delivered before the start holds none.
      String day = CloudTrailKeys.day(o.key());
      if (day == null || day.compareTo(fromDay) >= 0) {
        objects.add(o);
      }
    }
    AtomicLong processed = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    AtomicLong records = new AtomicLong();
    try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads))) {
      List<Future<?>> futures = new ArrayList<>();
      for (S3Object o : objects) {
        futures.add(
            pool.submit(
                () -> {
                  Ingestor.Report r = ingestor.process(bucket, o.key(), o.size(), subs);
                  switch (r.status()) {
                    case OK -> {
                      processed.incrementAndGet();
                      records.addAndGet(r.records());
                    }
                    case SKIPPED -> skipped.incrementAndGet();
                    default -> {}
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new IllegalStateException(e.getCause());
    }
    return new Report(objects.size(), processed.get(), skipped.get(), records.get());
  }
}
