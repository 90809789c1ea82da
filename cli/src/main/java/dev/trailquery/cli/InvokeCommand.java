package dev.trailquery.cli;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.functions.api.ApiHandler;
import dev.trailquery.functions.api.AwsApi;
import dev.trailquery.functions.fanout.WorkerHandler;
import dev.trailquery.functions.ingest.IngestHandler;
import dev.trailquery.json.Mappers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code invoke FUNCTION EVENT.json}: a Lambda handler in-process on an event, wired like the
 * deployed function from the environment {@code local-init} prints.
 */
@Command(
    name = "invoke",
    description = {
      "run a Lambda handler in-process with an event (FUNCTION: ingest, seal, api or worker)",
      "ingest: an S3 or EventBridge notification (events/ingest/), then seals the closed slots as"
          + " the deployed schedule would; alarm notifications go to stderr (and"
          + " TRAILQUERY_ALARM_FILE if set). api: an API Gateway event (events/api/). worker: a"
          + " fan-out worker request. Prints the handler's response."
    })
final class InvokeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = Mappers.MAPPER;

  private final Context ctx;

  @Parameters(
      index = "0",
      paramLabel = "FUNCTION",
      completionCandidates = Functions.class,
      description = "ingest, seal, api or worker")
  String function;

  @Parameters(index = "1", paramLabel = "EVENT.json", description = "the event")
  String eventFile;

  /** The functions shell completion offers. */
  static final class Functions implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.List.of("ingest", "seal", "api", "worker").iterator();
    }
  }

  InvokeCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    if (!isFunction(function)) {
      throw new UsageException(
          "unknown function '" + function + "': use ingest, seal, api or worker");
    }
    JsonNode event = JSON.readTree(Files.readString(Invocation.path(eventFile)));
    StackEnv stack = new StackEnv(ctx);
    JsonNode response =
        switch (function) {
          case "ingest" -> {
            JsonNode r =
                new IngestHandler(
                        stack.ingestConfig(ctx.err),
                        ctx.s3(),
                        ctx.db(),
                        AlarmCommands.notifier(ctx))
                    .handle(event);
            stack.sealer().seal(); // as the deployed schedule would: closed slots only
            yield r;
          }
          case "seal" -> SealCommand.report(stack.sealer().seal());
          case "api" -> api(event);
          default -> worker(event);
        };
    ctx.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response));
    return 0;
  }

  private static boolean isFunction(String f) {
    return f.equals("ingest") || f.equals("seal") || f.equals("api") || f.equals("worker");
  }

  /**
   * The API Gateway handler on an API Gateway proxy event (events/api/), wired like the deployed
   * function; its response as Lambda returns it.
   */
  private JsonNode api(JsonNode event) throws IOException {
    var request = JSON.treeToValue(event, APIGatewayProxyRequestEvent.class);
    var api = AwsApi.from(new HashMap<>(ctx.envMap()), ctx.s3(), ctx.db()).api();
    return JSON.valueToTree(new ApiHandler(api).handleRequest(request, null));
  }

  /** The fan-out worker on a worker request ({@code {"container", "keys", ...}}). */
  private JsonNode worker(JsonNode event) throws IOException {
    var out = new ByteArrayOutputStream();
    new WorkerHandler(ctx.s3())
        .handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
    return JSON.readTree(out.toByteArray());
  }
}
