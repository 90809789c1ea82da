package dev.trailquery.lookup;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A lookup table for {@code lookup TABLE ...}: CSV with a header row, UTF-8, at most {@link
 * #MAX_BYTES} (as Logs Insights' lookup tables). Quoting follows RFC 4180 ({@code "a,b"}, {@code
 * ""} for a quote inside quotes, line breaks inside quotes); {@code \r\n} and {@code \n} both end
 * rows; a UTF-8 byte-order mark is ignored; blank lines are skipped. Every row must have as many
 * cells as the header. Cells are matched as written, case-sensitively.
 *
 * @param name the table's name (letters, digits, {@code _ - .}; at most 128 characters)
 * @param columns the header's column names
 * @param rows the data rows, each with one cell per column
 * @param version the first 16 hex digits of the SHA-256 of the CSV bytes: which content a query or
 *     subscription evaluated with
 */
public record LookupTable(String name, List<String> columns, List<String[]> rows, String version) {
  /** The largest table accepted, in bytes of CSV. */
  public static final int MAX_BYTES = 10 << 20;

  /** A table's name: what {@code lookup NAME} can refer to and a file or S3 key can hold. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  /** A table that cannot be read: what is wrong, with the line where it can tell. */
  public static final class InvalidTableException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidTableException(String message) {
      super(message);
    }
  }

  public LookupTable {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }

  /** Reads a CSV table; {@code name} must match {@link #NAME}. */
  public static LookupTable parse(String name, byte[] csv) throws InvalidTableException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidTableException(
          "invalid lookup table name '"
              + name
              + "': use letters, digits, _, - and . (at most 128, not starting with - or .)");
    }
    if (csv.length > MAX_BYTES) {
      throw new InvalidTableException(
          "lookup table '" + name + "' is " + csv.length + " bytes; the limit is " + MAX_BYTES);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(csv))
              .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidTableException("lookup table '" + name + "' is not UTF-8 text");
    }
    if (text.startsWith("\ufeff")) {
      text = text.substring(1);
    }
    List<String[]> records = new Csv(name, text).records();
    if (records.isEmpty()) {
      throw new InvalidTableException(
          "lookup table '" + name + "' is empty: it needs a header row");
    }
    String[] header = records.getFirst();
    Set<String> seen = new HashSet<>();
    for (String h : header) {
      if (h.isEmpty()) {
        throw new InvalidTableException("lookup table '" + name + "' has an empty column name");
      }
      if (!seen.add(h)) {
        throw new InvalidTableException(
            "lookup table '" + name + "' has the column '" + h + "' twice");
      }
    }
    return new LookupTable(
        name, Arrays.asList(header), records.subList(1, records.size()), version(csv));
  }

  /** Rows by the values of {@code matchColumns} (the first row wins for repeated values). */
  public Map<List<String>, String[]> index(int[] matchColumns) {
    Map<List<String>, String[]> index = new HashMap<>();
    for (String[] row : rows) {
      String[] key = new String[matchColumns.length];
      for (int i = 0; i < key.length; i++) {
        key[i] = row[matchColumns[i]];
      }
      index.putIfAbsent(Arrays.asList(key), row);
    }
    return index;
  }

  /** The table as CSV again (quoted where needed). */
  public String toCsv() {
    StringBuilder sb = new StringBuilder();
    line(sb, columns.toArray(String[]::new));
    for (String[] r : rows) {
      line(sb, r);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String[] cells) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      String c = cells[i];
      if (c.indexOf(',') >= 0
          || c.indexOf('"') >= 0
          || c.indexOf('\n') >= 0
          || c.indexOf('\r') >= 0) {
        sb.append('"').append(c.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(c);
      }
    }
    sb.append('\n');
  }

  static String version(byte[] csv) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(csv);
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An RFC 4180 reader. */
  private static final class Csv {
    private final String table;
    private final String s;
    private int pos;
    private int line = 1;

    Csv(String table, String s) {
      this.table = table;
      this.s = s;
    }

    List<String[]> records() throws InvalidTableException {
      List<String[]> out = new ArrayList<>();
      int width = -1;
      while (pos < s.length()) {
        int startLine = line;
        List<String> cells = record();
        if (cells.size() == 1 && cells.getFirst().isEmpty()) {
          continue; // blank line
        }
        if (width < 0) {
          width = cells.size();
        } else if (cells.size() != width) {
          throw new InvalidTableException(
              "lookup table '"
                  + table
                  + "', line "
                  + startLine
                  + ": "
                  + cells.size()
                  + " cells where the header has "
                  + width);
        }
        out.add(cells.toArray(String[]::new));
      }
      return out;
    }

    private List<String> record() throws InvalidTableException {
      List<String> cells = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      while (true) {
        if (pos < s.length() && s.charAt(pos) == '"' && cell.isEmpty()) {
          int startLine = line;
          pos++;
          while (true) {
            if (pos >= s.length()) {
              throw new InvalidTableException(
                  "lookup table '" + table + "', line " + startLine + ": unterminated quoted cell");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
              if (pos < s.length() && s.charAt(pos) == '"') {
                cell.append('"');
                pos++;
              } else {
                break;
              }
            } else {
              if (c == '\n') {
                line++;
              }
              cell.append(c);
            }
          }
          if (pos < s.length()
              && s.charAt(pos) != ','
              && s.charAt(pos) != '\n'
              && s.charAt(pos) != '\r') {
            throw new InvalidTableException(
                "lookup table '" + table + "', line " + line + ": text after a closing quote");
          }
        }
        if (pos >= s.length()) {
          cells.add(cell.toString());
          return cells;
        }
        char c = s.charAt(pos++);
        if (c == ',') {
          cells.add(cell.toString());
          cell.setLength(0);
        } else if (c == '\n' || c == '\r') {
          if (c == '\r' && pos < s.length() && s.charAt(pos) == '\n') {
            pos++;
          }
          line++;
          cells.add(cell.toString());
          return cells;
        } else {
          cell.append(c);
        }
      }
    }
  }
}
