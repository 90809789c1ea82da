package dev.trailquery.cli;

import dev.trailquery.functions.aws.AwsClients;
import java.io.PrintStream;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What one command runs with: its output streams, the environment variables it reads and the AWS
 * clients it uses. {@link Main} makes one per command and closes it afterwards (the clients it
 * created; given ones are the caller's, and S3's is the process's). Commands get it in their
 * constructor; helpers deep in a command (object sources, block stores) reach it as {@link
 * #current()}, bound for the duration of the command, so concurrent commands in the resident daemon
 * never see each other's.
 */
final class Context implements AutoCloseable {
  private static final ScopedValue<Context> CURRENT = ScopedValue.newInstance();

  /**
   * What a caller (a test) gives instead of the invocation's environment and the SDK's default
   * clients: {@code env} replaces the environment ({@code TRAILQUERY_*}, {@code AWS_*}); the
   * clients, when not null, are used as given and never closed.
   */
  record Services(Map<String, String> env, S3Client s3, DynamoDbClient db) {
    Services {
      env = Map.copyOf(env);
    }
  }

  final PrintStream out;
  final PrintStream err;
  private final Services given;
  private S3Client s3;
  private DynamoDbClient db;
  private boolean ownDb;

  Context(PrintStream out, PrintStream err, Services given) {
    this.out = out;
    this.err = err;
    this.given = given;
  }

  /** The context of the running command, or null outside one. */
  static Context current() {
    return CURRENT.isBound() ? CURRENT.get() : null;
  }

  /** Runs {@code body} with this context as {@link #current()}. */
  <T> T bind(ScopedValue.CallableOp<T, RuntimeException> body) {
    return ScopedValue.where(CURRENT, this).call(body);
  }

  /** An environment variable of the command (the given environment, or the invocation's). */
  String env(String name) {
    return given != null ? given.env().get(name) : Invocation.getenv(name);
  }

  /** The command's environment variables. */
  Map<String, String> envMap() {
    return given != null ? given.env() : Invocation.current().env();
  }

  /** The given S3 client, or the process's (shared by commands, never closed). */
  synchronized S3Client s3() {
    if (s3 == null) {
      s3 = given != null && given.s3() != null ? given.s3() : Sources.processS3();
    }
    return s3;
  }

  synchronized DynamoDbClient db() {
    if (db == null) {
      if (given != null && given.db() != null) {
        db = given.db();
      } else {
        db = AwsClients.dynamo();
        ownDb = true;
      }
    }
    return db;
  }

  @Override
  public synchronized void close() {
    if (ownDb) {
      db.close();
    }
    s3 = null;
    db = null;
    ownDb = false;
  }
}
