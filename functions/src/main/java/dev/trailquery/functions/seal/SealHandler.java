package dev.trailquery.functions.seal;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.aws.AwsClients;
import dev.trailquery.functions.store.ResultStore;
import dev.trailquery.functions.store.SubscriptionStore;
import dev.trailquery.functions.store.Tables;
import dev.trailquery.functions.store.sealing.SealedStore;
import dev.trailquery.functions.store.sealing.Sealer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Function;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The sealing Lambda, run by an EventBridge schedule (every 5 minutes): seals every delivery slot
 * that has closed ({@link Sealer}; docs/INGEST.md, "Sealing"). The event is ignored. Logs one JSON
 * line and one CloudWatch Embedded Metric Format document per run; a failure fails the invocation
 * (its error alarm), and the next run does the work again (sealing is idempotent).
 */
public final class SealHandler implements RequestStreamHandler {
  private static final ObjectMapper JSON = dev.trailquery.json.Mappers.MAPPER;

  private final Sealer sealer;
  private final PrintStream log;

  /** Lambda's constructor: tables from the environment, clients from the SDK's defaults. */
  public SealHandler() {
    this(System::getenv, AwsClients.dynamo(), System::currentTimeMillis, System.out);
  }

  public SealHandler(
      Function<String, String> env, DynamoDbClient db, LongSupplier clock, PrintStream log) {
    SubscriptionStore subs =
        new SubscriptionStore(db, Tables.subscriptionsName(env), Tables.resultsName(env), 0);
    ResultStore results =
        new ResultStore(db, Tables.resultsName(env), ResultStore.DEFAULT_PART_BYTES);
    this.sealer = new Sealer(new SealedStore(results), subs::list, clock);
    this.log = log;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    input.readAllBytes();
    JSON.writeValue(output, seal());
  }

  /** Seals what has closed; the report as the function returns it. */
  public ObjectNode seal() throws IOException {
    Sealer.Report r = sealer.seal();
    ObjectNode out = JSON.createObjectNode();
    out.put("busy", r.busy());
    out.put("fromSlot", r.fromSlot());
    out.put("throughSlot", r.throughSlot());
    out.put("slots", r.slots());
    out.put("contributions", r.contributions());
    out.put("binsWritten", r.binsWritten());
    out.put("writeUnits", r.writeUnits());
    out.put("ms", r.millis());
    ObjectNode line = JSON.createObjectNode();
    line.put("level", "INFO");
    line.put("message", r.busy() ? "another sealer is at work" : "sealed");
    line.setAll(out);
    log.println(JSON.writeValueAsString(line));
    ObjectNode doc = JSON.createObjectNode();
    ObjectNode aws = doc.putObject("_aws");
    aws.put("Timestamp", System.currentTimeMillis());
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", "trailquery");
    directive.putArray("Dimensions").addArray().add("Function");
    var metrics = directive.putArray("Metrics");
    metrics.addObject().put("Name", "SealedSlots").put("Unit", "Count");
    metrics.addObject().put("Name", "SealedBins").put("Unit", "Count");
    metrics.addObject().put("Name", "SealWriteUnits").put("Unit", "Count");
    doc.put("Function", "seal");
    doc.put("SealedSlots", r.slots());
    doc.put("SealedBins", r.binsWritten());
    doc.put("SealWriteUnits", r.writeUnits());
    log.println(JSON.writeValueAsString(doc));
    return out;
  }
}
