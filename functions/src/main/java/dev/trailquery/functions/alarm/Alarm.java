package dev.trailquery.functions.alarm;

import dev.trailquery.exec.Result;
import dev.trailquery.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A threshold on one column of a subscription's per-bin result: a bin <em>breaches</em> when some
 * row of the bin's finished result has a numeric value in {@link #column} that satisfies {@code
 * value comparison threshold}. Those rows (at most {@link #MAX_TRIGGERING_ROWS}) are the triggering
 * rows. One alarm per subscription; it is keyed by the subscription's name.
 *
 * @param subscription the subscription's name
 * @param column an output column of the subscription's query ({@code count(*)}, {@code sum}, ...)
 * @param comparison how a value is compared with the threshold
 * @param threshold the threshold
 * @param description free text for the notification, or null
 * @param notifyOk also notify when the alarm goes back from ALARM to OK
 * @param createdMillis when it was set; notification records are kept per creation, so setting a
 *     changed alarm starts afresh
 */
public record Alarm(
    String subscription,
    String column,
    Comparison comparison,
    double threshold,
    String description,
    boolean notifyOk,
    long createdMillis) {

  public static final int MAX_TRIGGERING_ROWS = 10;

  /**
   * The pseudo-column every subscription has: the number of records of the bin that passed the
   * query's filters (exact, also when a rows subscription keeps only its latest rows). With it an
   * alarm fires on "any matching event" ({@code @recordsMatched >= 1}); the triggering rows are
   * then the bin's first rows.
   */
  public static final String RECORDS_MATCHED = "@recordsMatched";

  public static final int MAX_DESCRIPTION = 1024;

  /** The comparisons an alarm supports. */
  public enum Comparison {
    GT(">", "above"),
    GE(">=", "at least"),
    LT("<", "below"),
    LE("<=", "at most"),
    EQ("=", "equal to"),
    NE("!=", "not equal to");

    private final String symbol;
    private final String words;

    Comparison(String symbol, String words) {
      this.symbol = symbol;
      this.words = words;
    }

    public String symbol() {
      return symbol;
    }

    public String words() {
      return words;
    }

    public boolean test(double value, double threshold) {
      return switch (this) {
        case GT -> value > threshold;
        case GE -> value >= threshold;
        case LT -> value < threshold;
        case LE -> value <= threshold;
        case EQ -> value == threshold;
        case NE -> value != threshold;
      };
    }

    /** {@code >}, {@code >=}, ... (also {@code ==}, {@code <>}, and the enum names). */
    public static Comparison parse(String s) {
      String t = s == null ? "" : s.trim();
      for (Comparison c : values()) {
        if (c.symbol.equals(t) || c.name().equalsIgnoreCase(t)) {
          return c;
        }
      }
      if (t.equals("==")) {
        return EQ;
      }
      if (t.equals("<>")) {
        return NE;
      }
      throw new IllegalArgumentException(
          "comparison must be one of >, >=, <, <=, =, != (got '" + s + "')");
    }
  }

  public Alarm {
    if (subscription == null || subscription.isBlank()) {
      throw new IllegalArgumentException("an alarm needs the subscription's name");
    }
    if (column == null || column.isBlank()) {
      throw new IllegalArgumentException(
          "an alarm needs a column of the subscription's result (e.g. count(*), sum)");
    }
    if (column.length() > 256) {
      throw new IllegalArgumentException("the column name is longer than 256 characters");
    }
    if (comparison == null) {
      throw new IllegalArgumentException(
          "an alarm needs a comparison (one of >, >=, <, <=, =, !=)");
    }
    if (Double.isNaN(threshold) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("the threshold must be a finite number");
    }
    if (description != null && description.isBlank()) {
      description = null;
    }
    if (description != null && description.length() > MAX_DESCRIPTION) {
      throw new IllegalArgumentException(
          "the description is longer than " + MAX_DESCRIPTION + " characters");
    }
  }

  /**
   * Checks that {@link #column} is one of the subscription's output columns ({@code fields}: what
   * its per-bin results have). Throws {@link IllegalArgumentException} with the columns there are.
   */
  public void checkColumn(List<String> fields) {
    if (!fields.contains(column) && !column.equals(RECORDS_MATCHED)) {
      throw new IllegalArgumentException(
          "the subscription '"
              + subscription
              + "' has no column '"
              + column
              + "' (its columns: "
              + String.join(", ", fields)
              + ", and "
              + RECORDS_MATCHED
              + ")");
    }
  }

  /** Whether nothing but the creation time differs. */
  public boolean sameDefinition(Alarm o) {
    return subscription.equals(o.subscription)
        && column.equals(o.column)
        && comparison == o.comparison
        && Double.compare(threshold, o.threshold) == 0
        && java.util.Objects.equals(description, o.description)
        && notifyOk == o.notifyOk;
  }

  /** {@code count(*) > 3}. */
  public String condition() {
    return column + " " + comparison.symbol + " " + Values.formatNumber(threshold);
  }

  /** What one bin's result gives. */
  public enum State {
    OK,
    ALARM,
    INSUFFICIENT_DATA;

    public static State parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * One bin judged: its state (INSUFFICIENT_DATA when the result has no such column) and the
   * triggering rows (as field → text maps, at most {@link #MAX_TRIGGERING_ROWS}).
   */
  public record Verdict(State state, List<java.util.Map<String, String>> rows) {}

  /** A row as field → text, missing fields left out. */
  private static java.util.Map<String, String> rowMap(List<String> fields, Object[] row) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < fields.size(); i++) {
      if (row[i] != null) {
        m.put(fields.get(i), Values.toText(row[i]));
      }
    }
    return m;
  }

  public Verdict judge(Result r) {
    if (column.equals(RECORDS_MATCHED) && !r.fields().contains(RECORDS_MATCHED)) {
      boolean breach = comparison.test(r.statistics().recordsMatched(), threshold);
      List<java.util.Map<String, String>> rows = new ArrayList<>();
      for (Object[] row : r.rows()) {
        if (!breach || rows.size() == MAX_TRIGGERING_ROWS) {
          break;
        }
        rows.add(rowMap(r.fields(), row));
      }
      return new Verdict(breach ? State.ALARM : State.OK, List.copyOf(rows));
    }
    int col = r.fields().indexOf(column);
    if (col < 0) {
      return new Verdict(State.INSUFFICIENT_DATA, List.of());
    }
    List<java.util.Map<String, String>> rows = new ArrayList<>();
    boolean breach = false;
    for (Object[] row : r.rows()) {
      Double v = row[col] == null ? null : Values.toNumber(row[col]);
      if (v != null && !v.isNaN() && comparison.test(v, threshold)) {
        breach = true;
        if (rows.size() < MAX_TRIGGERING_ROWS) {
          rows.add(rowMap(r.fields(), row));
        }
      }
    }
    return new Verdict(breach ? State.ALARM : State.OK, List.copyOf(rows));
  }
}
