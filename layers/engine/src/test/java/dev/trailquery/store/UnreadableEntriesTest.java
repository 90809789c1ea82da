package dev.trailquery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.plan.Planner;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 D4/D5: a symbolic-link loop or a directory that cannot be listed is one skipped,
 * reported object; the other files are still read.
 */
class UnreadableEntriesTest {
  @TempDir Path tmp;

  static final String RECORD =
      "{\"Records\":[{\"eventTime\":\"2026-11-01T10:00:00Z\",\"eventName\":\"A\"}]}";

  static long count(Result r) {
    return ((Number) r.rows().getFirst()[0]).longValue();
  }

  @Test
  void symbolicLinkLoopIsSkippedAndReported() throws IOException {
    Path d = Files.createDirectories(tmp.resolve("d"));
    Files.writeString(d.resolve("good.json"), RECORD);
    Files.createSymbolicLink(d.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(d.resolve("b"), Path.of("a"));
    LocalFileSource src = new LocalFileSource(d);
    List<ObjectRef> refs = src.list();
    assertThat(refs)
        .extracting(ObjectRef::key)
        .containsExactly(d + "/a", d + "/b", d + "/good.json");
    assertThatThrownBy(() -> src.open(refs.getFirst()))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("a");
    Result r =
        Trailquery.run(
            Trailquery.compile("stats count(*)", Planner.Options.defaults()),
            List.of(new LocalFileSource(d)),
            1,
            Scan.Listener.NONE);
    assertThat(count(r)).isEqualTo(1);
    assertThat(r.statistics().objectsSkipped()).isEqualTo(2);
    assertThat(r.skipped()).extracting(s -> s.key()).containsExactly(d + "/a", d + "/b");
  }

  @Test
  void directoryThatCannotBeListedIsSkippedAndReported() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("logs"));
    Path locked = Files.createDirectories(root.resolve("locked"));
    Files.writeString(locked.resolve("hidden-by-mode.json"), RECORD);
    Files.writeString(root.resolve("z.json"), RECORD);
    // Tests may run as root, where mode 000 does not stop a listing: the lister fails as the
    // file system would for a non-root user.
    LocalFileSource.Lister denying =
        dir -> {
          if (dir.equals(locked)) {
            throw new AccessDeniedException(dir.toString());
          }
          return Files.newDirectoryStream(dir);
        };
    LocalFileSource src = new LocalFileSource(root, denying);
    List<ObjectRef> refs = src.list();
    assertThat(refs)
        .extracting(ObjectRef::key)
        .containsExactly(locked.toString(), root + "/z.json");
    assertThatThrownBy(() -> src.open(refs.getFirst())).isInstanceOf(AccessDeniedException.class);
    Result r =
        Trailquery.run(
            Trailquery.compile("stats count(*)", Planner.Options.defaults()),
            List.of(new LocalFileSource(root, denying)),
            1,
            Scan.Listener.NONE);
    assertThat(count(r)).isEqualTo(1);
    assertThat(r.statistics().objectsSkipped()).isEqualTo(1);
  }
}
