package dev.trailquery.functions.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.json.Mappers;
import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Workers as invocations of the worker Lambda ({@link WorkerHandler}), request/response, each on a
 * virtual thread. A cancelled invocation runs to its end in Lambda; its answer is dropped.
 *
 * <p>Not exercised by the tests (no Lambda runs here): they run the same {@link Worker} through
 * {@link ThreadInvoker}.
 */
public final class LambdaInvoker implements Invoker {
  private final LambdaClient lambda;
  private final String function;
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

  public LambdaInvoker(LambdaClient lambda, String function) {
    this.lambda = lambda;
    this.function = function;
  }

  @Override
  public CompletableFuture<byte[]> invoke(WorkerRequest request) {
    CompletableFuture<byte[]> future = new CompletableFuture<>();
    pool.execute(
        () -> {
          try {
            InvokeResponse r =
                lambda.invoke(
                    InvokeRequest.builder()
                        .functionName(function)
                        .invocationType(InvocationType.REQUEST_RESPONSE)
                        .payload(SdkBytes.fromUtf8String(Mappers.write(request.toJson())))
                        .build());
            String payload = r.payload() == null ? "" : r.payload().asUtf8String();
            if (r.functionError() != null) {
              throw new IOException("worker Lambda failed (" + r.functionError() + "): " + payload);
            }
            JsonNode n = Mappers.MAPPER.readTree(payload);
            future.complete(Base64.getDecoder().decode(n.path("state").asText()));
          } catch (Exception e) {
            future.completeExceptionally(e);
          }
        });
    return future;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
