package dev.trailquery.cli;

import dev.trailquery.lang.Diagnostic;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import dev.trailquery.saved.Templates;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where {@code query} and {@code check} take their query from: the first positional argument (a
 * query, or {@code $NAME(p="v")}), {@code --saved NAME [--param P=V]...} or {@code --file FILE}.
 */
final class QueryText {
  @Option(
      names = "--saved",
      paramLabel = "NAME",
      description = "a saved query of the pack (see 'trailquery saved')")
  String saved;

  @Option(
      names = "--param",
      paramLabel = "P=V",
      description = "a parameter of the --saved query (repeatable)")
  List<String> params = new ArrayList<>();

  @Option(names = "--file", paramLabel = "FILE", description = "read the query from FILE")
  String file;

  /** The query text; takes the query off the front of {@code positional} when it is there. */
  String text(List<String> positional) throws IOException {
    if (saved != null && file != null) {
      throw new UsageException("give either --saved or --file, not both");
    }
    if (saved == null && !params.isEmpty()) {
      throw new UsageException("--param goes with --saved NAME");
    }
    if (saved != null) {
      SavedQuery q =
          QueryPack.find(saved)
              .orElseThrow(
                  () ->
                      new UsageException(
                          "no saved query named '" + saved + "' (see 'trailquery saved')"));
      Map<String, String> values = new LinkedHashMap<>();
      for (String p : params) {
        int eq = p.indexOf('=');
        if (eq <= 0) {
          throw new UsageException("--param takes NAME=VALUE, got '" + p + "'");
        }
        if (values.put(p.substring(0, eq), p.substring(eq + 1)) != null) {
          throw new UsageException("--param " + p.substring(0, eq) + " is given twice");
        }
      }
      String call = "--saved " + saved + " " + String.join(" ", params);
      return Templates.expand(q.template(), values, call.strip());
    }
    String text;
    if (file != null) {
      text = TextFiles.read(Invocation.path(file), "--file");
    } else if (positional.isEmpty()) {
      throw new UsageException("missing QUERY");
    } else {
      text = positional.removeFirst();
    }
    // $Name(p="v"): a saved query of the pack with its parameters
    return Templates.resolve(text, QueryPack::template);
  }

  static void printWarnings(PrintStream err, String source, List<Diagnostic> warnings) {
    for (Diagnostic d : warnings) {
      err.println(d.render(source));
    }
  }
}
