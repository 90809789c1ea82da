package dev.trailquery.functions.fanout;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.functions.aws.AwsClients;
import dev.trailquery.functions.aws.Priming;
import dev.trailquery.json.Mappers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The coordinator Lambda, invoked asynchronously by the API with {@code {"queryId": id}}: runs the
 * stored query to its end (see {@link Coordinator}), configured once from the environment ({@link
 * AwsFanout}).
 */
public final class CoordinatorHandler implements RequestStreamHandler {
  private final Coordinator coordinator;

  /** Lambda's constructor: everything from the environment. */
  public CoordinatorHandler() {
    Priming.register();
    this(AwsFanout.from(System.getenv(), AwsClients.s3(), AwsClients.dynamo()).coordinator());
  }

  /** With a given coordinator (tests, {@code ./trailquery invoke}). */
  public CoordinatorHandler(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
    JsonNode n = Mappers.MAPPER.readTree(in);
    String id = n.path("queryId").asText();
    Coordinator.Metrics m = coordinator.run(id, context == null ? null : context.getAwsRequestId());
    out.write(Mappers.write(m).getBytes(StandardCharsets.UTF_8));
  }
}
