package dev.trailquery.exec;

import dev.trailquery.lang.Diagnostic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A query's answer.
 *
 * @param fields the columns, in output order
 * @param rows one array per row, aligned with {@code fields}; null where the field is missing
 * @param statistics what was read
 * @param warnings warnings about the query (parse, plan and run time)
 * @param skipped objects that were not read to their end
 */
public record Result(
    List<String> fields,
    List<Object[]> rows,
    Statistics statistics,
    List<Diagnostic> warnings,
    List<SkippedObject> skipped) {

  /**
   * Rows as ordered maps of the present fields (missing fields left out, as Logs Insights does).
   */
  public List<Map<String, Object>> rowMaps() {
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < fields.size(); i++) {
        if (row[i] != null) {
          m.put(fields.get(i), row[i]);
        }
      }
      out.add(m);
    }
    return out;
  }
}
