package dev.trailquery.functions.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;

/**
 * Where internal errors go: one JSON line on standard error (the function's CloudWatch log) with
 * the request id and the stack trace. Callers get only a generic message and the same request id,
 * never the exception text: AWS SDK messages name roles, accounts, tables and buckets.
 */
public final class ErrorLog {
  private ErrorLog() {}

  private static volatile PrintStream out = System.err;

  /** Redirects the log (tests). */
  public static PrintStream redirect(PrintStream to) {
    PrintStream before = out;
    out = to;
    return before;
  }

  /** A request id where the platform gave none. */
  public static String newRequestId() {
    return UUID.randomUUID().toString();
  }

  /** Logs {@code error} with what was being done; returns the request id logged. */
  public static String log(String requestId, String what, Throwable error) {
    String id = requestId == null ? newRequestId() : requestId;
    ObjectNode n = dev.trailquery.json.Mappers.MAPPER.createObjectNode();
    n.put("level", "ERROR");
    n.put("requestId", id);
    n.put("what", what);
    n.put("error", String.valueOf(error));
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    String[] lines = trace.toString().split("\n");
    n.put(
        "stackTrace",
        String.join("\n", java.util.Arrays.asList(lines).subList(0, Math.min(lines.length, 40))));
    out.println(dev.trailquery.json.Mappers.write(n));
    return id;
  }
}
