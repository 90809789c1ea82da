package dev.trailquery.contract;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --env-vars} file of {@code sam local invoke} / {@code start-api} for a template
 * synthesized with {@code -c local=true}: per function (by logical ID), the values of the variables
 * its template declares — the contract's and the local endpoints. SAM passes a function only the
 * variables its template declares, so this names no others. The function variables are empty: the
 * local run fans out and backfills on threads of the one container instead of invoking functions.
 * {@code ./trailquery local-init --sam-env} prints it.
 */
public final class SamEnv {
  private SamEnv() {}

  /** Variables whose template value (a function ARN) cannot work locally: left empty. */
  private static final Set<Env> IN_PROCESS =
      EnumSet.of(Env.WORKER_FUNCTION, Env.COORDINATOR_FUNCTION, Env.INGEST_FUNCTION);

  /** {@code {"IngestFunction": {"TRAILQUERY_RESULTS_TABLE": "...", ...}, ...}}. */
  public static Map<String, Map<String, String>> of(Map<Env, String> values) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (LambdaFunction f : LambdaFunction.values()) {
      Map<String, String> vars = new LinkedHashMap<>();
      for (Env e : Env.LOCAL_ENDPOINTS) {
        if (values.get(e) != null) {
          vars.put(e.var(), values.get(e));
        }
      }
      for (Env e : f.env()) {
        if (IN_PROCESS.contains(e)) {
          vars.put(e.var(), "");
        } else if (values.get(e) != null) {
          vars.put(e.var(), values.get(e));
        }
      }
      out.put(f.logicalId(), vars);
    }
    return out;
  }

  /** The same as JSON, indented. */
  public static String json(Map<Env, String> values) {
    StringBuilder sb = new StringBuilder("{\n");
    var fns = of(values).entrySet().iterator();
    while (fns.hasNext()) {
      var f = fns.next();
      sb.append("  ").append(quote(f.getKey())).append(": {");
      var vars = f.getValue().entrySet().iterator();
      sb.append(vars.hasNext() ? "\n" : "");
      while (vars.hasNext()) {
        var v = vars.next();
        sb.append("    ").append(quote(v.getKey())).append(": ").append(quote(v.getValue()));
        sb.append(vars.hasNext() ? ",\n" : "\n  ");
      }
      sb.append(fns.hasNext() ? "},\n" : "}\n");
    }
    return sb.append("}\n").toString();
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
