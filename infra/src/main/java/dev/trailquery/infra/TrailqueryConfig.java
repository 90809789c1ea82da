package dev.trailquery.infra;

import dev.trailquery.contract.Keys;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The stack's settings, from CDK context ({@code cdk deploy -c trailBucket=my-trail-bucket}); the
 * README and docs/DEPLOY.md list them. Without {@code trailBucket} the stack creates a demo trail
 * and its bucket.
 *
 * @param trailBucket the existing bucket the trail writes to, or null for a demo trail
 * @param trailPrefix the trail's S3 key prefix ("" when none; {@code AWSLogs/} follows it)
 * @param trailKmsKeyArn the KMS key the trail's objects are encrypted with (SSE-KMS), or null
 * @param aggregateRetentionDays default retention of subscription results (DynamoDB TTL)
 * @param ingestMemoryMb ingest function memory
 * @param apiMemoryMb API function memory
 * @param coordinatorMemoryMb coordinator function memory
 * @param workerMemoryMb worker function memory
 * @param maxFanout worker invocations in flight per query
 * @param ingestMaxConcurrency SQS event source: ingest invocations in flight at most
 * @param logRetentionDays function and API access log retention
 * @param apiRateLimit API stage steady-state requests per second
 * @param apiBurstLimit API stage burst
 * @param alarmEmail an address subscribed to the alarm topic, or null
 * @param createApiGatewayLogsRole create the region's API Gateway CloudWatch Logs role (account
 *     setting; only where none is set yet)
 * @param local a template for {@code sam local}: every function also declares the local endpoint
 *     variables ({@link dev.trailquery.contract.Env#LOCAL_ENDPOINTS}, empty), so that SAM's {@code
 *     --env-vars} can set them ({@code -c local=true}; never deploy it)
 * @param architecture the functions' architecture: {@code arm64} (deployed), or {@code x86_64} for
 *     {@code sam local} on an x86_64 host without QEMU ({@code -c architecture=x86_64})
 * @param security caps, access and TLS settings ({@link SecuritySettings})
 */
public record TrailqueryConfig(
    String trailBucket,
    String trailPrefix,
    String trailKmsKeyArn,
    int aggregateRetentionDays,
    int ingestMemoryMb,
    int apiMemoryMb,
    int coordinatorMemoryMb,
    int workerMemoryMb,
    int maxFanout,
    int ingestMaxConcurrency,
    int logRetentionDays,
    int apiRateLimit,
    int apiBurstLimit,
    String alarmEmail,
    boolean createApiGatewayLogsRole,
    boolean local,
    String architecture,
    SecuritySettings security) {

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern KMS_KEY_ARN =
      Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-fA-F-]{36}");

  public TrailqueryConfig {
    if (trailBucket != null && !BUCKET.matcher(trailBucket).matches()) {
      throw new IllegalArgumentException("trailBucket: not an S3 bucket name: " + trailBucket);
    }
    trailPrefix = normalizePrefix(trailPrefix);
    if (trailKmsKeyArn != null && !KMS_KEY_ARN.matcher(trailKmsKeyArn).matches()) {
      throw new IllegalArgumentException(
          "trailKmsKeyArn: expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID, got " + trailKmsKeyArn);
    }
    if (trailBucket == null && (!trailPrefix.isEmpty() || trailKmsKeyArn != null)) {
      throw new IllegalArgumentException(
          "trailPrefix and trailKmsKeyArn describe an existing trail: set trailBucket too");
    }
    range("aggregateRetentionDays", aggregateRetentionDays, 1, 3660);
    range("ingestMemory", ingestMemoryMb, 256, 10240);
    range("apiMemory", apiMemoryMb, 256, 10240);
    range("coordinatorMemory", coordinatorMemoryMb, 256, 10240);
    range("workerMemory", workerMemoryMb, 256, 10240);
    range("maxFanout", maxFanout, 1, 1000);
    range("ingestMaxConcurrency", ingestMaxConcurrency, 2, 1000);
    if (!Logs.RETENTION.containsKey(logRetentionDays)) {
      throw new IllegalArgumentException(
          "logRetentionDays: one of " + Logs.RETENTION.keySet() + ", got " + logRetentionDays);
    }
    range("apiRateLimit", apiRateLimit, 1, 10000);
    range("apiBurstLimit", apiBurstLimit, 1, 5000);
    architecture = architecture == null ? "arm64" : architecture;
    if (!architecture.equals("arm64") && !architecture.equals("x86_64")) {
      throw new IllegalArgumentException("architecture: arm64 or x86_64, got " + architecture);
    }
  }

  /** Defaults: a demo trail. */
  public static TrailqueryConfig defaults() {
    return from(k -> null);
  }

  /** Reads every setting through {@code context} (a CDK node's {@code tryGetContext}). */
  public static TrailqueryConfig from(Function<String, Object> context) {
    int maxFanout = number(context, "maxFanout", 64);
    int ingestMaxConcurrency = number(context, "ingestMaxConcurrency", 10);
    return new TrailqueryConfig(
        text(context, "trailBucket"),
        text(context, "trailPrefix"),
        text(context, "trailKmsKeyArn"),
        number(context, "aggregateRetentionDays", 400),
        number(context, "ingestMemory", 1024),
        number(context, "apiMemory", 512),
        number(context, "coordinatorMemory", 1024),
        number(context, "workerMemory", 1769),
        maxFanout,
        ingestMaxConcurrency,
        number(context, "logRetentionDays", 30),
        number(context, "apiRateLimit", 20),
        number(context, "apiBurstLimit", 40),
        text(context, "alarmEmail"),
        bool(context, "createApiGatewayLogsRole"),
        bool(context, "local"),
        text(context, "architecture"),
        SecuritySettings.from(context, maxFanout, ingestMaxConcurrency));
  }

  /** Settings from a map (tests). */
  public static TrailqueryConfig from(Map<String, ?> context) {
    return from(context::get);
  }

  public boolean demoTrail() {
    return trailBucket == null;
  }

  /** {@code [prefix/]AWSLogs/}: every key the functions may read starts with it. */
  public String logsPrefix() {
    return trailPrefix + Keys.AWS_LOGS;
  }

  private static String normalizePrefix(String p) {
    if (p == null || p.isBlank()) {
      return "";
    }
    String s = p.strip();
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    if (s.contains("*") || s.contains("?")) {
      throw new IllegalArgumentException("trailPrefix: no wildcards, got " + p);
    }
    return s.isEmpty() || s.endsWith("/") ? s : s + "/";
  }

  private static void range(String name, int v, int min, int max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + ": between " + min + " and " + max + ", got " + v);
    }
  }

  private static String text(Function<String, Object> ctx, String key) {
    Object v = ctx.apply(key);
    if (v == null) {
      return null;
    }
    String s = v.toString().strip();
    return s.isEmpty() ? null : s;
  }

  private static int number(Function<String, Object> ctx, String key, int dflt) {
    String s = text(ctx, key);
    if (s == null) {
      return dflt;
    }
    try {
      return (int) Double.parseDouble(s) == Double.parseDouble(s)
          ? (int) Double.parseDouble(s)
          : fail(key, s);
    } catch (NumberFormatException e) {
      return fail(key, s);
    }
  }

  private static int fail(String key, String s) {
    throw new IllegalArgumentException(key + ": a whole number, got " + s);
  }

  private static boolean bool(Function<String, Object> ctx, String key) {
    String s = text(ctx, key);
    if (s == null) {
      return false;
    }
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key + ": true or false, got " + s);
    };
  }
}
