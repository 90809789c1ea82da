package dev.trailquery.functions.fanout;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.aws.AwsClients;
import dev.trailquery.functions.aws.Priming;
import dev.trailquery.functions.aws.S3ObjectSource;
import dev.trailquery.json.Mappers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The fan-out worker Lambda: reads a {@link WorkerRequest} (JSON), scans its batch of S3 objects
 * with {@code parallelism} GETs in flight and answers {@code {"state": base64 partial state,
 * "millis": n}}.
 */
public final class WorkerHandler implements RequestStreamHandler {
  private final S3Client s3;

  /** Lambda's constructor: the S3 client from the environment (endpoint, region, credentials). */
  public WorkerHandler() {
    Priming.register();
    this(AwsClients.s3());
  }

  /** With a given S3 client ({@code ./trailquery invoke worker}, tests). */
  public WorkerHandler(S3Client s3) {
    this.s3 = s3;
  }

  @Override
  public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
    long t0 = System.nanoTime();
    WorkerRequest req = WorkerRequest.fromJson(Mappers.MAPPER.readTree(in));
    byte[] state = Worker.run(req, new S3ObjectSource(s3, req.container(), ""), () -> false);
    ObjectNode resp = Mappers.MAPPER.createObjectNode();
    resp.put("state", Base64.getEncoder().encodeToString(state));
    resp.put("millis", (System.nanoTime() - t0) / 1_000_000);
    Mappers.MAPPER.writeValue(out, resp);
  }
}
