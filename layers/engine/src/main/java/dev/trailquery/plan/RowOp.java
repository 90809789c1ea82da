package dev.trailquery.plan;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.trailquery.eval.Evaluator;
import dev.trailquery.value.Values;

/**
 * A per-row step of a pipeline: it may change the row's slots and may drop the row; {@link Unnest}
 * turns one row into several (run pipelines with {@link Pipeline}).
 */
public sealed interface RowOp {
  /** Applies the step; false drops the row. */
  boolean apply(Object[] row);

  /**
   * {@code unnest src into name} ({@code expand}: the source is the target field itself): one row
   * per element of the list {@code source} gives, the element in {@code slot}, every other field
   * copied. {@code unnest}: a map or scalar is a one-element list, a missing value or an empty list
   * gives no row. {@code expand} ({@code keepNonList}): a row whose field is not a list stays as it
   * is, an empty list gives no row.
   */
  record Unnest(Evaluator source, int slot, boolean keepNonList) implements RowOp {
    @Override
    public boolean apply(Object[] row) {
      throw new UnsupportedOperationException("unnest makes several rows: run it with Pipeline");
    }

    /** The elements for this row, or null to keep the row as it is. */
    public java.util.List<Object> elements(Object[] row) {
      Object v = source.eval(row);
      if (v instanceof dev.trailquery.value.JsonValue j && j.isList()) {
        return j.elements();
      }
      if (keepNonList) {
        return null;
      }
      return v == null ? java.util.List.of() : java.util.Collections.singletonList(v);
    }
  }

  /**
   * {@code lookup}: the table row whose match columns equal the match fields' text (every one; a
   * missing field matches nothing) gives the output columns. {@code OUTPUT} overwrites the output
   * fields (missing when nothing matches); {@code OUTPUTNEW} fills only fields that are missing.
   */
  record Lookup(
      Evaluator[] match,
      java.util.Map<java.util.List<String>, String[]> index,
      int[] outputColumns,
      int[] outputSlots,
      boolean outputNew)
      implements RowOp {
    @Override
    public boolean apply(Object[] row) {
      String[] hit = null;
      String[] key = new String[match.length];
      boolean complete = true;
      for (int i = 0; i < match.length; i++) {
        key[i] = Values.toText(match[i].eval(row));
        complete &= key[i] != null;
      }
      if (complete) {
        hit = index.get(java.util.Arrays.asList(key));
      }
      for (int i = 0; i < outputSlots.length; i++) {
        int s = outputSlots[i];
        if (outputNew) {
          if (row[s] == null && hit != null) {
            row[s] = hit[outputColumns[i]];
          }
        } else {
          row[s] = hit == null ? null : hit[outputColumns[i]];
        }
      }
      return true;
    }
  }

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
