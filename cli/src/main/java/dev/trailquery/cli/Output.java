package dev.trailquery.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.trailquery.exec.Result;
import dev.trailquery.functions.query.ResultJson;
import dev.trailquery.value.Values;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a {@link Result} as a table, JSON, CSV or NDJSON. */
final class Output {
  static final int TABLE_CELL_MAX = 160;
  private static final JsonFactory JSON = new JsonFactory();

  enum Format {
    TABLE,
    JSON,
    CSV,
    NDJSON;

    static Format parse(String s) {
      if (s == null) {
        return TABLE;
      }
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "table" -> TABLE;
        case "json" -> JSON;
        case "csv" -> CSV;
        case "ndjson", "jsonl" -> NDJSON;
        default ->
            throw new UsageException(
                "unknown --format '" + s + "': use table, json, csv or ndjson");
      };
    }
  }

  private Output() {}

  static void write(Result r, Format format, PrintStream out) throws IOException {
    switch (format) {
      case TABLE -> table(r, out);
      case JSON -> json(r, out);
      case CSV -> csv(r, out);
      case NDJSON -> ndjson(r, out);
    }
    out.flush();
  }

  // ---- JSON ----

  /** {@code --format json}: the document {@link ResultJson#document} writes, indented. */
  private static void json(Result r, PrintStream out) throws IOException {
    Writer w = new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.useDefaultPrettyPrinter();
      ResultJson.document(g, r);
    }
    w.write('\n');
    w.flush();
  }

  private static void ndjson(Result r, PrintStream out) throws IOException {
    Writer w = new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8);
    for (Object[] row : r.rows()) {
      try (JsonGenerator g = JSON.createGenerator(w)) {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        ResultJson.record(g, r.fields(), row);
      }
      w.write('\n');
    }
    w.flush();
  }

  // ---- CSV (RFC 4180) ----

  private static void csv(Result r, PrintStream out) {
    StringBuilder sb = new StringBuilder();
    appendCsvLine(sb, r.fields().stream().map(f -> (Object) f).toList());
    for (Object[] row : r.rows()) {
      appendCsvLine(sb, java.util.Arrays.asList(row));
      if (sb.length() > 1 << 16) {
        out.print(sb);
        sb.setLength(0);
      }
    }
    out.print(sb);
  }

  private static void appendCsvLine(StringBuilder sb, List<Object> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String t = Values.toText(values.get(i));
      if (t == null) {
        continue;
      }
      if (t.indexOf(',') >= 0
          || t.indexOf('"') >= 0
          || t.indexOf('\n') >= 0
          || t.indexOf('\r') >= 0) {
        sb.append('"').append(t.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(t);
      }
    }
    sb.append("\r\n");
  }

  // ---- table ----

  static String cell(Object v) {
    String t = Values.toText(v);
    if (t == null) {
      return "";
    }
    t = t.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    if (t.codePointCount(0, t.length()) > TABLE_CELL_MAX) {
      t = t.substring(0, t.offsetByCodePoints(0, TABLE_CELL_MAX - 1)) + "…";
    }
    return t;
  }

  private static void table(Result r, PrintStream out) {
    List<String> fields = r.fields();
    int n = fields.size();
    int[] width = new int[n];
    List<String[]> cells = new ArrayList<>(r.rows().size());
    for (int i = 0; i < n; i++) {
      width[i] = displayWidth(fields.get(i));
    }
    boolean[] numeric = new boolean[n];
    java.util.Arrays.fill(numeric, true);
    for (Object[] row : r.rows()) {
      String[] c = new String[n];
      for (int i = 0; i < n; i++) {
        c[i] = cell(row[i]);
        width[i] = Math.max(width[i], displayWidth(c[i]));
        if (row[i] != null && !(row[i] instanceof Double)) {
          numeric[i] = false;
        }
      }
      cells.add(c);
    }
    StringBuilder sb = new StringBuilder();
    line(sb, fields.toArray(String[]::new), width, new boolean[n]);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      sb.append("-".repeat(width[i]));
    }
    sb.append('\n');
    for (String[] c : cells) {
      line(sb, c, width, numeric);
    }
    out.print(sb);
    if (r.rows().isEmpty()) {
      out.println("(no rows)");
    }
    Chart.draw(r, out);
  }

  private static void line(StringBuilder sb, String[] values, int[] width, boolean[] right) {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      int pad = width[i] - displayWidth(values[i]);
      boolean last = i == values.length - 1;
      if (right[i]) {
        sb.append(" ".repeat(pad)).append(values[i]);
      } else {
        sb.append(values[i]);
        if (!last) {
          sb.append(" ".repeat(pad));
        }
      }
    }
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    sb.setLength(end);
    sb.append('\n');
  }

  static int displayWidth(String s) {
    return s.codePointCount(0, s.length());
  }
}
