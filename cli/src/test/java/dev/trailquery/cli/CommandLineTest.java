package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The command line itself (picocli): every command answers {@code --help}, unknown options and
 * arguments are usage errors (exit 2) that say what and where to look, typed options say what they
 * need, the help is grouped and shell completion knows every command.
 */
class CommandLineTest {
  /** Every command and subcommand, as the words that name it ("alarm set"). */
  static Stream<String> commands() {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    CommandLine root = Commands.build(new Context(sink, sink, null), Commands.ALL);
    List<String> names = new ArrayList<>();
    collect(root, "", names);
    return names.stream();
  }

  private static void collect(CommandLine cl, String prefix, List<String> names) {
    for (var e : cl.getSubcommands().entrySet()) {
      String name = (prefix + " " + e.getKey()).strip();
      names.add(name);
      collect(e.getValue(), name, names);
    }
  }

  static String[] words(String command, String... more) {
    List<String> all = new ArrayList<>(List.of(command.split(" ")));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandAnswersHelp(String command) {
    for (String flag : List.of("--help", "-h")) {
      MainTest.Run r = MainTest.run(words(command, flag));
      assertThat(r.code()).as(command + " " + flag + "\n" + r.err()).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).startsWith("Usage: trailquery " + command.split(" ")[0]);
      assertThat(r.out()).contains("-h, --help");
    }
    MainTest.Run viaHelp = MainTest.run(words("help " + command));
    assertThat(viaHelp.code()).isZero();
    assertThat(viaHelp.out()).isEqualTo(MainTest.run(words(command, "--help")).out());
  }

  @ParameterizedTest
  @MethodSource("commands")
  void unknownOptionsAreUsageErrors(String command) {
    MainTest.Run r = MainTest.run(words(command, "--no-such-option"));
    assertThat(r.code()).as(command).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("trailquery: unknown option --no-such-option")
        .contains("run 'trailquery " + command + " --help' for usage")
        .doesNotContain("Exception");
  }

  @Test
  void subscribeHelpListsItsDefinitionOptions() {
    MainTest.Run r = MainTest.run("subscribe", "--help");
    assertThat(r.code()).isZero();
    for (String option :
        List.of(
            "--filter-pattern",
            "--metric-filter",
            "--rule",
            "--pack",
            "--replace",
            "--bin",
            "--rows",
            "--retention-days",
            "--backfill-from",
            "--no-alarms",
            "--dimensions",
            "--metric-value",
            "--default-value")) {
      assertThat(r.out()).contains(option);
    }
  }

  @Test
  void helpIsGroupedAndNamesEveryCommand() {
    MainTest.Run r = MainTest.run("help");
    assertThat(r.code()).isZero();
    List<String> lines = r.out().lines().toList();
    List<String> titles = Stream.of(Commands.Group.values()).map(g -> g.title + ":").toList();
    assertThat(lines).containsSubsequence(titles);
    for (Commands.Entry e : Commands.ALL) {
      int group = lines.indexOf(e.group().title + ":");
      int next =
          e.group().ordinal() + 1 < titles.size()
              ? lines.indexOf(titles.get(e.group().ordinal() + 1))
              : lines.size();
      assertThat(lines.subList(group, next))
          .as(e.name() + " under " + e.group().title)
          .anyMatch(l -> l.startsWith("  " + e.name() + " "));
    }
    assertThat(MainTest.run("--help").out()).isEqualTo(r.out());
    assertThat(MainTest.run("-h").out()).isEqualTo(r.out());
    // No command: the same page, but as a usage error.
    MainTest.Run none = MainTest.run();
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.out()).isEqualTo(r.out());
  }

  @Test
  void noHelpSpeaksOfSeeds() {
    Pattern seed = Pattern.compile("(?i)\\bseeds? ?\\d{3}");
    assertThat(MainTest.run("help").out()).doesNotContainPattern(seed);
    commands()
        .forEach(
            c -> assertThat(MainTest.run(words(c, "--help")).out()).doesNotContainPattern(seed));
  }

  @Test
  void unknownCommandsAndArgumentsAreUsageErrors() {
    MainTest.Run r = MainTest.run("frobnicate");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown command 'frobnicate'").contains("'trailquery help'");
    MainTest.Run sub = MainTest.run("alarm", "frob");
    assertThat(sub.code()).isEqualTo(2);
    assertThat(sub.err()).contains("unknown command 'trailquery alarm frob': use delete or set");
    MainTest.Run none = MainTest.run("alarm");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("trailquery alarm needs a command: delete or set");
    MainTest.Run extra = MainTest.run("record", "a", "b");
    assertThat(extra.code()).isEqualTo(2);
    assertThat(extra.err()).contains("unexpected argument 'b'");
    MainTest.Run missing = MainTest.run("invoke", "ingest");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("EVENT.json");
  }

  @Test
  void typedOptionsSayWhatTheyNeed() {
    MainTest.Run top = MainTest.run("results", "x", "--top", "0");
    assertThat(top.code()).isEqualTo(2);
    assertThat(top.err()).contains("--top needs a positive whole number, got '0'");
    MainTest.Run port = MainTest.run("serve", "--port", "70000");
    assertThat(port.code()).isEqualTo(2);
    assertThat(port.err()).contains("--port needs a port number (0-65535), got '70000'");
    MainTest.Run format = MainTest.run("query", "--format=xml", "stats count(*)", ".");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err()).contains("--format needs table, json, csv or ndjson, got 'xml'");
    MainTest.Run threshold = MainTest.run("alarm", "set", "x", "--column", "n", "--above", "lots");
    assertThat(threshold.code()).isEqualTo(2);
    assertThat(threshold.err()).contains("--above needs a number, got 'lots'");
    MainTest.Run value = MainTest.run("subscribe", "x", "--filter-pattern", "a", "--default-value");
    assertThat(value.code()).isEqualTo(2);
    assertThat(value.err()).contains("--default-value");
  }

  @Test
  void optionsTakeRelativeTimesAndEqualsSignsAndTheLastValueWins() {
    // 2026-11-01 fixtures: from two hours ago there is nothing; --end=... with '='.
    MainTest.Run recent =
        MainTest.run(
            "query", "--format", "csv", "--start", "-2h", "stats count(*) as n", MainTest.FIXTURES);
    assertThat(recent.code()).as(recent.err()).isZero();
    assertThat(recent.out()).isEqualTo("n\r\n0\r\n");
    MainTest.Run upTo =
        MainTest.run(
            "query",
            "--format=table",
            "--format=csv",
            "--end=2026-11-01T11:00:00Z",
            "stats count(*) as n",
            MainTest.FIXTURES);
    assertThat(upTo.code()).as(upTo.err()).isZero();
    // 10:05 and 10:07:30 are before 11:00.
    assertThat(upTo.out()).isEqualTo("n\r\n2\r\n");
    // After "--", an argument that looks like an option is a positional one.
    MainTest.Run dashes = MainTest.run("check", "--", "stats count(*)");
    assertThat(dashes.code()).as(dashes.err()).isZero();
    // '@' starts words of the language, not argument files.
    MainTest.Run at = MainTest.run("check", "@nofile");
    assertThat(at.code()).isEqualTo(2);
    assertThat(at.err()).contains("line 1");
  }

  @Test
  void checkAnswersTheSameWithAndWithoutOptions() {
    MainTest.Run plain = MainTest.run("check", "stats count(*) by");
    MainTest.Run parsed = MainTest.run("check", "--", "stats count(*) by");
    assertThat(plain.code()).isEqualTo(2);
    assertThat(parsed.code()).isEqualTo(2);
    assertThat(parsed.err()).isEqualTo(plain.err());
    MainTest.Run two = MainTest.run("check", "a", "b");
    assertThat(two.err()).isEqualTo(MainTest.run("check", "--", "a", "b").err());
    assertThat(MainTest.run("check").err())
        .isEqualTo(MainTest.run("check", "--").err())
        .contains("missing QUERY");
  }

  @Test
  void completionScriptKnowsEveryCommandAndOption() {
    MainTest.Run r = MainTest.run("completion", "bash");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F");
    commands().forEach(c -> assertThat(r.out()).contains(c.substring(c.lastIndexOf(' ') + 1)));
    assertThat(r.out()).contains("--filter-pattern").contains("--per-bin").contains("ndjson");
    assertThat(MainTest.run("completion").out()).isEqualTo(r.out());
    assertThat(MainTest.run("completion", "fish").code()).isEqualTo(2);
  }

  @Test
  void concurrentCommandsKeepTheirOwnStreamsAndCodes() throws Exception {
    // As the resident daemon runs its clients' commands: at once, in one JVM.
    List<java.util.concurrent.Callable<Boolean>> calls = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int n = i;
      calls.add(
          () -> {
            if (n % 2 == 0) {
              MainTest.Run r =
                  MainTest.run(
                      "query", "--format", "csv", "stats count(*) as n" + n, MainTest.FIXTURES);
              return r.code() == 0 && r.out().equals("n" + n + "\r\n5\r\n") && r.err().isEmpty();
            }
            MainTest.Run r = MainTest.run("results", "x", "--top", "-" + n);
            return r.code() == 2
                && r.out().isEmpty()
                && r.err().contains("--top needs a positive whole number, got '-" + n + "'");
          });
    }
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      for (var f : pool.invokeAll(calls)) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void versionBothWays() {
    assertThat(MainTest.run("version").out()).startsWith("trailquery ");
    assertThat(MainTest.run("--version").out()).isEqualTo(MainTest.run("version").out());
  }
}
