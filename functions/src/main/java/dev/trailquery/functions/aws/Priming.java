package dev.trailquery.functions.aws;

import dev.trailquery.exec.Finisher;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Scan;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: before Lambda takes the snapshot of an initialised function, run the engine's
 * hot paths once — parse and plan every pack query, read a built-in CloudTrail file through each
 * plan, serialize, restore, merge and finish the partial states — so the restored function starts
 * with those classes loaded and initialised instead of paying for it on its first request. No
 * network, no AWS client: priming only touches built-in data.
 */
public final class Priming implements Resource {
  private static final Priming INSTANCE = new Priming();
  private static boolean registered;

  /** A small CloudTrail delivery file with the field shapes the seed queries read. */
  static final String SAMPLE =
      "{\"Records\":[{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\","
          + "\"arn\":\"arn:aws:iam::111122223333:user/alice\",\"userName\":\"alice\","
          + "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"userName\":\"Admin\"}}},"
          + "\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventSource\":\"signin.amazonaws.com\","
          + "\"eventName\":\"ConsoleLogin\",\"awsRegion\":\"us-east-1\","
          + "\"sourceIPAddress\":\"203.0.113.9\",\"userAgent\":\"Mozilla/5.0\","
          + "\"errorMessage\":\"Failed authentication\","
          + "\"requestParameters\":{\"bucketName\":\"b\",\"key\":\"k\"},"
          + "\"responseElements\":{\"ConsoleLogin\":\"Failure\"},"
          + "\"additionalEventData\":{\"MFAUsed\":\"No\"},"
          + "\"resources\":[{\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/k\"}],"
          + "\"eventType\":\"AwsConsoleSignIn\",\"readOnly\":false}]}";

  private Priming() {}

  /**
   * Registers priming with the CRaC/SnapStart runtime (once per process; a no-op elsewhere).
   * Returns whether this call registered it (false: it already was).
   */
  public static synchronized boolean register() {
    if (registered) {
      return false;
    }
    Core.getGlobalContext().register(INSTANCE);
    registered = true;
    return true;
  }

  /** The resource {@link #register} registers (tests send it a checkpoint). */
  static Resource resource() {
    return INSTANCE;
  }

  /** How many times this process primed (each checkpoint primes once). */
  static long primings() {
    return PRIMINGS.get();
  }

  private static final java.util.concurrent.atomic.AtomicLong PRIMINGS =
      new java.util.concurrent.atomic.AtomicLong();

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to restore: priming holds no connections or clocks.
  }

  /** Runs the hot paths once; returns the number of records read (one per pack query). */
  public static long prime() {
    PRIMINGS.incrementAndGet();
    long records = 0;
    byte[] sample = SAMPLE.getBytes(StandardCharsets.UTF_8);
    java.util.List<String> queries = new java.util.ArrayList<>();
    QueryPack.all().forEach(q -> queries.add(q.queryWithDefaults()));
    // The watch pack's metric filters and rules compile to queries too (filterPattern, series).
    var watch = dev.trailquery.pack.WatchPack.get();
    watch.metricFilters().forEach(f -> queries.add(f.filter().toQuery("5m")));
    watch
        .rules()
        .forEach(r -> queries.add(dev.trailquery.contributor.RuleCompiler.series(r.rule(), 300)));
    for (String query : queries) {
      Plan plan = Planner.plan(dev.trailquery.lang.Parser.parse(query), options());
      Scan scan = new Scan(plan);
      PartialState state = new PartialState(plan);
      state.objectRead(
          "prime.json",
          scan.scanStream(
              scan.newReader(), new ByteArrayInputStream(sample), "prime", "prime.json", state));
      try {
        PartialState copy = PartialState.fromBytes(plan, state.toBytes());
        copy.merge(new PartialState(plan));
        records += Finisher.finish(copy).statistics().recordsScanned();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return records;
  }

  private static Planner.Options options() {
    return new Planner.Options(Long.MIN_VALUE, Long.MAX_VALUE, 0, null);
  }
}
