package dev.trailquery.fn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.trailquery.eval.CompileContext;
import dev.trailquery.eval.Evaluator;
import dev.trailquery.json.Mappers;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.Span;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.metricfilter.MetricFilter;
import dev.trailquery.metricfilter.MetricPattern;
import dev.trailquery.metricfilter.Pattern;
import dev.trailquery.metricfilter.Selector;
import dev.trailquery.value.Timestamp;
import dev.trailquery.value.Values;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code filterPattern(PATTERN)} and {@code filterPattern(PATTERN, VALUE)}: a CloudWatch Logs JSON
 * metric-filter pattern evaluated on the record, inside a Logs Insights query. This is how metric
 * filters compile into the engine's plans ({@link MetricFilter#toQuery}).
 *
 * <p>With one argument the result is true or false. With a metric value as second argument ({@code
 * "1"} or a selector such as {@code "$.requestParameters.durationSeconds"}) the result is that
 * number for a matching record and missing otherwise (also when the value is missing or not
 * numeric) — what the record adds to the metric.
 *
 * <p>Both arguments must be string literals; pattern errors are reported at their position inside
 * the literal with the pattern's own codes (TQ4001–TQ4011).
 *
 * <p>Only what the pattern reads is extracted: a selector without wildcards reads its field
 * directly (as the reader gives it: JSON {@code null} reads as missing, an object or array as its
 * JSON text); a selector with {@code [*]} or {@code .*} reads the subtree before the wildcard and
 * walks it; a selector tested with {@code NOT EXISTS} or {@code IS NULL} reads its parent object so
 * that a JSON {@code null} counts as present, as CloudWatch has it. Selectors that cannot be
 * written as a field path (a member name containing a dot, a wildcard right after {@code $}) read
 * {@code @message}.
 */
final class PatternFunctions {
  private static final ObjectMapper MAPPER = Mappers.MAPPER;

  private PatternFunctions() {}

  static List<FunctionDef> all() {
    return List.of(new Def("filterPattern", 1, 2, PatternFunctions::compile));
  }

  private static Evaluator compile(Expr.Call call, List<Evaluator> args, CompileContext ctx) {
    String text = literal(call, 0, ctx, "a metric-filter pattern");
    MetricPattern pattern;
    try {
      pattern = MetricPattern.compile(text);
    } catch (QueryException e) {
      throw relocate(e, call.args().get(0), ctx);
    }
    Map<Selector, Source> sources = new IdentityHashMap<>();
    Span at = call.args().get(0).span();
    collect(pattern.ast(), sources, at, ctx);
    if (args.size() == 1) {
      return row -> {
        Ctx c = new Ctx(row);
        return Values.bool(pattern.matches(s -> sources.get(s).values(c)));
      };
    }
    String valueText = literal(call, 1, ctx, "a metric value (a number or a selector)");
    Selector valueSel;
    try {
      valueSel = MetricFilter.metricValueSelector(valueText);
    } catch (QueryException e) {
      throw relocate(e, call.args().get(1), ctx);
    }
    if (valueSel == null) {
      Double constant = Double.parseDouble(valueText.strip());
      return row -> {
        Ctx c = new Ctx(row);
        return pattern.matches(s -> sources.get(s).values(c)) ? constant : null;
      };
    }
    Source value = source(valueSel, false, call.args().get(1).span(), ctx);
    return row -> {
      Ctx c = new Ctx(row);
      if (!pattern.matches(s -> sources.get(s).values(c))) {
        return null;
      }
      for (JsonNode v : value.values(c)) {
        return MetricPattern.number(v);
      }
      return null;
    };
  }

  private static String literal(Expr.Call call, int i, CompileContext ctx, String what) {
    String lit = Args.stringLit(call, i);
    if (lit == null) {
      throw ctx.error(
          call.args().get(i).span(),
          Args.NOT_LITERAL,
          "filterPattern needs " + what + " as a string literal");
    }
    return lit;
  }

  /** Every selector of the pattern with how it is read. */
  private static void collect(Pattern p, Map<Selector, Source> out, Span at, CompileContext ctx) {
    switch (p) {
      case Pattern.All a -> {}
      case Pattern.And a -> {
        collect(a.left(), out, at, ctx);
        collect(a.right(), out, at, ctx);
      }
      case Pattern.Or o -> {
        collect(o.left(), out, at, ctx);
        collect(o.right(), out, at, ctx);
      }
      case Pattern.NotExists n -> out.put(n.selector(), source(n.selector(), true, at, ctx));
      case Pattern.Is is ->
          out.put(
              is.selector(), source(is.selector(), is.literal() == Pattern.Literal.NULL, at, ctx));
      case Pattern.Compare c -> out.put(c.selector(), source(c.selector(), false, at, ctx));
    }
  }

  /**
   * How a selector is read: directly, from a subtree, or from {@code @message}. {@code presence}:
   * the test must tell a JSON null from a missing member.
   */
  private static Source source(Selector s, boolean presence, Span at, CompileContext ctx) {
    List<Selector.Segment> segs = s.segments();
    int wildcard = -1;
    for (int i = 0; i < segs.size(); i++) {
      if (segs.get(i) instanceof Selector.AnyElement || segs.get(i) instanceof Selector.AnyField) {
        wildcard = i;
        break;
      }
    }
    int prefixLength = wildcard >= 0 ? wildcard : presence ? segs.size() - 1 : segs.size();
    if (prefixLength == segs.size()) {
      String path = path(segs, prefixLength);
      if (path != null) {
        return new Direct(ctx.field(path, at));
      }
    } else if (prefixLength > 0) {
      String path = path(segs, prefixLength);
      if (path != null) {
        return new Subtree(
            ctx.field(path, at),
            new Selector(s.text(), segs.subList(prefixLength, segs.size()), s.span()));
      }
    }
    return new Whole(ctx.field("@message"), s);
  }

  /** The dotted field path of the first {@code n} segments, or null when it cannot be written. */
  private static String path(List<Selector.Segment> segs, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String part =
          switch (segs.get(i)) {
            case Selector.Field f -> f.name();
            case Selector.Index x -> Integer.toString(x.index());
            default -> null;
          };
      if (part == null
          || part.isEmpty()
          || part.contains(".")
          || (i == 0 && part.startsWith("@"))
          || (segs.get(i) instanceof Selector.Field && part.chars().allMatch(Character::isDigit))) {
        return null;
      }
      if (!sb.isEmpty()) {
        sb.append('.');
      }
      sb.append(part);
    }
    return sb.isEmpty() ? null : sb.toString();
  }

  /** One evaluation: the row, and the record's JSON tree when some selector needed it. */
  private static final class Ctx {
    final Object[] row;
    JsonNode message;
    boolean messageRead;

    Ctx(Object[] row) {
      this.row = row;
    }

    JsonNode message(Evaluator ev) {
      if (!messageRead) {
        messageRead = true;
        message = parse(ev.eval(row));
      }
      return message;
    }
  }

  private sealed interface Source {
    List<JsonNode> values(Ctx c);
  }

  /** A field the reader extracted, as a JSON value. */
  private record Direct(Evaluator field) implements Source {
    @Override
    public List<JsonNode> values(Ctx c) {
      JsonNode n = node(field.eval(c.row));
      return n == null ? List.of() : List.of(n);
    }
  }

  /** The subtree at a field (its JSON text), walked by the rest of the selector. */
  private record Subtree(Evaluator field, Selector rest) implements Source {
    @Override
    public List<JsonNode> values(Ctx c) {
      JsonNode tree = parse(field.eval(c.row));
      return tree == null ? List.of() : rest.resolve(tree);
    }
  }

  /** The whole record, from {@code @message}. */
  private record Whole(Evaluator message, Selector selector) implements Source {
    @Override
    public List<JsonNode> values(Ctx c) {
      JsonNode tree = c.message(message);
      return tree == null ? List.of() : selector.resolve(tree);
    }
  }

  /** An engine value as the JSON value it was read from; null for missing. */
  static JsonNode node(Object v) {
    return switch (v) {
      case null -> null;
      case String s -> TextNode.valueOf(s);
      case Double d ->
          d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15
              ? LongNode.valueOf(d.longValue())
              : DoubleNode.valueOf(d);
      case Boolean b -> BooleanNode.valueOf(b);
      case Timestamp t -> TextNode.valueOf(Values.toText(t));
      // an object or array reached without a wildcard compares as its JSON text (documented)
      case dev.trailquery.value.JsonValue j -> TextNode.valueOf(j.text());
      default -> TextNode.valueOf(Values.toText(v));
    };
  }

  /** A container's JSON text as a tree; null when the value is missing or not a JSON container. */
  private static JsonNode parse(Object v) {
    if (v instanceof dev.trailquery.value.JsonValue j) {
      return j.node();
    }
    if (!(v instanceof String s) || s.isEmpty() || (s.charAt(0) != '{' && s.charAt(0) != '[')) {
      return null;
    }
    try {
      return MAPPER.readTree(s);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** A pattern error, moved from the pattern's text to its place in the query. */
  private static QueryException relocate(QueryException e, Expr literal, CompileContext ctx) {
    Span in = e.error().span();
    Span lit = literal.span();
    int start = rawOffset(ctx.source(), lit, in.start());
    int end = Math.max(start, rawOffset(ctx.source(), lit, in.end()));
    return ctx.error(
        new Span(start, end), e.error().code(), "filterPattern: " + e.error().message());
  }

  /** The escapes the lexer turns into one character; others keep their backslash. */
  private static final String ESCAPES = "\"'\\/ntr";

  /** Where the decoded character {@code decoded} of a string literal is in the query text. */
  static int rawOffset(String source, Span lit, int decoded) {
    int pos = lit.start() + 1;
    int end = Math.max(pos, lit.end() - 1);
    List<Integer> starts = new ArrayList<>();
    while (pos < end && starts.size() <= decoded) {
      starts.add(pos);
      pos +=
          source.charAt(pos) == '\\'
                  && pos + 1 < end
                  && ESCAPES.indexOf(source.charAt(pos + 1)) >= 0
              ? 2
              : 1;
    }
    return decoded < starts.size() ? starts.get(decoded) : Math.min(pos, lit.end());
  }
}
