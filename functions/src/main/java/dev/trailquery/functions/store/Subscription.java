package dev.trailquery.functions.store;

import dev.trailquery.Trailquery;
import dev.trailquery.lang.Parser;
import dev.trailquery.lang.ast.Command;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.lang.ast.Projection;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.value.Periods;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A saved query kept up to date by the ingest Lambda.
 *
 * @param name the user's name for it (the subscriptions table's key)
 * @param id identifies this exact definition (name, query, bin, topN, creation time); partial
 *     states in the results table are stored under it, so re-subscribing a name with another query
 *     never mixes states of two queries
 * @param query the Logs Insights query
 * @param bin the time bin results are kept in ({@code 1h}, {@code 5m}, {@code 1d}, ...)
 * @param topN for non-aggregating queries, the matching rows kept per bin (newest first, or under
 *     the query's sort)
 * @param retentionDays bins older than this many days are not returned and may expire (TTL); 0 =
 *     kept forever
 * @param createdMillis when it was created
 * @param backfillFromMillis the start of the backfill asked for at creation, or null
 */
public record Subscription(
    String name,
    String id,
    String query,
    String bin,
    int topN,
    int retentionDays,
    long createdMillis,
    Long backfillFromMillis) {

  public static final String DEFAULT_BIN = "1h";
  public static final int DEFAULT_TOP_N = 100;

  private static final Pattern PERIOD = Pattern.compile("(\\d+)\\s*([a-zA-Z]+)");

  /**
   * A new subscription. The bin is the query's own {@code bin(X)} in its first {@code stats ...
   * by}, else {@code requestedBin}, else 1h. Throws {@link dev.trailquery.lang.QueryException} when
   * the query is invalid and {@link IllegalArgumentException} for a bad bin.
   */
  public static Subscription create(
      String name,
      String query,
      String requestedBin,
      Integer topN,
      Integer retentionDays,
      long nowMillis,
      Long backfillFromMillis) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
      throw new IllegalArgumentException(
          "a subscription name is 1-128 letters, digits, '.', '_' or '-': " + name);
    }
    Query q = Parser.parse(query);
    String queryBin = queryBin(q);
    String bin = queryBin != null ? queryBin : requestedBin != null ? requestedBin : DEFAULT_BIN;
    period(bin); // validates
    int n = topN == null ? DEFAULT_TOP_N : topN;
    if (n < 1 || n > 10_000) {
      throw new IllegalArgumentException("the rows kept per bin must be 1..10000: " + n);
    }
    int retention = retentionDays == null ? 0 : retentionDays;
    String id =
        hash(name + "\u0000" + query + "\u0000" + bin + "\u0000" + n + "\u0000" + nowMillis)
            .substring(0, 12);
    Subscription s =
        new Subscription(name, id, query, bin, n, retention, nowMillis, backfillFromMillis);
    s.plan(); // validates the plan too
    return s;
  }

  /** The {@code X} of the first {@code stats ... by bin(X)}, as written, or null. */
  static String queryBin(Query q) {
    for (Command c : q.commands()) {
      if (c instanceof Command.Stats s) {
        for (Projection p : s.groupBy()) {
          if (p.expr() instanceof Expr.Call call
              && call.name().equalsIgnoreCase("bin")
              && call.args().size() == 1
              && call.args().getFirst() instanceof Expr.PeriodLit lit) {
            double a = lit.amount();
            return (a == Math.rint(a) ? Long.toString((long) a) : Double.toString(a)) + lit.unit();
          }
        }
        return null;
      }
    }
    return null;
  }

  /** Parses a bin such as {@code 1h}, {@code 5m}, {@code 1d}, {@code 1w}, {@code 1mo}. */
  public static Periods period(String bin) {
    Matcher m = PERIOD.matcher(bin == null ? "" : bin.trim());
    Periods p = m.matches() ? Periods.of(Long.parseLong(m.group(1)), m.group(2)) : null;
    if (p == null) {
      throw new IllegalArgumentException(
          "not a time bin: '" + bin + "' (expected e.g. 5m, 1h, 1d, 1w, 1mo)");
    }
    return p;
  }

  public Periods period() {
    return period(bin);
  }

  /**
   * The plan the ingest path evaluates and the reader finishes with. Non-aggregating queries keep
   * {@link #topN} rows per partial state; aggregating ones use the query's own limits. Both sides
   * compile the same way, so partial states always match (the plan fingerprint checks it).
   */
  public Plan plan() {
    Plan p =
        Trailquery.compile(
            query,
            new Planner.Options(
                Long.MIN_VALUE, Long.MAX_VALUE, System.currentTimeMillis(), (long) topN));
    if (p.isAggregate()) {
      p =
          Trailquery.compile(
              query,
              new Planner.Options(
                  Long.MIN_VALUE, Long.MAX_VALUE, System.currentTimeMillis(), null));
    }
    return p;
  }

  public String describeKind() {
    return plan().isAggregate() ? "stats" : "rows (latest " + topN + " per bin)";
  }

  static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).toLowerCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
