package dev.trailquery.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.alarm.Alarm;
import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.alarm.LocalNotifier;
import dev.trailquery.functions.alarm.Notifier;
import dev.trailquery.functions.alarm.SnsNotifier;
import dev.trailquery.functions.api.SubscriptionApi;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.json.Mappers;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The alarm commands of {@code ./trailquery}: {@code alarm set}, {@code alarm delete}, {@code
 * alarms}. They use the same environment as {@code subscribe} and {@code results} ({@code
 * TRAILQUERY_*} tables, {@code AWS_ENDPOINT_URL_*}).
 */
final class AlarmCommands {
  static final String USAGE =
      """
        alarm set NAME --column COL (--above N | --at-least N | --below N | --at-most N)
                  [--description TEXT] [--notify-ok]
                         alarm when a row of a bin of subscription NAME has COL beyond N
                         (notifications: the SNS topic when deployed; stderr and
                         TRAILQUERY_ALARM_FILE for 'invoke ingest')
        alarm delete NAME
        alarms [--format table|json]
                         the alarms with their state and the bin it was decided on
      """;

  private static final ObjectMapper JSON = Mappers.MAPPER;

  /** Option → comparison. */
  private static final Map<String, Alarm.Comparison> THRESHOLDS = new LinkedHashMap<>();

  static {
    THRESHOLDS.put("above", Alarm.Comparison.GT);
    THRESHOLDS.put("at-least", Alarm.Comparison.GE);
    THRESHOLDS.put("below", Alarm.Comparison.LT);
    THRESHOLDS.put("at-most", Alarm.Comparison.LE);
  }

  private AlarmCommands() {}

  /**
   * Where {@code invoke ingest} sends notifications: the SNS topic of {@code
   * TRAILQUERY_ALARM_TOPIC_ARN} when set, else {@code err} and the JSON-lines file of {@code
   * TRAILQUERY_ALARM_FILE} (when set).
   */
  static Notifier notifier(PrintStream err) {
    SnsNotifier sns = SnsNotifier.fromEnv(IngestCommands::env);
    if (sns != null) {
      return sns;
    }
    String file = IngestCommands.env(LocalNotifier.ENV_FILE);
    return new LocalNotifier(err, file == null || file.isBlank() ? null : Path.of(file));
  }

  static int alarm(List<String> argv, PrintStream out, PrintStream err) {
    if (argv.isEmpty()) {
      throw new UsageException("usage: alarm set NAME ... | alarm delete NAME");
    }
    List<String> rest = argv.subList(1, argv.size());
    return switch (argv.getFirst()) {
      case "set" -> set(rest, out, err);
      case "delete" -> delete(rest, err);
      default ->
          throw new UsageException(
              "unknown alarm command '" + argv.getFirst() + "': use 'alarm set' or 'alarm delete'");
    };
  }

  private static int set(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> options = new java.util.HashSet<>(THRESHOLDS.keySet());
    options.add("column");
    options.add("description");
    Args a = Args.parse(argv, options, Set.of("notify-ok"));
    if (a.positional.size() != 1 || a.get("column") == null) {
      throw new UsageException(
          "usage: alarm set NAME --column COL (--above N | --at-least N | --below N | --at-most N)"
              + " [--description TEXT] [--notify-ok]");
    }
    Alarm.Comparison comparison = null;
    Double threshold = null;
    for (Map.Entry<String, Alarm.Comparison> t : THRESHOLDS.entrySet()) {
      String v = a.get(t.getKey());
      if (v != null) {
        if (comparison != null) {
          throw new UsageException("give one of --above, --at-least, --below, --at-most");
        }
        comparison = t.getValue();
        try {
          threshold = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
          throw new UsageException("--" + t.getKey() + " needs a number: " + v);
        }
      }
    }
    if (comparison == null) {
      throw new UsageException("give one of --above, --at-least, --below, --at-most");
    }
    String name = a.positional.getFirst();
    try (IngestCommands.Clients clients = new IngestCommands.Clients()) {
      Subscription s =
          new SubscriptionStore(clients.db(), IngestCommands.subscriptionsTable(), 0)
              .get(name)
              .orElseThrow(() -> new UsageException("no subscription named '" + name + "'"));
      Alarm alarm;
      try {
        alarm =
            new Alarm(
                s.name(),
                a.get("column"),
                comparison,
                threshold,
                a.get("description"),
                a.flag("notify-ok"),
                System.currentTimeMillis());
        alarm.checkColumn(Results.fields(s));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      AlarmStore store = new AlarmStore(clients.db(), IngestCommands.resultsTable());
      Optional<Alarm> existing = store.get(name);
      if (existing.isPresent() && existing.get().sameDefinition(alarm)) {
        err.println("trailquery: alarm on " + name + " unchanged (" + alarm.condition() + ")");
        return 0;
      }
      store.put(alarm);
      err.println(
          "trailquery: alarm on "
              + name
              + ": "
              + alarm.condition()
              + " in a "
              + s.bin()
              + " bin"
              + (alarm.notifyOk() ? " (notifies OK too)" : "")
              + (existing.isPresent() ? " (replaced; its state starts afresh)" : ""));
    }
    return 0;
  }

  private static int delete(List<String> argv, PrintStream err) {
    Args a = Args.parse(argv, Set.of(), Set.of());
    if (a.positional.size() != 1) {
      throw new UsageException("usage: alarm delete NAME");
    }
    String name = a.positional.getFirst();
    try (IngestCommands.Clients clients = new IngestCommands.Clients()) {
      if (!new AlarmStore(clients.db(), IngestCommands.resultsTable()).delete(name)) {
        throw new UsageException("the subscription '" + name + "' has no alarm");
      }
    }
    err.println("trailquery: deleted the alarm on " + name);
    return 0;
  }

  static int alarms(List<String> argv, PrintStream out, PrintStream err) throws IOException {
    Args a = Args.parse(argv, Set.of("format"), Set.of());
    String format = a.get("format") == null ? "table" : a.get("format");
    if (!format.equals("table") && !format.equals("json")) {
      throw new UsageException("--format must be table or json");
    }
    try (IngestCommands.Clients clients = new IngestCommands.Clients()) {
      AlarmStore store = new AlarmStore(clients.db(), IngestCommands.resultsTable());
      ObjectNode doc = JSON.createObjectNode();
      ArrayNode list = doc.putArray("alarms");
      List<Alarm> all = store.list();
      for (Alarm alarm : all) {
        AlarmStore.State st = store.state(alarm);
        if (format.equals("json")) {
          list.add(JSON.readTree(SubscriptionApi.describeAlarm(alarm, st).toString()));
        } else {
          out.println(
              alarm.subscription()
                  + "\t"
                  + alarm.condition()
                  + "\t"
                  + st.state()
                  + "\t"
                  + (st.bin() == null ? "-" : "bin " + new Timestamp(st.bin()).render())
                  + (alarm.notifyOk() ? "\tnotify-ok" : "")
                  + (alarm.description() == null ? "" : "\t" + alarm.description()));
        }
      }
      if (format.equals("json")) {
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
      } else if (all.isEmpty()) {
        err.println("trailquery: no alarms");
      }
    }
    return 0;
  }
}
