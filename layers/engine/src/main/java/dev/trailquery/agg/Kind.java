package dev.trailquery.agg;

/** Every aggregate: its canonical name, other spellings, and the id byte of its state images. */
enum Kind {
  COUNT(1, "count"),
  COUNT_DISTINCT(2, "count_distinct", "countDistinct"),
  SUM(3, "sum"),
  AVG(4, "avg"),
  MIN(5, "min"),
  MAX(6, "max"),
  PCT(7, "pct", "percentile"),
  STDDEV(8, "stddev"),
  VARIANCE(9, "variance"),
  EARLIEST(10, "earliest"),
  LATEST(11, "latest"),
  SORTS_FIRST(12, "sortsFirst"),
  SORTS_LAST(13, "sortsLast"),
  /** The {@code countFrequent} command's state; not callable in {@code stats}. */
  FREQUENT(14, "countFrequent");

  final int id;
  final String canonical;
  final String[] aliases;

  Kind(int id, String canonical, String... aliases) {
    this.id = id;
    this.canonical = canonical;
    this.aliases = aliases;
  }

  static Kind byId(int id) {
    for (Kind k : values()) {
      if (k.id == id) {
        return k;
      }
    }
    return null;
  }
}
