package dev.trailquery.contributor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.contributor.ContributorRule.AggregateOn;
import dev.trailquery.contributor.ContributorRule.Filter;
import dev.trailquery.contributor.ContributorRule.Op;
import dev.trailquery.json.Mappers;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.ErrorCode;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.Span;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates Contributor Insights rule JSON. Errors are {@link QueryException}s whose
 * message starts with the JSON path of the problem ({@code $.Contribution.Keys[2]: ...}) and whose
 * span points at it in the text. Codes: TQ4501 not JSON, TQ4502 missing or unknown member, TQ4503
 * wrong type or value, TQ4504 bad property selector, TQ4505 a limit exceeded (8,192 characters, 4
 * keys, 4 filters, 10 strings), TQ4506 unsupported (LogFormat CLF).
 */
public final class RuleParser {
  public static final int MAX_LENGTH = 8192;
  public static final int MAX_KEYS = 4;
  public static final int MAX_FILTERS = 4;
  public static final int MAX_STRINGS = 10;
  private static final ObjectMapper MAPPER = Mappers.MAPPER;
  private static final java.util.regex.Pattern PROPERTY =
      java.util.regex.Pattern.compile("\\$(\\.[A-Za-z][A-Za-z0-9]*(\\[\\d+\\])*)+");

  private final String text;
  private final JsonLocations locations;

  private RuleParser(String text) {
    this.text = text;
    this.locations = JsonLocations.index(text);
  }

  public static ContributorRule parse(String text) {
    return new RuleParser(text).rule();
  }

  private QueryException error(String code, String path, String message) {
    int[] s = locations.span(path);
    int start = Math.min(s[0], text.length());
    int end = Math.min(Math.max(s[1], start), text.length());
    return new QueryException(
        text,
        Diagnostic.error(code, path.replace("#name", "") + ": " + message, new Span(start, end)));
  }

  private ContributorRule rule() {
    if (text.length() > MAX_LENGTH) {
      throw new QueryException(
          text,
          Diagnostic.error(
              ErrorCode.RULE_LIMIT.code(),
              "$: a rule is at most " + MAX_LENGTH + " characters",
              new Span(MAX_LENGTH, text.length())));
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      int at =
          (int)
              Math.max(
                  0,
                  Math.min(
                      text.length(),
                      e.getLocation() == null ? 0 : e.getLocation().getCharOffset()));
      throw new QueryException(
          text,
          Diagnostic.error(
              ErrorCode.RULE_NOT_JSON.code(),
              "not valid JSON: " + e.getOriginalMessage(),
              new Span(at, Math.min(text.length(), at + 1))));
    }
    if (root == null || !root.isObject()) {
      throw error(ErrorCode.RULE_BAD_VALUE.code(), "$", "a rule is a JSON object");
    }
    only(
        root,
        "$",
        Set.of(
            "Schema",
            "LogGroupNames",
            "LogGroupARNs",
            "LogFormat",
            "Fields",
            "Contribution",
            "AggregateOn",
            "ApplyOnTransformedLogs"));
    JsonNode schema =
        required(
            root, "$", "Schema", "an object {\"Name\": \"CloudWatchLogRule\", \"Version\": 1}");
    if (!schema.isObject()) {
      throw error(
          ErrorCode.RULE_BAD_VALUE.code(),
          "$.Schema",
          "expected an object {\"Name\": \"CloudWatchLogRule\", \"Version\": 1}");
    }
    only(schema, "$.Schema", Set.of("Name", "Version"));
    JsonNode name = required(schema, "$.Schema", "Name", "\"CloudWatchLogRule\"");
    if (!name.isTextual() || !name.textValue().equals("CloudWatchLogRule")) {
      throw error(
          ErrorCode.RULE_BAD_VALUE.code(),
          "$.Schema.Name",
          "expected \"CloudWatchLogRule\""
              + (name.isTextual() && name.textValue().equals("ServiceLogRule")
                  ? " (managed rules are not supported)"
                  : ""));
    }
    JsonNode version = required(schema, "$.Schema", "Version", "1");
    if (!version.isNumber() || version.doubleValue() != 1) {
      throw error(ErrorCode.RULE_BAD_VALUE.code(), "$.Schema.Version", "expected 1");
    }
    if (root.has("LogGroupNames") && root.has("LogGroupARNs")) {
      throw error(
          ErrorCode.RULE_BAD_VALUE.code(),
          "$.LogGroupARNs#name",
          "give LogGroupNames or LogGroupARNs, not both");
    }
    List<String> groups = new ArrayList<>();
    for (String g : List.of("LogGroupNames", "LogGroupARNs")) {
      if (root.has(g)) {
        groups.addAll(strings(root.get(g), "$." + g, 0, Integer.MAX_VALUE));
      }
    }
    JsonNode format = required(root, "$", "LogFormat", "\"JSON\"");
    if (!format.isTextual()
        || !(format.textValue().equals("JSON") || format.textValue().equals("CLF"))) {
      throw error(ErrorCode.RULE_BAD_VALUE.code(), "$.LogFormat", "expected \"JSON\" or \"CLF\"");
    }
    if (format.textValue().equals("CLF")) {
      throw error(
          ErrorCode.RULE_UNSUPPORTED.code(),
          "$.LogFormat",
          "CLF rules are not supported: CloudTrail records are JSON");
    }
    if (root.has("Fields")) {
      throw error(ErrorCode.RULE_BAD_VALUE.code(), "$.Fields#name", "Fields is for CLF rules only");
    }
    JsonNode agg = required(root, "$", "AggregateOn", "\"Count\" or \"Sum\"");
    AggregateOn aggregateOn;
    if (agg.isTextual() && agg.textValue().equals("Count")) {
      aggregateOn = AggregateOn.COUNT;
    } else if (agg.isTextual() && agg.textValue().equals("Sum")) {
      aggregateOn = AggregateOn.SUM;
    } else {
      throw error(
          ErrorCode.RULE_BAD_VALUE.code(), "$.AggregateOn", "expected \"Count\" or \"Sum\"");
    }
    JsonNode contribution = required(root, "$", "Contribution", "an object with Keys");
    if (!contribution.isObject()) {
      throw error(
          ErrorCode.RULE_BAD_VALUE.code(), "$.Contribution", "expected an object with Keys");
    }
    only(contribution, "$.Contribution", Set.of("Keys", "ValueOf", "Filters"));
    JsonNode keysNode =
        required(contribution, "$.Contribution", "Keys", "an array of 1 to 4 selectors");
    List<String> keys = strings(keysNode, "$.Contribution.Keys", 1, MAX_KEYS);
    for (int i = 0; i < keys.size(); i++) {
      property(keys.get(i), "$.Contribution.Keys[" + i + "]");
    }
    String valueOf = null;
    if (contribution.has("ValueOf")) {
      JsonNode v = contribution.get("ValueOf");
      if (!v.isTextual()) {
        throw error(
            ErrorCode.RULE_BAD_VALUE.code(),
            "$.Contribution.ValueOf",
            "expected a selector string such as \"$.bytes\"");
      }
      valueOf = property(v.textValue(), "$.Contribution.ValueOf");
      if (aggregateOn != AggregateOn.SUM) {
        throw error(
            ErrorCode.RULE_BAD_VALUE.code(),
            "$.Contribution.ValueOf",
            "ValueOf needs \"AggregateOn\": \"Sum\"");
      }
    } else if (aggregateOn == AggregateOn.SUM) {
      throw error(
          ErrorCode.RULE_MISSING.code(),
          "$.AggregateOn",
          "\"Sum\" needs Contribution.ValueOf: the property to sum");
    }
    List<Filter> filters = new ArrayList<>();
    if (contribution.has("Filters")) {
      JsonNode fs = contribution.get("Filters");
      String fp = "$.Contribution.Filters";
      if (!fs.isArray()) {
        throw error(ErrorCode.RULE_BAD_VALUE.code(), fp, "expected an array of filters");
      }
      if (fs.size() > MAX_FILTERS) {
        throw error(
            ErrorCode.RULE_LIMIT.code(),
            fp + "[" + MAX_FILTERS + "]",
            "at most " + MAX_FILTERS + " filters");
      }
      for (int i = 0; i < fs.size(); i++) {
        filters.add(filter(fs.get(i), fp + "[" + i + "]"));
      }
    }
    return new ContributorRule(keys, valueOf, filters, aggregateOn, groups);
  }

  private Filter filter(JsonNode f, String path) {
    if (!f.isObject()) {
      throw error(
          ErrorCode.RULE_BAD_VALUE.code(),
          path,
          "expected an object {\"Match\": \"$.field\", \"In\": [...]}");
    }
    JsonNode match = required(f, path, "Match", "a selector such as \"$.eventName\"");
    if (!match.isTextual()) {
      throw error(
          ErrorCode.RULE_BAD_VALUE.code(),
          path + ".Match",
          "expected a selector string such as \"$.eventName\"");
    }
    String m = property(match.textValue(), path + ".Match");
    Op op = null;
    String opName = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
      String k = it.next().getKey();
      if (k.equals("Match")) {
        continue;
      }
      Op o = Op.of(k);
      if (o == null) {
        throw error(
            ErrorCode.RULE_MISSING.code(),
            path + "." + k + "#name",
            "unknown filter operator '"
                + k
                + "'; expected one of In, NotIn, StartsWith, GreaterThan, LessThan, EqualTo, NotEqualTo, IsPresent");
      }
      if (op != null) {
        throw error(
            ErrorCode.RULE_BAD_VALUE.code(),
            path + "." + k + "#name",
            "a filter has one operator; this one already has " + opName);
      }
      op = o;
      opName = k;
    }
    if (op == null) {
      throw error(
          ErrorCode.RULE_MISSING.code(),
          path,
          "a filter needs an operator (In, NotIn, StartsWith, GreaterThan, LessThan, EqualTo, NotEqualTo or IsPresent)");
    }
    JsonNode arg = f.get(opName);
    String ap = path + "." + opName;
    return switch (op) {
      case IN, NOT_IN, STARTS_WITH ->
          new Filter(m, op, strings(arg, ap, 1, MAX_STRINGS), null, null);
      case GREATER_THAN, LESS_THAN, EQUAL_TO, NOT_EQUAL_TO -> {
        if (!arg.isNumber()) {
          throw error(ErrorCode.RULE_BAD_VALUE.code(), ap, "expected a number");
        }
        yield new Filter(m, op, null, arg.doubleValue(), null);
      }
      case IS_PRESENT -> {
        if (!arg.isBoolean()) {
          throw error(ErrorCode.RULE_BAD_VALUE.code(), ap, "expected true or false");
        }
        yield new Filter(m, op, null, null, arg.booleanValue());
      }
    };
  }

  private JsonNode required(JsonNode obj, String path, String name, String what) {
    JsonNode n = obj.get(name);
    if (n == null) {
      throw error(ErrorCode.RULE_MISSING.code(), path, "missing " + name + " (" + what + ")");
    }
    return n;
  }

  private void only(JsonNode obj, String path, Set<String> allowed) {
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw error(
            ErrorCode.RULE_MISSING.code(),
            path + "." + k + "#name",
            "unknown member '"
                + k
                + "'; expected one of "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private List<String> strings(JsonNode arr, String path, int min, int max) {
    if (!arr.isArray()) {
      throw error(ErrorCode.RULE_BAD_VALUE.code(), path, "expected an array of strings");
    }
    if (arr.size() < min) {
      throw error(
          ErrorCode.RULE_BAD_VALUE.code(),
          path,
          "expected at least " + min + " string" + (min == 1 ? "" : "s"));
    }
    if (arr.size() > max) {
      throw error(
          ErrorCode.RULE_LIMIT.code(), path + "[" + max + "]", "at most " + max + " entries");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      if (!arr.get(i).isTextual()) {
        throw error(ErrorCode.RULE_BAD_VALUE.code(), path + "[" + i + "]", "expected a string");
      }
      out.add(arr.get(i).textValue());
    }
    return out;
  }

  private String property(String s, String path) {
    if (!PROPERTY.matcher(s).matches()) {
      throw error(
          ErrorCode.RULE_BAD_SELECTOR.code(),
          path,
          "bad property '"
              + s
              + "': expected $. then names of letters and digits (starting with a letter), with optional [n] indexes, like $.userIdentity.arn or $.resources[0].ARN");
    }
    return s;
  }
}
