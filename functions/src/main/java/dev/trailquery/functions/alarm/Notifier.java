package dev.trailquery.functions.alarm;

/** Where alarm notifications go (the stack's SNS topic, or a local file/stderr). */
public interface Notifier {
  /**
   * One notification: a human subject (at most 100 printable ASCII characters, as SNS wants) and
   * the JSON message.
   */
  record Notification(String subject, String message) {}

  /** Publishes it; throws when it could not (the notification is then tried again later). */
  void publish(Notification n);

  /** Where notifications go, for log lines. */
  String describe();
}
