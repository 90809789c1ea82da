package dev.trailquery.saved;

import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.ErrorCode;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parameterized saved queries, as Logs Insights has them: a saved query's text holds {@code
 * {{name}}} placeholders (at most {@link #MAX_PARAMETERS} parameters), and a query written as
 * {@code $QueryName(level="ERROR", app="x")} runs the saved query with each placeholder replaced by
 * its value, as text (a placeholder inside quotes gives a string, outside them whatever the value
 * says).
 *
 * <p>Errors: TQ1013 a malformed {@code $Name(...)} call, TQ2121 a parameter with neither a value
 * nor a default, TQ2122 an argument the saved query has no parameter for, TQ2123 no saved query of
 * that name. A definition with more than 20 parameters or a placeholder without a parameter is
 * refused by {@link #validate} (when it is saved).
 */
public final class Templates {
  private Templates() {}

  /** Most parameters a saved query may have. */
  public static final int MAX_PARAMETERS = 20;

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
  private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  /** A saved query as a run needs it: its text and its parameters. */
  public record Saved(String name, String queryString, List<Parameter> parameters) {
    public Saved {
      parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }
  }

  /** {@code $Name(p="v", ...)}: the saved query's name and the arguments, in order. */
  public record Call(String name, Map<String, String> arguments) {}

  /** The placeholder names of a query text, in order of first appearance. */
  public static Set<String> placeholders(String queryString) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(queryString);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * Checks a saved query's definition: at most 20 parameters with valid, distinct names, and a
   * parameter for every placeholder. Returns an error message, or null when it is valid.
   */
  public static String validate(String queryString, List<Parameter> parameters) {
    if (parameters.size() > MAX_PARAMETERS) {
      return "a saved query has at most "
          + MAX_PARAMETERS
          + " parameters; found "
          + parameters.size();
    }
    Set<String> names = new LinkedHashSet<>();
    for (Parameter p : parameters) {
      if (p.name() == null || !PARAMETER_NAME.matcher(p.name()).matches()) {
        return "invalid parameter name '"
            + p.name()
            + "': letters, digits and _, starting with a letter or _";
      }
      if (!names.add(p.name())) {
        return "parameter '" + p.name() + "' is defined twice";
      }
    }
    for (String used : placeholders(queryString)) {
      if (!names.contains(used)) {
        return "the query uses {{" + used + "}} but no parameter is named '" + used + "'";
      }
    }
    return null;
  }

  /** Whether a query text is a saved-query call ({@code $Name(...)}), ignoring white space. */
  public static boolean isCall(String text) {
    return text != null && text.strip().startsWith("$");
  }

  /** Parses {@code $Name(p="v", q='w', n=5)}; TQ1013 with the position when it is malformed. */
  public static Call parseCall(String text) {
    String s = text;
    int i = skip(s, 0);
    if (i >= s.length() || s.charAt(i) != '$') {
      throw error(text, i, "expected $QueryName(...)");
    }
    i++;
    int nameStart = i;
    while (i < s.length() && isNameChar(s.charAt(i))) {
      i++;
    }
    if (i == nameStart) {
      throw error(text, i, "expected the saved query's name after '$'");
    }
    String name = s.substring(nameStart, i);
    Map<String, String> args = new LinkedHashMap<>();
    i = skip(s, i);
    if (i < s.length()) {
      if (s.charAt(i) != '(') {
        throw error(text, i, "expected '(' after $" + name);
      }
      i = skip(s, i + 1);
      if (i < s.length() && s.charAt(i) == ')') {
        i++;
      } else {
        while (true) {
          int argStart = i;
          while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
          }
          if (i == argStart) {
            throw error(text, i, "expected a parameter name");
          }
          String arg = s.substring(argStart, i);
          i = skip(s, i);
          if (i >= s.length() || s.charAt(i) != '=') {
            throw error(text, i, "expected '=' after the parameter name '" + arg + "'");
          }
          i = skip(s, i + 1);
          StringBuilder value = new StringBuilder();
          if (i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
            char q = s.charAt(i++);
            int open = i - 1;
            while (true) {
              if (i >= s.length()) {
                throw error(text, open, "unterminated string");
              }
              char c = s.charAt(i++);
              if (c == q) {
                break;
              }
              if (c == '\\' && i < s.length()) {
                char e = s.charAt(i++);
                value.append(e == q || e == '\\' ? String.valueOf(e) : "\\" + e);
              } else {
                value.append(c);
              }
            }
          } else {
            int vStart = i;
            while (i < s.length() && s.charAt(i) != ',' && s.charAt(i) != ')') {
              i++;
            }
            value.append(s, vStart, i);
            if (value.toString().strip().isEmpty()) {
              throw error(text, vStart, "expected a value for '" + arg + "'");
            }
            value = new StringBuilder(value.toString().strip());
          }
          if (args.put(arg, value.toString()) != null) {
            throw error(text, argStart, "parameter '" + arg + "' is given twice");
          }
          i = skip(s, i);
          if (i < s.length() && s.charAt(i) == ',') {
            i = skip(s, i + 1);
            continue;
          }
          if (i < s.length() && s.charAt(i) == ')') {
            i++;
            break;
          }
          throw error(text, i, "expected ',' or ')'");
        }
      }
    }
    i = skip(s, i);
    if (i < s.length()) {
      throw error(text, i, "unexpected text after the saved query call");
    }
    return new Call(name, args);
  }

  /**
   * The text to run for a saved query given arguments: every placeholder replaced by its argument
   * or its default. {@code callText} is what the user wrote, for error positions.
   */
  public static String expand(Saved saved, Map<String, String> arguments, String callText) {
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Parameter p : saved.parameters()) {
      byName.put(p.name(), p);
    }
    for (String arg : arguments.keySet()) {
      if (!byName.containsKey(arg)) {
        throw new QueryException(
            callText,
            Diagnostic.error(
                ErrorCode.SAVED_QUERY_UNKNOWN_PARAMETER.code(),
                "saved query '"
                    + saved.name()
                    + "' has no parameter '"
                    + arg
                    + "'"
                    + (byName.isEmpty()
                        ? ""
                        : "; its parameters: " + String.join(", ", byName.keySet())),
                spanOf(callText, arg)));
      }
    }
    List<String> missing = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    for (Parameter p : saved.parameters()) {
      String v = arguments.containsKey(p.name()) ? arguments.get(p.name()) : p.defaultValue();
      if (v == null) {
        missing.add(p.name());
      }
      values.put(p.name(), v);
    }
    if (!missing.isEmpty()) {
      throw new QueryException(
          callText,
          Diagnostic.error(
              ErrorCode.SAVED_QUERY_MISSING_PARAMETER.code(),
              "saved query '"
                  + saved.name()
                  + "' needs a value for "
                  + (missing.size() == 1 ? "parameter '" : "parameters '")
                  + String.join("', '", missing)
                  + "' (it has no default): $"
                  + saved.name()
                  + "("
                  + missing.getFirst()
                  + "=\"...\")",
              new Span(0, callText.length())));
    }
    Matcher m = PLACEHOLDER.matcher(saved.queryString());
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * A query text as it runs: a {@code $Name(...)} call expanded through {@code lookup} (saved
   * queries by name; TQ2123 when there is none), any other text as is.
   */
  public static String resolve(String text, Function<String, Saved> lookup) {
    if (!isCall(text)) {
      return text;
    }
    Call call = parseCall(text);
    Saved saved = lookup.apply(call.name());
    if (saved == null) {
      int at = text.indexOf('$');
      throw new QueryException(
          text,
          Diagnostic.error(
              ErrorCode.UNKNOWN_SAVED_QUERY.code(),
              "no saved query named '" + call.name() + "'",
              new Span(at, at + 1 + call.name().length())));
    }
    return expand(saved, call.arguments(), text);
  }

  private static Span spanOf(String text, String arg) {
    int at = text.indexOf(arg);
    return at < 0 ? new Span(0, text.length()) : new Span(at, at + arg.length());
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '/' || c == '.';
  }

  private static int skip(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static QueryException error(String text, int at, String message) {
    int p = Math.min(at, text.length());
    return new QueryException(
        text,
        Diagnostic.error(
            ErrorCode.BAD_SAVED_QUERY_CALL.code(),
            message,
            new Span(p, Math.min(text.length(), p + 1))));
  }
}
