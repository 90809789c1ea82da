package dev.trailquery.functions.query;

import java.util.Map;

/**
 * Caps on queries, checked when one starts ({@code POST /queries} answers 429 {@code
 * TooManyRunningQueries} past them) and configured by the stack (docs/DEPLOY.md, "Security model"):
 *
 * @param perCaller queries one principal ({@link Caller#principal()}) may have Scheduled or Running
 *     at once; 0 = no cap
 * @param total queries all callers together may have Scheduled or Running at once; 0 = no cap
 * @param maxRangeDays the longest time range a query may cover, in days; 0 = no cap
 * @param staleMillis a query older than this still marked Running is not counted (its coordinator
 *     died; it can run no longer than the coordinator's timeout)
 */
public record QueryLimits(int perCaller, int total, int maxRangeDays, long staleMillis) {
  public static final String ENV_PER_CALLER =
      dev.trailquery.contract.Env.MAX_RUNNING_QUERIES_PER_CALLER.var();
  public static final String ENV_TOTAL = dev.trailquery.contract.Env.MAX_RUNNING_QUERIES.var();
  public static final String ENV_MAX_RANGE_DAYS =
      dev.trailquery.contract.Env.MAX_QUERY_RANGE_DAYS.var();

  /** Defaults in AWS when the environment does not say. */
  public static final int DEFAULT_PER_CALLER = 5;

  /** No caps ({@code serve} over local files). */
  public static final QueryLimits NONE = new QueryLimits(0, 0, 0, 0);

  public QueryLimits {
    if (perCaller < 0 || total < 0 || maxRangeDays < 0 || staleMillis < 0) {
      throw new IllegalArgumentException("query limits are 0 (none) or positive");
    }
  }

  /**
   * From the environment: {@value #ENV_PER_CALLER} (default {@value #DEFAULT_PER_CALLER}), {@value
   * #ENV_TOTAL} (default 0), {@value #ENV_MAX_RANGE_DAYS} (default 0); queries stale a minute after
   * {@code queryTimeoutSeconds}.
   */
  public static QueryLimits fromEnv(Map<String, String> env, long queryTimeoutSeconds) {
    return new QueryLimits(
        number(env, ENV_PER_CALLER, DEFAULT_PER_CALLER),
        number(env, ENV_TOTAL, 0),
        number(env, ENV_MAX_RANGE_DAYS, 0),
        (queryTimeoutSeconds + 60) * 1000);
  }

  public boolean any() {
    return perCaller > 0 || total > 0;
  }

  private static int number(Map<String, String> env, String name, int dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalStateException(name + " must be 0 (no cap) or a positive whole number");
    }
  }
}
