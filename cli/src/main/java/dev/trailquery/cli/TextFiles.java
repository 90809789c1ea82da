package dev.trailquery.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Text files a user names on the command line (a query file, a filter pattern file): read with a
 * size bound and decoded as strict UTF-8, so a binary or over-long file is a usage error (exit 2)
 * that says where, never an internal error or a heap full of bytes.
 */
final class TextFiles {
  /** The largest file read: four bytes per character of the longest query, with room to spare. */
  static final int MAX_BYTES = 1 << 20;

  private TextFiles() {}

  static String read(Path file, String what) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      throw new UsageException(what + " " + file + " is over " + MAX_BYTES + " bytes");
    }
    return decode(bytes, what + " " + file);
  }

  /** Strict UTF-8; a usage error naming the byte offset of the first malformed sequence. */
  static String decode(byte[] bytes, String what) {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = d.decode(in, out, true);
    if (r.isError()) {
      throw new UsageException(what + " is not valid UTF-8 at byte " + in.position());
    }
    r = d.flush(out);
    out.flip();
    return out.toString();
  }
}
