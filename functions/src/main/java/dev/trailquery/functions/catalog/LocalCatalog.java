package dev.trailquery.functions.catalog;

import dev.trailquery.store.LocalFileSource;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * A local directory in any layout. Every {@code AWSLogs} folder in it is read the way the S3 bucket
 * is ({@link TrailLayout}: only the day folders of the range, files picked by the time in their
 * name); every other file is read (a file with a CloudTrail log file name is still picked by its
 * name) and its records filtered by eventTime. Keys and skipped files are those of {@link
 * LocalFileSource}, so {@code @logStream} is the same as with {@code ./trailquery query DIR}.
 */
public final class LocalCatalog implements ObjectCatalog {
  private final Path root;
  private final TrailLayout layout;
  private final LocalFileSource source;

  public LocalCatalog(Path root, TrailLayout layout) {
    this.root = root;
    this.layout = layout;
    this.source = new LocalFileSource(root);
  }

  public Path root() {
    return root;
  }

  @Override
  public ObjectSource source() {
    return source;
  }

  @Override
  public List<ObjectRef> list(Range range) throws IOException {
    if (!Files.exists(root)) {
      throw new NoSuchFileException(root.toString());
    }
    if (!Files.isDirectory(root)) {
      return source.list();
    }
    String container = root.toString();
    List<ObjectRef> refs = new ArrayList<>();
    List<Path> trails = new ArrayList<>();
    Files.walkFileTree(
        root,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(root) && hidden(dir)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            if (dir.getFileName() != null && dir.getFileName().toString().equals("AWSLogs")) {
              trails.add(dir);
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()
                && !skipped(file)
                && layout.mayHold(file.getFileName().toString(), range)) {
              refs.add(new ObjectRef(container, file.toString(), attrs.size()));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof FileSystemLoopException || hidden(file)) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    for (Path trail : trails) {
      refs.addAll(layout.list(new DirTree(trail), "", range));
    }
    refs.sort(Comparator.comparing(ObjectRef::key));
    return List.copyOf(refs);
  }

  /** A directory as a key tree; keys are paths the way {@link LocalFileSource} forms them. */
  private final class DirTree implements TrailLayout.Tree {
    private final Path base;

    DirTree(Path base) {
      this.base = base;
    }

    @Override
    public String id() {
      return base.toAbsolutePath().toString();
    }

    @Override
    public List<String> folders(String prefix) throws IOException {
      Path dir = base.resolve(prefix);
      if (!Files.isDirectory(dir)) {
        return List.of();
      }
      try (Stream<Path> s = Files.list(dir)) {
        return s.filter(Files::isDirectory)
            .filter(p -> !hidden(p))
            .map(p -> p.getFileName().toString())
            .sorted()
            .toList();
      }
    }

    @Override
    public List<ObjectRef> objects(String prefix) throws IOException {
      Path dir = base.resolve(prefix);
      if (!Files.isDirectory(dir)) {
        return List.of();
      }
      String container = root.toString();
      try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
        List<ObjectRef> out = new ArrayList<>();
        for (Path p : (Iterable<Path>) s::iterator) {
          if (Files.isRegularFile(p) && !skipped(p)) {
            out.add(new ObjectRef(container, p.toString(), Files.size(p)));
          }
        }
        return out;
      }
    }
  }

  private static boolean hidden(Path p) {
    return LocalFileSource.hidden(p);
  }

  private static boolean skipped(Path file) {
    return LocalFileSource.skipped(file);
  }
}
