package dev.trailquery.functions.testing;

import dev.trailquery.functions.store.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Real S3- and DynamoDB-compatible servers on loopback for tests, started once per JVM on first use
 * and stopped when the JVM exits:
 *
 * <ul>
 *   <li>S3: S3Proxy in-process over a transient in-memory blob store ({@link #s3()});
 *   <li>DynamoDB: dynalite (npm, pinned in {@code functions/src/test/dynalite/package.json}) as a
 *       child {@code node} process, in memory ({@link #dynamo()}). It is installed with {@code npm
 *       ci} into that folder the first time (node_modules is git-ignored); once installed nothing
 *       is fetched again. dynalite has no TransactWriteItems.
 * </ul>
 *
 * <p>Both accept the static credentials {@link #ACCESS_KEY}/{@link #SECRET_KEY} in {@link #REGION}.
 * {@link #env()} gives the environment variables a handler or a CLI subprocess needs to reach them.
 */
public final class Emulators {
  public static final String ACCESS_KEY = "trailquery-test";
  public static final String SECRET_KEY = "trailquery-test-secret";
  public static final String REGION = "us-east-1";

  private static S3Proxy s3Proxy;
  private static URI s3Endpoint;
  private static Process dynalite;
  private static URI dynamoEndpoint;

  private Emulators() {}

  /** The S3Proxy endpoint ({@code http://127.0.0.1:PORT}), started on first use. */
  public static synchronized URI s3Endpoint() {
    if (s3Endpoint == null) {
      startS3();
    }
    return s3Endpoint;
  }

  /** The dynalite endpoint ({@code http://127.0.0.1:PORT}), started on first use. */
  public static synchronized URI dynamoEndpoint() {
    if (dynamoEndpoint == null) {
      startDynalite();
    }
    return dynamoEndpoint;
  }

  /** A new S3 client for S3Proxy: path-style, checksums only when required. */
  public static S3Client s3() {
    return S3Client.builder()
        .endpointOverride(s3Endpoint())
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** A new DynamoDB client for dynalite. */
  public static DynamoDbClient dynamo() {
    return DynamoDbClient.builder()
        .endpointOverride(dynamoEndpoint())
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /**
   * The environment that points the SDK (and so the handlers and the CLI) at both servers: {@code
   * AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL_DYNAMODB}, region and static credentials.
   */
  public static Map<String, String> env() {
    return Map.of(
        "AWS_ENDPOINT_URL_S3", s3Endpoint().toString(),
        "AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint().toString(),
        "AWS_REGION", REGION,
        "AWS_ACCESS_KEY_ID", ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
  }

  /** One item of a trailquery table by its keys, read consistently (empty map: none). */
  public static Map<String, AttributeValue> item(
      DynamoDbClient db, String table, String pk, String sk) {
    return db.getItem(
            b ->
                b.tableName(table)
                    .key(
                        Map.of(
                            Tables.PK,
                            AttributeValue.fromS(pk),
                            Tables.SK,
                            AttributeValue.fromS(sk)))
                    .consistentRead(true))
        .item();
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  // ---- S3Proxy ----

  private static void startS3() {
    try {
      BlobStoreContext context =
          ContextBuilder.newBuilder("transient")
              .credentials("unused", "unused")
              .build(BlobStoreContext.class);
      S3Proxy proxy =
          S3Proxy.builder()
              .blobStore(context.getBlobStore())
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
              .endpoint(URI.create("http://127.0.0.1:0"))
              .build();
      proxy.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        Thread.sleep(5);
      }
      s3Proxy = proxy;
      s3Endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      proxy.stop();
                    } catch (Exception ignored) {
                      // exiting anyway
                    }
                    context.close();
                  }));
    } catch (Exception e) {
      throw new IllegalStateException("could not start S3Proxy: " + e, e);
    }
  }

  // ---- dynalite ----

  /** The folder holding dynalite's package.json (functions/src/test/dynalite). */
  static Path dynaliteHome() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      for (Path candidate :
          List.of(d.resolve("src/test/dynalite"), d.resolve("functions/src/test/dynalite"))) {
        if (Files.isRegularFile(candidate.resolve("package.json"))) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "functions/src/test/dynalite/package.json not found from " + dir);
  }

  private static void startDynalite() {
    Path home = dynaliteHome();
    Path cli = home.resolve("node_modules/dynalite/cli.js");
    if (!Files.isRegularFile(cli)) {
      npmInstall(home);
    }
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      try {
        Process p =
            new ProcessBuilder(
                    "node",
                    cli.toString(),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    Integer.toString(port),
                    "--createTableMs",
                    "0",
                    "--deleteTableMs",
                    "0",
                    "--updateTableMs",
                    "0")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (waitForPort(p, port, Duration.ofSeconds(30))) {
          dynalite = p;
          dynamoEndpoint = URI.create("http://127.0.0.1:" + port);
          Runtime.getRuntime().addShutdownHook(new Thread(Emulators::stopDynalite));
          return;
        }
        p.destroyForcibly();
        last = new IllegalStateException("dynalite did not listen on port " + port);
      } catch (IOException e) {
        throw new IllegalStateException("could not run node (is Node.js 20+ installed?): " + e, e);
      }
    }
    throw last;
  }

  private static void stopDynalite() {
    Process p = dynalite;
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void npmInstall(Path home) {
    boolean locked = Files.isRegularFile(home.resolve("package-lock.json"));
    List<String> cmd =
        locked
            ? List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
            : List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", cmd) + " failed in " + home + " (is npm installed and online?)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run npm (is Node.js 20+ installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing dynalite", e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean waitForPort(Process p, int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }
}
