package dev.trailquery.cli;

import dev.trailquery.lang.Parser;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code check (QUERY | --saved NAME | --file FILE)}: parses and plans a query, runs nothing. */
@Command(
    name = "check",
    description = {
      "validate a query: exit 0 when valid (warnings on stderr), 2 when not",
      "Parses and plans the query as 'query' would, reading nothing; errors name the line and"
          + " column and what was expected."
    },
    customSynopsis = "trailquery check [-h] (QUERY | --saved NAME [--param P=V]... | --file FILE)")
final class CheckCommand implements Callable<Integer> {
  private final Context ctx;

  @Mixin QueryText source;

  @Parameters(paramLabel = "QUERY", arity = "0..*", description = "the query")
  List<String> positional = new ArrayList<>();

  CheckCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    List<String> rest = new ArrayList<>(positional);
    String text = source.text(rest);
    if (!rest.isEmpty()) {
      throw new UsageException("check takes one query; unexpected '" + rest.getFirst() + "'");
    }
    Query q = Parser.parse(text);
    Plan plan = Planner.plan(q, Planner.Options.defaults());
    QueryText.printWarnings(ctx.err, text, plan.warnings());
    ctx.err.println(
        "ok: the query is valid" + (plan.warnings().isEmpty() ? "" : " (with warnings)"));
    return 0;
  }
}
