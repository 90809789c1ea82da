package dev.trailquery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.exec.Result;
import dev.trailquery.functions.aws.AwsClients;
import dev.trailquery.functions.ingest.Backfill;
import dev.trailquery.functions.ingest.IngestConfig;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The ingest commands of {@code ./trailquery}: {@code local-init}, {@code invoke ingest}, {@code
 * subscribe}, {@code subscriptions}, {@code results}. All read the same environment as the handlers
 * ({@code TRAILQUERY_*} tables, {@code TRAILQUERY_TRAIL_BUCKET}, {@code AWS_ENDPOINT_URL_*}).
 */
final class IngestCommands {
  static final String USAGE =
      """
        local-init       create the DynamoDB tables and the bucket if missing (on AWS_ENDPOINT_URL_*)
                         and print the export lines the handlers need
        invoke FUNCTION EVENT.json
                         run a Lambda handler in-process with an event (FUNCTION: ingest);
                         alarm notifications go to stderr (and TRAILQUERY_ALARM_FILE if set)
        subscribe NAME 'QUERY' [--bin 1h] [--rows N] [--retention-days D] [--backfill-from T]
                         keep a query's results up to date as CloudTrail objects arrive
        subscriptions    list the subscriptions
        results NAME [--start T] [--end T] [--per-bin] [--format table|json|csv|ndjson]
                         a subscription's results, merged over the range or per bin
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the commands read instead of the process environment and the SDK's default clients. */
  private record Environment(Map<String, String> vars, S3Client s3, DynamoDbClient db) {}

  private static Environment environment;

  private IngestCommands() {}

  /**
   * Tests point the commands at S3- and DynamoDB-compatible servers without touching the process
   * environment: {@code vars} replaces it (the {@code TRAILQUERY_*} and {@code AWS_*} variables),
   * the clients are used as given and never closed. Null restores the defaults.
   */
  static synchronized void useEnvironment(
      Map<String, String> vars, S3Client s3, DynamoDbClient db) {
    environment = vars == null ? null : new Environment(Map.copyOf(vars), s3, db);
  }

  private static synchronized Environment environment() {
    return environment;
  }

  /** A variable of the environment (or of the test's replacement). */
  static String env(String name) {
    Environment e = environment();
    return e == null ? System.getenv(name) : e.vars().get(name);
  }

  /** The SDK clients of one command; closes them only when it created them. */
  static final class Clients implements AutoCloseable {
    private final Environment given = environment();
    private S3Client s3;
    private DynamoDbClient db;

    S3Client s3() {
      if (s3 == null) {
        s3 = given != null ? given.s3() : AwsClients.s3();
      }
      return s3;
    }

    DynamoDbClient db() {
      if (db == null) {
        db = given != null ? given.db() : AwsClients.dynamo();
      }
      return db;
    }

    @Override
    public void close() {
      if (given == null) {
        if (s3 != null) {
          s3.close();
        }
        if (db != null) {
          db.close();
        }
      }
    }
  }

  /** The trail bucket: {@code TRAILQUERY_TRAIL_BUCKET}, as the Lambda functions read it. */
  static String bucket() {
    String b = env("TRAILQUERY_TRAIL_BUCKET");
    return b == null || b.isBlank() ? "trailquery-cloudtrail" : b;
  }

  static String subscriptionsTable() {
    return Tables.subscriptionsName(IngestCommands::env);
  }

  static String resultsTable() {
    return Tables.resultsName(IngestCommands::env);
  }

  private static IngestConfig config(PrintStream log) {
    return IngestConfig.fromEnv(IngestCommands::env, log);
  }

  static int localInit(List<String> argv, PrintStream out, PrintStream err) {
    Args.parse(argv, Set.of(), Set.of());
    String subs = subscriptionsTable();
    String results = resultsTable();
    String queries = Tables.queriesName(IngestCommands::env);
    String bucket = bucket();
    try (Clients clients = new Clients()) {
      DynamoDbClient db = clients.db();
      S3Client s3 = clients.s3();
      boolean a = Tables.createIfMissing(db, Tables.subscriptions(subs));
      boolean b = Tables.createIfMissing(db, Tables.results(results));
      boolean q = Tables.createIfMissing(db, Tables.queries(queries));
      boolean c = false;
      try {
        s3.headBucket(r -> r.bucket(bucket));
      } catch (S3Exception missing) {
        s3.createBucket(r -> r.bucket(bucket));
        c = true;
      }
      err.println(
          "trailquery: tables "
              + subs
              + (a ? " (created)" : " (exists)")
              + ", "
              + results
              + (b ? " (created)" : " (exists)")
              + ", "
              + queries
              + (q ? " (created)" : " (exists)")
              + "; bucket "
              + bucket
              + (c ? " (created)" : " (exists)"));
    }
    for (String name : List.of("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_REGION")) {
      String v = env(name);
      if (v != null) {
        out.println("export " + name + "=" + v);
      }
    }
    out.println("export " + Tables.ENV_SUBSCRIPTIONS + "=" + subs);
    out.println("export " + Tables.ENV_RESULTS + "=" + results);
    out.println("export TRAILQUERY_TRAIL_BUCKET=" + bucket);
    // The query API (serve with AWS endpoints, AwsApi): its table.
    out.println("export " + Tables.ENV_QUERIES + "=" + queries);
    return 0;
  }

  static int invoke(List<String> argv, PrintStream out, PrintStream err) throws IOException {
    Args a = Args.parse(argv, Set.of(), Set.of());
    if (a.positional.size() != 2) {
      throw new UsageException("usage: invoke FUNCTION EVENT.json");
    }
    JsonNode event = JSON.readTree(Files.readString(Path.of(a.positional.get(1))));
    JsonNode response;
    try (Clients clients = new Clients()) {
      response =
          switch (a.positional.getFirst()) {
            case "ingest" ->
                new IngestHandler(
                        config(err), clients.s3(), clients.db(), AlarmCommands.notifier(err))
                    .handle(event);
            case "api" -> invokeApi(event, clients);
            case "worker" -> invokeWorker(event, clients);
            default ->
                throw new UsageException(
                    "unknown function '"
                        + a.positional.getFirst()
                        + "': use ingest, api or worker");
          };
    }
    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response));
    return 0;
  }

  /**
   * The API Gateway handler on an API Gateway proxy event (events/api/), wired like the deployed
   * function from the environment that {@code local-init} prints; its response as Lambda returns
   * it.
   */
  private static JsonNode invokeApi(JsonNode event, Clients clients) throws IOException {
    Map<String, String> vars = new java.util.HashMap<>(System.getenv());
    Environment given = environment();
    if (given != null) {
      vars = new java.util.HashMap<>(given.vars());
    }
    var request =
        JSON.treeToValue(
            event, com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.class);
    var api = dev.trailquery.functions.api.AwsApi.from(vars, clients.s3(), clients.db()).api();
    var response = new dev.trailquery.functions.api.ApiHandler(api).handleRequest(request, null);
    return JSON.valueToTree(response);
  }

  /** The fan-out worker on a worker request ({@code {"container", "keys", ...}}). */
  private static JsonNode invokeWorker(JsonNode event, Clients clients) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    new dev.trailquery.functions.api.WorkerHandler(clients.s3())
        .handleRequest(new java.io.ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
    return JSON.readTree(out.toByteArray());
  }

  static int subscribe(List<String> argv, PrintStream out, PrintStream err) throws IOException {
    Args a =
        Args.parse(
            argv, Set.of("bin", "rows", "retention-days", "backfill-from"), Set.of("replace"));
    if (a.positional.size() != 2) {
      throw new UsageException("usage: subscribe NAME 'QUERY' [--bin 1h] [--backfill-from T]");
    }
    Instant now = Instant.now();
    Long from =
        a.get("backfill-from") == null ? null : Times.parseMillis(a.get("backfill-from"), now);
    Subscription s;
    try {
      s =
          Subscription.create(
              a.positional.get(0),
              a.positional.get(1),
              a.get("bin"),
              a.intOption("rows"),
              a.intOption("retention-days"),
              now.toEpochMilli(),
              from);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    try (Clients clients = new Clients()) {
      DynamoDbClient db = clients.db();
      SubscriptionStore store = new SubscriptionStore(db, subscriptionsTable(), 0);
      if (!store.put(s, a.flag("replace"))) {
        throw new UsageException(
            "a subscription named '" + s.name() + "' exists (--replace to replace it)");
      }
      err.println(
          "trailquery: subscribed "
              + s.name()
              + " ("
              + s.describeKind()
              + ", bin "
              + s.bin()
              + ")");
      if (from != null) {
        {
          S3Client s3 = clients.s3();
          IngestConfig config = config(err);
          var ingestor = new IngestHandler(config, s3, db).ingestor();
          Backfill.Report r;
          try {
            r = Backfill.run(ingestor, s3, bucket(), "", List.of(s), from, config.cacheMillis(), 8);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("backfill interrupted", e);
          }
          err.println(
              "trailquery: backfilled "
                  + r.processed()
                  + " objects ("
                  + r.records()
                  + " records, "
                  + r.skipped()
                  + " skipped)");
        }
      }
    }
    return 0;
  }

  static int subscriptions(List<String> argv, PrintStream out, PrintStream err) {
    Args.parse(argv, Set.of(), Set.of());
    try (Clients clients = new Clients()) {
      for (Subscription s : new SubscriptionStore(clients.db(), subscriptionsTable(), 0).list()) {
        out.println(
            s.name()
                + "\tbin "
                + s.bin()
                + "\t"
                + s.describeKind()
                + "\t"
                + Instant.ofEpochMilli(s.createdMillis())
                + "\t"
                + s.query().replace('\n', ' '));
      }
    }
    return 0;
  }

  static int results(List<String> argv, PrintStream out, PrintStream err) throws IOException {
    Args a = Args.parse(argv, Set.of("start", "end", "format"), Set.of("per-bin"));
    if (a.positional.size() != 1) {
      throw new UsageException("usage: results NAME [--start T] [--end T] [--per-bin]");
    }
    Output.Format format = Output.Format.parse(a.get("format"));
    Instant now = Instant.now();
    long start = a.get("start") == null ? Long.MIN_VALUE : Times.parseMillis(a.get("start"), now);
    long end = a.get("end") == null ? Long.MAX_VALUE : Times.parseMillis(a.get("end"), now);
    try (Clients clients = new Clients()) {
      DynamoDbClient db = clients.db();
      Subscription s =
          new SubscriptionStore(db, subscriptionsTable(), 0)
              .get(a.positional.getFirst())
              .orElseThrow(
                  () ->
                      new UsageException(
                          "no subscription named '" + a.positional.getFirst() + "'"));
      Results results =
          new Results(new ResultStore(db, resultsTable(), ResultStore.DEFAULT_PART_BYTES));
      if (!a.flag("per-bin")) {
        Output.write(results.merged(s, start, end), format, out);
        return 0;
      }
      Results.Series series = results.series(s, start, end);
      if (format != Output.Format.TABLE) {
        Output.write(perBin(series), format, out);
        return 0;
      }
      for (Results.Bin bin : series.bins()) {
        Result r = bin.result();
        out.println(
            "== bin "
                + new Timestamp(bin.start()).render()
                + " ("
                + r.statistics().recordsScanned()
                + " records, "
                + r.statistics().recordsMatched()
                + " matched)");
        Output.write(r, format, out);
      }
      if (series.bins().isEmpty()) {
        out.println("(no bins)");
      }
    }
    return 0;
  }

  /**
   * A time series as ONE result, so that {@code --per-bin --format json|csv|ndjson} is one
   * document: a first column {@value #BIN_FIELD} (the bin's start; {@code @bin} if the query has a
   * field named so) followed by the query's fields, the bins newest first, each bin's rows in the
   * query's order; statistics of the whole range.
   */
  static Result perBin(Results.Series series) {
    String binField = series.fields().contains(BIN_FIELD) ? "@" + BIN_FIELD : BIN_FIELD;
    List<String> fields = new ArrayList<>();
    fields.add(binField);
    fields.addAll(series.fields());
    List<Object[]> rows = new ArrayList<>();
    for (Results.Bin bin : series.bins()) {
      Timestamp start = new Timestamp(bin.start());
      for (Object[] row : bin.result().rows()) {
        Object[] r = new Object[row.length + 1];
        r[0] = start;
        System.arraycopy(row, 0, r, 1, row.length);
        rows.add(r);
      }
    }
    return new Result(fields, rows, series.statistics(), List.of(), List.of());
  }

  static final String BIN_FIELD = "bin";
}
