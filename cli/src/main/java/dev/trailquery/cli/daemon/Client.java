package dev.trailquery.cli.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The launcher's side of the resident daemon: sends a command (arguments, working directory, the
 * {@code TRAILQUERY_*} and {@code AWS_*} variables) to the user's daemon and relays its stdout,
 * stderr and exit code; Ctrl-C (or SIGTERM) cancels the command in the daemon. JDK classes only,
 * loaded from a jar of its own with minimal JVM flags, so it starts in tens of milliseconds.
 *
 * <p>Exit codes: the command's, or {@link #NO_DAEMON} (none listening: the launcher starts one and
 * asks again with {@code -Dtrailquery.daemon.wait}) or {@link #IN_PROCESS} (the daemon may not or
 * cannot serve it: the launcher runs the command in a JVM of its own, as without a daemon).
 */
public final class Client {
  static final int NO_DAEMON = 75;
  static final int IN_PROCESS = 76;

  private final Path dir;
  private final int uid;
  private final String identity;
  private final Map<String, String> env;
  private final String cwd;
  private final OutputStream out;
  private final OutputStream err;
  private final long waitMillis;
  private final long daemonPid;
  private final Path ticket;
  private volatile boolean finished;
  private boolean served;

  Client(
      Path dir,
      int uid,
      String identity,
      Map<String, String> env,
      String cwd,
      OutputStream out,
      OutputStream err,
      long waitMillis,
      long daemonPid) {
    this(dir, uid, identity, env, cwd, out, err, waitMillis, daemonPid, null);
  }

  /**
   * With {@code ticket}: after a command the daemon served, the fast client's ticket is written.
   */
  Client(
      Path dir,
      int uid,
      String identity,
      Map<String, String> env,
      String cwd,
      OutputStream out,
      OutputStream err,
      long waitMillis,
      long daemonPid,
      Path ticket) {
    this.ticket = ticket;
    this.dir = dir;
    this.uid = uid;
    this.identity = identity;
    this.env = env;
    this.cwd = cwd;
    this.out = out;
    this.err = err;
    this.waitMillis = waitMillis;
    this.daemonPid = daemonPid;
  }

  public static void main(String[] args) {
    int code;
    try {
      Map<String, String> env = System.getenv();
      int uid = Rendezvous.uid();
      Path jar = Path.of(System.getProperty("trailquery.jar"));
      String flags = System.getProperty("trailquery.daemon.flags", "");
      String identity = Rendezvous.identity(jar, flags, env);
      Path dir = Rendezvous.dir(uid, env);
      String javaHome = System.getProperty("trailquery.daemon.javaHome"); // set: leave a ticket
      code =
          new Client(
                  dir,
                  uid,
                  identity,
                  env,
                  System.getProperty("user.dir"),
                  new FileOutputStream(FileDescriptor.out),
                  new FileOutputStream(FileDescriptor.err),
                  Long.getLong("trailquery.daemon.wait", 0),
                  Long.getLong("trailquery.daemon.pid", -1),
                  javaHome == null
                      ? null
                      : Rendezvous.ticket(
                          dir, System.getProperty("trailquery.jar"), javaHome, flags, env))
              .run(List.of(args));
    } catch (IOException | RuntimeException e) {
      debug(System.getenv(), "no daemon: " + e);
      code = IN_PROCESS;
    }
    System.exit(code);
  }

  /** The socket a daemon of this identity listens on. */
  Path socket() {
    return dir.resolve(Rendezvous.socketName(identity));
  }

  int run(List<String> args) throws IOException {
    String bad = Rendezvous.secureDir(dir, uid);
    if (bad != null) {
      warn("trailquery: not using the daemon: " + bad);
      return IN_PROCESS;
    }
    if (!args.isEmpty() && args.getFirst().equals("daemon")) {
      return manage(args);
    }
    Path socket = socket();
    SocketChannel ch = null;
    long deadline = System.nanoTime() + waitMillis * 1_000_000;
    while (ch == null) {
      if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        bad = Rendezvous.secureSocket(socket, uid);
        if (bad != null) {
          warn("trailquery: not using the daemon: " + bad);
          return IN_PROCESS;
        }
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
          ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) { // a stale socket (the daemon crashed) or one starting
          ch.close();
          ch = null;
        }
      }
      if (ch == null) {
        if (waitMillis <= 0) {
          return NO_DAEMON;
        }
        if (System.nanoTime() > deadline || daemonGone()) {
          debug(env, "the daemon did not start; see " + log());
          return IN_PROCESS;
        }
        sleep(10);
      }
    }
    int code;
    try (SocketChannel c = ch) {
      code = converse(c, args);
    }
    if (served && ticket != null) {
      try {
        Rendezvous.writeTicket(ticket, socket, identity);
      } catch (IOException e) {
        debug(env, "no ticket for the fast client: " + e);
      }
    }
    return code;
  }

  /**
   * {@code daemon status} and {@code daemon stop}: asks every daemon of the user (any build) in
   * turn.
   */
  private int manage(List<String> args) throws IOException {
    if (args.size() != 2 || !(args.get(1).equals("status") || args.get(1).equals("stop"))) {
      warn("usage: trailquery daemon status|stop");
      return 2;
    }
    List<Path> sockets = new ArrayList<>();
    try (var files = Files.newDirectoryStream(dir, "d-*.sock")) {
      files.forEach(sockets::add);
    }
    sockets.sort(null);
    int found = 0;
    for (Path socket : sockets) {
      if (socket.getFileName().toString().endsWith(".new.sock")
          || Rendezvous.secureSocket(socket, uid) != null) {
        continue;
      }
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(UnixDomainSocketAddress.of(socket));
        request(ch, args);
        if (relay(ch) == 0) {
          found++;
        }
      } catch (IOException e) { // a crashed daemon's socket
        debug(env, socket + ": " + e);
      }
    }
    if (found == 0) {
      out.write("no trailquery daemon is running\n".getBytes(StandardCharsets.UTF_8));
    }
    return 0;
  }

  private int converse(SocketChannel ch, List<String> args) throws IOException {
    try {
      request(ch, args);
    } catch (IOException e) { // the daemon went away before it read the command
      debug(env, "the daemon did not take the command: " + e);
      return IN_PROCESS;
    }
    return relay(ch);
  }

  private void request(SocketChannel ch, List<String> args) throws IOException {
    DataOutputStream req = new DataOutputStream(new BufferedOutputStream(Wire.out(ch), 8192));
    req.writeInt(Wire.MAGIC);
    Wire.writeString(req, identity);
    Wire.writeString(req, cwd);
    List<Map.Entry<String, String>> vars = new ArrayList<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith("TRAILQUERY_") || e.getKey().startsWith("AWS_")) {
        vars.add(e);
      }
    }
    req.writeInt(vars.size());
    for (Map.Entry<String, String> e : vars) {
      Wire.writeString(req, e.getKey());
      Wire.writeString(req, e.getValue());
    }
    req.writeInt(args.size());
    for (String a : args) {
      Wire.writeString(req, a);
    }
    req.flush();
  }

  private int relay(SocketChannel ch) throws IOException {
    Thread cancel =
        new Thread(
            () -> {
              if (!finished) { // Ctrl-C, SIGTERM: the daemon stops the command
                try {
                  ch.write(ByteBuffer.wrap(new byte[] {Wire.CANCEL}));
                } catch (IOException e) {
                  // gone already
                }
              }
            });
    Runtime.getRuntime().addShutdownHook(cancel);
    DataInputStream in = new DataInputStream(new BufferedInputStream(Wire.in(ch), 65536));
    boolean relayed = false;
    boolean outBroken = false;
    boolean errBroken = false;
    try {
      while (true) {
        int type = in.read();
        if (type == Wire.EXIT) {
          finished = true;
          int code = in.readInt();
          served = true;
          return code;
        }
        if (type == Wire.REFUSED) {
          finished = true;
          debug(env, "the daemon refused: " + Wire.readString(in));
          return IN_PROCESS;
        }
        if (type != Wire.OUT && type != Wire.ERR) {
          break; // end of stream: the daemon died
        }
        byte[] b = Wire.readBytes(in);
        relayed = true;
        try { // like System.out, a closed pipe loses the output, not the run
          if (type == Wire.OUT && !outBroken) {
            out.write(b);
          } else if (type == Wire.ERR && !errBroken) {
            err.write(b);
          }
        } catch (IOException e) {
          outBroken |= type == Wire.OUT;
          errBroken |= type == Wire.ERR;
        }
      }
    } catch (IOException e) {
      debug(env, "the daemon's connection broke: " + e);
    } finally {
      finished = true;
      try {
        Runtime.getRuntime().removeShutdownHook(cancel);
      } catch (IllegalStateException e) {
        // shutting down
      }
    }
    if (!relayed) { // nothing was shown: run it again, in a JVM of its own
      return IN_PROCESS;
    }
    warn("trailquery: the daemon stopped before the command finished (its log: " + log() + ")");
    return 1;
  }

  private Path log() {
    return Rendezvous.sibling(socket(), ".log");
  }

  /** Whether the daemon the launcher started has gone and no other holds this identity's lock. */
  private boolean daemonGone() {
    if (daemonPid > 0 && ProcessHandle.of(daemonPid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    Path lock = Rendezvous.sibling(socket(), ".lock");
    try (FileChannel fc =
        FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock l = fc.tryLock();
      if (l == null) {
        return false; // another daemon of this identity is starting
      }
      l.release();
      return true;
    } catch (IOException e) {
      return true;
    }
  }

  private void warn(String message) {
    try {
      err.write((message + "\n").getBytes(StandardCharsets.UTF_8));
      err.flush();
    } catch (IOException e) {
      // nowhere to say it
    }
  }

  private static void debug(Map<String, String> env, String message) {
    if (env.get("TRAILQUERY_DEBUG") != null) {
      System.err.println("trailquery: " + message);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
