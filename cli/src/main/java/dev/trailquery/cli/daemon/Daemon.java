package dev.trailquery.cli.daemon;

import dev.trailquery.cli.Invocation;
import dev.trailquery.cli.Main;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The resident, warm JVM that {@code ./trailquery} reuses for {@code query} and {@code check}, as
 * Gradle's daemon or Bazel's server: started on first use, one per user and build ({@link
 * Rendezvous}), on a Unix-domain socket only that user can reach, gone after an idle period or as
 * soon as its jar changes.
 *
 * <p>Each connection is one command, run on a thread of its own by the CLI's own dispatch ({@link
 * Main#execute}) with the client's working directory and variables ({@link Invocation}) and streams
 * that relay to the client; nothing is kept between commands (no result cache, nothing shared but
 * the JIT's compiled code). A client that goes away (Ctrl-C) cancels its command.
 *
 * <p>{@code s3://} queries only for a client whose {@code AWS_*} variables are the daemon's own
 * ({@link #awsProblem}): the SDK's credentials, region and endpoints come from the process's
 * environment, so a client with another profile or keys runs in a JVM of its own.
 */
public final class Daemon {
  /** The commands a daemon runs; anything else is refused (the client then runs it itself). */
  static final Set<String> SERVED = Set.of("query", "check");

  private final Path dir;
  private final int uid;
  private final Path jar;
  private final String flags;
  private final Map<String, String> env;
  private final long idleMillis;
  private final String identity;
  private final Path socket;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger served = new AtomicInteger();
  private final AtomicInteger cancelled = new AtomicInteger();
  private final long started = System.nanoTime();
  private volatile long lastUsed = started;
  private volatile boolean stopping;
  private volatile String stopReason;
  private ServerSocketChannel server;
  private FileChannel lockChannel;
  private FileLock lock;
  private Object socketKey;
  private PrintStream log = System.err;

  Daemon(Path dir, int uid, Path jar, String flags, Map<String, String> env, long idleMillis)
      throws IOException {
    this.dir = dir;
    this.uid = uid;
    this.jar = jar;
    this.flags = flags;
    this.env = Map.copyOf(env);
    this.idleMillis = idleMillis;
    this.identity = Rendezvous.identity(jar, flags, env);
    this.socket = dir.resolve(Rendezvous.socketName(identity));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    int uid = Rendezvous.uid();
    Daemon d =
        new Daemon(
            Rendezvous.dir(uid, env),
            uid,
            Path.of(System.getProperty("trailquery.jar")),
            System.getProperty("trailquery.daemon.flags", ""),
            env,
            Long.getLong("trailquery.daemon.idle", 900) * 1000);
    if (!d.start(true)) {
      System.exit(0);
    }
    d.serve();
    System.exit(0);
  }

  Path socket() {
    return socket;
  }

  /** Commands running now. */
  int active() {
    return active.get();
  }

  /** Commands cancelled by their client so far. */
  int cancelled() {
    return cancelled.get();
  }

  /**
   * Takes this identity's lock and listens on its socket; false when another daemon of the same
   * identity holds the lock (it serves) or the directory may not be used (the log says why).
   */
  boolean start(boolean redirectOutput) throws IOException {
    String bad = Rendezvous.secureDir(dir, uid);
    if (bad != null) {
      System.err.println("trailquery daemon: " + bad);
      return false;
    }
    lockChannel =
        FileChannel.open(
            Rendezvous.sibling(socket, ".lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    lock = lockChannel.tryLock();
    if (lock == null) {
      lockChannel.close();
      return false;
    }
    if (redirectOutput) { // stray output of libraries too
      log =
          new PrintStream(
              Files.newOutputStream(Rendezvous.sibling(socket, ".log")),
              true,
              StandardCharsets.UTF_8);
      System.setOut(log);
      System.setErr(log);
    }
    // Bound under another name, made 0600, then renamed into place: a client never meets the
    // socket with the mode the umask gave it. A crashed daemon's socket is replaced (nobody
    // listens on it: we hold the lock).
    Path fresh = Rendezvous.sibling(socket, ".new.sock");
    Files.deleteIfExists(fresh);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(fresh));
    Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-------"));
    Files.move(fresh, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    socketKey = fileKey(socket);
    log(
        "started, pid "
            + ProcessHandle.current().pid()
            + ", idle exit after "
            + idleMillis / 1000
            + " s, identity:\n"
            + identity);
    Thread.ofPlatform().daemon().name("tq-daemon-watchdog").start(this::watch);
    return true;
  }

  /** Accepts clients until {@link #stop}; returns when the last command has finished. */
  void serve() {
    try {
      while (!stopping) {
        SocketChannel ch = server.accept();
        active.incrementAndGet();
        lastUsed = System.nanoTime();
        Thread.ofPlatform()
            .name("tq-client-" + served.incrementAndGet())
            .start(
                () -> {
                  try {
                    handle(ch);
                  } finally {
                    lastUsed = System.nanoTime();
                    active.decrementAndGet();
                  }
                });
      }
    } catch (ClosedChannelException e) {
      // stopped
    } catch (IOException e) {
      log("accept failed: " + e);
    } finally {
      stop("accept loop ended");
    }
    while (active.get() > 0) { // let running commands finish
      sleep(50);
    }
    log("stopped: " + stopReason);
  }

  /** Stops listening, removes the socket (if still ours) and releases the lock. */
  synchronized void stop(String reason) {
    if (stopping) {
      return;
    }
    stopping = true;
    stopReason = reason;
    try {
      server.close();
      if (Objects.equals(fileKey(socket), socketKey)) {
        Files.deleteIfExists(socket);
        // the fast client's tickets to this socket (Rendezvous.ticket): nobody will listen there
        try (var tickets = Files.newDirectoryStream(dir, "t-*.ticket")) {
          for (Path t : tickets) {
            if (socket.getFileName().toString().equals(Rendezvous.ticketSocket(t))) {
              Files.deleteIfExists(t);
            }
          }
        }
      }
      // a clean stop leaves nothing behind (a crashed daemon's log stays for diagnosis)
      Files.deleteIfExists(Rendezvous.sibling(socket, ".log"));
      Files.deleteIfExists(Rendezvous.sibling(socket, ".lock"));
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      log("stopping: " + e);
    }
  }

  private void watch() {
    while (!stopping) {
      sleep(500);
      if (!stillMe()) {
        stop("the jar or its identity changed (a rebuild): a new daemon serves the new build");
      } else if (!Objects.equals(fileKey(socket), socketKey)) {
        stop("the socket was removed or replaced");
      } else if (active.get() == 0 && System.nanoTime() - lastUsed > idleMillis * 1_000_000) {
        stop("idle for " + idleMillis / 1000 + " s");
      }
    }
  }

  private boolean stillMe() {
    try {
      return Rendezvous.identity(jar, flags, env).equals(identity);
    } catch (IOException e) {
      return false;
    }
  }

  private void handle(SocketChannel channel) {
    long t0 = System.nanoTime();
    String command = "?";
    try (SocketChannel ch = channel) {
      Frames frames = new Frames(new DataOutputStream(Wire.out(ch)));
      String peer = peerProblem(ch);
      if (peer != null) {
        log("refused a client: " + peer);
        frames.refuse(peer);
        return;
      }
      DataInputStream in = new DataInputStream(new BufferedInputStream(Wire.in(ch), 8192));
      if (in.readInt() != Wire.MAGIC) {
        frames.refuse("not a trailquery client");
        return;
      }
      String clientIdentity = Wire.readString(in);
      Path cwd = Path.of(Wire.readString(in));
      int n = in.readInt();
      if (n < 0 || n > 10_000) {
        throw new IOException("bad variable count " + n);
      }
      Map<String, String> vars = new HashMap<>();
      for (int i = 0; i < n; i++) {
        vars.put(Wire.readString(in), Wire.readString(in));
      }
      n = in.readInt();
      if (n < 0 || n > 100_000) {
        throw new IOException("bad argument count " + n);
      }
      List<String> args = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        args.add(Wire.readString(in));
      }
      if (args.size() == 2 && args.getFirst().equals("daemon")) { // any build's client may ask
        manage(args.get(1), frames);
        return;
      }
      if (!clientIdentity.equals(identity) || !stillMe()) {
        frames.refuse("another build: this daemon serves\n" + identity);
        if (!stillMe()) {
          stop("the jar changed under it");
        }
        return;
      }
      if (args.isEmpty() || !SERVED.contains(args.getFirst()) || !cwd.isAbsolute()) {
        frames.refuse("not served by the daemon: " + (args.isEmpty() ? "" : args.getFirst()));
        return;
      }
      String aws = awsProblem(args, vars);
      if (aws != null) {
        frames.refuse(aws);
        return;
      }
      command = args.getFirst();
      int code = run(ch, in, frames, new Invocation(cwd, vars), args);
      frames.exit(code);
      log(command + ": exit " + code + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    } catch (IOException e) {
      log(command + ": the client went away (" + e + ")");
    }
  }

  /**
   * Why this daemon may not run a command that reads {@code s3://}, or null if it may. The AWS SDK
   * resolves credentials, region and endpoints from the process's environment (and caches them per
   * process), so the daemon reads S3 only for a client whose {@code AWS_*} variables are exactly
   * its own: what it reads then is what the client's own JVM would have read. Another profile,
   * region, endpoint or set of keys runs in the client's own JVM, as without a daemon.
   */
  String awsProblem(List<String> args, Map<String, String> clientVars) {
    if (args.stream().noneMatch(a -> a.contains("s3://"))) {
      return null;
    }
    return aws(clientVars).equals(aws(env))
        ? null
        : "s3:// with AWS settings other than the daemon's: run in the client's own JVM";
  }

  private static Map<String, String> aws(Map<String, String> vars) {
    Map<String, String> aws = new HashMap<>();
    vars.forEach(
        (k, v) -> {
          if (k.startsWith("AWS_")) {
            aws.put(k, v);
          }
        });
    return aws;
  }

  /** {@code daemon status} or {@code daemon stop}: one line about this daemon. */
  private void manage(String what, Frames frames) throws IOException {
    long up = (System.nanoTime() - started) / 1_000_000_000;
    String line =
        (what.equals("stop") ? "stopped " : "")
            + "daemon pid "
            + ProcessHandle.current().pid()
            + ": up "
            + up
            + " s, "
            + (served.get() - 1)
            + " commands before this one, "
            + (active.get() - 1)
            + " running; "
            + jar
            + "\n";
    if (what.equals("stop")) { // before the answer: a command right after starts a new daemon
      stop("asked to stop (trailquery daemon stop)");
    }
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    frames.write(Wire.OUT, b, 0, b.length);
    frames.exit(0);
  }

  /** Runs the command; a byte from the client or its end of the stream cancels it. */
  private int run(
      SocketChannel ch, DataInputStream in, Frames frames, Invocation invocation, List<String> args)
      throws IOException {
    Thread worker = Thread.currentThread();
    AtomicBoolean done = new AtomicBoolean();
    AtomicBoolean cancelled = new AtomicBoolean();
    Thread watcher =
        Thread.ofPlatform()
            .daemon()
            .name(worker.getName() + "-cancel")
            .start(
                () -> {
                  try {
                    in.read(); // CANCEL, or -1 when the client is gone
                  } catch (IOException e) {
                    // closed: the command finished
                  }
                  synchronized (done) {
                    if (!done.get()) {
                      cancelled.set(true);
                      worker.interrupt();
                    }
                  }
                });
    PrintStream out =
        new PrintStream(
            new BufferedOutputStream(frames.stream(Wire.OUT), 8192), false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(frames.stream(Wire.ERR), true, StandardCharsets.UTF_8);
    int code;
    try {
      code = Invocation.call(invocation, () -> Main.execute(args, out, err));
    } catch (Exception e) {
      err.println("trailquery: internal error: " + e);
      code = 1;
    }
    out.flush();
    err.flush();
    synchronized (done) {
      done.set(true);
      Thread.interrupted(); // a cancel that came too late to matter
    }
    if (cancelled.get()) {
      this.cancelled.incrementAndGet();
      log(args.getFirst() + ": cancelled by the client");
      throw new IOException("cancelled");
    }
    return code;
  }

  /** Null when the connecting process runs as this daemon's user, else why it may not connect. */
  private static String peerProblem(SocketChannel ch) {
    try {
      UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      String me = System.getProperty("user.name");
      return p.user().getName().equals(me)
          ? null
          : "a client of user " + p.user().getName() + ", not " + me;
    } catch (IOException | UnsupportedOperationException e) {
      return "the client's user is unknown: " + e;
    }
  }

  private static Object fileKey(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private void log(String message) {
    log.println(Instant.now() + " " + message);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The daemon's side of the stream: frames written whole, from any thread. */
  static final class Frames {
    private final DataOutputStream out;

    Frames(DataOutputStream out) {
      this.out = out;
    }

    synchronized void write(byte type, byte[] b, int off, int len) throws IOException {
      out.writeByte(type);
      out.writeInt(len);
      out.write(b, off, len);
      out.flush();
    }

    synchronized void exit(int code) throws IOException {
      out.writeByte(Wire.EXIT);
      out.writeInt(code);
      out.flush();
    }

    synchronized void refuse(String reason) throws IOException {
      out.writeByte(Wire.REFUSED);
      Wire.writeString(out, reason);
      out.flush();
    }

    OutputStream stream(byte type) {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          for (int o = off; o < off + len; o += 1 << 20) {
            Frames.this.write(type, b, o, Math.min(1 << 20, off + len - o));
          }
        }
      };
    }
  }
}
