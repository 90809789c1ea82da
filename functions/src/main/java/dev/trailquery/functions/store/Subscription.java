package dev.trailquery.functions.store;

import dev.trailquery.Trailquery;
import dev.trailquery.contributor.ContributorRule;
import dev.trailquery.contributor.RuleCompiler;
import dev.trailquery.contributor.RuleParser;
import dev.trailquery.json.Mappers;
import dev.trailquery.lang.Parser;
import dev.trailquery.lang.ast.Command;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.lang.ast.Projection;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.lookup.LookupTable;
import dev.trailquery.metricfilter.MetricFilter;
import dev.trailquery.metricfilter.MetricFilterJson;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.value.Periods;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * @param type what the user gave: {@value #QUERY} (a Logs Insights query), {@value #METRIC_FILTER}
 *     (a CloudWatch metric filter) or {@value #CONTRIBUTOR_RULE} (a Contributor Insights rule); the
 *     last two are compiled into {@code query}, which is what the ingest path evaluates
 * @param definition for a metric filter its PutMetricFilter JSON, for a rule the rule's JSON; null
 *     for a query
 * @param lookups the lookup tables the query's {@code lookup} commands use, pinned at creation
 *     ({@link LookupPin}): the subscription evaluates with exactly these versions until it is
 *     replaced (docs/LANGUAGE.md, "Lookup tables in subscriptions")
 */
public record Subscription(
    String name,
    String id,
    String query,
    String bin,
    int topN,
    int retentionDays,
    long createdMillis,
    Long backfillFromMillis,
    String type,
    String definition,
    List<LookupPin> lookups) {

  public static final String QUERY = "query";
  public static final String METRIC_FILTER = "metricFilter";
  public static final String CONTRIBUTOR_RULE = "contributorRule";

  /** The bin of metric-filter and rule subscriptions when none is asked for (CIS alarm period). */
  public static final String DEFAULT_WATCH_BIN = "5m";

  public Subscription {
    type = type == null ? QUERY : type;
    lookups = lookups == null ? List.of() : List.copyOf(lookups);
  }

  /** A subscription without lookup tables. */
  public Subscription(
      String name,
      String id,
      String query,
      String bin,
      int topN,
      int retentionDays,
      long createdMillis,
      Long backfillFromMillis,
      String type,
      String definition) {
    this(
        name,
        id,
        query,
        bin,
        topN,
        retentionDays,
        createdMillis,
        backfillFromMillis,
        type,
        definition,
        List.of());
  }

  /**
   * A lookup table a subscription evaluates with: its name and version (the hash of its content),
   * and its content where the store could load it (null otherwise: {@link #plan()} then says so).
   * Two pins are equal when name and version are.
   */
  public record LookupPin(String name, String version, LookupTable table) {
    public static LookupPin of(LookupTable t) {
      return new LookupPin(t.name(), t.version(), t);
    }

    /** {@code name@version}. */
    public String ref() {
      return name + "@" + version;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LookupPin p && p.name.equals(name) && p.version.equals(version);
    }

    @Override
    public int hashCode() {
      return ref().hashCode();
    }

    @Override
    public String toString() {
      return ref();
    }
  }

  /** The subscription of an earlier version (a query). */
  public Subscription(
      String name,
      String id,
      String query,
      String bin,
      int topN,
      int retentionDays,
      long createdMillis,
      Long backfillFromMillis) {
    this(name, id, query, bin, topN, retentionDays, createdMillis, backfillFromMillis, QUERY, null);
  }

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
    return create(
        name, query, requestedBin, topN, retentionDays, nowMillis, backfillFromMillis, Map.of());
  }

  /**
   * As {@link #create(String, String, String, Integer, Integer, long, Long)}, with the lookup
   * tables the query may use by name: those its {@code lookup} commands name are pinned ({@link
   * #lookups}); one it names that is not given is a {@link dev.trailquery.lang.QueryException} at
   * its position.
   */
  public static Subscription create(
      String name,
      String query,
      String requestedBin,
      Integer topN,
      Integer retentionDays,
      long nowMillis,
      Long backfillFromMillis,
      Map<String, LookupTable> tables) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
      throw new IllegalArgumentException(
          "a subscription name is 1-128 letters, digits, '.', '_' or '-': " + name);
    }
    Query q = Parser.parse(query);
    // a subquery would have to run again over all past data for every new object
    dev.trailquery.exec.Subqueries.refuse(q, "subscriptions");
    List<LookupPin> pins = new ArrayList<>();
    for (String table : dev.trailquery.functions.lookup.QueryTables.names(q)) {
      LookupTable t = tables.get(table);
      if (t != null) {
        pins.add(LookupPin.of(t));
      } // else planning below says which table is missing, and where
    }
    String queryBin = queryBin(q);
    String bin = queryBin != null ? queryBin : requestedBin != null ? requestedBin : DEFAULT_BIN;
    period(bin); // validates
    int n = topN == null ? DEFAULT_TOP_N : topN;
    if (n < 1 || n > 10_000) {
      throw new IllegalArgumentException("the rows kept per bin must be 1..10000: " + n);
    }
    int retention = retentionDays == null ? 0 : retentionDays;
    if (retention < 0) {
      throw new IllegalArgumentException(
          "retentionDays must be 0 (keep every bin) or a positive number of days: " + retention);
    }
    String identity =
        name + "\u0000" + query + "\u0000" + bin + "\u0000" + n + "\u0000" + nowMillis;
    if (!pins.isEmpty()) {
      // another version of a table is another definition: its states never merge with these
      identity += "\u0000" + pins;
    }
    String id = hash(identity).substring(0, 12);
    Subscription s =
        new Subscription(
            name, id, query, bin, n, retention, nowMillis, backfillFromMillis, QUERY, null, pins);
    s.plan(); // validates the plan too
    return s;
  }

  /**
   * A metric-filter subscription: the filter compiled by {@link MetricFilter#toQuery} with the bin
   * as its period ({@value #DEFAULT_WATCH_BIN} unless asked), so each bin holds CloudWatch's
   * statistic set ({@code sum}, {@code sampleCount}, {@code minimum}, {@code maximum}, {@code
   * average}) per dimension values.
   */
  public static Subscription createMetricFilter(
      String name,
      MetricFilter filter,
      String requestedBin,
      Integer retentionDays,
      long nowMillis,
      Long backfillFromMillis) {
    String bin = requestedBin == null ? DEFAULT_WATCH_BIN : requestedBin;
    period(bin).fixedMillis(); // validates
    Subscription q =
        create(name, filter.toQuery(bin), bin, null, retentionDays, nowMillis, backfillFromMillis);
    return q.as(METRIC_FILTER, MetricFilterJson.toJson(filter).toString());
  }

  /**
   * A Contributor Insights rule subscription: the rule's contributors per period ({@link
   * RuleCompiler#series}), the bin being the period ({@value #DEFAULT_WATCH_BIN} unless asked).
   */
  public static Subscription createRule(
      String name,
      String ruleJson,
      String requestedBin,
      Integer retentionDays,
      long nowMillis,
      Long backfillFromMillis) {
    ContributorRule rule = RuleParser.parse(ruleJson);
    String bin = requestedBin == null ? DEFAULT_WATCH_BIN : requestedBin;
    long millis = period(bin).fixedMillis();
    String query = RuleCompiler.series(rule, millis / 1000);
    Subscription q = create(name, query, null, null, retentionDays, nowMillis, backfillFromMillis);
    return q.as(CONTRIBUTOR_RULE, ruleJson);
  }

  private Subscription as(String type, String definition) {
    String newId = hash(id + "\u0000" + type + "\u0000" + definition).substring(0, 12);
    return new Subscription(
        name,
        newId,
        query,
        bin,
        topN,
        retentionDays,
        createdMillis,
        backfillFromMillis,
        type,
        definition,
        lookups);
  }

  /** The metric filter of a {@value #METRIC_FILTER} subscription. */
  public MetricFilter metricFilter() {
    if (!METRIC_FILTER.equals(type)) {
      throw new IllegalStateException(name + " is not a metric filter");
    }
    try {
      return MetricFilterJson.parse(Mappers.MAPPER.readTree(definition));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The rule of a {@value #CONTRIBUTOR_RULE} subscription. */
  public ContributorRule rule() {
    if (!CONTRIBUTOR_RULE.equals(type)) {
      throw new IllegalStateException(name + " is not a Contributor Insights rule");
    }
    return RuleParser.parse(definition);
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
    // A whole, positive amount: 0m would silently be a 1-minute bin, and a 20-digit amount
    // does not fit a long.
    boolean positive = m.matches() && validAmount(m.group(1));
    Periods p = positive ? Periods.of(Long.parseLong(m.group(1)), m.group(2)) : null;
    if (m.matches() && !positive) {
      throw new IllegalArgumentException(
          "a time bin needs a whole number of units from 1 to 999999999: '" + bin + "'");
    }
    if (p == null) {
      throw new IllegalArgumentException(
          "not a time bin: '" + bin + "' (expected e.g. 5m, 1h, 1d, 1w, 1mo)");
    }
    return p;
  }

  /** 1 to 999999999 (leading zeros allowed). */
  private static boolean validAmount(String digits) {
    int len = digits.replaceFirst("^0+", "").length();
    return len >= 1 && len <= 9;
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
    Map<String, LookupTable> tables = tables();
    Plan p =
        Trailquery.compile(
            query,
            new Planner.Options(
                    Long.MIN_VALUE, Long.MAX_VALUE, System.currentTimeMillis(), (long) topN)
                .withLookups(tables));
    if (p.isAggregate()) {
      p =
          Trailquery.compile(
              query,
              new Planner.Options(Long.MIN_VALUE, Long.MAX_VALUE, System.currentTimeMillis(), null)
                  .withLookups(tables));
    }
    return p;
  }

  /** The pinned tables by name; an {@link IllegalStateException} when one was not loaded. */
  private Map<String, LookupTable> tables() {
    if (lookups.isEmpty()) {
      return Map.of();
    }
    Map<String, LookupTable> out = new HashMap<>();
    for (LookupPin p : lookups) {
      if (p.table() == null) {
        throw new IllegalStateException(
            "subscription '"
                + name
                + "' evaluates with the pinned lookup table "
                + p.ref()
                + ", which this reader cannot load (a SubscriptionStore without PinnedTables)");
      }
      out.put(p.name(), p.table());
    }
    return out;
  }

  public String describeKind() {
    return switch (type) {
      case METRIC_FILTER -> "metric filter";
      case CONTRIBUTOR_RULE -> "Contributor Insights rule";
      default -> plan().isAggregate() ? "stats" : "rows (latest " + topN + " per bin)";
    };
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
