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
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The ingest commands of {@code ./trailquery}: {@code local-init}, {@code invoke ingest}, {@code
 * subscribe}, {@code subscriptions}, {@code results}. All read the same environment as the handlers
 * ({@code TRAILQUERY_*} tables, {@code TRAILQUERY_BUCKET}, {@code AWS_ENDPOINT_URL_*}).
 */
final class IngestCommands {
  static final String USAGE =
      """
        local-init       create the DynamoDB tables and the bucket if missing (on AWS_ENDPOINT_URL_*)
                         and print the export lines the handlers need
        invoke FUNCTION EVENT.json
                         run a Lambda handler in-process with an event (FUNCTION: ingest)
        subscribe NAME 'QUERY' [--bin 1h] [--rows N] [--retention-days D] [--backfill-from T]
                         keep a query's results up to date as CloudTrail objects arrive
        subscriptions    list the subscriptions
        results NAME [--start T] [--end T] [--per-bin] [--format table|json|csv|ndjson]
                         a subscription's results, merged over the range or per bin
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  private IngestCommands() {}

  static String bucket() {
    String b = System.getenv("TRAILQUERY_BUCKET");
    return b == null || b.isBlank() ? "trailquery-cloudtrail" : b;
  }

  static int localInit(List<String> argv, PrintStream out, PrintStream err) {
    Args.parse(argv, Set.of(), Set.of());
    String subs = Tables.subscriptionsName();
    String results = Tables.resultsName();
    String bucket = bucket();
    try (DynamoDbClient db = AwsClients.dynamo();
        S3Client s3 = AwsClients.s3()) {
      boolean a = Tables.createIfMissing(db, Tables.subscriptions(subs));
      boolean b = Tables.createIfMissing(db, Tables.results(results));
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
              + "; bucket "
              + bucket
              + (c ? " (created)" : " (exists)"));
    }
    for (String name : List.of("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_REGION")) {
      String v = System.getenv(name);
      if (v != null) {
        out.println("export " + name + "=" + v);
      }
    }
    out.println("export " + Tables.ENV_SUBSCRIPTIONS + "=" + subs);
    out.println("export " + Tables.ENV_RESULTS + "=" + results);
    out.println("export TRAILQUERY_BUCKET=" + bucket);
    return 0;
  }

  static int invoke(List<String> argv, PrintStream out, PrintStream err) throws IOException {
    Args a = Args.parse(argv, Set.of(), Set.of());
    if (a.positional.size() != 2) {
      throw new UsageException("usage: invoke FUNCTION EVENT.json");
    }
    JsonNode event = JSON.readTree(Files.readString(Path.of(a.positional.get(1))));
    JsonNode response =
        switch (a.positional.getFirst()) {
          case "ingest" ->
              new IngestHandler(IngestConfig.fromEnv(err), AwsClients.s3(), AwsClients.dynamo())
                  .handle(event);
          default ->
              throw new UsageException(
                  "unknown function '" + a.positional.getFirst() + "' (ingest)");
        };
    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response));
    return 0;
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
    try (DynamoDbClient db = AwsClients.dynamo()) {
      SubscriptionStore store = new SubscriptionStore(db, Tables.subscriptionsName(), 0);
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
        try (S3Client s3 = AwsClients.s3()) {
          IngestConfig config = IngestConfig.fromEnv(err);
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
    try (DynamoDbClient db = AwsClients.dynamo()) {
      for (Subscription s : new SubscriptionStore(db, Tables.subscriptionsName(), 0).list()) {
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
    try (DynamoDbClient db = AwsClients.dynamo()) {
      Subscription s =
          new SubscriptionStore(db, Tables.subscriptionsName(), 0)
              .get(a.positional.getFirst())
              .orElseThrow(
                  () ->
                      new UsageException(
                          "no subscription named '" + a.positional.getFirst() + "'"));
      Results results =
          new Results(new ResultStore(db, Tables.resultsName(), ResultStore.DEFAULT_PART_BYTES));
      if (!a.flag("per-bin")) {
        Output.write(results.merged(s, start, end), format, out);
        return 0;
      }
      for (Results.Bin bin : results.perBin(s, start, end)) {
        Result r = bin.result();
        if (format == Output.Format.TABLE) {
          out.println(
              "== bin "
                  + new dev.trailquery.value.Timestamp(bin.start()).render()
                  + " ("
                  + r.statistics().recordsScanned()
                  + " records, "
                  + r.statistics().recordsMatched()
                  + " matched)");
        }
        Output.write(r, format, out);
      }
    }
    return 0;
  }
}
