package dev.trailquery.cli.daemon;

import static dev.trailquery.cli.daemon.DaemonTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's fast client ({@code scripts/daemon-client.pl}, run here as the launcher runs it)
 * against a real daemon over its socket: byte-for-byte the Java client's output and exit codes once
 * the Java client has left its ticket, and exit 77 (the launcher's cue to run the Java client),
 * with nothing printed and nothing sent, whenever it may not or cannot serve: no ticket, a ticket
 * of another build (removed), a directory, ticket or socket that is not the user's own. Ctrl-C
 * cancels the command in the daemon. Fixture as DaemonTest's: a.json 3 ConsoleLogin, b.json.gz a
 * GetBucketAcl and a Decrypt.
 */
class FastClientTest {
  static final Path SCRIPT =
      Path.of("..", "scripts", "daemon-client.pl").toAbsolutePath().normalize();
  static final Path FIXTURES = DaemonTest.FIXTURES;
  static final String FLAGS = "-XX:+UseSerialGC -Xmn32m";
  static final String JAVA_HOME = "/opt/some jdk"; // the launcher's string: only hashed
  static final Map<String, String> ENV = Map.of("LANG", "C.UTF-8");

  @TempDir Path tmp;
  Path dir;
  Path jar;
  int uid;
  final List<Daemon> daemons = new ArrayList<>();

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void perl() throws Exception {
    boolean has;
    try {
      has = new ProcessBuilder("perl", "-e", "1").start().waitFor() == 0;
    } catch (IOException e) {
      has = false;
    }
    assumeTrue(has, "perl");
  }

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.resolve("d");
    jar = tmp.resolve("trailquery.jar");
    Files.writeString(jar, "build 1");
    uid = Rendezvous.uid();
  }

  @AfterEach
  void tearDown() {
    daemons.forEach(d -> d.stop("test done"));
  }

  Daemon startDaemon() throws IOException {
    Daemon d = new Daemon(dir, uid, jar, FLAGS, ENV, 60_000);
    assertThat(d.start(false)).isTrue();
    daemons.add(d);
    Thread.ofPlatform().daemon().start(d::serve);
    return d;
  }

  Path ticket() {
    return Rendezvous.ticket(dir, jar.toString(), JAVA_HOME, FLAGS, ENV);
  }

  /** The Java client, as the launcher runs it when the fast one answers 77: it leaves a ticket. */
  Run javaClient(Path cwd, String... args) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Client(
                dir,
                uid,
                Rendezvous.identity(jar, FLAGS, ENV),
                ENV,
                cwd.toString(),
                out,
                err,
                0,
                -1,
                ticket())
            .run(List.of(args));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Process startFast(Path cwd, Map<String, String> vars, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("perl", SCRIPT.toString(), jar.toString()));
    cmd.add(JAVA_HOME);
    cmd.add(FLAGS);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().put("TRAILQUERY_DAEMON_DIR", dir.toString());
    pb.environment().putAll(ENV);
    pb.environment().putAll(vars);
    return pb.start();
  }

  Run fast(Path cwd, String... args) throws Exception {
    return fast(cwd, Map.of(), args);
  }

  Run fast(Path cwd, Map<String, String> vars, String... args) throws Exception {
    Process p = startFast(cwd, vars, args);
    p.getOutputStream().close();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return p.getErrorStream().readAllBytes();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err.get(), StandardCharsets.UTF_8));
  }

  @Test
  void servesWhatTheJavaClientServesByteForByte() throws Exception {
    Daemon d = startDaemon();
    Path cwd = FIXTURES.getParent();
    // no ticket yet: the launcher's cue to run the Java client, nothing printed or sent
    Run before = fast(cwd, "query", "stats count(*)", "fixtures");
    assertThat(before).isEqualTo(new Run(77, "", ""));
    Run first = javaClient(cwd, "check", "fields @timestamp");
    assertThat(first.code()).isZero();
    assertThat(Files.getPosixFilePermissions(ticket()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    for (String[] args :
        List.of(
            new String[] {
              "query",
              "--format",
              "json",
              "stats count(*) as n by eventName | sort n desc",
              "fixtures"
            },
            new String[] {"query", "stats count(*) by @logStream", "fixtures"},
            new String[] {"query", "--format", "csv", "fields eventName | sort eventName", "."},
            new String[] {"query", "stats count(*) by", "fixtures"}, // bad query: exit 2
            new String[] {"query", "stats count(*)", "no/such/dir"}, // missing path: exit 1
            new String[] {"check", "filter eventName like /Console/ | stats count(*)"},
            new String[] {"query", "--format", "json", "stats count(*) as ünïcode", "fixtures"})) {
      Run viaJava = javaClient(cwd, args);
      Run viaFast = fast(cwd, args);
      assertThat(viaFast).as(String.join(" ", args)).isEqualTo(viaJava);
      assertThat(viaFast.code()).isNotEqualTo(77);
    }
    assertThat(fast(cwd, "query", "--format", "csv", "stats count(*) as n", "fixtures").out())
        .isEqualTo("n\r\n5\r\n"); // 3 in a.json, 2 in b.json.gz
    assertThat(fast(cwd, "query", "stats count(*) by", "fixtures").err())
        .contains("line 1, column");
    assertThat(d.active()).isZero();
  }

  @Test
  void aTicketOfAnotherBuildIsRefusedAndRemoved() throws Exception {
    startDaemon();
    javaClient(tmp, "check", "fields @timestamp");
    Path ticket = ticket();
    String content = Files.readString(ticket);
    // the same launch configuration, a rebuilt jar: the ticket's identity is no longer the daemon's
    Files.writeString(ticket, content.replace("protocol", "protocol-old"));
    assertThat(fast(FIXTURES, "check", "fields @timestamp")).isEqualTo(new Run(77, "", ""));
    assertThat(ticket).doesNotExist();
  }

  @Test
  void onlyTheUsersOwnDirectoryTicketAndSocketAreUsed() throws Exception {
    Daemon d = startDaemon();
    javaClient(tmp, "check", "fields @timestamp");
    Path ticket = ticket();
    String content = Files.readString(ticket);
    Run served = fast(FIXTURES, "check", "fields @timestamp");
    assertThat(served.code()).isZero();

    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(fast(FIXTURES, "check", "fields @timestamp").code()).isEqualTo(77);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));

    Files.setPosixFilePermissions(ticket, PosixFilePermissions.fromString("rw--w--w-"));
    assertThat(fast(FIXTURES, "check", "fields @timestamp").code()).isEqualTo(77);
    Files.setPosixFilePermissions(ticket, PosixFilePermissions.fromString("rw-------"));

    // a ticket naming a file that is no socket, or a path outside the directory
    Files.writeString(dir.resolve("d-00.sock"), "not a socket");
    Files.writeString(ticket, content.replaceFirst("^d-[0-9a-f]+\\.sock", "d-00.sock"));
    assertThat(fast(FIXTURES, "check", "fields @timestamp").code()).isEqualTo(77);
    Files.writeString(ticket, content.replaceFirst("^d-[0-9a-f]+\\.sock", "../x/d-00.sock"));
    assertThat(fast(FIXTURES, "check", "fields @timestamp").code()).isEqualTo(77);

    // the socket open to others
    Files.writeString(ticket, content);
    Files.setPosixFilePermissions(d.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThat(fast(FIXTURES, "check", "fields @timestamp").code()).isEqualTo(77);
    Files.setPosixFilePermissions(d.socket(), PosixFilePermissions.fromString("rw-------"));
    assertThat(fast(FIXTURES, "check", "fields @timestamp").code()).isZero();

    // another launch configuration (another JDK home): another ticket, none yet
    Path other = Rendezvous.ticket(dir, jar.toString(), "/other/jdk", FLAGS, ENV);
    assertThat(other).isNotEqualTo(ticket).doesNotExist();
    // a stopped daemon takes its tickets with it
    d.stop("test");
    assertThat(ticket).doesNotExist();
    assertThat(fast(FIXTURES, "check", "fields @timestamp").code()).isEqualTo(77);
  }

  @Test
  void aDirectoryTicketOrSocketOfAnotherUserIsNeverUsed() throws Exception {
    assumeTrue(uid == 0, "needs root to give files to another user");
    int nobody = 65534;
    Daemon d = startDaemon();
    javaClient(tmp, "check", "fields @timestamp");
    for (Path p : List.of(dir, ticket(), d.socket())) {
      Files.setAttribute(p, "unix:uid", nobody, LinkOption.NOFOLLOW_LINKS);
      assertThat(fast(FIXTURES, "check", "fields x"))
          .as(p.toString())
          .isEqualTo(new Run(77, "", ""));
      Files.setAttribute(p, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
    }
    assertThat(fast(FIXTURES, "check", "fields x").code()).isZero();
  }

  @Test
  void ctrlCCancelsTheCommandInTheDaemon() throws Exception {
    Daemon d = startDaemon();
    javaClient(tmp, "check", "fields @timestamp");
    Path fifo = tmp.resolve("slow.json");
    assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
    Process p = startFast(tmp, Map.of(), "query", "--threads", "1", "stats count(*)", "slow.json");
    await(() -> d.active() == 1, "the command running in the daemon");
    long pid = p.pid();
    assertThat(new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor()).isZero();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(130);
    // the command may be opening the pipe: let that open return, then it sees the cancel
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (OutputStream w = Files.newOutputStream(fifo)) {
                w.write(Files.readAllBytes(FIXTURES.resolve("a.json")));
              } catch (IOException e) {
                // the daemon closed it
              }
            });
    await(() -> d.active() == 0, "the command ended");
    assertThat(d.cancelled()).isEqualTo(1);
  }

  @Test
  void theClientsDirectoryAndVariablesTravel() throws Exception {
    Daemon d = startDaemon();
    javaClient(tmp, "check", "fields @timestamp");
    // a query file relative to the client's directory
    Files.writeString(tmp.resolve("q.txt"), "stats count(*) as n");
    assertThat(fast(tmp, "query", "--format", "csv", "--file", "q.txt", FIXTURES.toString()))
        .isEqualTo(new Run(0, "n\r\n5\r\n", ""));
    // the client's TRAILQUERY_STDERR_TTY: the progress line of a scan that takes over a second
    Path fifo = tmp.resolve("slow.json");
    assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
    CompletableFuture<Run> tty =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return fast(
                    tmp,
                    Map.of("TRAILQUERY_STDERR_TTY", "1"),
                    "query",
                    "--format",
                    "csv",
                    "stats count(*) as n",
                    "slow.json");
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    await(() -> d.active() == 1, "the command running");
    Thread.sleep(1600);
    try (OutputStream w = Files.newOutputStream(fifo)) {
      w.write(Files.readAllBytes(FIXTURES.resolve("a.json")));
    }
    Run shown = tty.get(30, TimeUnit.SECONDS);
    assertThat(shown.out()).isEqualTo("n\r\n3\r\n");
    assertThat(shown.err()).contains("scanning: 0/1 objects");
  }
}
