package dev.trailquery.functions.fanout;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.contract.Env;
import dev.trailquery.functions.aws.AwsClients;
import dev.trailquery.functions.aws.Priming;
import dev.trailquery.functions.aws.S3ObjectSource;
import dev.trailquery.json.Mappers;
import dev.trailquery.store.ObjectSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The fan-out worker Lambda: reads a {@link WorkerRequest} (JSON), scans its batch of S3 objects
 * with {@code parallelism} GETs in flight and answers {@code {"state": base64 partial state,
 * "millis": n}}.
 */
public final class WorkerHandler implements RequestStreamHandler {
  private final S3Client s3;
  private final StateSpill spill;
  private final int inlineMax;

  /** Lambda's constructor: the S3 client from the environment (endpoint, region, credentials). */
  public WorkerHandler() {
    Priming.register();
    this(AwsClients.s3());
  }

  /**
   * With a given S3 client ({@code ./trailquery invoke worker}, tests); a state too large for the
   * response spills to the results bucket the environment names ({@link WorkerReply}).
   */
  public WorkerHandler(S3Client s3) {
    this(s3, spillFromEnv(System::getenv, s3), WorkerReply.INLINE_STATE_BYTES);
  }

  /** With a given spill store (null: none) and inline bound (tests). */
  public WorkerHandler(S3Client s3, StateSpill spill, int inlineMax) {
    this.s3 = s3;
    this.spill = spill;
    this.inlineMax = inlineMax;
  }

  /** The results bucket the environment names, as the spill store; null when it names none. */
  public static StateSpill spillFromEnv(
      java.util.function.Function<String, String> env, S3Client s3) {
    String bucket = Env.RESULTS_BUCKET.get(env::apply);
    return bucket == null ? null : new S3StateSpill(s3, bucket, Env.RESULTS_PREFIX.get(env::apply));
  }

  @Override
  public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
    long t0 = System.nanoTime();
    WorkerRequest req = WorkerRequest.fromJson(Mappers.MAPPER.readTree(in));
    ObjectSource source =
        dev.trailquery.functions.blocks.Blocks.source(
            new S3ObjectSource(s3, req.container(), ""), s3, System::getenv);
    byte[] state = Worker.run(req, source, () -> false);
    ObjectNode resp = WorkerReply.encode(state, spill, inlineMax);
    resp.put("millis", (System.nanoTime() - t0) / 1_000_000);
    Mappers.MAPPER.writeValue(out, resp);
  }
}
