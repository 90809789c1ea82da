package dev.trailquery.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

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
 *
 * <p>A relative path is resolved against the process's working directory, or against {@code base}
 * when one is given (a resident process serving clients in other directories): the keys stay as
 * given, relative, so {@code @logStream} and {@code @ptr} read the same either way.
 */
public final class LocalFileSource implements ObjectSource {
  private final Path path;
  private final Path base; // null: the process's working directory
  private final Lister lister;

  /**
   * Entries met while walking that could not be read (a symbolic-link loop, a directory without
   * permission): each is listed as an object whose {@link #open} throws the error met, so the scan
   * skips and reports it like any unreadable file and goes on with the others.
   */
  private final Map<String, IOException> unreadable = new ConcurrentHashMap<>();

  /** Lists a directory's entries ({@link Files#newDirectoryStream}; replaceable in tests). */
  interface Lister {
    DirectoryStream<Path> list(Path dir) throws IOException;
  }

  public LocalFileSource(Path path) {
    this(null, path);
  }

  /**
   * Files under {@code path}, a relative {@code path} (and the keys) resolved against {@code base}.
   */
  public LocalFileSource(Path base, Path path) {
    this(base, path, Files::newDirectoryStream);
  }

  LocalFileSource(Path path, Lister lister) {
    this(null, path, lister);
  }

  private LocalFileSource(Path base, Path path, Lister lister) {
    this.base = base;
    this.path = path;
    this.lister = lister;
  }

  /** Where the file system finds {@code p}, a path as the keys spell it. */
  private Path io(Path p) {
    return base == null ? p : base.resolve(p);
  }

  @Override
  public String location() {
    return path.toString();
  }

  @Override
  public List<ObjectRef> list() throws IOException {
    List<ObjectRef> refs = new ArrayList<>();
    try {
      objects().forEachRemaining(refs::add);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return List.copyOf(refs);
  }

  /**
   * The objects of {@link #list}, in the same order, walked as they are asked for: only the
   * directories on the current path are held, so memory does not grow with the number of files.
   * Errors met while walking are thrown by the iterator as {@link UncheckedIOException}.
   */
  @Override
  public Iterator<ObjectRef> objects() throws IOException {
    if (!Files.exists(io(path))) {
      throw new NoSuchFileException(path.toString());
    }
    if (!Files.isDirectory(io(path))) {
      Path parent = path.getParent();
      return List.of(
              new ObjectRef(
                  parent == null ? "." : parent.toString(), path.toString(), Files.size(io(path))))
          .iterator();
    }
    return new Walk();
  }

  /** One entry of a directory, with its place in key order; attrs null when unreadable. */
  private record Entry(Path path, BasicFileAttributes attrs, String sortKey, IOException error) {}

  /** A directory being walked: its entries in key order and the next one to visit. */
  private static final class Frame {
    final Object fileKey;
    final Path dir;
    final Entry[] entries;
    int next;

    Frame(Path dir, Object fileKey, Entry[] entries) {
      this.dir = dir;
      this.fileKey = fileKey;
      this.entries = entries;
    }
  }

  /**
   * Depth-first walk, following symbolic links, each directory's entries sorted by name with a
   * {@code /} after directory names: that is exactly the order of the full keys as strings (a
   * file's name never contains {@code /}), so the walk needs no global sort.
   */
  private final class Walk implements Iterator<ObjectRef> {
    private final String container = path.toString();
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();
    private ObjectRef ready;

    Walk() throws IOException {
      BasicFileAttributes attrs = Files.readAttributes(io(path), BasicFileAttributes.class);
      stack.push(new Frame(path, attrs.fileKey(), entries(path)));
    }

    @Override
    public boolean hasNext() {
      if (ready == null) {
        try {
          ready = advance();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return ready != null;
    }

    @Override
    public ObjectRef next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ObjectRef r = ready;
      ready = null;
      return r;
    }

    private ObjectRef advance() throws IOException {
      while (!stack.isEmpty()) {
        Frame top = stack.peek();
        if (top.next == top.entries.length) {
          stack.pop();
          continue;
        }
        Entry e = top.entries[top.next];
        top.entries[top.next++] = null;
        if (e.error() != null) {
          return unreadable(e.path(), e.error());
        }
        if (e.attrs().isDirectory()) {
          if (!hidden(e.path()) && !loops(e.path(), e.attrs().fileKey())) {
            Entry[] inner;
            try {
              inner = entries(e.path());
            } catch (IOException listing) {
              return unreadable(e.path(), listing);
            }
            stack.push(new Frame(e.path(), e.attrs().fileKey(), inner));
          }
        } else if (e.attrs().isRegularFile() && !skipped(e.path())) {
          return new ObjectRef(container, e.path().toString(), e.attrs().size());
        }
      }
      return null;
    }

    private ObjectRef unreadable(Path p, IOException error) {
      unreadable.put(p.toString(), error);
      return new ObjectRef(container, p.toString(), 0);
    }

    /** Whether {@code dir} is one of the directories being walked (a symbolic-link loop). */
    private boolean loops(Path dir, Object fileKey) throws IOException {
      for (Frame f : stack) {
        if (fileKey != null && f.fileKey != null
            ? fileKey.equals(f.fileKey)
            : Files.isSameFile(io(dir), io(f.dir))) {
          return true;
        }
      }
      return false;
    }

    private Entry[] entries(Path dir) throws IOException {
      List<Entry> list = new ArrayList<>();
      try (DirectoryStream<Path> ds = lister.list(io(dir))) {
        for (Path found : ds) {
          Path p = base == null ? found : dir.resolve(found.getFileName());
          BasicFileAttributes attrs;
          String name = p.getFileName().toString();
          try {
            attrs = Files.readAttributes(found, BasicFileAttributes.class);
          } catch (NoSuchFileException e) { // a dangling symbolic link: not a log file
            continue;
          } catch (IOException e) { // e.g. a symbolic-link loop: skipped and reported
            if (!hidden(p)) {
              list.add(new Entry(p, null, name, e));
            }
            continue;
          }
          list.add(new Entry(p, attrs, attrs.isDirectory() ? name + "/" : name, null));
        }
      } catch (java.nio.file.DirectoryIteratorException e) {
        throw e.getCause();
      }
      Entry[] sorted = list.toArray(Entry[]::new);
      Arrays.sort(sorted, Comparator.comparing(Entry::sortKey));
      return sorted;
    }
  }

  @Override
  public InputStream open(ObjectRef ref) throws IOException {
    IOException error = unreadable.get(ref.key());
    if (error != null) {
      throw error;
    }
    return Files.newInputStream(io(Path.of(ref.key())));
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
