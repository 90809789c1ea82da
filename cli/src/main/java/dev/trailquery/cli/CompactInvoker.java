package dev.trailquery.cli;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * Starts one asynchronous invocation of the deployed compactor function ({@code compact-trail
 * --function}). Production: Lambda's {@code Invoke} with {@code InvocationType=Event}; tests put an
 * in-process invoker behind the same interface ({@link #use}).
 */
interface CompactInvoker extends AutoCloseable {
  /** Queues {@code payload} (the compactor's {@code {"from": T, "to": T}} event) for {@code fn}. */
  void invokeEvent(String function, String payload);

  @Override
  default void close() {}

  /** Lambda's asynchronous Invoke. */
  static CompactInvoker lambda() {
    LambdaClient lambda =
        LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    return new CompactInvoker() {
      @Override
      public void invokeEvent(String function, String payload) {
        lambda.invoke(
            b ->
                b.functionName(function)
                    .invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String(payload)));
      }

      @Override
      public void close() {
        lambda.close();
      }
    };
  }

  /** The invoker {@code compact-trail --function} uses: Lambda unless a test set one. */
  static CompactInvoker open() {
    CompactInvoker t = Holder.testInvoker;
    if (t == null) {
      return lambda();
    }
    return (function, payload) -> t.invokeEvent(function, payload); // the test's stays open
  }

  /** For tests: an in-process invoker instead of Lambda (null restores Lambda). */
  static void use(CompactInvoker invoker) {
    Holder.testInvoker = invoker;
  }

  /** The test's invoker, when set. */
  final class Holder {
    static volatile CompactInvoker testInvoker;

    private Holder() {}
  }
}
