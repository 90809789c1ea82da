package dev.trailquery.functions.fanout;

import dev.trailquery.json.Mappers;
import java.io.IOException;
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
  private final StateSpill spill;
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

  public LambdaInvoker(LambdaClient lambda, String function) {
    this(lambda, function, null);
  }

  /** With the store workers spill large partial states to ({@link WorkerReply}). */
  public LambdaInvoker(LambdaClient lambda, String function, StateSpill spill) {
    this.lambda = lambda;
    this.function = function;
    this.spill = spill;
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
            future.complete(WorkerReply.decode(Mappers.MAPPER.readTree(payload), spill));
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
