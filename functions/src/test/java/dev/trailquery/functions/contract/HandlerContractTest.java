package dev.trailquery.functions.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.trailquery.contract.Env;
import dev.trailquery.contract.LambdaFunction;
import dev.trailquery.functions.alarm.SnsNotifier;
import dev.trailquery.functions.api.AwsApi;
import dev.trailquery.functions.fanout.AwsFanout;
import dev.trailquery.functions.fanout.WorkerHandler;
import dev.trailquery.functions.ingest.IngestConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The handler side of the contract: every function the stack deploys names a handler class that
 * exists and is a Lambda handler, and the code that configures that handler reads every variable
 * the stack gives the function ({@link LambdaFunction#env()}; the infra tests check the synthesized
 * template sets exactly those). A variable set but never read would be a setting that silently does
 * nothing.
 */
class HandlerContractTest {
  /** The environment, recording every name the code asks for. */
  static final class Recording extends HashMap<String, String> implements Function<String, String> {
    final Set<String> read = new LinkedHashSet<>();

    Recording() {
      for (Env e : Env.values()) {
        put(e.var(), sample(e));
      }
    }

    private static String sample(Env e) {
      return switch (e) {
        // unset: the in-process alternatives (no Lambda or SNS client is built here)
        case WORKER_FUNCTION, COORDINATOR_FUNCTION, INGEST_FUNCTION, ALARM_TOPIC_ARN, ALARM_FILE ->
            null;
        case TRAIL_PREFIX -> "org/";
        case CALLER_ACCOUNTS -> "{\"arn:aws:iam::111122223333:role/*\": \"*\"}";
        default -> e.defaultValue() != null ? e.defaultValue() : "sample-" + e.name();
      };
    }

    @Override
    public String get(Object key) {
      read.add((String) key);
      return super.get(key);
    }

    @Override
    public String getOrDefault(Object key, String dflt) {
      read.add((String) key);
      return super.getOrDefault(key, dflt);
    }

    @Override
    public String apply(String key) {
      return get(key);
    }
  }

  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  private static S3Client s3() {
    return S3Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create("http://127.0.0.1:9"))
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  private static DynamoDbClient dynamo() {
    return DynamoDbClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create("http://127.0.0.1:9"))
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** What the function's production constructor reads, through the same code. */
  private static Set<String> reads(LambdaFunction f) {
    Recording env = new Recording();
    switch (f) {
      case INGEST -> {
        IngestConfig.fromEnv(env, NOWHERE);
        SnsNotifier.fromEnv(env);
      }
      case API -> AwsApi.from(env, s3(), dynamo());
      case COORDINATOR -> AwsFanout.from(env, s3(), dynamo());
      // reads its batch from the request, and where compacted blocks are from the environment
      case WORKER -> {
        // reads its batch from the request; where blocks are, and where to spill, from the env
        dev.trailquery.functions.blocks.Blocks.source(
            new dev.trailquery.functions.aws.S3ObjectSource(s3(), "bucket", ""), s3(), env);
        WorkerHandler.spillFromEnv(env, s3());
      }
      case COMPACTOR -> new dev.trailquery.functions.blocks.CompactorHandler(s3(), env, () -> 0);
      case SEAL ->
          new dev.trailquery.functions.seal.SealHandler(
              env, dynamo(), System::currentTimeMillis, NOWHERE);
    }
    return env.read;
  }

  @Test
  void everyVariableTheStackSetsIsReadByItsFunctionsCode() {
    for (LambdaFunction f : LambdaFunction.values()) {
      Set<String> read = reads(f);
      for (Env e : f.env()) {
        if (e == Env.JAVA_TOOL_OPTIONS) {
          continue; // read by the JVM
        }
        assertThat(read).as(f + " reads " + e.var()).contains(e.var());
      }
    }
  }

  @Test
  void everyHandlerIsALambdaHandlerClass() throws Exception {
    for (LambdaFunction f : LambdaFunction.values()) {
      assertThat(f.handler()).endsWith("::handleRequest");
      Class<?> c = Class.forName(f.handlerClass(), false, getClass().getClassLoader());
      assertThat(
              RequestHandler.class.isAssignableFrom(c)
                  || RequestStreamHandler.class.isAssignableFrom(c))
          .as(f.handlerClass())
          .isTrue();
      assertThat(c.getConstructor()).as(f.handlerClass() + " has Lambda's constructor").isNotNull();
    }
  }
}
