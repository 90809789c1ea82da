package dev.trailquery.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Who a command runs for: the working directory that relative paths mean and the environment it
 * reads. In a plain process that is the process's own; in the resident daemon each client's, bound
 * for the duration of its command (a {@link ScopedValue}, so concurrent clients never see each
 * other's).
 *
 * @param cwd the directory relative paths are resolved against; null: the process's own
 * @param env the environment variables the command sees
 */
public record Invocation(Path cwd, Map<String, String> env) {
  private static final ScopedValue<Invocation> CURRENT = ScopedValue.newInstance();
  private static final Invocation PROCESS = new Invocation(null, System.getenv());

  public Invocation {
    env = Map.copyOf(env);
  }

  /** The invocation of the running command. */
  public static Invocation current() {
    return CURRENT.orElse(PROCESS);
  }

  /** Runs {@code body} as {@code invocation}. */
  public static <T> T call(Invocation invocation, Callable<T> body) throws Exception {
    return ScopedValue.where(CURRENT, invocation).call(body::call);
  }

  /** An environment variable of the running command, or null. */
  static String getenv(String name) {
    return current().env().get(name);
  }

  /** Where the file system finds {@code path} as the command's user wrote it. */
  static Path path(String path) {
    Path cwd = current().cwd();
    return cwd == null ? Path.of(path) : cwd.resolve(path);
  }

  /** The working directory as an absolute path. */
  static Path workingDirectory() {
    Path cwd = current().cwd();
    return cwd == null ? Path.of("").toAbsolutePath() : cwd;
  }
}
