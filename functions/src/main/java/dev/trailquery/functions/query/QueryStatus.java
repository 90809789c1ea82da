package dev.trailquery.functions.query;

/** A query's state, as Logs Insights' GetQueryResults names it. */
public enum QueryStatus {
  Scheduled,
  Running,
  Complete,
  Failed,
  Cancelled,
  Timeout;

  /** True once the query can change no more. */
  public boolean finished() {
    return this != Scheduled && this != Running;
  }
}
