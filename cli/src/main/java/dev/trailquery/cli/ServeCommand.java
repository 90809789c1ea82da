package dev.trailquery.cli;

import com.sun.net.httpserver.HttpExchange;
import dev.trailquery.cli.http.HttpFront;
import dev.trailquery.cli.http.Limits;
import dev.trailquery.contract.Env;
import dev.trailquery.functions.api.Api;
import dev.trailquery.functions.api.ApiRequest;
import dev.trailquery.functions.api.ApiResponse;
import dev.trailquery.functions.api.AwsApi;
import dev.trailquery.functions.api.EmbeddedApi;
import dev.trailquery.functions.fanout.FanoutConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./trailquery serve [--port 8080] [--host 127.0.0.1] [--logs DIR] [--workers N] [--api URL
 * [--region R]]}: the console at {@code /} and the query API's routes over HTTP ({@link HttpFront},
 * whose every refusal is the API's error shape). With {@code --api} the routes are forwarded to a
 * deployed stack, signed with SigV4 ({@link ApiForwarder}). With no {@code AWS_ENDPOINT_URL*} set
 * it runs the embedded default — queries in memory, logs from a local directory (the bundled
 * samples unless {@code --logs}), workers as threads; with one set it uses those servers and the
 * {@code TRAILQUERY_*} environment the deployed stack uses (see {@code AwsApi}).
 */
@Command(
    name = "serve",
    description = {
      "the console at / and the query API over HTTP (POST /queries, ...)",
      "Embedded (the default): queries in memory, logs from a local directory, workers as"
          + " threads. With AWS_ENDPOINT_URL_* set: those servers and the TRAILQUERY_* environment"
          + " of the deployed stack (see local-init). With --api: forwarded to a deployed stage,"
          + " signed with SigV4 from the default credentials chain."
    })
final class ServeCommand implements Callable<Integer> {
  static final int MAX_BODY = 1 << 20;

  /** A running server. */
  static final class Server implements AutoCloseable {
    private final HttpFront http;
    private final AutoCloseable owned;

    Server(HttpFront http, AutoCloseable owned) {
      this.http = http;
      this.owned = owned;
    }

    int port() {
      return http.port();
    }

    @Override
    public void close() {
      http.close();
      if (owned != null) {
        try {
          owned.close();
        } catch (Exception ignored) {
          // closing
        }
      }
    }
  }

  private final Context ctx;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      converter = Converters.Port.class,
      description = "the port (default 8080; 0: any free one)")
  int port = 8080;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "the address to listen on (default 127.0.0.1)")
  String host = "127.0.0.1";

  @Option(
      names = "--logs",
      paramLabel = "DIR",
      description = "embedded: the logs (default: the bundled samples)")
  String logs;

  @Option(
      names = "--blocks",
      paramLabel = "DIR",
      description = "embedded: compacted blocks of the logs (see compact-trail)")
  String blocks;

  @Option(
      names = "--workers",
      paramLabel = "N",
      converter = Converters.PositiveInt.class,
      description = "embedded: worker threads (default: the cores)")
  Integer workers;

  @Option(
      names = "--api",
      paramLabel = "URL",
      description = "forward to a deployed stage (https://ID.execute-api.REGION.amazonaws.com/v1)")
  String apiUrl;

  @Option(
      names = "--region",
      paramLabel = "R",
      description = "with --api: the region to sign for (default: from the URL)")
  String region;

  ServeCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    PrintStream err = ctx.err;
    Server server;
    String mode;
    if (apiUrl != null) {
      if (logs != null || workers != null) {
        throw new UsageException("--logs and --workers are for the embedded mode, not with --api");
      }
      ApiForwarder forwarder = ApiForwarder.of(apiUrl, region);
      server = start(forwarder, host, port, null);
      mode =
          "forwarding to "
              + forwarder.base()
              + ", signed with SigV4 (execute-api, "
              + forwarder.region()
              + ") from the default credentials chain";
    } else if (region != null) {
      throw new UsageException("--region goes with --api");
    } else if (awsEndpointConfigured(System.getenv())) {
      if (logs != null) {
        throw new UsageException(
            "--logs is for the embedded mode; with AWS_ENDPOINT_URL_* set the logs come from"
                + " TRAILQUERY_TRAIL_BUCKET");
      }
      AwsApi aws;
      try {
        aws = AwsApi.fromEnvironment();
      } catch (IllegalStateException e) {
        throw new UsageException(
            e.getMessage() + " (AWS endpoints are set; run './trailquery local-init' first)");
      }
      server = start(aws.api(), host, port, null);
      mode = "AWS endpoints (" + System.getenv().getOrDefault(Env.TRAIL_BUCKET.var(), "") + ")";
    } else {
      Path logs = Path.of(this.logs != null ? this.logs : Sources.sampleDir());
      if (!Files.exists(logs)) {
        throw new IOException("no such file or directory: " + logs);
      }
      int w = workers != null ? workers : Runtime.getRuntime().availableProcessors();
      EmbeddedApi embedded;
      if (this.blocks != null) {
        Path blocks = Path.of(this.blocks);
        if (!Files.isDirectory(blocks)) {
          throw new IOException("no such directory: " + blocks);
        }
        embedded =
            new EmbeddedApi(
                new dev.trailquery.functions.blocks.BlockCatalog(
                    new dev.trailquery.functions.catalog.LocalCatalog(
                        logs, dev.trailquery.functions.catalog.TrailLayout.defaults()),
                    new dev.trailquery.blocks.DirBlockStore(blocks)),
                null,
                FanoutConfig.local(w),
                System::currentTimeMillis);
      } else {
        embedded = new EmbeddedApi(logs, FanoutConfig.local(w));
      }
      server = start(embedded.api(), host, port, embedded);
      mode =
          "embedded: logs in "
              + logs
              + (blocks != null ? " and blocks in " + blocks : "")
              + ", "
              + w
              + " worker threads, queries in memory";
    }
    err.println(
        "trailquery serve: http://" + host + ":" + server.port() + "/queries (" + mode + ")");
    err.println("  console: http://" + host + ":" + server.port() + "/");
    err.println("  POST /queries {queryString, startTime, endTime}; Ctrl-C stops");
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.close();
    }
    return 0;
  }

  static boolean awsEndpointConfigured(Map<String, String> env) {
    return env.keySet().stream().anyMatch(k -> k.startsWith("AWS_ENDPOINT_URL"));
  }

  /** Starts serving {@code api}; port 0 picks a free port. */
  static Server start(Api api, String host, int port, AutoCloseable owned) throws IOException {
    return start(api::handle, host, port, owned);
  }

  /** Starts serving the console and {@code api}'s routes (the embedded API or a forwarder). */
  static Server start(
      Function<ApiRequest, ApiResponse> api, String host, int port, AutoCloseable owned)
      throws IOException {
    // our own HTTP/1.1 front, not the JDK's HttpServer: see HttpFront for why
    HttpFront http =
        HttpFront.start(new InetSocketAddress(host, port), ex -> handle(api, ex), Limits.DEFAULT);
    return new Server(http, owned);
  }

  private static void handle(Function<ApiRequest, ApiResponse> api, HttpExchange ex)
      throws IOException {
    try (ex) {
      if (ConsoleAssets.serve(ex)) {
        return;
      }
      String refused = LocalGuard.refusal(ex);
      ApiResponse r;
      byte[] body = readBody(ex.getRequestBody());
      if (refused != null) {
        r = new ApiResponse(403, LocalGuard.errorBody(refused));
      } else if (body == null) {
        r =
            new ApiResponse(
                413,
                "{\"error\":{\"code\":\"PayloadTooLarge\",\"message\":\"the body"
                    + " is over 1 MiB\"}}");
      } else {
        r =
            api.apply(
                new ApiRequest(
                    ex.getRequestMethod(),
                    ex.getRequestURI().getPath(),
                    query(ex.getRequestURI().getRawQuery()),
                    body.length == 0 ? null : new String(body, StandardCharsets.UTF_8)));
      }
      byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", ApiResponse.CONTENT_TYPE);
      ex.sendResponseHeaders(r.status(), bytes.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(bytes);
      }
    }
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] b = in.readNBytes(MAX_BODY + 1);
    return b.length > MAX_BODY ? null : b;
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String part : raw.split("&")) {
      int eq = part.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }
}
