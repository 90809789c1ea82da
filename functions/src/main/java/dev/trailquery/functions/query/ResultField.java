package dev.trailquery.functions.query;

import dev.trailquery.exec.Result;
import dev.trailquery.value.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * One cell of a result row as GetQueryResults gives it: the field name and its value as a string
 * (numbers as {@code 3} or {@code 0.5}, booleans {@code 1}/{@code 0}, times {@code yyyy-MM-dd
 * HH:mm:ss.SSS} UTC).
 */
public record ResultField(String field, String value) {

  /** Rows of a result; fields missing from a row are left out of it, as Logs Insights does. */
  public static List<List<ResultField>> rows(Result r) {
    List<List<ResultField>> out = new ArrayList<>(r.rows().size());
    for (Object[] row : r.rows()) {
      List<ResultField> cells = new ArrayList<>(r.fields().size());
      for (int i = 0; i < r.fields().size(); i++) {
        if (row[i] != null) {
          cells.add(new ResultField(r.fields().get(i), Values.toText(row[i])));
        }
      }
      out.add(List.copyOf(cells));
    }
    return List.copyOf(out);
  }
}
