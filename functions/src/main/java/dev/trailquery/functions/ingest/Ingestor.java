package dev.trailquery.functions.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.functions.alarm.AlarmEvaluator;
import dev.trailquery.functions.catalog.CloudTrailKeys;
import dev.trailquery.functions.store.Bundle;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.sealing.SealedStore;
import dev.trailquery.functions.store.sealing.Slots;
import dev.trailquery.json.Mappers;
import dev.trailquery.read.ObjectResult;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Processes one object for a set of subscriptions: one read, one bundle per UTC day written
 * idempotently, or — when the object is corrupt, truncated or not CloudTrail — nothing but a
 * skipped-object record. Throws on transient errors (S3, DynamoDB, network) so the message is
 * retried.
 */
public final class Ingestor {
  private static final ObjectMapper JSON = Mappers.MAPPER;

  /** What happened to one object. */
  public enum Status {
    /** Read to its end; its bundles are stored. */
    OK,
    /** Not a CloudTrail log key, an empty placeholder or a digest: nothing to do, not logged. */
    IGNORED,
    /** Corrupt, truncated, too large, not CloudTrail or gone: stored nowhere, counted. */
    SKIPPED,
    /** No subscriptions exist. */
    NO_SUBSCRIPTIONS
  }

  /** One object's outcome (what the log line says). */
  public record Report(
      String bucket,
      String key,
      Status status,
      String reason,
      long records,
      long bytes,
      long millis,
      int subscriptions,
      long writeUnits,
      long delayMillis) {}

  private final S3Client s3;
  private final SubscriptionStore subscriptions;
  private final ResultStore results;
  private final IngestConfig config;
  private final LongSupplier clock;
  private final SealedStore sealing;
  private final Map<String, MultiScan> scans = new ConcurrentHashMap<>();
  private volatile AlarmEvaluator alarms;

  public Ingestor(
      S3Client s3,
      SubscriptionStore subscriptions,
      ResultStore results,
      IngestConfig config,
      LongSupplier clock) {
    this.s3 = s3;
    this.subscriptions = subscriptions;
    this.results = results;
    this.config = config;
    this.clock = clock;
    this.sealing = new SealedStore(results);
  }

  /**
   * Evaluates alarms after each object of the live path ({@link #process(String, String, long)});
   * null turns them off. Backfills never evaluate alarms.
   */
  public Ingestor withAlarms(AlarmEvaluator alarms) {
    this.alarms = alarms;
    return this;
  }

  public AlarmEvaluator alarms() {
    return alarms;
  }

  public SubscriptionStore subscriptions() {
    return subscriptions;
  }

  public ResultStore results() {
    return results;
  }

  /**
   * Processes an object for every current subscription (cached briefly), then evaluates the alarms
   * of the subscriptions whose bins it fed.
   */
  public Report process(String bucket, String key, long size) {
    return process(bucket, key, size, subscriptions.cachedList(), alarms);
  }

  /** Processes an object for the given subscriptions (no alarms are evaluated). */
  public Report process(String bucket, String key, long size, List<Subscription> subs) {
    return process(bucket, key, size, subs, null);
  }

  private Report process(
      String bucket, String key, long size, List<Subscription> subs, AlarmEvaluator alarms) {
    long started = System.nanoTime();
    if (!CloudTrailKeys.isLog(key) || size == 0) {
      return new Report(
          bucket,
          key,
          Status.IGNORED,
          size == 0 ? "empty" : "not a CloudTrail log key",
          0,
          0,
          0,
          0,
          0,
          -1);
    }
    if (subs.isEmpty()) {
      return log(
          new Report(bucket, key, Status.NO_SUBSCRIPTIONS, null, 0, 0, ms(started), 0, 0, -1));
    }
    List<String> ids = subs.stream().map(Subscription::id).toList();
    String setId = ResultStore.setId(ids);
    MultiScan scan = scans.computeIfAbsent(setId, k -> newScan(subs));
    String objectId = ResultStore.objectId(bucket, key);
    MultiScan.Outcome outcome;
    try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      outcome = scan.scan(in, bucket, key);
    } catch (NoSuchKeyException gone) {
      return skipped(
          bucket, key, objectId, "MISSING", "the object no longer exists", 0, started, subs.size());
    } catch (java.io.IOException e) {
      throw new UncheckedIOException("reading s3://" + bucket + "/" + key, e);
    }
    ObjectResult r = outcome.result();
    switch (r.status()) {
      case EMPTY, DIGEST -> {
        return new Report(
            bucket,
            key,
            Status.IGNORED,
            r.status().name().toLowerCase(),
            0,
            r.bytesDecoded(),
            ms(started),
            0,
            0,
            -1);
      }
      case FOREIGN, CORRUPT, TOO_LARGE -> {
        return skipped(
            bucket, key, objectId, r.status().name(), r.error(), r.records(), started, subs.size());
      }
      case OK, OVERSIZED_RECORDS -> {
        // stored below (records over the record limit were skipped, the same for every query)
      }
    }
    Long retention = retentionSeconds(subs);
    long now = clock.getAsLong();
    long units = 0;
    Map<String, Long> ttlByDay = new java.util.HashMap<>();
    Long longest = null;
    for (String day : outcome.days().keySet()) {
      Long itemTtl =
          retention == null ? null : Math.max(now / 1000, dayEndSeconds(day)) + retention;
      ttlByDay.put(day, itemTtl);
      if (itemTtl != null) {
        longest = longest == null ? itemTtl : Long.valueOf(Math.max(longest, itemTtl));
      }
    }
    // One bundle per object, stored by delivery slot (docs/INGEST.md, "Sealing").
    long natural = Slots.naturalSlot(key);
    Long lateSlot = null;
    String pk;
    Long ttl;
    long sealedThrough = sealing.cachedProgress(config.cacheMillis());
    if (Slots.natural(natural, now, sealedThrough)) {
      pk = Slots.naturalPk(natural, Slots.shard(objectId));
      units += sealing.mark(natural, null);
      long keep = (natural + Slots.SLOT_MILLIS) / 1000 + Slots.KEEP_DELTAS_SECONDS;
      ttl = longest == null ? Long.valueOf(keep) : Long.valueOf(Math.min(keep, longest));
    } else {
      // the current slot, or the first unsealed one when sealing ran ahead (seal --now)
      lateSlot = Math.max(Slots.slot(now), sealedThrough + Slots.SLOT_MILLIS);
      pk = Slots.latePk(natural);
      units += sealing.mark(lateSlot, natural);
      ttl = retention == null ? null : longest;
    }
    units +=
        results.writeBundle(
            pk, objectId, setId, key, merge(outcome.days().values()).encode(), ttl, lateSlot);
    if (alarms != null) {
      // Part of the ingest (throws on error: the message is retried); then judged (never throws).
      units += alarms.index(objectId, subs, outcome.days(), ttlByDay);
      alarms.afterObject(subs, outcome.days()); // never throws: the object is stored
    }
    long delay =
        outcome.maxEventMillis() == Long.MIN_VALUE
            ? -1
            : clock.getAsLong() - outcome.maxEventMillis();
    return log(
        new Report(
            bucket,
            key,
            Status.OK,
            r.status() == ObjectResult.Status.OVERSIZED_RECORDS ? r.error() : null,
            r.records(),
            r.bytesDecoded(),
            ms(started),
            subs.size(),
            units,
            delay));
  }

  /** One object's bundles of several days as one (bins and states are keyed by bin start). */
  static Bundle merge(java.util.Collection<Bundle> days) {
    if (days.size() == 1) {
      return days.iterator().next();
    }
    Bundle out = new Bundle();
    for (Bundle b : days) {
      out.records += b.records;
      out.bytes = b.bytes;
      b.histograms.forEach(
          (bin, h) ->
              out.histograms.computeIfAbsent(bin, k -> new java.util.TreeMap<>()).putAll(h));
      b.states.forEach(
          (id, st) -> out.states.computeIfAbsent(id, k -> new java.util.TreeMap<>()).putAll(st));
    }
    return out;
  }

  private MultiScan newScan(List<Subscription> subs) {
    if (scans.size() > 32) {
      scans.clear();
    }
    List<MultiScan.Target> targets = new ArrayList<>();
    for (Subscription s : subs) {
      targets.add(MultiScan.Target.of(s));
    }
    return new MultiScan(targets, config.maxDecodedBytes());
  }

  private Report skipped(
      String bucket,
      String key,
      String objectId,
      String status,
      String error,
      long records,
      long started,
      int subs) {
    String day = CloudTrailKeys.day(key);
    if (day == null) {
      day = MultiScan.day(clock.getAsLong());
    }
    boolean first = results.recordSkipped(day, objectId, key, status, error, null);
    Report report =
        new Report(
            bucket,
            key,
            Status.SKIPPED,
            status + (error == null ? "" : ": " + error),
            records,
            0,
            ms(started),
            subs,
            1,
            -1);
    if (first) {
      log(report); // logged once per object, however often it is delivered
    }
    return report;
  }

  /** The longest retention of the subscriptions in seconds, or null when one keeps forever. */
  private static Long retentionSeconds(List<Subscription> subs) {
    int max = 0;
    for (Subscription s : subs) {
      if (s.retentionDays() <= 0) {
        return null;
      }
      max = Math.max(max, s.retentionDays());
    }
    return max * 86_400L;
  }

  private static long dayEndSeconds(String day) {
    return LocalDate.parse(day).plusDays(1).toEpochDay() * 86_400L;
  }

  private static long ms(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** One structured JSON line per object. */
  private Report log(Report r) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("level", r.status() == Status.SKIPPED ? "WARN" : "INFO");
    line.put("message", "object " + r.status().name().toLowerCase());
    line.put("bucket", r.bucket());
    line.put("key", r.key());
    line.put("status", r.status().name());
    if (r.reason() != null) {
      line.put("reason", r.reason());
    }
    line.put("records", r.records());
    line.put("bytes", r.bytes());
    line.put("ms", r.millis());
    line.put("subscriptionsUpdated", r.status() == Status.OK ? r.subscriptions() : 0);
    line.put("writeUnits", r.writeUnits());
    if (r.delayMillis() >= 0) {
      line.put("delayMs", r.delayMillis());
    }
    try {
      config.log().println(JSON.writeValueAsString(line));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return r;
  }
}
