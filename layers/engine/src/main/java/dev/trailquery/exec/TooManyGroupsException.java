package dev.trailquery.exec;

/** A {@code stats} produced more groups than one state may hold. */
public final class TooManyGroupsException extends RuntimeException {
  public TooManyGroupsException(int max) {
    super(
        "the query produced more than "
            + max
            + " groups; narrow the time range or group by fewer or coarser keys",
        null,
        false,
        false);
  }
}
