package dev.trailquery.blocks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** Blocks in a local directory; writes go to a temporary file renamed into place. */
public final class DirBlockStore implements BlockStore {
  private final Path root;

  public DirBlockStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    Path dir = root.resolve(prefix);
    Path base = Files.isDirectory(dir) ? dir : dir.getParent();
    if (base == null || !Files.isDirectory(base)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(base)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(n -> n.startsWith(prefix) && !n.contains("/."))
          .filter(n -> !n.startsWith("."))
          .sorted()
          .toList();
    }
  }

  @Override
  public byte[] read(String name) throws IOException {
    try {
      return Files.readAllBytes(root.resolve(name));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public InputStream openRange(String name, long offset, long length) throws IOException {
    FileChannel ch = FileChannel.open(root.resolve(name), StandardOpenOption.READ);
    ch.position(offset);
    InputStream in = Channels.newInputStream(ch);
    return new java.io.FilterInputStream(in) {
      long left = length;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        int b = super.read();
        if (b >= 0) {
          left--;
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int r = super.read(b, off, (int) Math.min(len, left));
        if (r > 0) {
          left -= r;
        }
        return r;
      }
    };
  }

  @Override
  public void write(String name, byte[] bytes) throws IOException {
    Path target = root.resolve(name);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp" + System.nanoTime());
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void delete(String name) throws IOException {
    Files.deleteIfExists(root.resolve(name));
  }

  @Override
  public String location() {
    return root.toString();
  }
}
