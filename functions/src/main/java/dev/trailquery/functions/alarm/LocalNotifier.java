package dev.trailquery.functions.alarm;

import dev.trailquery.contract.Env;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Notifications for the CLI and embedded mode: one line {@code ALARM ...: subject} on {@code print}
 * (stderr) and/or the JSON message appended as one line to a file ({@code TRAILQUERY_ALARM_FILE}).
 */
public final class LocalNotifier implements Notifier {
  /** Environment variable naming the JSON-lines file notifications are appended to. */
  public static final String ENV_FILE = Env.ALARM_FILE.var();

  private final PrintStream print;
  private final Path file;

  /**
   * @param print where the subject line is printed, or null
   * @param file the file the JSON message is appended to, or null
   */
  public LocalNotifier(PrintStream print, Path file) {
    this.print = print;
    this.file = file;
  }

  @Override
  public synchronized void publish(Notification n) {
    if (file != null) {
      try {
        if (file.getParent() != null) {
          Files.createDirectories(file.getParent());
        }
        Files.writeString(
            file,
            n.message() + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append the notification to " + file, e);
      }
    }
    if (print != null) {
      print.println("trailquery: notification: " + n.subject());
      print.println(n.message());
    }
  }

  @Override
  public String describe() {
    return (print != null ? "stderr" : "")
        + (print != null && file != null ? " and " : "")
        + (file != null ? file.toString() : "");
  }
}
