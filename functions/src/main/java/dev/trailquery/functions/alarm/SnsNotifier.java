package dev.trailquery.functions.alarm;

import dev.trailquery.contract.Env;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Publishes to an SNS topic ({@code TRAILQUERY_ALARM_TOPIC_ARN}). The client is the SDK's with the
 * URLConnection HTTP client; {@code AWS_ENDPOINT_URL_SNS} (or {@code AWS_ENDPOINT_URL}) sets its
 * endpoint.
 */
public final class SnsNotifier implements Notifier {
  /** Environment variable naming the topic alarms publish to. */
  public static final String ENV_TOPIC = Env.ALARM_TOPIC_ARN.var();

  private final SnsClient sns;
  private final String topicArn;

  public SnsNotifier(SnsClient sns, String topicArn) {
    this.sns = sns;
    this.topicArn = topicArn;
  }

  /** The SDK's default client (region, credentials and endpoint from the environment). */
  public static SnsClient defaultClient() {
    return SnsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /** An SNS notifier when {@code TRAILQUERY_ALARM_TOPIC_ARN} is set, else null. */
  public static SnsNotifier fromEnv(Function<String, String> env) {
    String topic = env.apply(ENV_TOPIC);
    return topic == null || topic.isBlank() ? null : new SnsNotifier(defaultClient(), topic);
  }

  @Override
  public void publish(Notification n) {
    sns.publish(b -> b.topicArn(topicArn).subject(n.subject()).message(n.message()));
  }

  @Override
  public String describe() {
    return "SNS topic " + topicArn;
  }
}
