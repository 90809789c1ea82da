package dev.trailquery.cli.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Request and response bodies framed by Content-Length or chunked transfer coding. */
final class Bodies {
  private Bodies() {}

  /** Longest chunk-size line (size and extensions) or trailer section accepted. */
  static final int MAX_CHUNK_LINE = 1024;

  /** A request body; {@link #complete} tells whether it was read to its end. */
  abstract static class Body extends InputStream {
    abstract boolean complete();

    /** Reads and drops what is left, up to {@code max} bytes; true when that reached the end. */
    boolean drain(long max) throws IOException {
      byte[] b = new byte[8192];
      long left = max;
      while (!complete() && left > 0) {
        int r = read(b, 0, (int) Math.min(b.length, left));
        if (r < 0) {
          break;
        }
        left -= r;
      }
      return complete();
    }
  }

  /** {@code length} bytes of {@code in}. */
  static final class Fixed extends Body {
    private final InputStream in;
    private long left;

    Fixed(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int r = in.read(b, off, (int) Math.min(len, left));
      if (r < 0) {
        throw HttpError.badRequest("the connection ended inside the request body");
      }
      left -= r;
      return r;
    }

    @Override
    boolean complete() {
      return left == 0;
    }

    @Override
    public void close() {
      // the connection's stream stays open for the next request
    }
  }

  /** A chunked request body (RFC 9112 7.1); trailers are read and dropped. */
  static final class Chunked extends Body {
    private final InputStream in;
    private long left; // of the current chunk
    private boolean done;
    private boolean started;

    Chunked(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      if (left == 0) {
        if (started) {
          crlf();
        }
        started = true;
        left = size();
        if (left == 0) {
          trailers();
          done = true;
          return -1;
        }
      }
      int r = in.read(b, off, (int) Math.min(len, left));
      if (r < 0) {
        throw HttpError.badRequest("the connection ended inside a chunk of the request body");
      }
      left -= r;
      return r;
    }

    private long size() throws IOException {
      String line = line();
      int semi = line.indexOf(';');
      String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
      if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(Bodies::isHex)) {
        throw HttpError.badRequest("a chunk size is not a hexadecimal number: '" + hex + "'");
      }
      return Long.parseLong(hex, 16);
    }

    private void crlf() throws IOException {
      if (!line().isEmpty()) {
        throw HttpError.badRequest("a chunk of the request body does not end with CRLF");
      }
    }

    private void trailers() throws IOException {
      int total = 0;
      String line;
      while (!(line = line()).isEmpty()) {
        total += line.length();
        if (total > MAX_CHUNK_LINE) {
          throw new HttpError(
              431, "RequestHeaderFieldsTooLarge", "the request body's trailers are too large");
        }
      }
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      while (true) {
        int c = in.read();
        if (c < 0) {
          throw HttpError.badRequest("the connection ended inside the chunked request body");
        }
        if (c == '\n') {
          int n = sb.length();
          return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
        }
        if (sb.length() > MAX_CHUNK_LINE) {
          throw HttpError.badRequest("a chunk-size line is over " + MAX_CHUNK_LINE + " bytes");
        }
        sb.append((char) c);
      }
    }

    @Override
    boolean complete() {
      return done;
    }

    @Override
    public void close() {
      // the connection's stream stays open for the next request
    }
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** A response body of a declared length; bytes beyond it are refused. */
  static final class FixedOut extends OutputStream {
    private final OutputStream out;
    private final boolean discard;
    private long left;

    FixedOut(OutputStream out, long length, boolean discard) {
      this.out = out;
      this.left = length;
      this.discard = discard;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > left) {
        throw new IOException("the response body is longer than its Content-Length");
      }
      left -= len;
      if (!discard) {
        out.write(b, off, len);
      }
    }

    boolean complete() {
      return left == 0 || discard;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }

  /** A chunked response body; {@link #close} writes the last chunk. */
  static final class ChunkedOut extends OutputStream {
    private final OutputStream out;
    private boolean closed;

    ChunkedOut(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("the response body is closed");
      }
      if (len == 0) {
        return;
      }
      out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(b, off, len);
      out.write(CRLF);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    }
  }

  static final byte[] CRLF = {'\r', '\n'};
}
