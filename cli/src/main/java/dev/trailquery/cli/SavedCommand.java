package dev.trailquery.cli;

import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import dev.trailquery.saved.Parameter;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code saved [NAME]}: the saved query pack. */
@Command(
    name = "saved",
    description = {
      "list the saved queries, or show one (with its original if corrected)",
      "Run one with: trailquery query --saved NAME [--param P=V]... PATH..."
    })
final class SavedCommand implements Callable<Integer> {
  private final Context ctx;

  @Parameters(
      paramLabel = "NAME",
      arity = "0..1",
      description = "a saved query (default: list them all)")
  String name;

  SavedCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    PrintStream out = ctx.out;
    if (name == null) {
      int w = QueryPack.all().stream().mapToInt(q -> q.name().length()).max().orElse(10);
      for (SavedQuery q : QueryPack.all()) {
        out.printf("%-" + w + "s  %s%n", q.name(), q.description());
      }
      return 0;
    }
    SavedQuery q =
        QueryPack.find(name)
            .orElseThrow(() -> new UsageException("no saved query named '" + name + "'"));
    out.println("# " + q.name() + ": " + q.description());
    out.println("# source: " + q.source());
    if (q.correction() != null) {
      out.println("# corrected: " + q.correction());
      out.println("# original:");
      for (String line : q.original().split("\n")) {
        out.println("#   " + line);
      }
    }
    for (Parameter p : q.parameters()) {
      out.println(
          "# parameter "
              + p.name()
              + (p.defaultValue() == null
                  ? " (required)"
                  : " (default \"" + p.defaultValue() + "\")")
              + (p.description() == null ? "" : ": " + p.description()));
    }
    out.println(q.query());
    return 0;
  }
}
