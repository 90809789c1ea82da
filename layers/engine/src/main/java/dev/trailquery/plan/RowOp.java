package dev.trailquery.plan;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.trailquery.eval.Evaluator;
import dev.trailquery.value.Values;

/** A per-row step of a pipeline: it may change the row's slots and may drop the row. */
public sealed interface RowOp {
  /** Applies the step; false drops the row. */
  boolean apply(Object[] row);

  /** {@code filter}: keeps rows whose condition is true. */
  record Filter(Evaluator condition) implements RowOp {
    @Override
    public boolean apply(Object[] row) {
      return Values.isTruthy(condition.eval(row));
    }
  }

  /** {@code fields}/{@code display} items and captured sort keys: evaluate, then store. */
  record Assign(int[] slots, Evaluator[] values) implements RowOp {
    @Override
    public boolean apply(Object[] row) {
      for (int i = 0; i < slots.length; i++) {
        row[slots[i]] = values[i].eval(row);
      }
      return true;
    }
  }

  /**
   * {@code parse f "a*b*"}: the glob's literal parts, searched left to right; each {@code *}
   * captures lazily up to the next literal, a trailing {@code *} takes the rest. A row that does
   * not match keeps going with the targets missing.
   */
  record ParseGlob(Evaluator source, String[] literals, int[] slots) implements RowOp {
    @Override
    public boolean apply(Object[] row) {
      String text = Values.toText(source.eval(row));
      if (text == null || !match(text, row)) {
        for (int s : slots) {
          row[s] = null;
        }
      }
      return true;
    }

    private boolean match(String text, Object[] row) {
      int pos;
      if (literals[0].isEmpty()) {
        pos = 0;
      } else {
        int at = text.indexOf(literals[0]);
        if (at < 0) {
          return false;
        }
        pos = at + literals[0].length();
      }
      String[] captured = new String[slots.length];
      for (int i = 0; i < slots.length; i++) {
        String next = literals[i + 1];
        if (next.isEmpty() && i == slots.length - 1) {
          captured[i] = text.substring(pos);
          pos = text.length();
        } else if (next.isEmpty()) {
          captured[i] = "";
        } else {
          int at = text.indexOf(next, pos);
          if (at < 0) {
            return false;
          }
          captured[i] = text.substring(pos, at);
          pos = at + next.length();
        }
      }
      for (int i = 0; i < slots.length; i++) {
        row[slots[i]] = captured[i];
      }
      return true;
    }
  }

  /**
   * {@code parse f /(?<a>...)/}: each named group becomes a field; no match leaves them missing.
   */
  record ParseRegex(Evaluator source, Pattern pattern, String[] groups, int[] slots)
      implements RowOp {
    @Override
    public boolean apply(Object[] row) {
      String text = Values.toText(source.eval(row));
      Matcher m = text == null ? null : pattern.matcher(text);
      boolean found = m != null && m.find();
      for (int i = 0; i < slots.length; i++) {
        row[slots[i]] = found ? m.group(groups[i]) : null;
      }
      return true;
    }
  }
}
