package dev.trailquery.functions.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.trailquery.functions.query.ResultField;
import dev.trailquery.functions.query.ResultJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one {@code GET /queries/{id}} answer, bounded by bytes so that the answer always fits
 * Lambda's 6 MB response (API Gateway's 10 MB): rows are added while their JSON, as the Lambda
 * proxy response carries it (escaped once more inside the envelope's {@code body} string), stays
 * within {@link #PAGE_BYTES}. When rows remain, the answer has {@code "nextToken"}: {@code GET
 * /queries/{id}?nextToken=T} gives the next page. A small result is one page, as before.
 *
 * <p>A single value longer than {@link #MAX_VALUE_CHARS} is cut to that length (with a warning), so
 * one huge field cannot make a page that does not fit.
 */
final class ResultPages {
  /** Escaped row bytes per answer: 4 MB, leaving room for statistics, warnings and headers. */
  static final int PAGE_BYTES = 4_000_000;

  /** The longest value returned, in characters (a CloudTrail record is far smaller). */
  static final int MAX_VALUE_CHARS = 1_000_000;

  private ResultPages() {}

  /** The first row of the page {@code token} names (null: the first page); a 400 if malformed. */
  static int start(String token, int rows) {
    if (token == null) {
      return 0;
    }
    int from;
    try {
      from = Integer.parseInt(token);
    } catch (NumberFormatException e) {
      from = -1;
    }
    if (from < 0 || from > rows) {
      throw ApiException.invalid("nextToken is not one this query gave: '" + brief(token) + "'");
    }
    return from;
  }

  /**
   * Adds rows from {@code from} to {@code results} while they fit {@code budget}; returns the index
   * after the last row added (at least one row is added when any remain).
   */
  static int fill(
      ArrayNode results, List<List<ResultField>> rows, int from, int budget, List<String> cut) {
    long used = 0;
    int i = from;
    for (; i < rows.size(); i++) {
      List<ResultField> row = new ArrayList<>(rows.get(i).size());
      for (ResultField f : rows.get(i)) {
        String v = f.value();
        if (v != null && v.length() > MAX_VALUE_CHARS) {
          v = v.substring(0, MAX_VALUE_CHARS);
          if (!cut.contains(f.field())) {
            cut.add(f.field());
          }
          f = new ResultField(f.field(), v);
        }
        row.add(f);
      }
      String cells = cells(row);
      // The row's JSON text, escaped again as the proxy envelope's body string carries it.
      long size = Json.write(TextNode.valueOf(cells)).length() + 1;
      if (i > from && used + size > budget) {
        break;
      }
      used += size;
      results.addRawValue(new RawValue(cells));
    }
    return i;
  }

  /** One row's JSON ({@link ResultJson#cells}). */
  private static String cells(List<ResultField> row) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(w)) {
      ResultJson.cells(g, row);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** Writes the page of {@code rows} starting at {@code token} into {@code out}. */
  static void write(ObjectNode out, List<List<ResultField>> rows, String token, List<String> cut) {
    int from = start(token, rows.size());
    ArrayNode results = out.putArray("results");
    int to = fill(results, rows, from, PAGE_BYTES, cut);
    if (to < rows.size()) {
      out.put("nextToken", Integer.toString(to));
    }
  }

  private static String brief(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
