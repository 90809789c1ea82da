package dev.trailquery.metricfilter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.json.Mappers;
import dev.trailquery.metricfilter.Pattern.Compare;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A compiled JSON metric-filter pattern, matched against a CloudTrail record's JSON tree.
 *
 * <p>Semantics (CloudWatch Logs; trailquery's choices where AWS documents none):
 *
 * <ul>
 *   <li>A test on a selector that reaches nothing (missing property) is false, for {@code !=} and
 *       numeric comparisons too; only {@code NOT EXISTS} matches absence. {@code IS NULL} matches a
 *       JSON {@code null} only (not absence).
 *   <li>A selector reaching an object or array never matches a comparison.
 *   <li>A wildcard selector ({@code [*]}, {@code .*}) matches when any node it reaches passes the
 *       test (also for {@code !=}).
 *   <li>Strings: {@code *} is a wildcard anywhere in the value (unlike Logs Insights, where it is a
 *       literal character); {@code \*} is a literal star. JSON numbers and booleans compare as
 *       their JSON text ({@code $.code = "200"} matches {@code 200}); JSON {@code null} never
 *       equals or differs from a string.
 *   <li>Numbers: a numeric value compares numerically with JSON numbers and with strings that are
 *       entirely a number ({@code "400"}); other strings are not equal (and not {@code <} or {@code
 *       >}).
 *   <li>Regexes {@code %re%} are found anywhere in the value (RE2/J, linear time).
 * </ul>
 */
public final class MetricPattern {
  private static final ObjectMapper MAPPER = Mappers.MAPPER;

  private final String text;
  private final Pattern pattern;
  private final List<Selector> selectors;

  private MetricPattern(PatternParser.Parsed parsed) {
    this.text = parsed.text();
    this.pattern = parsed.pattern();
    this.selectors = parsed.selectors();
  }

  /** Parses {@code text}; throws {@link dev.trailquery.lang.QueryException} when invalid. */
  public static MetricPattern compile(String text) {
    return new MetricPattern(PatternParser.parse(text));
  }

  public String text() {
    return text;
  }

  public Pattern ast() {
    return pattern;
  }

  /** Every selector of the pattern, in order of appearance. */
  public List<Selector> selectors() {
    return selectors;
  }

  /**
   * The engine reader paths the pattern needs (see {@link Selector#readerPath()}), without
   * duplicates; contains null when some selector needs the whole record.
   */
  public Set<String> readerPaths() {
    Set<String> out = new LinkedHashSet<>();
    for (Selector s : selectors) {
      out.add(s.readerPath());
    }
    return out;
  }

  /** Whether the record (a JSON object) matches. */
  public boolean matches(JsonNode record) {
    return eval(pattern, s -> s.resolve(record));
  }

  /**
   * Whether a record matches, given what each selector of the pattern reaches in it ({@code values}
   * is called with the very {@link Selector} instances of {@link #ast()}; an empty list means the
   * selector reaches nothing). This is how the engine's {@code filterPattern} evaluates a pattern
   * over the fields the reader extracted, without the record's JSON tree.
   */
  public boolean matches(Function<Selector, List<JsonNode>> values) {
    return eval(pattern, values);
  }

  /** Whether the record's JSON text matches; text that is not JSON never matches. */
  public boolean matches(String json) {
    try {
      return matches(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static boolean eval(Pattern p, Function<Selector, List<JsonNode>> values) {
    return switch (p) {
      case Pattern.All a -> true;
      case Pattern.And a -> eval(a.left(), values) && eval(a.right(), values);
      case Pattern.Or o -> eval(o.left(), values) || eval(o.right(), values);
      case Pattern.NotExists n -> values.apply(n.selector()).isEmpty();
      case Pattern.Is is -> {
        for (JsonNode v : values.apply(is.selector())) {
          boolean hit =
              switch (is.literal()) {
                case NULL -> v.isNull();
                case TRUE -> v.isBoolean() && v.booleanValue();
                case FALSE -> v.isBoolean() && !v.booleanValue();
              };
          if (hit) {
            yield true;
          }
        }
        yield false;
      }
      case Compare c -> {
        for (JsonNode v : values.apply(c.selector())) {
          if (compare(c, v)) {
            yield true;
          }
        }
        yield false;
      }
    };
  }

  private static boolean compare(Compare c, JsonNode v) {
    if (v.isContainerNode() || v.isNull() || v.isMissingNode()) {
      return false;
    }
    boolean eq = c.op() == Pattern.Op.EQ;
    return switch (c.value()) {
      case Pattern.Str s -> s.matches(v.asText()) == eq;
      case Pattern.Regex r -> r.find(v.asText()) == eq;
      case Pattern.Num n -> {
        Double d = number(v);
        if (d == null) {
          yield c.op() == Pattern.Op.NE;
        }
        int cmp = Double.compare(d, n.value());
        yield switch (c.op()) {
          case EQ -> d == n.value();
          case NE -> d != n.value();
          case LT -> cmp < 0;
          case LE -> d <= n.value();
          case GT -> cmp > 0;
          case GE -> d >= n.value();
        };
      }
    };
  }

  /** The numeric value of a JSON number, or of a string that is entirely a number; else null. */
  public static Double number(JsonNode v) {
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      String s = v.textValue().strip();
      // the pattern accepts only what parseDouble reads (a huge exponent gives infinity)
      return NUMERIC.matcher(s).matches() ? Double.parseDouble(s) : null;
    }
    return null;
  }

  private static final java.util.regex.Pattern NUMERIC =
      java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  /** The records of {@code records} that match, in order. */
  public List<JsonNode> filter(Iterable<JsonNode> records) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode r : records) {
      if (matches(r)) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return text;
  }
}
