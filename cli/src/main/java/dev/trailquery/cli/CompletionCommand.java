package dev.trailquery.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

/**
 * {@code completion [bash|zsh]}: picocli's completion script for every command, option and listed
 * value; {@code source <(./trailquery completion bash)}.
 */
@Command(
    name = "completion",
    description = {
      "print a shell completion script: source <(./trailquery completion bash)",
      "Completes commands, options and their listed values (formats, functions, packs). The"
          + " script is for bash and for zsh (through bashcompinit); it completes the command"
          + " 'trailquery' (put the repository on the PATH, or alias trailquery=/path/to/trailquery)."
    })
final class CompletionCommand implements Callable<Integer> {
  private final Context ctx;

  @Parameters(
      arity = "0..1",
      paramLabel = "SHELL",
      completionCandidates = Shells.class,
      description = "bash (default) or zsh")
  String shell = "bash";

  @CommandLine.Spec CommandSpec spec;

  /** The shells. */
  static final class Shells implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.List.of("bash", "zsh").iterator();
    }
  }

  CompletionCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new UsageException("no completion for '" + shell + "': use bash or zsh");
    }
    ctx.out.print(AutoComplete.bash("trailquery", spec.parent().commandLine()));
    return 0;
  }
}
