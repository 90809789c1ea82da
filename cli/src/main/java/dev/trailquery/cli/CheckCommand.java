package dev.trailquery.cli;

import dev.trailquery.lang.Parser;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code check (QUERY | --saved NAME [--param P=V]... | --file FILE)}: parses and plans a query,
 * runs nothing. Start-up critical (editors and scripts call it per keystroke or file), so its
 * command line is built without reflection ({@link #spec}), and a line with no option at all runs
 * without a parser ({@link Commands#run}).
 */
final class CheckCommand implements Callable<Integer> {
  private final Context ctx;
  QueryText source = new QueryText();
  List<String> positional = new ArrayList<>();
  private CommandSpec spec;

  CheckCommand(Context ctx) {
    this.ctx = ctx;
  }

  /** The command line of {@code check}, built by hand (the same options as {@link QueryText}). */
  static CommandSpec spec(Context ctx) {
    CheckCommand c = new CheckCommand(ctx);
    CommandSpec spec = CommandSpec.wrapWithoutInspection(c);
    c.spec = spec;
    spec.name("check");
    spec.usageMessage()
        .description(
            "validate a query: exit 0 when valid (warnings on stderr), 2 when not",
            "Parses and plans the query as 'query' would, reading nothing; errors name the line"
                + " and column and what was expected.")
        .customSynopsis(
            "trailquery check [-h] (QUERY | --saved NAME [--param P=V]... | --file FILE)");
    spec.addOption(
        OptionSpec.builder("--saved")
            .paramLabel("NAME")
            .type(String.class)
            .description("a saved query of the pack (see 'trailquery saved')")
            .build());
    spec.addOption(
        OptionSpec.builder("--param")
            .paramLabel("P=V")
            .type(List.class)
            .auxiliaryTypes(String.class)
            .initialValue(new ArrayList<String>())
            .description("a parameter of the --saved query (repeatable)")
            .build());
    spec.addOption(
        OptionSpec.builder("--file")
            .paramLabel("FILE")
            .type(String.class)
            .description("read the query from FILE")
            .build());
    spec.addPositional(
        PositionalParamSpec.builder()
            .paramLabel("QUERY")
            .arity("0..*")
            .type(List.class)
            .auxiliaryTypes(String.class)
            .initialValue(new ArrayList<String>())
            .description("the query")
            .build());
    return spec;
  }

  @Override
  public Integer call() throws IOException {
    if (spec != null) { // parsed by picocli: take the values from the spec
      source.saved = spec.findOption("--saved").getValue();
      List<String> params = spec.findOption("--param").getValue();
      source.params = params == null ? List.of() : params;
      source.file = spec.findOption("--file").getValue();
      List<String> rest = spec.positionalParameters().getFirst().getValue();
      positional = rest == null ? List.of() : rest;
    }
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
