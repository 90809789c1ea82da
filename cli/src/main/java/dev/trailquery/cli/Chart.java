package dev.trailquery.cli;

import dev.trailquery.exec.Result;
import dev.trailquery.value.Timestamp;
import dev.trailquery.value.Values;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Draws a {@code bin()} time series under its table: one bar per time bin, oldest first, for the
 * first numeric column. Drawn only when the result has exactly one time column, one numeric column
 * and at least two rows (several series in one result stay a table).
 */
final class Chart {
  static final int BAR = 40;

  private Chart() {}

  static void draw(Result r, PrintStream out) {
    int time = -1;
    int times = 0;
    int value = -1;
    int others = 0;
    for (int i = 0; i < r.fields().size(); i++) {
      switch (kind(r, i)) {
        case TIME -> {
          time = i;
          times++;
        }
        case NUMBER -> value = value < 0 ? i : value;
        default -> others++;
      }
    }
    if (times != 1 || value < 0 || others > 0 || r.rows().size() < 2) {
      return;
    }
    final int t = time;
    final int v = value;
    // Rows without a time (records with no or an unparseable eventTime bin to null) stay in the
    // table above but have no place on a time axis.
    List<Object[]> rows = new ArrayList<>();
    int untimed = 0;
    for (Object[] row : r.rows()) {
      if (row[t] instanceof Timestamp) {
        rows.add(row);
      } else {
        untimed++;
      }
    }
    if (rows.size() < 2) {
      return;
    }
    rows.sort(Comparator.comparingLong(row -> ((Timestamp) row[t]).millis()));
    double max = 0;
    for (Object[] row : rows) {
      Double d = Values.toNumber(row[v]);
      max = Math.max(max, d == null ? 0 : d);
    }
    StringBuilder sb = new StringBuilder();
    sb.append('\n').append(r.fields().get(v)).append(" by ").append(r.fields().get(t)).append('\n');
    for (Object[] row : rows) {
      Double d = Values.toNumber(row[v]);
      double x = d == null ? 0 : d;
      int len = max <= 0 ? 0 : (int) Math.round(x / max * BAR);
      if (x > 0 && len == 0) {
        len = 1;
      }
      sb.append(((Timestamp) row[t]).render())
          .append(" │")
          .append("█".repeat(len))
          .append(' ')
          .append(Values.toText(row[v]))
          .append('\n');
    }
    if (untimed > 0) {
      sb.append("(")
          .append(untimed)
          .append(untimed == 1 ? " row" : " rows")
          .append(" without a time not charted)\n");
    }
    out.print(sb);
  }

  private enum Kind {
    TIME,
    NUMBER,
    OTHER,
    EMPTY
  }

  private static Kind kind(Result r, int col) {
    Kind k = Kind.EMPTY;
    for (Object[] row : r.rows()) {
      Object v = row[col];
      if (v == null) {
        continue;
      }
      Kind vk = v instanceof Timestamp ? Kind.TIME : v instanceof Double ? Kind.NUMBER : Kind.OTHER;
      if (k == Kind.EMPTY) {
        k = vk;
      } else if (k != vk) {
        return Kind.OTHER;
      }
    }
    return k == Kind.EMPTY ? Kind.OTHER : k;
  }
}
