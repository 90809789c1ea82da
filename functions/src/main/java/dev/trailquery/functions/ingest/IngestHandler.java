package dev.trailquery.functions.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.alarm.AlarmEvaluator;
import dev.trailquery.functions.alarm.AlarmStore;
import dev.trailquery.functions.alarm.LocalNotifier;
import dev.trailquery.functions.alarm.Notifier;
import dev.trailquery.functions.alarm.SnsNotifier;
import dev.trailquery.functions.aws.AwsClients;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.json.Mappers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The ingest Lambda: keeps every subscription up to date as CloudTrail objects land in S3.
 *
 * <p>Accepts S3 ObjectCreated notifications wrapped in SQS messages (answering with the failed
 * message ids, for {@code ReportBatchItemFailures}), a direct S3 event, and an EventBridge "Object
 * Created" event (also when EventBridge delivers through SQS). A transient failure fails the
 * message (SQS retries it, then moves it to the DLQ) or, for direct events, the invocation.
 *
 * <p>Configured only by environment variables ({@link IngestConfig#fromEnv}); endpoints from the
 * SDK's {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL_DYNAMODB}.
 */
public final class IngestHandler implements RequestStreamHandler {
  private static final ObjectMapper JSON = Mappers.MAPPER;

  private final Ingestor ingestor;
  private final IngestConfig config;
  private final S3Client s3;

  /** Lambda's constructor: everything from the environment. */
  public IngestHandler() {
    dev.trailquery.functions.aws.Priming.register();
    this(IngestConfig.fromEnv(), AwsClients.s3(), AwsClients.dynamo(), envNotifier());
  }

  /** The SNS topic of {@code TRAILQUERY_ALARM_TOPIC_ARN}, else notifications as log lines. */
  private static Notifier envNotifier() {
    return SnsNotifier.fromEnv(System::getenv);
  }

  /** Alarm notifications go to the log ({@code config.log()}) as JSON lines. */
  public IngestHandler(IngestConfig config, S3Client s3, DynamoDbClient db) {
    this(config, s3, db, null);
  }

  /**
   * @param notifier where alarm notifications go; null: one JSON line each on {@code config.log()}
   */
  public IngestHandler(IngestConfig config, S3Client s3, DynamoDbClient db, Notifier notifier) {
    this(config, s3, db, notifier, System::currentTimeMillis);
  }

  /**
   * @param clock the time the ingest and alarm paths go by (a simulation's clock in {@code scripts/
   *     bench scale})
   */
  public IngestHandler(
      IngestConfig config,
      S3Client s3,
      DynamoDbClient db,
      Notifier notifier,
      java.util.function.LongSupplier clock) {
    this.config = config;
    this.s3 = s3;
    ResultStore results = new ResultStore(db, config.resultsTable(), config.partBytes());
    this.ingestor =
        new Ingestor(
            s3,
            new SubscriptionStore(
                db, config.subscriptionsTable(), config.resultsTable(), config.cacheMillis()),
            results,
            config,
            clock);
    this.ingestor.withAlarms(
        new AlarmEvaluator(
            new AlarmStore(db, config.resultsTable(), config.cacheMillis(), clock),
            new Results(results, clock),
            notifier != null ? notifier : new LocalNotifier(config.log(), null),
            clock,
            config.log()));
  }

  public Ingestor ingestor() {
    return ingestor;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonNode response = handle(JSON.readTree(input));
    JSON.writeValue(output, response);
  }

  /** One S3 object named by an event. */
  public record Notice(String bucket, String key, long size) {}

  /**
   * The event that asks this function to backfill a subscription (what the query API sends for a
   * {@code PUT /subscriptions/{name}} with {@code backfillFrom}): {@code {"backfill": {"name",
   * "id", "bucket", "prefix"}}}.
   */
  public static ObjectNode backfillEvent(Subscription s, String bucket, String prefix) {
    ObjectNode event = JSON.createObjectNode();
    event
        .putObject("backfill")
        .put("name", s.name())
        .put("id", s.id())
        .put("bucket", bucket)
        .put("prefix", prefix == null ? "" : prefix);
    return event;
  }

  /**
   * Backfills a subscription over the bucket's objects delivered from its {@code
   * backfillFromMillis} on ({@link Backfill}: waits the subscription cache lifetime first). Logs
   * one JSON line with what it did; never throws.
   */
  public ObjectNode backfill(Subscription s, String bucket, String prefix) {
    ObjectNode out = JSON.createObjectNode();
    out.put("backfill", s.name());
    if (s.backfillFromMillis() == null) {
      out.put("error", "the subscription has no backfillFrom");
      return out;
    }
    try {
      Backfill.Report r =
          Backfill.run(
              ingestor,
              s3,
              bucket,
              prefix,
              List.of(s),
              s.backfillFromMillis(),
              config.cacheMillis(),
              8);
      out.put("listed", r.listed());
      out.put("processed", r.processed());
      out.put("skipped", r.skipped());
      out.put("records", r.records());
      log("INFO", "backfill of " + s.name() + ": " + out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.put("error", "interrupted");
    } catch (RuntimeException e) {
      out.put("error", e.toString());
      log("ERROR", "backfill of " + s.name() + " failed: " + e);
    }
    return out;
  }

  private JsonNode backfill(JsonNode request) {
    String name = request.path("name").asText();
    Subscription s = ingestor.subscriptions().get(name).orElse(null);
    if (s == null || !s.id().equals(request.path("id").asText())) {
      ObjectNode out = JSON.createObjectNode();
      out.put("backfill", name);
      out.put("error", "the subscription is gone or was replaced; nothing to backfill");
      log("WARN", "backfill of " + name + ": the subscription is gone or was replaced");
      return out;
    }
    return backfill(s, request.path("bucket").asText(), request.path("prefix").asText(""));
  }

  /** Handles one event; the response is what Lambda returns. */
  public JsonNode handle(JsonNode event) {
    if (event.has("backfill")) {
      return backfill(event.get("backfill"));
    }
    Metrics metrics = new Metrics();
    AlarmEvaluator alarms = ingestor.alarms();
    long notificationsBefore = alarms == null ? 0 : alarms.notifications();
    long alarmErrorsBefore = alarms == null ? 0 : alarms.errors();
    if (alarms != null) {
      alarms.beginBatch(); // each alarmed bin the invocation's objects fed is evaluated once
    }
    ingestor.results().buffer(); // the invocation's bundles in BatchWriteItem requests
    try {
      JsonNode records = event.path("Records");
      if (records.isArray()
          && !records.isEmpty()
          && "aws:sqs".equals(records.get(0).path("eventSource").asText())) {
        ObjectNode response = JSON.createObjectNode();
        ArrayNode failures = response.putArray("batchItemFailures");
        List<String> stored = new ArrayList<>();
        for (JsonNode message : records) {
          String id = message.path("messageId").asText();
          List<Notice> notices;
          List<String> malformed = new ArrayList<>();
          try {
            notices = notices(JSON.readTree(message.path("body").asText()), malformed);
          } catch (IOException badBody) {
            log("WARN", "message " + id + " is not JSON; dropped");
            continue;
          }
          skipMalformed(malformed, "message " + id, metrics);
          try {
            for (Notice n : notices) {
              metrics.add(ingestor.process(n.bucket(), n.key(), n.size()));
            }
            stored.add(id);
          } catch (RuntimeException e) {
            metrics.errors++;
            log("ERROR", "message " + id + " failed, SQS will retry it: " + e);
            failures.addObject().put("itemIdentifier", id);
          }
        }
        try {
          ingestor.results().flush();
          if (alarms != null) {
            alarms.foldBatch(); // the alarmed bins' running states, each object once
          }
        } catch (RuntimeException e) {
          // the batch's buffered writes (or its alarm folds) failed: every message is delivered
          // again (idempotent)
          metrics.errors += stored.size();
          log("ERROR", "writing the batch failed, SQS will retry its messages: " + e);
          for (String id : stored) {
            failures.addObject().put("itemIdentifier", id);
          }
        }
        return response;
      }
      List<String> malformed = new ArrayList<>();
      List<Notice> notices = notices(event, malformed);
      skipMalformed(malformed, "the event", metrics);
      for (Notice n : notices) {
        try {
          metrics.add(ingestor.process(n.bucket(), n.key(), n.size()));
        } catch (RuntimeException e) {
          metrics.errors++;
          log("ERROR", "s3://" + n.bucket() + "/" + n.key() + " failed: " + e);
          throw e;
        }
      }
      ingestor.results().flush();
      if (alarms != null) {
        alarms.foldBatch();
      }
      return metrics.summary();
    } finally {
      ingestor.results().discard();
      if (alarms != null) {
        alarms.endBatch(); // judges what the batch folded (nothing when its fold failed)
        metrics.alarmNotifications = alarms.notifications() - notificationsBefore;
        metrics.alarmErrors = alarms.errors() - alarmErrorsBefore;
      }
      metrics.emit(config.log());
    }
  }

  /**
   * The objects an S3 event (direct or SQS body) or an EventBridge Object Created event names.
   * Other events (the s3:TestEvent S3 sends when notifications are configured, deletes) name none.
   */
  public static List<Notice> notices(JsonNode event) {
    return notices(event, new ArrayList<>());
  }

  /**
   * {@link #notices(JsonNode)}, adding to {@code malformed} the raw keys of records whose key is
   * not a valid URL-encoded string (S3 never sends one; retrying cannot fix it, so such a record is
   * skipped and counted rather than failing its batch).
   */
  public static List<Notice> notices(JsonNode event, List<String> malformed) {
    List<Notice> out = new ArrayList<>();
    if ("Object Created".equals(event.path("detail-type").asText())) {
      JsonNode d = event.path("detail");
      out.add(
          new Notice(
              d.path("bucket").path("name").asText(),
              d.path("object").path("key").asText(),
              d.path("object").path("size").asLong(-1)));
      return out;
    }
    for (JsonNode r : event.path("Records")) {
      if (!r.path("eventName").asText().startsWith("ObjectCreated")) {
        continue;
      }
      JsonNode s3 = r.path("s3");
      String raw = s3.path("object").path("key").asText();
      String key;
      try {
        key = URLDecoder.decode(raw, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        malformed.add(raw);
        continue;
      }
      out.add(
          new Notice(
              s3.path("bucket").path("name").asText(),
              key,
              s3.path("object").path("size").asLong(-1)));
    }
    return out;
  }

  private void skipMalformed(List<String> malformed, String where, Metrics metrics) {
    for (String raw : malformed) {
      metrics.skipped++;
      String shown = raw.length() > 200 ? raw.substring(0, 200) + "..." : raw;
      log("WARN", where + " names an S3 key that is not URL-encoded; skipped: " + shown);
    }
  }

  private void log(String level, String message) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("level", level);
    line.put("message", message);
    try {
      config.log().println(JSON.writeValueAsString(line));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Counts of one invocation, written as one CloudWatch Embedded Metric Format document. */
  static final class Metrics {
    long objects;
    long records;
    long skipped;
    long ignored;
    long errors;
    long writeUnits;
    long alarmNotifications;
    long alarmErrors;
    final List<Long> delays = new ArrayList<>();

    void add(Ingestor.Report r) {
      switch (r.status()) {
        case OK -> {
          objects++;
          records += r.records();
          writeUnits += r.writeUnits();
          if (r.delayMillis() >= 0 && delays.size() < 100) {
            delays.add(r.delayMillis());
          }
        }
        case SKIPPED -> skipped++;
        case IGNORED, NO_SUBSCRIPTIONS -> ignored++;
      }
    }

    ObjectNode summary() {
      ObjectNode n = JSON.createObjectNode();
      n.put("objects", objects);
      n.put("records", records);
      n.put("skipped", skipped);
      n.put("ignored", ignored);
      n.put("writeUnits", writeUnits);
      return n;
    }

    void emit(java.io.PrintStream log) {
      ObjectNode doc = JSON.createObjectNode();
      ObjectNode aws = doc.putObject("_aws");
      aws.put("Timestamp", System.currentTimeMillis());
      ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
      directive.put("Namespace", "trailquery");
      directive.putArray("Dimensions").addArray().add("Function");
      ArrayNode metrics = directive.putArray("Metrics");
      for (String[] m :
          new String[][] {
            {"Objects", "Count"},
            {"Records", "Count"},
            {"Skipped", "Count"},
            {"Errors", "Count"},
            {"WriteUnits", "Count"},
            {"AlarmNotifications", "Count"},
            {"AlarmErrors", "Count"},
            {"DelayMs", "Milliseconds"}
          }) {
        if (m[0].equals("DelayMs") && delays.isEmpty()) {
          continue;
        }
        metrics.addObject().put("Name", m[0]).put("Unit", m[1]);
      }
      doc.put("Function", "ingest");
      doc.put("Objects", objects);
      doc.put("Records", records);
      doc.put("Skipped", skipped);
      doc.put("Errors", errors);
      doc.put("WriteUnits", writeUnits);
      doc.put("AlarmNotifications", alarmNotifications);
      doc.put("AlarmErrors", alarmErrors);
      if (!delays.isEmpty()) {
        ArrayNode d = doc.putArray("DelayMs");
        delays.forEach(d::add);
      }
      try {
        log.println(JSON.writeValueAsString(doc));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
