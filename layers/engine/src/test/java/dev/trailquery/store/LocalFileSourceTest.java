package dev.trailquery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.read.ObjectResult;
import dev.trailquery.read.ReadRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileSourceTest {
  @TempDir Path tmp;

  static Path repoRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("samples/cloudtrail"))) {
        return d;
      }
    }
    throw new IllegalStateException("no samples/ above the working directory");
  }

  static void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void walksRecursivelyInKeyOrderSkippingHiddenAndDocs() throws IOException {
    Path root = tmp.resolve("logs");
    write(root.resolve("b.json"), "{}");
    write(root.resolve("a/x.json.gz"), "12345");
    write(root.resolve("a/.hidden.json"), "{}");
    write(root.resolve(".git/config"), "x");
    write(root.resolve(".cache/deep/y.json"), "x");
    write(root.resolve("SOURCE.md"), "# src");
    write(root.resolve("LICENSE"), "MIT");
    write(root.resolve("LICENSE-MIT"), "MIT");
    write(root.resolve("NOTICE"), "n");
    write(root.resolve("c/README.MD"), "r");
    write(root.resolve("c/d/e.json"), "{\"a\":1}");
    Files.createDirectories(root.resolve("empty"));
    LocalFileSource src = new LocalFileSource(root);
    assertThat(src.location()).isEqualTo(root.toString());
    List<ObjectRef> refs = src.list();
    assertThat(refs)
        .containsExactly(
            new ObjectRef(root.toString(), root + "/a/x.json.gz", 5),
            new ObjectRef(root.toString(), root + "/b.json", 2),
            new ObjectRef(root.toString(), root + "/c/d/e.json", 7));
    try (InputStream in = src.open(refs.get(2))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }
  }

  /** The lazy walk yields the keys in string order without sorting them all. */
  @Test
  void walkOrderIsKeyOrderWithoutAGlobalSort() throws IOException {
    Path root = tmp.resolve("order");
    for (String name :
        List.of(
            "a/x.json",
            "a-b.json",
            "a.b/y.json",
            "a0.json",
            "a/b/z.json",
            "ab/c.json",
            "A.json",
            "a/b.json",
            "a b/q.json",
            "z/1/2/3.json")) {
      write(root.resolve(name), "{}");
    }
    List<ObjectRef> refs = new LocalFileSource(root).list();
    assertThat(refs).hasSize(10);
    assertThat(refs).isSortedAccordingTo((a, b) -> a.key().compareTo(b.key()));
    List<ObjectRef> lazy = new java.util.ArrayList<>();
    new LocalFileSource(root).objects().forEachRemaining(lazy::add);
    assertThat(lazy).isEqualTo(refs);
  }

  @Test
  void singleFile() throws IOException {
    Path f = tmp.resolve("one/SOURCE.md"); // a file given directly is never skipped
    write(f, "hello");
    List<ObjectRef> refs = new LocalFileSource(f).list();
    assertThat(refs).containsExactly(new ObjectRef(f.getParent().toString(), f.toString(), 5));
  }

  @Test
  void relativePathsStayAsGiven() throws IOException {
    Path cwd = Path.of("").toAbsolutePath();
    Path rel = cwd.relativize(repoRoot().resolve("samples/cloudtrail/cloud-snitch"));
    List<ObjectRef> refs = new LocalFileSource(rel).list();
    assertThat(refs).hasSize(2);
    assertThat(refs)
        .allSatisfy(
            r -> {
              assertThat(r.container()).isEqualTo(rel.toString());
              assertThat(r.key()).startsWith(rel + "/aws-cloudtrail-logs/AWSLogs/");
              assertThat(r.size()).isEqualTo(Files.size(Path.of(r.key())));
            });
    assertThat(refs.get(0).key()).contains("/AWSLogs/333333333333/");
    assertThat(refs.get(1).key()).contains("/AWSLogs/o-1234abcde/"); // digits sort first
    Path file = Path.of(refs.get(0).key());
    assertThat(new LocalFileSource(file).list().get(0).key()).isEqualTo(refs.get(0).key());
  }

  @Test
  void relativePathsAgainstAnotherDirectoryKeepTheirKeys() throws IOException {
    // A resident process serving a client in tmp: "logs" means tmp/logs, the keys stay "logs/...".
    write(tmp.resolve("logs/b/2.json"), "{\"Records\":[]}");
    write(tmp.resolve("logs/a.json"), "{}");
    write(tmp.resolve("logs/.hidden"), "x");
    LocalFileSource source = new LocalFileSource(tmp, Path.of("logs"));
    assertThat(source.list())
        .containsExactly(
            new ObjectRef("logs", "logs/a.json", 2), new ObjectRef("logs", "logs/b/2.json", 14));
    try (InputStream in = source.open(source.list().get(1))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("{\"Records\":[]}");
    }
    assertThat(new LocalFileSource(tmp, Path.of("logs/a.json")).list())
        .containsExactly(new ObjectRef("logs", "logs/a.json", 2));
    assertThatThrownBy(() -> new LocalFileSource(tmp, Path.of("nope")).list())
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage("nope");
  }

  @Test
  void missingPath() {
    assertThatThrownBy(() -> new LocalFileSource(tmp.resolve("nope")).list())
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void symlinkLoopsAreNotFollowedForever() throws IOException {
    Path root = tmp.resolve("loop");
    write(root.resolve("d/a.json"), "{}");
    try {
      Files.createSymbolicLink(root.resolve("d/back"), root);
      Files.createSymbolicLink(root.resolve("link.json"), root.resolve("d/a.json"));
    } catch (UnsupportedOperationException | IOException e) {
      return; // no symlinks here
    }
    List<ObjectRef> refs = new LocalFileSource(root).list();
    assertThat(refs).extracting(ObjectRef::key).contains(root + "/d/a.json", root + "/link.json");
  }

  /** The whole samples folder through the source and the reader, against SOURCE.md counts. */
  @Test
  void samplesEndToEnd() throws IOException {
    Path samples = repoRoot().resolve("samples/cloudtrail");
    long dataFiles;
    try (Stream<Path> s = Files.walk(samples)) {
      dataFiles = s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".md")).count();
    }
    LocalFileSource src = new LocalFileSource(samples);
    List<ObjectRef> refs = src.list();
    assertThat(refs).hasSize((int) dataFiles);
    assertThat(refs).isSortedAccordingTo((a, b) -> a.key().compareTo(b.key()));
    CloudTrailReader reader =
        new CloudTrailReader(new ReadRequest(List.of("eventName"), new int[] {0}, 1, false));
    long records = 0;
    for (ObjectRef ref : refs) {
      try (InputStream in = src.open(ref)) {
        ObjectResult r = reader.read(in, ref.key(), (row, ts, m, i) -> true);
        assertThat(r.status()).as(ref.key()).isEqualTo(ObjectResult.Status.OK);
        assertThat(r.bytesRead()).isEqualTo(ref.size());
        records += r.records();
      }
    }
    assertThat(records).isEqualTo(2900 + 21 + 310 + 563 + 9 + 2);
  }
}
