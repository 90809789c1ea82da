package dev.trailquery.contributor;

import dev.trailquery.contributor.ContributorRule.AggregateOn;
import dev.trailquery.contributor.ContributorRule.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compiles a {@link ContributorRule} into Logs Insights queries that run on the engine.
 *
 * <p>Translation: a key or Match selector {@code $.a.b[0]} becomes the field {@code a.b.0}. Every
 * key must be present (events missing a key are not counted). In → {@code f in [...]}; NotIn →
 * {@code ispresent(f) and f not in [...]} (a missing property does not pass NotIn); StartsWith →
 * {@code startsWith(f, "a") or ...}; GreaterThan/LessThan/EqualTo/NotEqualTo → {@code toNumber(f) >
 * n} (non-numeric values do not pass); IsPresent → {@code ispresent(f)} / {@code not ispresent(f)}
 * (a JSON null counts as absent, as in the engine). Sum adds {@code toNumber(ValueOf)} and skips
 * events whose value is missing or outside ±1e9, as Contributor Insights does.
 */
public final class RuleCompiler {
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "not", "in", "like", "by", "as", "asc", "desc");

  private RuleCompiler() {}

  /** The Logs Insights field for a rule selector: {@code $.resources[0].ARN} → resources.0.ARN. */
  public static String field(String selector) {
    String s = selector.substring(2).replace("[", ".").replace("]", "");
    List<String> parts = new ArrayList<>();
    for (String p : s.split("\\.")) {
      parts.add(KEYWORDS.contains(p.toLowerCase(Locale.ROOT)) ? "`" + p + "`" : p);
    }
    return String.join(".", parts);
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** The filter condition of the rule (keys present, filters, the value's range for Sum). */
  public static String condition(ContributorRule rule) {
    List<String> conds = new ArrayList<>();
    for (String k : rule.keys()) {
      conds.add("ispresent(" + field(k) + ")");
    }
    for (Filter f : rule.filters()) {
      conds.add(filter(f));
    }
    if (rule.aggregateOn() == AggregateOn.SUM) {
      String v = "toNumber(" + field(rule.valueOf()) + ")";
      conds.add(v + " >= -1000000000 and " + v + " <= 1000000000");
    }
    return String.join(" and ", conds);
  }

  private static String filter(Filter f) {
    String m = field(f.match());
    String list = f.strings().stream().map(RuleCompiler::quote).toList().toString();
    return switch (f.op()) {
      case IN -> m + " in " + list;
      case NOT_IN -> "(ispresent(" + m + ") and " + m + " not in " + list + ")";
      case STARTS_WITH ->
          "("
              + String.join(
                  " or ",
                  f.strings().stream().map(s -> "startsWith(" + m + ", " + quote(s) + ")").toList())
              + ")";
      case GREATER_THAN -> "toNumber(" + m + ") > " + number(f.number());
      case LESS_THAN -> "toNumber(" + m + ") < " + number(f.number());
      case EQUAL_TO -> "toNumber(" + m + ") = " + number(f.number());
      case NOT_EQUAL_TO -> "toNumber(" + m + ") != " + number(f.number());
      case IS_PRESENT -> f.present() ? "ispresent(" + m + ")" : "not ispresent(" + m + ")";
    };
  }

  /** The aggregate of the rule: {@code count(*)} or {@code sum(toNumber(valueOf))}. */
  public static String aggregate(ContributorRule rule) {
    return rule.aggregateOn() == AggregateOn.COUNT
        ? "count(*)"
        : "sum(toNumber(" + field(rule.valueOf()) + "))";
  }

  /** The key fields, comma-separated. */
  public static String keyList(ContributorRule rule) {
    return String.join(", ", rule.keys().stream().map(RuleCompiler::field).toList());
  }

  /** The top {@code n} contributors: one row per contributor, keys then {@code value}. */
  public static String topContributors(ContributorRule rule, int n) {
    return "filter "
        + condition(rule)
        + "\n| stats "
        + aggregate(rule)
        + " as value by "
        + keyList(rule)
        + "\n| sort value desc\n| limit "
        + n;
  }

  /** Totals: {@code aggregateValue} over all contributors and {@code uniqueContributors}. */
  public static String summary(ContributorRule rule) {
    String key =
        rule.keys().size() == 1
            ? field(rule.keys().getFirst())
            : "concat("
                + String.join(", \"\\t\", ", rule.keys().stream().map(RuleCompiler::field).toList())
                + ")";
    return "filter "
        + condition(rule)
        + "\n| stats "
        + aggregate(rule)
        + " as aggregateValue, count_distinct("
        + key
        + ") as uniqueContributors";
  }

  /**
   * Per-period values of every contributor: {@code bin(P)}, keys, {@code value}; each period's
   * contributors highest value first (a rule subscription's bins are its periods' top
   * contributors).
   */
  public static String series(ContributorRule rule, long periodSeconds) {
    return "filter "
        + condition(rule)
        + "\n| stats "
        + aggregate(rule)
        + " as value by bin("
        + period(periodSeconds)
        + ") as period, "
        + keyList(rule)
        + "\n| sort period desc, value desc";
  }

  /** A period in seconds as a Logs Insights period literal within its unit's cap. */
  static String period(long s) {
    if (s <= 0) {
      throw new IllegalArgumentException("period must be positive");
    }
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0 && s / 3600 <= 24) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0 && s / 60 <= 60) {
      return s / 60 + "m";
    }
    if (s <= 60) {
      return s + "s";
    }
    throw new IllegalArgumentException(
        "period "
            + s
            + " s is not expressible as a bin (use ≤60 s, whole minutes ≤60, whole hours"
            + " ≤24 or whole days)");
  }
}
