package dev.trailquery.store;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Locale;

/**
 * Objects from the local file system: one file, or every file under a directory (recursively,
 * following symbolic links, in a stable order by key).
 *
 * <p>Skipped while walking a directory: hidden files and directories (name starting with {@code
 * .}), Markdown files ({@code *.md}, e.g. {@code SOURCE.md}) and {@code LICENSE*}/{@code NOTICE*}
 * files. A file given directly is never skipped.
 *
 * <p>Each {@link ObjectRef} has {@code container} = the directory as given (for a single file: its
 * parent as given, or {@code .}) and {@code key} = the path as given joined with the path relative
 * to it ({@code samples/cloudtrail/x/y.json}), so {@code @logStream} reads naturally and {@link
 * #open} can use the key as a path.
 */
public final class LocalFileSource implements ObjectSource {
  private final Path path;

  public LocalFileSource(Path path) {
    this.path = path;
  }

  @Override
  public String location() {
    return path.toString();
  }

  @Override
  public List<ObjectRef> list() throws IOException {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString());
    }
    if (!Files.isDirectory(path)) {
      Path parent = path.getParent();
      return List.of(
          new ObjectRef(
              parent == null ? "." : parent.toString(), path.toString(), Files.size(path)));
    }
    String container = path.toString();
    List<ObjectRef> refs = new ArrayList<>();
    Files.walkFileTree(
        path,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return !dir.equals(path) && hidden(dir)
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && !skipped(file)) {
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
    refs.sort(Comparator.comparing(ObjectRef::key));
    return List.copyOf(refs);
  }

  @Override
  public InputStream open(ObjectRef ref) throws IOException {
    return Files.newInputStream(Path.of(ref.key()));
  }

  /** Whether a path's own name is hidden (starts with a dot). */
  public static boolean hidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  /** Whether a file is documentation or licence text rather than logs (or hidden). */
  public static boolean skipped(Path file) {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    return name.startsWith(".")
        || lower.endsWith(".md")
        || lower.startsWith("license")
        || lower.startsWith("licence")
        || lower.startsWith("notice");
  }
}
