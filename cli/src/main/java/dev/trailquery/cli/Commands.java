package dev.trailquery.cli;

import dev.trailquery.exec.TooManyGroupsException;
import dev.trailquery.lang.QueryException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The commands of {@code ./trailquery} on picocli: their names and groups, how one command line is
 * parsed and run, and how errors become messages and exit codes (0 ok, 1 a failed run, 2 a bad
 * query or usage). Only the command a line names is built (its annotations read): {@code check}
 * starts in the time a JVM takes, not the time reading twenty commands' annotations takes; {@code
 * help}, {@code completion} and unknown commands build them all.
 */
final class Commands {
  /** The groups of {@code ./trailquery help}, in order. */
  enum Group {
    QUERY("Query CloudTrail"),
    SUBSCRIPTIONS("Subscriptions, metric filters and alarms"),
    LOCAL("Serve, run the Lambda functions locally, deploy"),
    BLOCKS("Compacted blocks"),
    OTHER("Help and shell");

    final String title;

    Group(String title) {
      this.title = title;
    }
  }

  /** A command: its name, group and how to make it for one command line. */
  record Entry(String name, Group group, Function<Context, Object> factory) {}

  static final List<Entry> ALL =
      List.of(
          new Entry("query", Group.QUERY, QueryCommand::new),
          new Entry("check", Group.QUERY, CheckCommand::spec),
          new Entry("demo", Group.QUERY, DemoCommand::new),
          new Entry("saved", Group.QUERY, SavedCommand::new),
          new Entry("record", Group.QUERY, RecordCommand::new),
          new Entry("lookup-table", Group.QUERY, LookupCommands.LookupTableCommand::new),
          new Entry("subscribe", Group.SUBSCRIPTIONS, SubscribeCommand::new),
          new Entry("subscriptions", Group.SUBSCRIPTIONS, SubscriptionsCommand::new),
          new Entry("results", Group.SUBSCRIPTIONS, ResultsCommand::new),
          new Entry("alarm", Group.SUBSCRIPTIONS, AlarmCommands.AlarmCommand::new),
          new Entry("alarms", Group.SUBSCRIPTIONS, AlarmCommands.AlarmsCommand::new),
          new Entry("test-pattern", Group.SUBSCRIPTIONS, PatternCommands.TestPattern::new),
          new Entry("watch-pack", Group.SUBSCRIPTIONS, PatternCommands.WatchPackCommand::new),
          new Entry("serve", Group.LOCAL, ServeCommand::new),
          new Entry("local-init", Group.LOCAL, LocalInitCommand::new),
          new Entry("invoke", Group.LOCAL, InvokeCommand::new),
          new Entry("seal", Group.LOCAL, SealCommand::new),
          new Entry("daemon", Group.LOCAL, DaemonCommand::new),
          new Entry("compact-trail", Group.BLOCKS, BlockCommands.CompactTrail::new),
          new Entry("help", Group.OTHER, c -> new HelpCommand()),
          new Entry("completion", Group.OTHER, CompletionCommand::new),
          new Entry("version", Group.OTHER, c -> new VersionCommand()));

  /** The text after the command list of {@code ./trailquery help}. */
  static final String FOOTER =
      """
      Run 'trailquery COMMAND --help' (or 'trailquery help COMMAND') for a command's options.
      Shell completion: source <(./trailquery completion bash)

      T (--start, --end, --from, ...): ISO-8601 (2026-11-01T10:00:00Z; no zone = UTC), relative
        (-2h, -30m, -7d), now, or epoch seconds; a start is inclusive, an end exclusive.
      S3 uses the default AWS credential chain; AWS_ENDPOINT_URL_S3 points it at an S3-compatible
        server. Subscriptions, alarms and the local Lambda functions use the TRAILQUERY_* tables
        and bucket that 'trailquery local-init' prints.
      Exit codes: 0 ok, 1 a failed run, 2 a bad query or usage.""";

  private Commands() {}

  /**
   * The root command, {@code trailquery [-h] [--version] COMMAND}: built without reflection (so are
   * the start-up-critical commands, see {@link CheckCommand#spec}).
   */
  static CommandSpec rootSpec() {
    CommandSpec spec =
        CommandSpec.wrapWithoutInspection(
            (Runnable)
                () -> {
                  throw new UsageException("missing COMMAND");
                });
    spec.name("trailquery");
    spec.usageMessage()
        .description(
            "CloudWatch Logs Insights queries over AWS CloudTrail, from S3 or local files.")
        .synopsisSubcommandLabel("COMMAND");
    spec.addOption(
        OptionSpec.builder("-h", "--help").usageHelp(true).description("show this help").build());
    spec.addOption(
        OptionSpec.builder("--version").versionHelp(true).description("print the version").build());
    return spec;
  }

  /** Runs one command line in {@code ctx}; returns its exit code. */
  static int run(Context ctx, List<String> argv) {
    if (argv.isEmpty()) {
      ctx.out.print(build(ctx, ALL).getUsageMessage());
      return 2;
    }
    String first = argv.getFirst();
    if (first.equals("check") && argv.stream().noneMatch(a -> a.startsWith("-"))) {
      // The start-up-critical command, with nothing for a parser to do (no option, no "--"):
      // run without building a command line. The same command object, checks and messages.
      CheckCommand check = new CheckCommand(ctx);
      check.positional = new ArrayList<>(argv.subList(1, argv.size()));
      try {
        return check.call();
      } catch (Exception e) {
        return failure(ctx, e, "trailquery check");
      } catch (OutOfMemoryError e) {
        return internalError(ctx, e);
      }
    }
    List<Entry> needed = ALL;
    for (Entry e : ALL) {
      if (e.name().equals(first) && e.group() != Group.OTHER) {
        needed = List.of(e);
      }
    }
    CommandLine cl = build(ctx, needed);
    try {
      return cl.execute(argv.toArray(String[]::new));
    } catch (OutOfMemoryError e) {
      return internalError(ctx, e);
    } finally {
      cl.getOut().flush();
      cl.getErr().flush();
    }
  }

  /** The command line with the root and {@code entries}. */
  static CommandLine build(Context ctx, List<Entry> entries) {
    CommandLine cl = new CommandLine(rootSpec());
    for (Entry e : entries) {
      cl.addSubcommand(e.name(), e.factory().apply(ctx));
    }
    cl.getCommandSpec().version("trailquery " + Main.version());
    cl.setOut(new PrintWriter(ctx.out, true));
    cl.setErr(new PrintWriter(ctx.err, true));
    cl.setExpandAtFiles(false); // '@ptr' and '@timestamp' are words of this language, not files
    cl.setOverwrittenOptionsAllowed(true); // the last --format wins, as before picocli
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(false);
    cl.setUsageHelpWidth(100);
    cl.setParameterExceptionHandler((ex, args) -> usageError(ctx, ex));
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> failure(ctx, ex, qualified(cmd)));
    for (CommandLine sub : cl.getSubcommands().values()) {
      addHelpOption(sub);
    }
    cl.getCommandSpec().usageMessage().descriptionHeading("%n").optionListHeading("%nOptions:%n");
    cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING, help -> "");
    cl.getHelpSectionMap()
        .put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> groupedCommands(cl));
    cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> "\n" + FOOTER + "\n");
    return cl;
  }

  /**
   * {@code -h, --help} on a command and its subcommands, and the layout of their help: the
   * synopsis, the one-line summary, a blank line, the details, then the options.
   */
  private static void addHelpOption(CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    UsageMessageSpec usage = spec.usageMessage();
    String[] d = usage.description();
    if (d.length > 1 && !d[1].isEmpty()) {
      String[] spaced = new String[d.length + 1];
      spaced[0] = d[0];
      spaced[1] = "";
      System.arraycopy(d, 1, spaced, 2, d.length - 1);
      usage.description(spaced);
    }
    usage.descriptionHeading("%n").optionListHeading("%nOptions:%n");
    if (!spec.positionalParameters().isEmpty()) {
      usage.parameterListHeading("%nArguments:%n");
    }
    if (!cl.getSubcommands().isEmpty()) {
      usage.commandListHeading("%nCommands:%n");
    }
    if (spec.findOption("--help") == null) {
      spec.addOption(
          OptionSpec.builder("-h", "--help").usageHelp(true).description("show this help").build());
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      addHelpOption(sub);
    }
  }

  /** The command list of {@code ./trailquery help}: the commands by group, a line each. */
  static String groupedCommands(CommandLine root) {
    Map<Group, List<String[]>> byGroup = new LinkedHashMap<>();
    int width = 0;
    for (Entry e : ALL) {
      CommandLine sub = root.getSubcommands().get(e.name());
      if (sub == null) {
        continue;
      }
      String[] d = sub.getCommandSpec().usageMessage().description();
      String line = d.length == 0 ? "" : String.format(d[0]);
      byGroup.computeIfAbsent(e.group(), g -> new ArrayList<>()).add(new String[] {e.name(), line});
      width = Math.max(width, e.name().length());
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Group, List<String[]>> g : byGroup.entrySet()) {
      sb.append('\n').append(g.getKey().title).append(":\n");
      for (String[] c : g.getValue()) {
        sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %s%n", c[0], c[1]));
      }
    }
    return sb.toString();
  }

  /** A usage error: the message, where to find the usage, exit code 2. */
  static int usageError(Context ctx, CommandLine.ParameterException ex) {
    CommandLine cmd = ex.getCommandLine();
    ctx.err.println("trailquery: " + message(ex));
    if (ex instanceof CommandLine.UnmatchedArgumentException u && u.isUnknownOption()) {
      List<String> near = u.getSuggestions();
      if (!near.isEmpty()) {
        ctx.err.println("did you mean " + String.join(" or ", near) + "?");
      }
    }
    ctx.err.println(
        "run '"
            + (cmd.getParent() == null ? "trailquery help" : qualified(cmd) + " --help")
            + "' for usage");
    return 2;
  }

  /** {@code trailquery alarm set}: the command's full name. */
  static String qualified(CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName();
  }

  /** picocli's message for a usage error, in this CLI's words where they differ. */
  static String message(CommandLine.ParameterException ex) {
    // An unknown option first: it often explains the rest (a missing argument, say).
    for (String a : ex.getCommandLine().getUnmatchedArguments()) {
      if (a.startsWith("-") && !(ex instanceof CommandLine.UnmatchedArgumentException)) {
        return "unknown option " + a;
      }
    }
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> unmatched = u.getUnmatched();
      String first = unmatched.isEmpty() ? "" : unmatched.getFirst();
      if (u.isUnknownOption()) {
        return "unknown option " + first;
      }
      if (ex.getCommandLine().getParent() == null) {
        return "unknown command '" + first + "'";
      }
      if (!ex.getCommandLine().getSubcommands().isEmpty()) {
        return "unknown command '"
            + qualified(ex.getCommandLine())
            + " "
            + first
            + "': use "
            + subcommands(ex.getCommandLine());
      }
      return "unexpected argument"
          + (unmatched.size() > 1 ? "s " : " ")
          + String.join(" ", unmatched.stream().map(a -> "'" + a + "'").toList());
    }
    if (ex.getMessage().startsWith("Missing required subcommand")) {
      return qualified(ex.getCommandLine())
          + " needs a command: "
          + subcommands(ex.getCommandLine());
    }
    if (ex.getCause() instanceof CommandLine.TypeConversionException tc
        && ex.getArgSpec() instanceof OptionSpec o) {
      return o.longestName() + " " + tc.getMessage();
    }
    String m = ex.getMessage();
    return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
  }

  private static String subcommands(CommandLine cmd) {
    return String.join(" or ", new java.util.TreeSet<>(cmd.getSubcommands().keySet()));
  }

  /** A command that failed: its message and exit code. */
  static int failure(Context ctx, Exception ex, String command) {
    return switch (ex) {
      case UsageException e -> {
        ctx.err.println("trailquery: " + e.getMessage());
        ctx.err.println("run '" + command + " --help' for usage");
        yield 2;
      }
      case QueryException e -> {
        ctx.err.println(e.render());
        yield 2;
      }
      case TooManyGroupsException e -> {
        ctx.err.println("trailquery: " + e.getMessage());
        yield 1;
      }
      case IOException e -> {
        ctx.err.println("trailquery: " + e.getMessage());
        yield 1;
      }
      case UncheckedIOException e -> {
        ctx.err.println("trailquery: " + e.getMessage());
        yield 1;
      }
      default -> internalError(ctx, ex);
    };
  }

  static int internalError(Context ctx, Throwable e) {
    ctx.err.println("trailquery: internal error: " + e);
    if (ctx.env("TRAILQUERY_DEBUG") != null) {
      e.printStackTrace(ctx.err);
    } else {
      ctx.err.println("(set TRAILQUERY_DEBUG=1 for details)");
    }
    return 1;
  }

  /** {@code help [COMMAND]}: the grouped command list, or a command's help. */
  @CommandLine.Command(
      name = "help",
      description = "this list, or a command's help: help COMMAND (= COMMAND --help)")
  static final class HelpCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Parameters(arity = "0..2", paramLabel = "COMMAND", description = "a command")
    List<String> names = new ArrayList<>();

    @CommandLine.Spec CommandSpec spec;

    @Override
    public Integer call() {
      CommandLine target = spec.parent().commandLine();
      for (String n : names) {
        CommandLine sub = target.getSubcommands().get(n);
        if (sub == null) {
          throw new UsageException("no command '" + n + "'");
        }
        target = sub;
      }
      target.usage(spec.commandLine().getOut());
      return 0;
    }
  }

  /** {@code version}. */
  @CommandLine.Command(name = "version", description = "print the version")
  static final class VersionCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println("trailquery " + Main.version());
      return 0;
    }
  }
}
