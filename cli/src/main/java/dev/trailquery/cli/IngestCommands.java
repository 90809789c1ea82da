package dev.trailquery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.contract.Env;
import dev.trailquery.contract.SamEnv;
import dev.trailquery.contributor.InsightReport;
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
import dev.trailquery.json.Mappers;
import dev.trailquery.metricfilter.MetricFilter;
import dev.trailquery.metricfilter.MetricFilterJson;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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
        local-init [--sam-env]
                         create the DynamoDB tables and the bucket if missing (on AWS_ENDPOINT_URL_*)
                         and print the export lines the handlers need; --sam-env: print instead the
                         --env-vars JSON of sam local (template synthesized with -c local=true)
        invoke FUNCTION EVENT.json
                         run a Lambda handler in-process with an event (FUNCTION: ingest);
                         alarm notifications go to stderr (and TRAILQUERY_ALARM_FILE if set)
        subscribe NAME 'QUERY' [--bin 1h] [--rows N] [--retention-days D] [--backfill-from T]
                         keep a query's results up to date as CloudTrail objects arrive
        subscribe NAME --filter-pattern 'PATTERN' [--metric-value 1|$.sel] [--default-value N]
                       [--dimensions 'Name=$.sel,...'] [--bin 5m]
                         a CloudWatch metric filter: sum, sampleCount, min, max per bin
        subscribe [NAME] --metric-filter FILE|JSON
                         metric filters as PutMetricFilter / describe-metric-filters write them
        subscribe NAME --rule FILE|JSON [--bin 5m]
                         a Contributor Insights rule: contributors per period
        subscribe --pack cis [--bin 5m] [--no-alarms] [--backfill-from T]
                         the CIS AWS Foundations pack: the benchmark's metric filters with alarms
                         and Classmethod's CIS 3.1-3.14 queries, in one command
        subscriptions    list the subscriptions
        seal [--now]     seal the delivery slots that have closed (what the deployed schedule does
                         every 5 minutes; 'invoke ingest' also does it after each event); --now
                         seals up to the current slot (only while nothing else ingests)
        results NAME [--start T] [--end T] [--per-bin | --report [--top N]]
                [--format table|json|csv|ndjson]
                         a subscription's results, merged over the range or per bin; --report
                         for a rule: top contributors and unique count (GetInsightRuleReport)
      """;

  private static final ObjectMapper JSON = Mappers.MAPPER;

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
    String b = env(Env.TRAIL_BUCKET.var());
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
    Args opts = Args.parse(argv, Set.of(), Set.of("sam-env"));
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
    if (opts.flag("sam-env")) {
      out.print(samEnv(subs, results, queries, bucket));
      return 0;
    }
    for (String name : List.of("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_REGION")) {
      String v = env(name);
      if (v != null) {
        out.println("export " + name + "=" + v);
      }
    }
    out.println("export " + Tables.ENV_SUBSCRIPTIONS + "=" + subs);
    out.println("export " + Tables.ENV_RESULTS + "=" + results);
    out.println("export " + Env.TRAIL_BUCKET.var() + "=" + bucket);
    // The query API (serve with AWS endpoints, AwsApi): its table.
    out.println("export " + Tables.ENV_QUERIES + "=" + queries);
    return 0;
  }

  private static dev.trailquery.functions.store.sealing.Sealer sealer(DynamoDbClient db) {
    SubscriptionStore subs = new SubscriptionStore(db, subscriptionsTable(), 0);
    return new dev.trailquery.functions.store.sealing.Sealer(
        new dev.trailquery.functions.store.sealing.SealedStore(
            new ResultStore(db, resultsTable(), ResultStore.DEFAULT_PART_BYTES)),
        subs::list,
        System::currentTimeMillis);
  }

  private static JsonNode sealReport(dev.trailquery.functions.store.sealing.Sealer.Report r) {
    com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode();
    o.put("busy", r.busy());
    o.put(
        "sealedThrough",
        r.throughSlot() < 0 ? null : Instant.ofEpochMilli(r.throughSlot()).toString());
    o.put("slots", r.slots());
    o.put("contributions", r.contributions());
    o.put("binsWritten", r.binsWritten());
    o.put("writeUnits", r.writeUnits());
    o.put("ms", r.millis());
    return o;
  }

  /**
   * {@code seal [--now]}: seals the delivery slots that have closed (docs/INGEST.md, "Sealing");
   * with {@code --now}, every slot up to the current one.
   */
  static int seal(List<String> argv, PrintStream out, PrintStream err) throws IOException {
    Args a = Args.parse(argv, Set.of(), Set.of("now"));
    if (!a.positional.isEmpty()) {
      throw new UsageException("usage: seal [--now]");
    }
    try (Clients clients = new Clients()) {
      var sealer = sealer(clients.db());
      var r =
          a.flag("now")
              ? sealer.seal(
                  dev.trailquery.functions.store.sealing.Slots.slot(System.currentTimeMillis()))
              : sealer.seal();
      if (r.busy()) {
        err.println("another sealer is at work; nothing done");
        return 1;
      }
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sealReport(r)));
    }
    return 0;
  }

  /**
   * The {@code --env-vars} JSON of {@code sam local} for these tables and bucket, with the
   * endpoints of this environment ({@code AWS_ENDPOINT_URL_S3}, {@code _DYNAMODB}, {@code _SNS}, or
   * {@code AWS_ENDPOINT_URL}); alarm notifications become log lines (no topic).
   */
  static String samEnv(String subs, String results, String queries, String bucket) {
    Map<Env, String> values = new EnumMap<>(Env.class);
    String any = env("AWS_ENDPOINT_URL");
    for (Env e : Env.LOCAL_ENDPOINTS) {
      String v = env(e.var());
      if (v != null || any != null) {
        values.put(e, v != null ? v : any);
      }
    }
    values.put(Env.TRAIL_BUCKET, bucket);
    values.put(Env.TRAIL_PREFIX, "");
    values.put(Env.SUBSCRIPTIONS_TABLE, subs);
    values.put(Env.RESULTS_TABLE, results);
    values.put(Env.QUERIES_TABLE, queries);
    values.put(Env.RESULTS_BUCKET, bucket);
    values.put(Env.ALARM_TOPIC_ARN, "");
    return SamEnv.json(values);
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
            case "ingest" -> {
              JsonNode r =
                  new IngestHandler(
                          config(err), clients.s3(), clients.db(), AlarmCommands.notifier(err))
                      .handle(event);
              sealer(clients.db()).seal(); // as the deployed schedule would: closed slots only
              yield r;
            }
            case "seal" -> sealReport(sealer(clients.db()).seal());
            case "api" -> invokeApi(event, clients);
            case "worker" -> invokeWorker(event, clients);
            default ->
                throw new UsageException(
                    "unknown function '"
                        + a.positional.getFirst()
                        + "': use ingest, seal, api or worker");
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
    new dev.trailquery.functions.fanout.WorkerHandler(clients.s3())
        .handleRequest(new java.io.ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
    return JSON.readTree(out.toByteArray());
  }

  static final String SUBSCRIBE_USAGE =
      """
      usage: subscribe NAME 'QUERY' [--bin 1h] [--rows N] [--retention-days N] [--backfill-from T] [--replace]
             subscribe NAME --filter-pattern 'PATTERN' [--metric-value 1|$.sel] [--default-value N]
                            [--dimensions 'Name=$.sel,...'] [--metric-name M] [--bin 5m] ...
             subscribe [NAME] --metric-filter FILE|JSON   (PutMetricFilter JSON, or the output of
                            'aws logs describe-metric-filters': one subscription per filterName)
             subscribe NAME --rule FILE|JSON [--bin 5m]   (a Contributor Insights rule)
             subscribe --pack cis [--bin 5m] [--no-alarms] [--replace] [--backfill-from T]""";

  static int subscribe(List<String> argv, PrintStream out, PrintStream err) throws IOException {
    Args a =
        Args.parse(
            argv,
            Set.of(
                "bin",
                "rows",
                "retention-days",
                "backfill-from",
                "filter-pattern",
                "metric-value",
                "default-value",
                "dimensions",
                "metric-name",
                "metric-namespace",
                "metric-filter",
                "rule",
                "pack"),
            Set.of("replace", "no-alarms"));
    Instant now = Instant.now();
    if (a.get("pack") != null) {
      return subscribePack(a, now, err);
    }
    if (a.flag("no-alarms")) {
      throw new UsageException("--no-alarms goes with --pack");
    }
    Long from =
        a.get("backfill-from") == null ? null : Times.parseMillis(a.get("backfill-from"), now);
    List<Subscription> subs = new ArrayList<>();
    try {
      subs.addAll(definitions(a, now.toEpochMilli(), from));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    try (Clients clients = new Clients()) {
      DynamoDbClient db = clients.db();
      SubscriptionStore store = new SubscriptionStore(db, subscriptionsTable(), 0);
      for (Subscription s : subs) {
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
      }
      if (from != null) {
        backfill(clients, subs, from, err);
      }
    }
    return 0;
  }

  /**
   * {@code subscribe --pack cis}: the CIS pack's subscriptions and alarms. Ones that exist with the
   * same definition are kept as they are (their results and alarm state too); changed ones need
   * {@code --replace}.
   */
  static int subscribePack(Args a, Instant now, PrintStream err) throws IOException {
    if (!a.get("pack").equals(dev.trailquery.functions.pack.CisPack.NAME)) {
      throw new UsageException("no pack named '" + a.get("pack") + "' (there is: cis)");
    }
    boolean other =
        java.util.stream.Stream.of(
                "rows",
                "rule",
                "metric-filter",
                "filter-pattern",
                "metric-value",
                "default-value",
                "dimensions",
                "metric-name",
                "metric-namespace")
            .anyMatch(o -> a.get(o) != null);
    if (!a.positional.isEmpty() || other) {
      throw new UsageException(
          "usage: subscribe --pack cis [--bin 5m] [--retention-days N] [--no-alarms] [--replace]"
              + " [--backfill-from T]");
    }
    Long from =
        a.get("backfill-from") == null ? null : Times.parseMillis(a.get("backfill-from"), now);
    var entries =
        dev.trailquery.functions.pack.CisPack.entries(
            a.get("bin"), a.intOption("retention-days"), from, now.toEpochMilli());
    try (Clients clients = new Clients()) {
      DynamoDbClient db = clients.db();
      dev.trailquery.functions.pack.CisPack.Applied applied;
      try {
        applied =
            dev.trailquery.functions.pack.CisPack.apply(
                entries,
                new SubscriptionStore(db, subscriptionsTable(), 0),
                new dev.trailquery.functions.alarm.AlarmStore(db, resultsTable()),
                !a.flag("no-alarms"),
                a.flag("replace"));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage().replace("replace them", "--replace"));
      }
      List<Subscription> stored = applied.subscriptions();
      err.println(
          "trailquery: pack cis: "
              + entries.size()
              + " subscriptions ("
              + applied.created()
              + " new, "
              + applied.unchanged()
              + " unchanged"
              + (applied.replaced() > 0 ? ", " + applied.replaced() + " replaced" : "")
              + "), "
              + applied.alarms()
              + " alarms");
      if (from != null) {
        backfill(clients, stored, from, err);
      }
    }
    return 0;
  }

  /** Backfills {@code subs} from {@code from} in this process (8 threads), and says so. */
  private static void backfill(Clients clients, List<Subscription> subs, long from, PrintStream err)
      throws IOException {
    S3Client s3 = clients.s3();
    IngestConfig config = config(err);
    var ingestor = new IngestHandler(config, s3, clients.db()).ingestor();
    Backfill.Report r;
    try {
      String prefix = System.getenv().getOrDefault("TRAILQUERY_TRAIL_PREFIX", "");
      r = Backfill.run(ingestor, s3, bucket(), prefix, subs, from, config.cacheMillis(), 8);
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

  /** The subscriptions a {@code subscribe} command line defines. */
  static List<Subscription> definitions(Args a, long now, Long from) throws IOException {
    String bin = a.get("bin");
    Integer retention = a.intOption("retention-days");
    List<String> watchOptions =
        List.of("metric-value", "default-value", "dimensions", "metric-name", "metric-namespace");
    int kinds =
        (a.get("filter-pattern") != null ? 1 : 0)
            + (a.get("metric-filter") != null ? 1 : 0)
            + (a.get("rule") != null ? 1 : 0);
    if (kinds > 1) {
      throw new UsageException(
          "give one of 'QUERY', --filter-pattern, --metric-filter or --rule\n" + SUBSCRIBE_USAGE);
    }
    if (kinds == 1 && a.get("rows") != null) {
      throw new UsageException("--rows applies to queries only");
    }
    if (a.get("filter-pattern") == null) {
      for (String o : watchOptions) {
        if (a.get(o) != null) {
          throw new UsageException("--" + o + " goes with --filter-pattern");
        }
      }
    }
    if (a.get("metric-filter") != null) {
      List<MetricFilter> filters =
          MetricFilterJson.parseAll(JSON.readTree(fileOrText(a.get("metric-filter"))));
      if (filters.size() > 1 && !a.positional.isEmpty()) {
        throw new UsageException(
            "the JSON holds "
                + filters.size()
                + " metric filters: leave NAME out, each is subscribed under its filterName");
      }
      if (a.positional.size() > 1) {
        throw new UsageException(SUBSCRIBE_USAGE);
      }
      List<Subscription> out = new ArrayList<>();
      for (MetricFilter f : filters) {
        String name = a.positional.isEmpty() ? subscriptionName(f.name()) : a.positional.get(0);
        out.add(Subscription.createMetricFilter(name, f, bin, retention, now, from));
      }
      return out;
    }
    if (a.positional.size() != (kinds == 1 ? 1 : 2)) {
      throw new UsageException(SUBSCRIBE_USAGE);
    }
    String name = a.positional.get(0);
    if (a.get("filter-pattern") != null) {
      Map<String, String> dims = new LinkedHashMap<>();
      if (a.get("dimensions") != null) {
        for (String d : a.get("dimensions").split(",")) {
          int eq = d.indexOf('=');
          if (eq <= 0) {
            throw new UsageException(
                "--dimensions takes Name=$.selector pairs separated by commas, got '" + d + "'");
          }
          dims.put(d.substring(0, eq).strip(), d.substring(eq + 1).strip());
        }
      }
      Double dflt;
      try {
        dflt = a.get("default-value") == null ? null : Double.valueOf(a.get("default-value"));
      } catch (NumberFormatException e) {
        throw new UsageException("--default-value needs a number");
      }
      MetricFilter f =
          MetricFilter.of(
              name,
              a.get("filter-pattern"),
              a.get("metric-name") == null ? name : a.get("metric-name"),
              a.get("metric-namespace") == null ? "trailquery" : a.get("metric-namespace"),
              a.get("metric-value") == null ? "1" : a.get("metric-value"),
              dflt,
              dims,
              null);
      return List.of(Subscription.createMetricFilter(name, f, bin, retention, now, from));
    }
    if (a.get("rule") != null) {
      return List.of(
          Subscription.createRule(name, fileOrText(a.get("rule")), bin, retention, now, from));
    }
    return List.of(
        Subscription.create(
            name, a.positional.get(1), bin, a.intOption("rows"), retention, now, from));
  }

  /** A JSON argument: the text itself when it starts with '{' or '[', else a file to read. */
  static String fileOrText(String arg) throws IOException {
    String t = arg.strip();
    if (t.startsWith("{") || t.startsWith("[")) {
      return t;
    }
    Path p = Path.of(arg);
    if (!Files.isRegularFile(p)) {
      throw new UsageException("no such file: " + arg);
    }
    return TextFiles.read(p, "file");
  }

  /** A CloudWatch filter name as a subscription name (letters, digits, '.', '_', '-'). */
  static String subscriptionName(String filterName) {
    String n = filterName.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
    return n.isEmpty() ? "metric-filter" : n.length() > 128 ? n.substring(0, 128) : n;
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
                + switch (s.type()) {
                  case Subscription.METRIC_FILTER -> s.metricFilter().pattern().text();
                  case Subscription.CONTRIBUTOR_RULE -> s.definition().replace('\n', ' ');
                  default -> s.query().replace('\n', ' ');
                });
      }
    }
    return 0;
  }

  static int results(List<String> argv, PrintStream out, PrintStream err) throws IOException {
    Args a = Args.parse(argv, Set.of("start", "end", "format", "top"), Set.of("per-bin", "report"));
    if (a.positional.size() != 1 || (a.flag("report") && a.flag("per-bin"))) {
      throw new UsageException(
          "usage: results NAME [--start T] [--end T] [--per-bin | --report [--top N]] [--format"
              + " table|json|csv|ndjson]");
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
      if (a.flag("report")) {
        if (!s.type().equals(Subscription.CONTRIBUTOR_RULE)) {
          throw new UsageException(
              "--report is for Contributor Insights rule subscriptions; "
                  + s.name()
                  + " is a "
                  + s.type());
        }
        Integer top = a.intOption("top");
        InsightReport report =
            InsightReport.fromSeries(
                s.rule(), results.merged(s, start, end).rows(), top == null ? 10 : top);
        writeReport(report, format, out);
        return 0;
      }
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
   * A rule report: JSON shaped like GetInsightRuleReport, or a table of the top contributors with
   * their value and share.
   */
  static void writeReport(InsightReport r, Output.Format format, PrintStream out)
      throws IOException {
    if (format == Output.Format.JSON) {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r));
      return;
    }
    List<String> fields = new ArrayList<>(r.keyLabels());
    fields.add("value");
    fields.add("periods");
    List<Object[]> rows = new ArrayList<>();
    for (InsightReport.Contributor c : r.contributors()) {
      Object[] row = new Object[fields.size()];
      for (int i = 0; i < c.keys().size(); i++) {
        row[i] = c.keys().get(i);
      }
      row[c.keys().size()] = c.approximateAggregateValue();
      row[c.keys().size() + 1] = (double) c.datapoints().size();
      rows.add(row);
    }
    Output.write(
        new Result(
            fields,
            rows,
            new dev.trailquery.exec.Statistics(0, 0, 0, 0, 0, 0),
            List.of(),
            List.of()),
        format,
        out);
    if (format == Output.Format.TABLE) {
      out.println(
          r.aggregationStatistic()
              + " over all contributors: "
              + Output.cell(r.aggregateValue())
              + "; unique contributors: "
              + r.approximateUniqueCount());
    }
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
