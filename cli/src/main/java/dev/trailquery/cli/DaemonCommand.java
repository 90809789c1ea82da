package dev.trailquery.cli;

import picocli.CommandLine.Command;

/**
 * {@code daemon status|stop}: answered by the launcher's daemon client ({@code cli.daemon.Client})
 * before a JVM of the CLI starts; here only when the launcher could not use a daemon at all.
 */
@Command(
    name = "daemon",
    description = {
      "the warm JVM ./trailquery keeps for query and check: status or stop",
      "Started on first use, gone after TRAILQUERY_DAEMON_IDLE seconds (900) without a command or"
          + " when the jar is rebuilt; TRAILQUERY_NO_DAEMON=1: none (docs/PERFORMANCE.md)."
    },
    synopsisSubcommandLabel = "(status | stop)")
final class DaemonCommand {
  private final Context ctx;

  DaemonCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Command(name = "status", description = "whether a daemon runs, and since when")
  int status() {
    return none();
  }

  @Command(name = "stop", description = "stop this user's daemons")
  int stop() {
    return none();
  }

  private int none() {
    ctx.err.println(
        "trailquery: no daemon here: the launcher (./trailquery) answers 'daemon status|stop'"
            + " when its client jar is built and the daemon's directory is usable");
    return 1;
  }
}
