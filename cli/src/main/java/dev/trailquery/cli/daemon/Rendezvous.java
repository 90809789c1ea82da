package dev.trailquery.cli.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Where a user's daemon listens and what makes it that user's own (JDK classes only: the client
 * loads it).
 *
 * <p>The socket lives in a directory of the user's: {@code $TRAILQUERY_DAEMON_DIR}, else {@code
 * $XDG_RUNTIME_DIR/trailquery}, else {@code <tmpdir>/trailquery-<uid>}. Client and daemon both
 * refuse a directory that is a symbolic link, is not owned by the user, or is open to anyone else
 * (mode other than 0700), and a socket not owned by the user or open to anyone else (0600); the
 * daemon also checks the connecting process's user (SO_PEERCRED).
 *
 * <p>The socket's name is a hash of the daemon's <em>identity</em>: the jar (path, size, time, file
 * key), the JDK, the launcher's JVM flags and the locale and time-zone variables (the JVM reads
 * them once, at start). A rebuilt jar or another JDK means another identity, so another daemon; the
 * handshake compares the whole identity, and a daemon whose jar changed exits.
 */
final class Rendezvous {
  static final int PROTOCOL = 1;

  /** Environment variables the JVM reads once at start-up: part of a daemon's identity. */
  static final List<String> FIXED_AT_START =
      List.of(
          "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_MESSAGES", "TZ");

  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> SOCKET_MODE =
      PosixFilePermissions.fromString("rw-------");

  private Rendezvous() {}

  /** The user's id: {@code -Dtrailquery.uid} (the launcher passes bash's $UID), else /proc's. */
  static int uid() throws IOException {
    Integer uid = Integer.getInteger("trailquery.uid");
    if (uid != null) {
      return uid;
    }
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  /** The user's daemon directory (not created). */
  static Path dir(int uid, Map<String, String> env) {
    String explicit = env.get("TRAILQUERY_DAEMON_DIR");
    if (explicit != null && !explicit.isEmpty()) {
      return Path.of(explicit).toAbsolutePath();
    }
    String runtime = env.get("XDG_RUNTIME_DIR");
    if (runtime != null && runtime.startsWith("/") && Files.isDirectory(Path.of(runtime))) {
      return Path.of(runtime, "trailquery");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "trailquery-" + uid);
  }

  /**
   * Creates {@code dir} (mode 0700) when missing; returns null when it is the user's own and
   * private, else why it may not be used.
   */
  static String secureDir(Path dir, int uid) {
    try {
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
      } catch (FileAlreadyExistsException e) {
        // checked below, whoever made it
      }
      PosixFileAttributes a =
          Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isDirectory()) {
        return dir + " is not a directory";
      }
      int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      if (owner != uid) {
        return dir + " is owned by uid " + owner + ", not " + uid;
      }
      if (!a.permissions().equals(DIR_MODE)) {
        return dir
            + " has mode "
            + PosixFilePermissions.toString(a.permissions())
            + ", not rwx------";
      }
      return null;
    } catch (IOException | UnsupportedOperationException e) {
      return dir + ": " + e;
    }
  }

  /** Null when the socket file is the user's own and open to no one else, else why not. */
  static String secureSocket(Path socket, int uid) {
    try {
      PosixFileAttributes a =
          Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isOther()) {
        return socket + " is not a socket";
      }
      int owner = (Integer) Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      if (owner != uid) {
        return socket + " is owned by uid " + owner + ", not " + uid;
      }
      for (PosixFilePermission p : a.permissions()) {
        if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE) {
          return socket
              + " has mode "
              + PosixFilePermissions.toString(a.permissions())
              + ", not rw-------";
        }
      }
      return null;
    } catch (IOException | UnsupportedOperationException e) {
      return socket + ": " + e;
    }
  }

  /** The identity of a daemon for {@code jar} started with {@code flags} in {@code env}. */
  static String identity(Path jar, String flags, Map<String, String> env) throws IOException {
    Path j = jar.toAbsolutePath().normalize();
    BasicFileAttributes a = Files.readAttributes(j, BasicFileAttributes.class);
    StringBuilder sb =
        new StringBuilder()
            .append("protocol ")
            .append(PROTOCOL)
            .append("\njar ")
            .append(j)
            .append(' ')
            .append(a.size())
            .append(' ')
            .append(a.lastModifiedTime().toMillis())
            .append(' ')
            .append(a.fileKey())
            .append("\njava ")
            .append(System.getProperty("java.home"))
            .append(' ')
            .append(System.getProperty("java.vm.version"))
            .append("\nflags ")
            .append(flags);
    for (String name : FIXED_AT_START) {
      String v = env.get(name);
      if (v != null) {
        sb.append('\n').append(name).append('=').append(v);
      }
    }
    return sb.toString();
  }

  /** The socket's file name for an identity: two independent 32-bit hashes of it. */
  static String socketName(String identity) {
    byte[] b = identity.getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(b);
    return "d-"
        + Long.toHexString(crc.getValue())
        + Integer.toHexString(identity.hashCode())
        + ".sock";
  }

  /**
   * The ticket of the launcher's fast client ({@code scripts/daemon-client.pl}) for this launch
   * configuration: a file in the daemon directory naming the socket and the identity to send, so
   * that a client that cannot compute the identity (the jar's file key and the JVM's version are
   * the JVM's to know) still reaches the right daemon. Its name hashes what the launcher knows as
   * text: the jar's path, the JDK's home, the daemon's flags and the locale variables; the Java
   * client writes it after a command the daemon served, the fast client sends what it names and the
   * daemon still compares the identity. A ticket of an older build is refused, and removed.
   */
  static Path ticket(Path dir, String jar, String javaHome, String flags, Map<String, String> env) {
    StringBuilder key =
        new StringBuilder("ticket 1\n")
            .append(jar)
            .append('\n')
            .append(javaHome)
            .append('\n')
            .append(flags);
    for (String name : FIXED_AT_START) {
      String v = env.get(name);
      if (v != null) {
        key.append('\n').append(name).append('=').append(v);
      }
    }
    try {
      byte[] md5 =
          MessageDigest.getInstance("MD5").digest(key.toString().getBytes(StandardCharsets.UTF_8));
      return dir.resolve("t-" + HexFormat.of().formatHex(md5) + ".ticket");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes a ticket (mode 0600, whole or not at all): the socket's file name, then the identity.
   */
  static void writeTicket(Path ticket, Path socket, String identity) throws IOException {
    Path tmp = ticket.resolveSibling(ticket.getFileName() + "." + ProcessHandle.current().pid());
    Files.deleteIfExists(tmp);
    Files.writeString(
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(SOCKET_MODE)),
        socket.getFileName() + "\n" + identity,
        StandardCharsets.UTF_8);
    Files.move(tmp, ticket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The socket's file name a ticket names (its first line), or null when it is not a ticket. */
  static String ticketSocket(Path ticket) {
    try {
      String s = Files.readString(ticket, StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      return nl < 0 ? null : s.substring(0, nl);
    } catch (IOException e) {
      return null;
    }
  }

  /** The daemon's lock ({@code .lock}) or log ({@code .log}) file beside its socket. */
  static Path sibling(Path socket, String suffix) {
    String s = socket.getFileName().toString();
    return socket.resolveSibling(s.substring(0, s.length() - ".sock".length()) + suffix);
  }
}
