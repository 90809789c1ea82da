package dev.trailquery.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code ./trailquery}: one command line run by the commands of {@link Commands}
 * (picocli). Exit codes: 0 ok, 1 failed run, 2 bad query or usage.
 */
public final class Main {
  private final PrintStream out;
  private final PrintStream err;
  private final Context.Services services;

  Main(PrintStream out, PrintStream err) {
    this(out, err, null);
  }

  /**
   * A CLI whose commands read {@code services}' environment and use its AWS clients instead of the
   * invocation's environment and the SDK's default clients (null: those).
   */
  Main(PrintStream out, PrintStream err, Context.Services services) {
    this.out = out;
    this.err = err;
    this.services = services;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    int code = new Main(out, err).run(Arrays.asList(args));
    out.flush();
    System.exit(code);
  }

  /**
   * Runs one command as {@link #main} does, writing to {@code out} and {@code err}, and returns its
   * exit code instead of exiting; the working directory and environment are those of {@link
   * Invocation#current()}. The resident daemon's entry point ({@code cli.daemon.Daemon}).
   */
  public static int execute(List<String> args, PrintStream out, PrintStream err) {
    int code = new Main(out, err).run(args);
    out.flush();
    return code;
  }

  int run(List<String> argv) {
    try (Context ctx = new Context(out, err, services)) {
      return ctx.bind(() -> Commands.run(ctx, argv));
    }
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
