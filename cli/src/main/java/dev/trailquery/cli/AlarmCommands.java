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
import dev.trailquery.json.Mappers;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The alarm commands of {@code ./trailquery}: {@code alarm set}, {@code alarm delete}, {@code
 * alarms}. They use the same environment as {@code subscribe} and {@code results} ({@code
 * TRAILQUERY_*} tables, {@code AWS_ENDPOINT_URL_*}).
 */
final class AlarmCommands {
  private static final ObjectMapper JSON = Mappers.MAPPER;

  private AlarmCommands() {}

  /**
   * Where {@code invoke ingest} sends notifications: the SNS topic of {@code
   * TRAILQUERY_ALARM_TOPIC_ARN} when set, else stderr and the JSON-lines file of {@code
   * TRAILQUERY_ALARM_FILE} (when set).
   */
  static Notifier notifier(Context ctx) {
    SnsNotifier sns = SnsNotifier.fromEnv(ctx::env);
    if (sns != null) {
      return sns;
    }
    String file = ctx.env(LocalNotifier.ENV_FILE);
    return new LocalNotifier(ctx.err, file == null || file.isBlank() ? null : Path.of(file));
  }

  /** {@code alarm set|delete}. */
  @Command(
      name = "alarm",
      description = {
        "set or delete the alarm of a subscription",
        "Notifications: the SNS topic when deployed; stderr and TRAILQUERY_ALARM_FILE for"
            + " 'invoke ingest'."
      },
      synopsisSubcommandLabel = "(set | delete)")
  static final class AlarmCommand {
    private final Context ctx;

    AlarmCommand(Context ctx) {
      this.ctx = ctx;
    }

    @Command(
        name = "set",
        description = {
          "alarm when a row of a bin of subscription NAME has COL beyond N",
          "The state (OK, ALARM, INSUFFICIENT_DATA) is decided on each bin as it fills; setting"
              + " an alarm again with another definition starts its state afresh."
        },
        customSynopsis = {
          "trailquery alarm set NAME --column COL (--above N | --at-least N | --below N |"
              + " --at-most N)",
          "                      [--description TEXT] [--notify-ok]"
        })
    int set(
        @Parameters(paramLabel = "NAME", description = "the subscription") String name,
        @Option(
                names = "--column",
                required = true,
                paramLabel = "COL",
                description = "a column of the subscription's results")
            String column,
        @Option(
                names = "--above",
                paramLabel = "N",
                converter = Converters.Number.class,
                description = "alarm when COL > N")
            Double above,
        @Option(
                names = "--at-least",
                paramLabel = "N",
                converter = Converters.Number.class,
                description = "alarm when COL >= N")
            Double atLeast,
        @Option(
                names = "--below",
                paramLabel = "N",
                converter = Converters.Number.class,
                description = "alarm when COL < N")
            Double below,
        @Option(
                names = "--at-most",
                paramLabel = "N",
                converter = Converters.Number.class,
                description = "alarm when COL <= N")
            Double atMost,
        @Option(names = "--description", paramLabel = "TEXT", description = "said in notifications")
            String description,
        @Option(names = "--notify-ok", description = "notify the return to OK too")
            boolean notifyOk) {
      Alarm.Comparison comparison = null;
      Double threshold = null;
      Object[][] thresholds = {
        {above, Alarm.Comparison.GT},
        {atLeast, Alarm.Comparison.GE},
        {below, Alarm.Comparison.LT},
        {atMost, Alarm.Comparison.LE}
      };
      for (Object[] t : thresholds) {
        if (t[0] != null) {
          if (comparison != null) {
            throw new UsageException("give one of --above, --at-least, --below, --at-most");
          }
          threshold = (Double) t[0];
          comparison = (Alarm.Comparison) t[1];
        }
      }
      if (comparison == null) {
        throw new UsageException("give one of --above, --at-least, --below, --at-most");
      }
      StackEnv stack = new StackEnv(ctx);
      Subscription s =
          stack
              .subscriptions()
              .get(name)
              .orElseThrow(() -> new UsageException("no subscription named '" + name + "'"));
      Alarm alarm;
      try {
        alarm =
            new Alarm(
                s.name(),
                column,
                comparison,
                threshold,
                description,
                notifyOk,
                System.currentTimeMillis());
        alarm.checkColumn(Results.fields(s));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      AlarmStore store = new AlarmStore(ctx.db(), stack.resultsTable());
      Optional<Alarm> existing = store.get(name);
      if (existing.isPresent() && existing.get().sameDefinition(alarm)) {
        ctx.err.println("trailquery: alarm on " + name + " unchanged (" + alarm.condition() + ")");
        return 0;
      }
      store.put(alarm);
      ctx.err.println(
          "trailquery: alarm on "
              + name
              + ": "
              + alarm.condition()
              + " in a "
              + s.bin()
              + " bin"
              + (alarm.notifyOk() ? " (notifies OK too)" : "")
              + (existing.isPresent() ? " (replaced; its state starts afresh)" : ""));
      return 0;
    }

    @Command(name = "delete", description = "delete the alarm of subscription NAME")
    int delete(@Parameters(paramLabel = "NAME", description = "the subscription") String name) {
      if (!new AlarmStore(ctx.db(), new StackEnv(ctx).resultsTable()).delete(name)) {
        throw new UsageException("the subscription '" + name + "' has no alarm");
      }
      ctx.err.println("trailquery: deleted the alarm on " + name);
      return 0;
    }
  }

  /** {@code alarms [--format table|json]}. */
  @Command(
      name = "alarms",
      description = {
        "the alarms with their state and the bin it was decided on",
        "A line each, tab-separated: subscription, condition, state, bin, notify-ok, description;"
            + " json: {\"alarms\": [...]} as the API's GET /alarms."
      })
  static final class AlarmsCommand implements Callable<Integer> {
    private final Context ctx;

    @Option(
        names = "--format",
        paramLabel = "F",
        completionCandidates = Converters.TableOrJson.class,
        description = "table (default) or json")
    String format = "table";

    AlarmsCommand(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
      if (!format.equals("table") && !format.equals("json")) {
        throw new UsageException("--format must be table or json");
      }
      AlarmStore store = new AlarmStore(ctx.db(), new StackEnv(ctx).resultsTable());
      ObjectNode doc = JSON.createObjectNode();
      ArrayNode list = doc.putArray("alarms");
      List<Alarm> all = store.list();
      for (Alarm alarm : all) {
        AlarmStore.State st = store.state(alarm);
        if (format.equals("json")) {
          list.add(JSON.readTree(SubscriptionApi.describeAlarm(alarm, st).toString()));
        } else {
          ctx.out.println(
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
        ctx.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
      } else if (all.isEmpty()) {
        ctx.err.println("trailquery: no alarms");
      }
      return 0;
    }
  }
}
