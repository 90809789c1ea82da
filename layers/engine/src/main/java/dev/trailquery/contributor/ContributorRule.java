package dev.trailquery.contributor;

import java.util.List;

/**
 * A Contributor Insights rule (CloudWatch Logs, {@code CloudWatchLogRule} version 1, JSON logs).
 *
 * @param keys 1–4 property selectors ({@code $.userIdentity.arn}); a contributor is a unique
 *     combination of their values; an event missing one is not counted
 * @param valueOf the property summed when {@code aggregateOn} is {@link AggregateOn#SUM}, else null
 * @param filters 0–4 filters, all of which must pass
 * @param aggregateOn count events or sum {@code valueOf}
 * @param logGroupNames the rule's log groups (kept, not used: trailquery reads CloudTrail objects)
 */
public record ContributorRule(
    List<String> keys,
    String valueOf,
    List<Filter> filters,
    AggregateOn aggregateOn,
    List<String> logGroupNames) {

  public ContributorRule {
    keys = List.copyOf(keys);
    filters = List.copyOf(filters);
    logGroupNames = List.copyOf(logGroupNames);
  }

  public enum AggregateOn {
    COUNT("Count"),
    SUM("Sum");

    private final String text;

    AggregateOn(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** One filter: {@code match} a property selector, {@code op} its operator and argument. */
  public record Filter(String match, Op op, List<String> strings, Double number, Boolean present) {
    public Filter {
      strings = strings == null ? List.of() : List.copyOf(strings);
    }
  }

  public enum Op {
    IN("In"),
    NOT_IN("NotIn"),
    STARTS_WITH("StartsWith"),
    GREATER_THAN("GreaterThan"),
    LESS_THAN("LessThan"),
    EQUAL_TO("EqualTo"),
    NOT_EQUAL_TO("NotEqualTo"),
    IS_PRESENT("IsPresent");

    private final String json;

    Op(String json) {
      this.json = json;
    }

    public String json() {
      return json;
    }

    static Op of(String json) {
      for (Op o : values()) {
        if (o.json.equals(json)) {
          return o;
        }
      }
      return null;
    }
  }
}
