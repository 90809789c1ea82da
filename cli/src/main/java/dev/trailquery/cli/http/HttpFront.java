package dev.trailquery.cli.http;

import com.sun.net.httpserver.HttpHandler;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The minimal HTTP/1.1 server behind {@code ./trailquery serve}: persistent connections,
 * Content-Length and chunked bodies, {@code Expect: 100-continue}, HEAD; one virtual thread per
 * connection; handlers written for the JDK's {@link HttpHandler}.
 *
 * <p>Why not the JDK's {@code HttpServer}: it parses the request line and headers itself and
 * refuses what it dislikes before any handler or filter runs — a target that is not a valid {@code
 * java.net.URI} ({@code /queries/%zz}, {@code ?maxResults=%zz}) gets an HTML {@code <h1>400 Bad
 * Request</h1>URISyntaxException thrown}, and a head over its size limits gets a closed connection
 * — so the API's error shape cannot be kept there. Here the head is read within {@link Limits} and
 * every refusal is the API's {@code {"error":{"code","message"}}}: 400 for a malformed head, 414
 * for an over-long request line, 431 for too many or too large headers, 408 for a head that does
 * not arrive in time, 501/505 for an unsupported transfer coding or version, 503 past the
 * connection cap, 500 (without details) when a handler fails.
 */
public final class HttpFront implements AutoCloseable {
  /** Request-body bytes read and dropped after a handler that left them, to keep a connection. */
  static final long DRAIN = 64 * 1024;

  /** Bytes read and dropped after refusing a request, so that the client sees the answer. */
  static final long LINGER_BYTES = 1 << 20;

  static final int LINGER_MILLIS = 2000;

  private final ServerSocket socket;
  private final HttpHandler handler;
  private final Limits limits;
  private final Semaphore connections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  private HttpFront(ServerSocket socket, HttpHandler handler, Limits limits) {
    this.socket = socket;
    this.handler = handler;
    this.limits = limits;
    this.connections = new Semaphore(limits.maxConnections());
    this.acceptor = Thread.ofPlatform().daemon().name("tq-http-accept").unstarted(this::accept);
  }

  /** Listens on {@code address} (port 0: a free one) and serves every request with handler. */
  public static HttpFront start(InetSocketAddress address, HttpHandler handler, Limits limits)
      throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      s.setReuseAddress(true);
      s.bind(address, 64);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    HttpFront front = new HttpFront(s, handler, limits);
    front.acceptor.start();
    return front;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Stops accepting and closes every open connection. */
  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  private void accept() {
    while (!closed) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue; // e.g. too many open files: the next accept may succeed
      }
      if (connections.tryAcquire()) {
        open.add(s);
        Thread.ofVirtual()
            .name("tq-http")
            .start(
                () -> {
                  try {
                    serve(s);
                  } finally {
                    open.remove(s);
                    closeQuietly(s);
                    connections.release();
                  }
                });
      } else {
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    s.setSoTimeout(LINGER_MILLIS);
                    refuse(
                        s,
                        new BufferedOutputStream(s.getOutputStream()),
                        new HttpError(
                            503,
                            "ServiceUnavailable",
                            "the server has "
                                + limits.maxConnections()
                                + " connections open; retry later"));
                  } catch (IOException ignored) {
                    // the client went away
                  } finally {
                    closeQuietly(s);
                  }
                });
      }
    }
  }

  /** Serves the requests of one connection until it ends or must be closed. */
  private void serve(Socket s) {
    try {
      s.setTcpNoDelay(true);
      Deadline deadline = new Deadline(s);
      InputStream in = new BufferedInputStream(deadline, 16 * 1024);
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
      InetSocketAddress local = (InetSocketAddress) s.getLocalSocketAddress();
      InetSocketAddress remote = (InetSocketAddress) s.getRemoteSocketAddress();
      while (!closed) {
        RequestHead head;
        deadline.idle(limits.idleTimeout().toMillis());
        int first = in.read(); // waiting for the next request: an idle timeout ends quietly
        if (first < 0) {
          return;
        }
        deadline.head(limits.headTimeout().toMillis());
        try {
          head = RequestHead.read(new Prefixed(first, in), limits);
        } catch (HttpError e) {
          refuse(s, out, e);
          return;
        } catch (SocketTimeoutException e) {
          refuse(
              s,
              out,
              new HttpError(
                  408,
                  "RequestTimeout",
                  "the request's head did not arrive within "
                      + limits.headTimeout().toSeconds()
                      + " s"));
          return;
        }
        if (head == null) {
          return;
        }
        deadline.idle(limits.idleTimeout().toMillis());
        if (head.bodyLength() != 0
            && !head.http10()
            && "100-continue".equalsIgnoreCase(head.headers().getFirst("Expect"))) {
          out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
        FrontExchange ex = new FrontExchange(head, in, out, local, remote);
        try {
          handler.handle(ex);
        } catch (HttpError e) {
          if (!ex.sent()) {
            refuse(s, out, e);
          }
          return;
        } catch (SocketException | SocketTimeoutException e) {
          return; // the client went away or stalled
        } catch (RuntimeException | IOException e) {
          if (!ex.sent()) {
            refuse(
                s, out, new HttpError(500, "InternalError", "the server failed on this request"));
          }
          return;
        }
        ex.close();
        if (!ex.sent()) {
          refuse(s, out, new HttpError(500, "InternalError", "the request got no response"));
          return;
        }
        out.flush();
        if (!ex.reusable(DRAIN)) {
          return;
        }
      }
    } catch (IOException e) {
      // the connection failed: nothing to answer
    }
  }

  /**
   * Answers {@code e} in the API's error shape with {@code Connection: close}, then reads and drops
   * what the client still sends (up to a bound) before the socket closes, so that the answer is not
   * lost to a reset while the client is still writing its over-long request.
   */
  private static void refuse(Socket s, OutputStream out, HttpError e) throws IOException {
    byte[] body = e.body().getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + e.status()
            + " "
            + Status.reason(e.status())
            + "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    s.shutdownOutput();
    s.setSoTimeout(LINGER_MILLIS);
    long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
    InputStream in = s.getInputStream();
    byte[] sink = new byte[16 * 1024];
    long left = LINGER_BYTES;
    try {
      int r;
      while (left > 0 && System.nanoTime() < deadline && (r = in.read(sink)) >= 0) {
        left -= r;
      }
    } catch (IOException ignored) {
      // timed out or reset: done either way
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  /** The socket's input, each read bounded by the current deadline. */
  private static final class Deadline extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private long until; // System.nanoTime() bound for the head, 0 for per-read idle timeouts
    private int idleMillis;

    Deadline(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
    }

    void idle(long millis) {
      until = 0;
      idleMillis = (int) Math.max(1, millis);
    }

    void head(long millis) {
      until = System.nanoTime() + millis * 1_000_000L;
    }

    private void arm() throws IOException {
      if (until == 0) {
        socket.setSoTimeout(idleMillis);
      } else {
        long left = (until - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          throw new SocketTimeoutException("the request head deadline passed");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
      }
    }

    @Override
    public int read() throws IOException {
      arm();
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      arm();
      return in.read(b, off, len);
    }
  }

  /** {@code in} with one byte already read put back in front. */
  private static final class Prefixed extends InputStream {
    private int first;
    private final InputStream in;

    Prefixed(int first, InputStream in) {
      this.first = first;
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (first >= 0) {
        int b = first;
        first = -1;
        return b;
      }
      return in.read();
    }
  }
}
