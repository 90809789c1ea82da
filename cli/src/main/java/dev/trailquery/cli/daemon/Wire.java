package dev.trailquery.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The daemon's protocol over its Unix-domain socket (JDK classes only: the client loads it).
 *
 * <pre>
 * client: MAGIC, identity, cwd, env (count, name, value...), args (count, arg...)   then CANCEL or EOF
 * daemon: frames: OUT bytes | ERR bytes | EXIT code | REFUSED reason
 * </pre>
 *
 * Strings are an int length and UTF-8; a frame is a type byte, then an int length and the bytes (an
 * EXIT frame: the exit code).
 */
final class Wire {
  static final int MAGIC = 0x54514431; // "TQD1"
  static final byte OUT = 1;
  static final byte ERR = 2;
  static final byte EXIT = 3;
  static final byte REFUSED = 4;
  static final byte CANCEL = 'C';

  /** A bound on one string or frame: a query file may be long, nothing is unbounded. */
  static final int MAX = 64 << 20;

  private Wire() {}

  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX) {
      throw new EOFException("bad length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  /**
   * A blocking socket channel's input, read by one thread while another writes: the streams of
   * {@code Channels} may hold the channel's blocking lock across a read.
   */
  static InputStream in(SocketChannel ch) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        int n;
        do {
          n = ch.read(ByteBuffer.wrap(b, off, len));
        } while (n == 0);
        return n;
      }
    };
  }

  /** A blocking socket channel's output (see {@link #in}). */
  static OutputStream out(SocketChannel ch) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
    };
  }
}
