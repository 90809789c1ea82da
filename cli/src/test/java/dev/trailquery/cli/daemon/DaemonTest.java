package dev.trailquery.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.cli.Invocation;
import dev.trailquery.cli.Main;
import dev.trailquery.cli.Sources;
import dev.trailquery.functions.testing.Emulators;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The resident daemon and its client in this JVM, over a real Unix-domain socket: the same output
 * and exit codes as the CLI run in-process, the client's working directory and variables, two
 * clients at once, cancellation, a crashed daemon, a rebuilt jar, and directories and sockets that
 * are not the user's own. The fixture (cli/src/test/resources/fixtures, see MainTest): a.json holds
 * 3 ConsoleLogin records, b.json.gz a GetBucketAcl and a Decrypt.
 */
class DaemonTest {
  static final Path FIXTURES = Path.of("src/test/resources/fixtures").toAbsolutePath();
  static final ObjectMapper JSON = new ObjectMapper();
  static final String FLAGS = "-XX:+UseSerialGC";
  static final Map<String, String> ENV = Map.of("LANG", "C.UTF-8");

  @TempDir Path tmp;
  Path dir;
  Path jar;
  int uid;
  final List<Daemon> daemons = new ArrayList<>();

  record Run(int code, String out, String err) {}

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.resolve("d");
    jar = tmp.resolve("trailquery.jar"); // stands for the build: its size and time are the identity
    Files.writeString(jar, "build 1");
    uid = Rendezvous.uid();
  }

  @AfterEach
  void tearDown() {
    daemons.forEach(d -> d.stop("test done"));
  }

  Daemon startDaemon(long idleMillis) throws IOException {
    return startDaemon(idleMillis, ENV);
  }

  Daemon startDaemon(long idleMillis, Map<String, String> env) throws IOException {
    Daemon d = new Daemon(dir, uid, jar, FLAGS, env, idleMillis);
    assertThat(d.start(false)).isTrue();
    daemons.add(d);
    Thread.ofPlatform().daemon().start(d::serve);
    return d;
  }

  String identity() throws IOException {
    return Rendezvous.identity(jar, FLAGS, ENV);
  }

  Run client(Path cwd, String... args) throws IOException {
    return client(identity(), uid, Map.of(), cwd, args);
  }

  Run client(String identity, int asUid, Map<String, String> vars, Path cwd, String... args)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = new HashMap<>(ENV);
    env.putAll(vars);
    int code =
        new Client(dir, asUid, identity, env, cwd.toString(), out, err, 0, -1).run(List.of(args));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The CLI in this JVM, without a daemon, as the same user in the same directory. */
  static Run inProcess(Path cwd, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Invocation.call(
            new Invocation(cwd, Map.of()),
            () ->
                Main.execute(
                    List.of(args),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void servesQueriesInTheClientsDirectoryWithTheSameOutputAndExitCodes() throws Exception {
    startDaemon(60_000);
    Path cwd = FIXTURES.getParent();
    String[] query = {
      "query", "--format", "json", "stats count(*) as n by eventName | sort n desc", "fixtures"
    };
    Run r = client(cwd, query);
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode rows = JSON.readTree(r.out()).get("rows");
    assertThat(rows.get(0).toString()).isEqualTo("{\"eventName\":\"ConsoleLogin\",\"n\":3}");
    assertThat(rows).hasSize(3); // ConsoleLogin 3, GetBucketAcl 1, Decrypt 1
    // Keys stay as the client wrote them: relative to its directory, not the daemon's.
    Run streams = client(cwd, "query", "stats count(*) by @logStream", "fixtures");
    assertThat(streams.out()).contains("fixtures/a.json").doesNotContain(cwd.toString());
    for (String[] args :
        List.of(
            query,
            new String[] {"query", "stats count(*) by @logStream", "fixtures"},
            new String[] {"query", "fields x |", "fixtures"}, // bad query: 2
            new String[] {"query", "fields x", "missing"}, // no such path: 1
            new String[] {"check", "filter eventName = 'ConsoleLogin'"},
            new String[] {"query", "--threads", "x", "fields x", "fixtures"})) {
      Run direct = inProcess(cwd, args);
      Run viaDaemon = client(cwd, args);
      assertThat(viaDaemon).as(String.join(" ", args)).isEqualTo(direct);
    }
    assertThat(client(cwd, "query", "fields x |", "fixtures").code()).isEqualTo(2);
    assertThat(client(cwd, "query", "fields x", "missing").err())
        .isEqualTo("trailquery: no such file or directory: missing\n");
  }

  @Test
  void compactedBlocksRelativeToTheClientsDirectory() throws Exception {
    startDaemon(60_000);
    Run compact =
        inProcess(
            tmp,
            "compact-trail",
            "--quiet",
            "--from",
            "2026-11-01T00:00:00Z",
            "--to",
            "2026-11-02T00:00:00Z",
            "--blocks",
            tmp.resolve("blocks").toString(),
            FIXTURES.toString());
    assertThat(compact.code()).as(compact.err()).isZero();
    assertThat(compact.out()).contains(" 5 records in ");
    String[] args = {"query", "--format", "csv", "stats count(*) as n by eventName", "blocks"};
    Run viaDaemon = client(tmp, args);
    assertThat(viaDaemon).isEqualTo(inProcess(tmp, args));
    assertThat(viaDaemon.code()).as(viaDaemon.err()).isZero();
    assertThat(viaDaemon.out()).contains("ConsoleLogin,3");
  }

  @Test
  void usesTheClientsVariablesAndDirectory() throws Exception {
    Daemon d = startDaemon(60_000);
    // A query file relative to the client's directory.
    Files.writeString(tmp.resolve("q.txt"), "stats count(*) as n");
    Run r = client(tmp, "query", "--format", "csv", "--file", "q.txt", FIXTURES.toString());
    assertThat(r).isEqualTo(new Run(0, "n\r\n5\r\n", ""));
    // The client's TRAILQUERY_STDERR_TTY (its stderr is a terminal): the progress line of a scan
    // that takes over a second, which this JVM's own environment would not show.
    assertThat(System.getenv("TRAILQUERY_STDERR_TTY")).isNull();
    Path fifo = fifo("slow.json");
    CompletableFuture<Run> tty =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return client(
                    identity(),
                    uid,
                    Map.of("TRAILQUERY_STDERR_TTY", "1"),
                    tmp,
                    "query",
                    "--format",
                    "csv",
                    "stats count(*) as n",
                    "slow.json");
              } catch (IOException e) {
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

  @Test
  void twoClientsAtOnce() throws Exception {
    Daemon d = startDaemon(60_000);
    // The first client's input is a named pipe: its command waits in the daemon until the pipe is
    // written, and the second is served meanwhile.
    Path fifo = fifo("slow.json");
    CompletableFuture<Run> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return client(tmp, "query", "stats count(*) as n", "slow.json");
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    await(() -> d.active() == 1, "the first command running");
    Run second =
        client(FIXTURES, "query", "--format", "csv", "stats count(*) as n by eventName", ".");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("ConsoleLogin,3").contains("Decrypt,1");
    assertThat(first).isNotDone();
    try (OutputStream w = Files.newOutputStream(fifo)) {
      w.write(Files.readAllBytes(FIXTURES.resolve("a.json")));
    }
    Run r = first.get(30, TimeUnit.SECONDS);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("3");
    assertThat(r.out()).doesNotContain("ConsoleLogin"); // nothing of the other client's
  }

  @Test
  void aClientThatGoesAwayCancelsItsCommand() throws Exception {
    Daemon d = startDaemon(60_000);
    // Three named pipes, read in order on one thread: the first is written whole, then the client
    // cancels. A command that went on would wait for the third pipe forever.
    Path[] pipes = {fifo("p1.json"), fifo("p2.json"), fifo("p3.json")};
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(d.socket()));
      DataOutputStream req = new DataOutputStream(Wire.out(ch));
      req.writeInt(Wire.MAGIC);
      Wire.writeString(req, identity());
      Wire.writeString(req, tmp.toString());
      req.writeInt(0);
      List<String> args =
          List.of("query", "--threads", "1", "stats count(*)", "p1.json", "p2.json", "p3.json");
      req.writeInt(args.size());
      for (String a : args) {
        Wire.writeString(req, a);
      }
      req.flush();
      feed(pipes[0]).get(30, TimeUnit.SECONDS);
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {Wire.CANCEL})); // what Ctrl-C sends
      feed(pipes[1]); // the command may be opening it: let that open return
      await(() -> d.active() == 0, "the command ended");
      assertThat(d.cancelled()).isEqualTo(1);
    }
    Run after = client(FIXTURES, "query", "--format", "csv", "stats count(*) as n", ".");
    assertThat(after.code()).as(after.err()).isZero();
    assertThat(after.out()).isEqualTo("n\r\n5\r\n");
  }

  /** Writes a.json into a named pipe (on another thread: opening it waits for the reader). */
  private static CompletableFuture<Void> feed(Path pipe) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (OutputStream w = Files.newOutputStream(pipe)) {
                w.write(Files.readAllBytes(FIXTURES.resolve("a.json")));
                done.complete(null);
              } catch (IOException e) {
                done.completeExceptionally(e);
              }
            });
    return done;
  }

  @Test
  void aCrashedDaemonsSocketIsReplaced() throws Exception {
    assertThat(Rendezvous.secureDir(dir, uid)).isNull();
    Path socket = dir.resolve(Rendezvous.socketName(identity()));
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(
          UnixDomainSocketAddress.of(socket)); // closed without removing it, as a crash leaves it
    }
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(Rendezvous.sibling(socket, ".lock"), ""); // its lock file, nobody's lock
    assertThat(client(FIXTURES, "check", "fields x").code()).isEqualTo(Client.NO_DAEMON);
    startDaemon(60_000);
    Run r = client(FIXTURES, "check", "fields x");
    assertThat(r).isEqualTo(new Run(0, "", "ok: the query is valid\n"));
  }

  @Test
  void aDaemonThatDiesMidCommand() throws Exception {
    assertThat(Rendezvous.secureDir(dir, uid)).isNull();
    Path socket = dir.resolve(Rendezvous.socketName(identity()));
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
      // Dies before writing anything: the launcher runs the command itself.
      CompletableFuture<Run> silent =
          CompletableFuture.supplyAsync(() -> uncheckedClient("check", "fields x"));
      try (SocketChannel ch = s.accept()) {
        ch.read(java.nio.ByteBuffer.allocate(1 << 16)); // the command, then nothing
      }
      assertThat(silent.get(30, TimeUnit.SECONDS).code()).isEqualTo(Client.IN_PROCESS);
      // Dies after some output: the run failed, and says so.
      CompletableFuture<Run> cut =
          CompletableFuture.supplyAsync(() -> uncheckedClient("check", "fields x"));
      try (SocketChannel ch = s.accept()) {
        ch.read(java.nio.ByteBuffer.allocate(1 << 16));
        new Daemon.Frames(new DataOutputStream(Wire.out(ch)))
            .write(Wire.OUT, "partial".getBytes(StandardCharsets.UTF_8), 0, 7);
      }
      Run r = cut.get(30, TimeUnit.SECONDS);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).isEqualTo("partial");
      assertThat(r.err()).startsWith("trailquery: the daemon stopped before the command finished");
    }
  }

  @Test
  void aRebuiltJarGetsANewDaemonAndTheOldOneExits() throws Exception {
    Daemon old = startDaemon(60_000);
    String before = identity();
    assertThat(client(FIXTURES, "check", "fields x").code()).isZero();
    Files.writeString(jar, "build 2, rebuilt");
    assertThat(identity()).isNotEqualTo(before);
    // A client of the new build finds no daemon of its own; one of the old build is refused (or
    // finds none once the old daemon has gone): never served by a daemon of another build.
    assertThat(client(FIXTURES, "check", "fields x").code()).isEqualTo(Client.NO_DAEMON);
    assertThat(client(before, uid, Map.of(), FIXTURES, "check", "fields x").code())
        .isIn(Client.IN_PROCESS, Client.NO_DAEMON);
    await(() -> !Files.exists(old.socket(), LinkOption.NOFOLLOW_LINKS), "the old daemon gone");
    startDaemon(60_000);
    assertThat(client(FIXTURES, "check", "fields x").code()).isZero();
  }

  @Test
  void aDaemonExitsWhenIdleAndLeavesNothing() throws Exception {
    Daemon d = startDaemon(300);
    assertThat(client(FIXTURES, "check", "fields x").code()).isZero();
    await(() -> !Files.exists(d.socket(), LinkOption.NOFOLLOW_LINKS), "the idle daemon gone");
    try (var files = Files.list(dir)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  @Test
  void statusAndStopReachTheUsersDaemonsOfAnyBuild() throws Exception {
    Daemon d = startDaemon(60_000);
    assertThat(client(FIXTURES, "check", "fields x").code()).isZero();
    String otherBuild = identity() + "\nflags -Xother";
    Run status = client(otherBuild, uid, Map.of(), FIXTURES, "daemon", "status");
    assertThat(status.code()).isZero();
    assertThat(status.out())
        .startsWith("daemon pid " + ProcessHandle.current().pid() + ": up ")
        .contains("1 commands before this one, 0 running; " + jar);
    Run stop = client(otherBuild, uid, Map.of(), FIXTURES, "daemon", "stop");
    assertThat(stop.out()).startsWith("stopped daemon pid ");
    await(() -> !Files.exists(d.socket(), LinkOption.NOFOLLOW_LINKS), "the daemon gone");
    assertThat(client(FIXTURES, "daemon", "status"))
        .isEqualTo(new Run(0, "no trailquery daemon is running\n", ""));
    assertThat(client(FIXTURES, "daemon", "restart").code()).isEqualTo(2);
  }

  @Test
  void s3QueriesOnlyForAClientWithTheDaemonsOwnAwsSettings() throws Exception {
    S3Client s3 = Emulators.s3();
    String bucket = "daemon-trail";
    s3.createBucket(b -> b.bucket(bucket));
    for (String name : new String[] {"a.json", "b.json.gz"}) {
      s3.putObject(
          b -> b.bucket(bucket).key("AWSLogs/" + name),
          RequestBody.fromBytes(Files.readAllBytes(FIXTURES.resolve(name))));
    }
    Sources.useS3Client(s3); // this JVM's S3 client, as the daemon's environment would build it
    try {
      Map<String, String> aws = Map.of("AWS_PROFILE", "audit", "AWS_REGION", "eu-west-1");
      Map<String, String> env = new HashMap<>(ENV);
      env.putAll(aws);
      startDaemon(60_000, env);
      String[] query = {
        "query",
        "--format",
        "csv",
        "stats count(*) as n by eventName | sort n desc",
        "s3://" + bucket + "/AWSLogs/"
      };
      // The fixture: ConsoleLogin ×3, Decrypt ×1, GetBucketAcl ×1.
      Run served = client(identity(), uid, aws, tmp, query);
      assertThat(served.code()).as(served.err()).isZero();
      assertThat(served.out()).startsWith("eventName,n\r\nConsoleLogin,3\r\n");
      assertThat(served).isEqualTo(inProcess(tmp, query));
      // Another profile, region or no AWS settings at all: the client's own JVM reads S3.
      for (Map<String, String> other :
          List.of(
              Map.of("AWS_PROFILE", "prod", "AWS_REGION", "eu-west-1"),
              Map.of("AWS_PROFILE", "audit", "AWS_REGION", "us-east-1"),
              Map.of("AWS_PROFILE", "audit", "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "x"),
              Map.<String, String>of())) {
        assertThat(client(identity(), uid, other, tmp, query).code())
            .as(other.toString())
            .isEqualTo(Client.IN_PROCESS);
      }
      // Local paths do not depend on AWS settings.
      Run local =
          client(
              identity(),
              uid,
              Map.of("AWS_PROFILE", "prod"),
              FIXTURES,
              "query",
              "stats count(*)",
              ".");
      assertThat(local.code()).as(local.err()).isZero();
    } finally {
      Sources.useS3Client(null);
    }
  }

  @Test
  void otherCommandsAreLeftToTheLauncher() throws Exception {
    startDaemon(60_000);
    assertThat(client(FIXTURES, "serve").code()).isEqualTo(Client.IN_PROCESS);
    assertThat(client(FIXTURES, "version").code()).isEqualTo(Client.IN_PROCESS);
  }

  @Test
  void aDirectoryNotTheUsersOwnIsNeverUsed() throws Exception {
    Files.createDirectory(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Run open = client(FIXTURES, "check", "fields x");
    assertThat(open.code()).isEqualTo(Client.IN_PROCESS);
    assertThat(open.err()).contains("has mode rwxr-xr-x, not rwx------");
    assertThat(new Daemon(dir, uid, jar, FLAGS, ENV, 1000).start(false)).isFalse();

    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    // Owned by someone else (here: a client that is another user than the directory's owner).
    Run other = client(identity(), uid + 1, Map.of(), FIXTURES, "check", "fields x");
    assertThat(other.code()).isEqualTo(Client.IN_PROCESS);
    assertThat(other.err()).contains("is owned by uid " + uid + ", not " + (uid + 1));

    Path elsewhere = tmp.resolve("elsewhere");
    Files.createDirectory(elsewhere);
    Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
    Files.delete(dir);
    Files.createSymbolicLink(dir, elsewhere); // a link planted where the directory should be
    Run link = client(FIXTURES, "check", "fields x");
    assertThat(link.code()).isEqualTo(Client.IN_PROCESS);
    assertThat(link.err()).contains("is not a directory");
  }

  @Test
  void aDirectoryOrSocketOfAnotherUserIsNeverUsed() throws Exception {
    assumeTrue(uid == 0, "needs root to give files to another user");
    int nobody = 65534;
    Daemon d = startDaemon(60_000);
    Files.setAttribute(d.socket(), "unix:uid", nobody, LinkOption.NOFOLLOW_LINKS);
    Run socket = client(FIXTURES, "check", "fields x");
    assertThat(socket.code()).isEqualTo(Client.IN_PROCESS);
    assertThat(socket.err()).contains("is owned by uid 65534, not 0");
    Files.setAttribute(d.socket(), "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
    Files.setPosixFilePermissions(d.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThat(client(FIXTURES, "check", "fields x").err()).contains("not rw-------");
    Files.setPosixFilePermissions(d.socket(), PosixFilePermissions.fromString("rw-------"));
    assertThat(client(FIXTURES, "check", "fields x").code()).isZero();

    Files.setAttribute(dir, "unix:uid", nobody, LinkOption.NOFOLLOW_LINKS);
    Run owned = client(FIXTURES, "check", "fields x");
    assertThat(owned.code()).isEqualTo(Client.IN_PROCESS);
    assertThat(owned.err()).contains("is owned by uid 65534, not 0");
    Files.setAttribute(dir, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void anotherUserCannotReachTheSocket() throws Exception {
    assumeTrue(uid == 0 && Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs root, setpriv");
    Daemon d = startDaemon(60_000);
    // A process of user nobody trying the socket: the private directory stops it before the
    // daemon's own check of the peer's user.
    Process p =
        new ProcessBuilder(
                "/usr/bin/setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                Path.of("target/test-classes").toAbsolutePath().toString(),
                ConnectProbe.class.getName(),
                d.socket().toString())
            .redirectErrorStream(true)
            .start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(said).isEqualTo(3);
    assertThat(said).contains("Permission denied");
  }

  /** Run as another user by {@link #anotherUserCannotReachTheSocket}: tries to connect. */
  public static final class ConnectProbe {
    public static void main(String[] args) {
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(UnixDomainSocketAddress.of(args[0]));
        System.out.println("connected");
        System.exit(0);
      } catch (IOException e) {
        System.out.println("refused: " + e);
        System.exit(3);
      }
    }
  }

  @Test
  void theLocaleIsPartOfTheIdentity() throws Exception {
    String c = Rendezvous.identity(jar, FLAGS, Map.of("LANG", "C.UTF-8"));
    String de = Rendezvous.identity(jar, FLAGS, Map.of("LANG", "de_DE.UTF-8"));
    String tz = Rendezvous.identity(jar, FLAGS, Map.of("LANG", "C.UTF-8", "TZ", "Europe/Berlin"));
    String other = Rendezvous.identity(jar, FLAGS, Map.of("LANG", "C.UTF-8", "PATH", "/x"));
    assertThat(Rendezvous.socketName(de)).isNotEqualTo(Rendezvous.socketName(c));
    assertThat(Rendezvous.socketName(tz)).isNotEqualTo(Rendezvous.socketName(c));
    assertThat(other).isEqualTo(c);
    assertThat(Rendezvous.identity(jar, "-Xmx1g", ENV)).isNotEqualTo(c);
  }

  private Run uncheckedClient(String... args) {
    try {
      return client(FIXTURES, args);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private Path fifo(String name) throws Exception {
    Path fifo = tmp.resolve(name);
    assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
    return fifo;
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
