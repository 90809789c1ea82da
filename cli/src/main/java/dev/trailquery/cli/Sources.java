package dev.trailquery.cli;

import dev.trailquery.functions.aws.AwsClients;
import dev.trailquery.functions.aws.S3ObjectSource;
import dev.trailquery.read.CloudTrailReader;
import dev.trailquery.read.ReadRequest;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/** Turns command-line PATHs into object sources. */
public final class Sources {
  /** Concurrent GETs per process for S3: CloudTrail objects are small, latency dominates. */
  static final int S3_THREADS = 32;

  private static S3Client processS3;

  private Sources() {}

  /**
   * The process's S3 client for commands that are given none (see {@link Context#s3()}): made on
   * first use from the SDK's default chain and kept for the process (the resident daemon's queries
   * share it). Tests of the daemon set it here.
   */
  public static synchronized void useS3Client(S3Client client) {
    processS3 = client;
  }

  static synchronized S3Client processS3() {
    if (processS3 == null) {
      processS3 = AwsClients.s3();
    }
    return processS3;
  }

  /** The S3 client of the running command ({@link Context#current()}), or the process's. */
  static S3Client s3() {
    Context c = Context.current();
    return c != null ? c.s3() : processS3();
  }

  static List<ObjectSource> open(List<String> paths) throws IOException {
    List<ObjectSource> sources = new ArrayList<>();
    for (String p : paths) {
      if (p.startsWith("s3://")) {
        sources.add(S3ObjectSource.parse(s3(), p));
      } else {
        if (!Files.exists(Invocation.path(p))) {
          throw new IOException("no such file or directory: " + p);
        }
        sources.add(new LocalFileSource(Invocation.current().cwd(), Path.of(p)));
      }
    }
    return sources;
  }

  static int threads(List<ObjectSource> sources) {
    boolean remote = sources.stream().anyMatch(s -> s instanceof S3ObjectSource);
    int cores = Runtime.getRuntime().availableProcessors();
    return remote ? Math.max(S3_THREADS, cores) : cores;
  }

  /** The bundled sample logs: {@code samples/cloudtrail} of the installation. */
  static String sampleDir() throws IOException {
    String home = System.getProperty("trailquery.home");
    if (home == null) {
      try {
        Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        home = jar.getParent().getParent().getParent().toString();
      } catch (Exception e) {
        home = ".";
      }
    }
    Path dir = Path.of(home, "samples", "cloudtrail");
    if (!Files.isDirectory(dir)) {
      throw new IOException("the bundled samples are missing: " + dir);
    }
    Path cwd = Invocation.workingDirectory();
    return dir.toAbsolutePath().startsWith(cwd)
        ? cwd.relativize(dir.toAbsolutePath()).toString()
        : dir.toString();
  }

  /** The JSON of record {@code index} of an object, or null if it has no such record. */
  static String readRecord(String container, String key, int index) throws IOException {
    ObjectSource source;
    ObjectRef ref;
    if (Files.exists(Invocation.path(key))) {
      source = new LocalFileSource(Invocation.current().cwd(), Path.of(key));
      ref = source.list().getFirst();
    } else {
      source = new S3ObjectSource(s3(), container, key);
      ref = new ObjectRef(container, key, -1);
    }
    String[] found = new String[1];
    CloudTrailReader reader = new CloudTrailReader(new ReadRequest(List.of(), new int[0], 0, true));
    try (InputStream in = source.open(ref)) {
      reader.read(
          in,
          key,
          (row, ts, message, i) -> {
            if (i == index) {
              found[0] = message;
              return false;
            }
            return true;
          });
    }
    return found[0];
  }
}
