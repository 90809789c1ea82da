package dev.trailquery.fn;

import dev.trailquery.eval.Evaluator;
import dev.trailquery.value.JsonValue;
import dev.trailquery.value.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps and lists: {@code jsonParse}, {@code jsonStringify}, {@code jsonArraySize}, {@code
 * jsonArrayContains} and {@code split}.
 */
final class JsonFunctions {
  private JsonFunctions() {}

  static List<FunctionDef> all() {
    return List.of(
        new Def(
            "jsonParse",
            1,
            1,
            (call, args, ctx) -> {
              Evaluator a = args.getFirst();
              return row -> parse(a.eval(row));
            }),
        new Def(
            "jsonStringify",
            1,
            1,
            (call, args, ctx) -> {
              Evaluator a = args.getFirst();
              return row -> a.eval(row) instanceof JsonValue j ? j.text() : null;
            }),
        new Def(
            "jsonArraySize",
            1,
            1,
            (call, args, ctx) -> {
              Evaluator a = args.getFirst();
              return row -> {
                JsonValue j = parse(a.eval(row));
                return j != null && j.isList() ? (Object) (double) j.size() : null;
              };
            }),
        new Def(
            "jsonArrayContains",
            2,
            2,
            (call, args, ctx) -> {
              Evaluator a = args.get(0);
              Evaluator v = args.get(1);
              return row -> {
                JsonValue j = parse(a.eval(row));
                Object needle = v.eval(row);
                if (j == null || !j.isList() || needle == null) {
                  return Boolean.FALSE;
                }
                String text = Values.toText(needle);
                for (Object e : j.elements()) {
                  if (e != null && Values.toText(e).equals(text)) {
                    return Boolean.TRUE;
                  }
                }
                return Boolean.FALSE;
              };
            }),
        new Def(
            "split",
            2,
            2,
            (call, args, ctx) -> {
              Evaluator a = args.get(0);
              Evaluator d = args.get(1);
              return row -> {
                String s = Values.toText(a.eval(row));
                String delim = Values.toText(d.eval(row));
                if (s == null || delim == null) {
                  return null;
                }
                return JsonValue.listOf(split(s, delim));
              };
            }));
  }

  /** A map or list as is; JSON object or array text parsed; anything else null. */
  static JsonValue parse(Object v) {
    return switch (v) {
      case JsonValue j -> j;
      case String s -> JsonValue.parse(s);
      case null, default -> null;
    };
  }

  /**
   * Every piece between occurrences of {@code delim}, empty pieces kept ({@code "a,,b"} → {@code
   * ["a", "", "b"]}); an empty delimiter splits into characters (code points).
   */
  static List<String> split(String s, String delim) {
    List<String> out = new ArrayList<>();
    if (delim.isEmpty()) {
      s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
      return out;
    }
    int from = 0;
    int at;
    while ((at = s.indexOf(delim, from)) >= 0) {
      out.add(s.substring(from, at));
      from = at + delim.length();
    }
    out.add(s.substring(from));
    return out;
  }
}
