package dev.trailquery.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.contract.Env;
import dev.trailquery.functions.aws.AwsClients;
import dev.trailquery.functions.aws.S3ObjectSource;
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
  private static S3Client shared;

  private final S3Client client;
  private final StateSpill spill;
  private final int inlineMax;

  /** Built from the Lambda environment. */
  public WorkerHandler() {
    this(null);
    dev.trailquery.functions.aws.Priming.register();
  }

  /**
   * With a given S3 client ({@code ./trailquery invoke worker}, tests); states too large for the
   * response spill to the results bucket named by the environment, if any.
   */
  public WorkerHandler(S3Client client) {
    this(client, null, WorkerReply.INLINE_STATE_BYTES);
  }

  /** With a given spill store and inline bound (tests). */
  public WorkerHandler(S3Client client, StateSpill spill, int inlineMax) {
    this.client = client;
    this.spill = spill;
    this.inlineMax = inlineMax;
  }

  private StateSpill spill() {
    if (spill != null) {
      return spill;
    }
    String bucket = Env.RESULTS_BUCKET.get(System::getenv);
    return bucket == null
        ? null
        : new S3StateSpill(s3(), bucket, Env.RESULTS_PREFIX.get(System::getenv));
  }

  private S3Client s3() {
    if (client != null) {
      return client;
    }
    synchronized (WorkerHandler.class) {
      if (shared == null) {
        shared = AwsClients.s3();
      }
      return shared;
    }
  }

  @Override
  public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
    long t0 = System.nanoTime();
    WorkerRequest req = WorkerRequest.fromJson(Json.MAPPER.readTree(in));
    byte[] state = Worker.run(req, new S3ObjectSource(s3(), req.container(), ""), () -> false);
    ObjectNode resp = WorkerReply.encode(state, spill(), inlineMax);
    resp.put("millis", (System.nanoTime() - t0) / 1_000_000);
    Json.MAPPER.writeValue(out, resp);
  }
}
