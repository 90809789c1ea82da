package dev.trailquery.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The coordinator Lambda, invoked asynchronously by the API with {@code {"queryId": id}}: runs the
 * stored query to its end (see {@link Coordinator}).
 */
public final class CoordinatorHandler implements RequestStreamHandler {
  @Override
  public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
    JsonNode n = Json.MAPPER.readTree(in);
    String id = n.path("queryId").asText();
    Coordinator.Metrics m =
        AwsApi.fromEnvironment()
            .coordinator()
            .run(id, context == null ? null : context.getAwsRequestId());
    out.write(Json.write(m).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
