package dev.trailquery.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The stack's security and capacity settings (docs/DEPLOY.md, "Security model"), from CDK context
 * like the rest of {@link TrailqueryConfig}.
 *
 * @param ingestReservedConcurrency reserved concurrency of the ingest function; 0 = none
 * @param coordinatorReservedConcurrency of the coordinator (= the most queries running at once)
 * @param workerReservedConcurrency of the workers (at least {@code maxFanout}: one query's fan-out)
 * @param apiReservedConcurrency of the API function
 * @param queryRateLimit method throttle of {@code POST /queries}, requests per second
 * @param queryBurstLimit its burst
 * @param writeRateLimit method throttle of every PUT and DELETE route but {@code DELETE
 *     /queries/{id}}, requests per second
 * @param writeBurstLimit its burst
 * @param maxRunningQueriesPerCaller queries one principal may have running at once (429 past it); 0
 *     = no cap
 * @param maxRunningQueries queries all callers may have running at once; 0 = no cap
 * @param maxQueryRangeDays the longest time range of a query; 0 = no cap
 * @param callerAccounts the per-principal account allow-list (JSON, see the API's {@code
 *     AccountAccess}), or null
 * @param apiPrincipals principal ARN patterns (or 12-digit accounts) the API's resource policy lets
 *     call it; every other principal is denied. Empty: no such restriction
 * @param apiPrincipalTag {@code key=value}: the API's resource policy denies principals without
 *     this tag; null: no such restriction
 * @param apiSecurityPolicy the REST API's TLS security policy
 * @param trailArn the trail's ARN (or an ARN pattern): with {@code trailKmsKeyArn}, {@code
 *     kms:Decrypt} only for objects this trail encrypted ({@code
 *     kms:EncryptionContext:aws:cloudtrail:arn}); null: any trail
 * @param eventBridge deliver ObjectCreated through EventBridge (a rule on the bucket's events)
 *     instead of writing the bucket's notification configuration
 */
public record SecuritySettings(
    int ingestReservedConcurrency,
    int coordinatorReservedConcurrency,
    int workerReservedConcurrency,
    int apiReservedConcurrency,
    int queryRateLimit,
    int queryBurstLimit,
    int writeRateLimit,
    int writeBurstLimit,
    int maxRunningQueriesPerCaller,
    int maxRunningQueries,
    int maxQueryRangeDays,
    String callerAccounts,
    List<String> apiPrincipals,
    String apiPrincipalTag,
    String apiSecurityPolicy,
    String trailArn,
    boolean eventBridge) {

  /** TLS 1.3 and 1.2 only, on the regional endpoint. */
  public static final String DEFAULT_TLS_POLICY = "SecurityPolicy_TLS13_1_2_2021_06";

  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern ARN_PATTERN = Pattern.compile("arn:[a-z*-]+:(iam|sts)::[0-9*]+:.+");
  private static final Pattern TAG = Pattern.compile("[\\w.:/=+@-]{1,128}=[\\w.:/=+@ -]{0,256}");
  private static final Pattern TRAIL_ARN =
      Pattern.compile("arn:[a-z*-]+:cloudtrail:[a-z0-9*-]+:[0-9*]+:trail/.+");

  public SecuritySettings {
    apiPrincipals = List.copyOf(apiPrincipals);
    nonNegative("ingestReservedConcurrency", ingestReservedConcurrency);
    nonNegative("coordinatorReservedConcurrency", coordinatorReservedConcurrency);
    nonNegative("workerReservedConcurrency", workerReservedConcurrency);
    nonNegative("apiReservedConcurrency", apiReservedConcurrency);
    positive("queryRateLimit", queryRateLimit);
    positive("queryBurstLimit", queryBurstLimit);
    positive("writeRateLimit", writeRateLimit);
    positive("writeBurstLimit", writeBurstLimit);
    nonNegative("maxRunningQueriesPerCaller", maxRunningQueriesPerCaller);
    nonNegative("maxRunningQueries", maxRunningQueries);
    nonNegative("maxQueryRangeDays", maxQueryRangeDays);
    if (callerAccounts != null) {
      checkCallerAccounts(callerAccounts);
    }
    for (String p : apiPrincipals) {
      if (!ACCOUNT.matcher(p).matches() && !ARN_PATTERN.matcher(p).matches()) {
        throw new IllegalArgumentException(
            "apiPrincipals: a 12-digit account or an IAM/STS principal ARN (wildcards allowed),"
                + " got "
                + p);
      }
    }
    if (apiPrincipalTag != null && !TAG.matcher(apiPrincipalTag).matches()) {
      throw new IllegalArgumentException("apiPrincipalTag: key=value, got " + apiPrincipalTag);
    }
    if (apiSecurityPolicy == null || !apiSecurityPolicy.matches("TLS_1_2|SecurityPolicy_\\w+")) {
      throw new IllegalArgumentException(
          "apiSecurityPolicy: TLS_1_2 or an enhanced SecurityPolicy_..., got " + apiSecurityPolicy);
    }
    if (trailArn != null && !TRAIL_ARN.matcher(trailArn).matches()) {
      throw new IllegalArgumentException(
          "trailArn: arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME, got " + trailArn);
    }
  }

  /**
   * Reads every setting through {@code context}; reserved concurrencies default from the fan-out
   * and the ingest concurrency they must hold.
   */
  public static SecuritySettings from(
      Function<String, Object> context, int maxFanout, int ingestMaxConcurrency) {
    int coordinator = number(context, "coordinatorReservedConcurrency", 10);
    SecuritySettings s =
        new SecuritySettings(
            number(context, "ingestReservedConcurrency", ingestMaxConcurrency),
            coordinator,
            number(context, "workerReservedConcurrency", 2 * maxFanout),
            number(context, "apiReservedConcurrency", 0),
            number(context, "queryRateLimit", 2),
            number(context, "queryBurstLimit", 5),
            number(context, "writeRateLimit", 5),
            number(context, "writeBurstLimit", 10),
            number(context, "maxRunningQueriesPerCaller", 5),
            number(context, "maxRunningQueries", coordinator),
            number(context, "maxQueryRangeDays", 0),
            text(context, "callerAccounts"),
            list(context, "apiPrincipals"),
            text(context, "apiPrincipalTag"),
            orElse(text(context, "apiSecurityPolicy"), DEFAULT_TLS_POLICY),
            text(context, "trailArn"),
            bool(context, "eventBridge"));
    if (s.workerReservedConcurrency() > 0 && s.workerReservedConcurrency() < maxFanout) {
      throw new IllegalArgumentException(
          "workerReservedConcurrency ("
              + s.workerReservedConcurrency()
              + ") is below maxFanout ("
              + maxFanout
              + "): one query's workers would be throttled; raise it, lower maxFanout, or set 0");
    }
    if (s.ingestReservedConcurrency() > 0 && s.ingestReservedConcurrency() < ingestMaxConcurrency) {
      throw new IllegalArgumentException(
          "ingestReservedConcurrency ("
              + s.ingestReservedConcurrency()
              + ") is below ingestMaxConcurrency ("
              + ingestMaxConcurrency
              + "): SQS would be throttled; raise it or set 0");
    }
    if (s.coordinatorReservedConcurrency() > 0
        && (s.maxRunningQueries() == 0
            || s.maxRunningQueries() > s.coordinatorReservedConcurrency())) {
      throw new IllegalArgumentException(
          "maxRunningQueries ("
              + s.maxRunningQueries()
              + ") must be 1.."
              + s.coordinatorReservedConcurrency()
              + " with coordinatorReservedConcurrency "
              + s.coordinatorReservedConcurrency()
              + ": more queries than coordinators would wait throttled");
    }
    return s;
  }

  /** {@code key} of {@link #apiPrincipalTag}. */
  public String tagKey() {
    return apiPrincipalTag.substring(0, apiPrincipalTag.indexOf('='));
  }

  /** {@code value} of {@link #apiPrincipalTag}. */
  public String tagValue() {
    return apiPrincipalTag.substring(apiPrincipalTag.indexOf('=') + 1);
  }

  /** {@link #apiPrincipals} as {@code aws:PrincipalArn} patterns (an account: all of its). */
  public List<String> principalArnPatterns() {
    List<String> out = new ArrayList<>();
    for (String p : apiPrincipals) {
      out.add(ACCOUNT.matcher(p).matches() ? "arn:*:iam::" + p + ":*" : p);
    }
    return out;
  }

  private static void checkCallerAccounts(String json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("callerAccounts: not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "callerAccounts: a JSON object from principal ARN patterns to account lists or \"*\"");
    }
    for (var it = root.properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      JsonNode v = e.getValue();
      if (v.isTextual() && v.asText().equals("*")) {
        continue;
      }
      if (!v.isArray()) {
        throw new IllegalArgumentException(
            "callerAccounts: '" + e.getKey() + "' must map to a list of accounts or \"*\"");
      }
      for (JsonNode a : v) {
        if (!a.isTextual() || !(a.asText().equals("*") || ACCOUNT.matcher(a.asText()).matches())) {
          throw new IllegalArgumentException(
              "callerAccounts: '" + e.getKey() + "': not a 12-digit account: " + a);
        }
      }
    }
  }

  private static void nonNegative(String name, int v) {
    if (v < 0 || v > 10000) {
      throw new IllegalArgumentException(name + ": between 0 (none) and 10000, got " + v);
    }
  }

  private static void positive(String name, int v) {
    if (v < 1 || v > 10000) {
      throw new IllegalArgumentException(name + ": between 1 and 10000, got " + v);
    }
  }

  private static String orElse(String v, String dflt) {
    return v == null ? dflt : v;
  }

  private static String text(Function<String, Object> ctx, String key) {
    Object v = ctx.apply(key);
    if (v == null) {
      return null;
    }
    String s = v instanceof String str ? str : toJson(v);
    s = s.strip();
    return s.isEmpty() ? null : s;
  }

  /** Context values given in cdk.json may be JSON objects or lists, not strings. */
  private static String toJson(Object v) {
    try {
      return new ObjectMapper().writeValueAsString(v);
    } catch (Exception e) {
      return v.toString();
    }
  }

  private static List<String> list(Function<String, Object> ctx, String key) {
    Object v = ctx.apply(key);
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x).strip()));
    } else if (v != null) {
      for (String s : v.toString().split(",")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }

  private static int number(Function<String, Object> ctx, String key, int dflt) {
    String s = text(ctx, key);
    if (s == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": a whole number, got " + s);
    }
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
