package dev.trailquery.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.trailquery.functions.aws.ErrorLog;
import dev.trailquery.functions.query.Caller;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The query API behind API Gateway (REST API, Lambda proxy integration on one method per {@link
 * dev.trailquery.contract.Route}): turns the proxy event into an {@link ApiRequest}, and the {@link
 * ApiResponse} into the proxy response.
 *
 * <p>The request is routed on what API Gateway matched — the event's {@code resource} (the route
 * template, e.g. {@code /subscriptions/{name}}) filled with its {@code pathParameters} — not on the
 * raw path, so what runs is what the method ARN in the caller's IAM policy named: a parameter
 * holding an encoded {@code /} ({@code %2F}) is refused instead of reaching another route. The
 * caller's identity ({@code requestContext.identity.userArn}) and API Gateway's request id go with
 * the request.
 */
public final class ApiHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private final Api api;

  /** Lambda's constructor: built once from the environment (see {@link AwsApi}). */
  public ApiHandler() {
    dev.trailquery.functions.aws.Priming.register();
    this(AwsApi.fromEnvironment().api());
  }

  /** With a given API (tests, {@code ./trailquery invoke api}). */
  public ApiHandler(Api api) {
    this.api = api;
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context ctx) {
    ApiResponse r;
    String requestId = requestId(event, ctx);
    try {
      r = api.handle(toRequest(event, requestId));
    } catch (ApiException e) {
      r = Api.error(e, requestId);
    } catch (RuntimeException e) {
      ErrorLog.log(requestId, "reading the API Gateway event", e);
      r =
          Api.error(
              new ApiException(
                  400,
                  "BadRequest",
                  "the request could not be read; the API function's log has the details under"
                      + " request id "
                      + requestId),
              requestId);
    }
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(r.status())
        .withHeaders(Map.of("Content-Type", ApiResponse.CONTENT_TYPE))
        .withBody(r.body());
  }

  static ApiRequest toRequest(APIGatewayProxyRequestEvent e) {
    return toRequest(e, requestId(e, null));
  }

  static ApiRequest toRequest(APIGatewayProxyRequestEvent e, String requestId) {
    String body = e.getBody();
    if (body != null && Boolean.TRUE.equals(e.getIsBase64Encoded())) {
      body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    }
    return new ApiRequest(
        e.getHttpMethod(),
        routedPath(e.getResource(), e.getPathParameters(), e.getPath()),
        e.getQueryStringParameters(),
        body,
        caller(e),
        requestId);
  }

  /** API Gateway's request id, else Lambda's, else a new one. */
  static String requestId(APIGatewayProxyRequestEvent e, Context ctx) {
    var rc = e == null ? null : e.getRequestContext();
    if (rc != null && rc.getRequestId() != null && !rc.getRequestId().isBlank()) {
      return rc.getRequestId();
    }
    if (ctx != null && ctx.getAwsRequestId() != null) {
      return ctx.getAwsRequestId();
    }
    return ErrorLog.newRequestId();
  }

  /** The IAM identity API Gateway authenticated, or {@link Caller#UNKNOWN}. */
  static Caller caller(APIGatewayProxyRequestEvent e) {
    var rc = e.getRequestContext();
    if (rc == null || rc.getIdentity() == null) {
      return Caller.UNKNOWN;
    }
    var id = rc.getIdentity();
    return new Caller(id.getUserArn(), id.getAccountId());
  }

  /**
   * The path to route on: API Gateway's matched {@code resource} with each {@code {param}} replaced
   * by its (percent-decoded) value; a value with a {@code /} is a 400 unless the parameter is
   * greedy ({@code {param+}}). Without a resource (events written by hand, {@code sam local}) the
   * decoded {@code path}.
   */
  static String routedPath(String resource, Map<String, String> params, String path) {
    if (resource == null || resource.isBlank()) {
      return decodePath(path);
    }
    if (!resource.equals("/{proxy+}")
        && java.util.Arrays.stream(dev.trailquery.contract.Route.values())
            .noneMatch(r -> r.path().equals(resource))) {
      // API Gateway only sends the resources the stack deployed: the contract's routes
      throw ApiException.notFound("no route on the resource " + resource);
    }
    StringBuilder out = new StringBuilder();
    for (String seg : resource.split("/", -1)) {
      if (out.length() > 0 || !seg.isEmpty()) {
        out.append('/');
      }
      if (seg.startsWith("{") && seg.endsWith("}")) {
        boolean greedy = seg.endsWith("+}");
        String name = seg.substring(1, seg.length() - (greedy ? 2 : 1));
        String raw = params == null ? null : params.get(name);
        if (raw == null || raw.isEmpty()) {
          throw ApiException.invalid("the path parameter '" + name + "' is missing");
        }
        String value = decodePath(raw);
        if (!greedy && value.indexOf('/') >= 0) {
          throw ApiException.invalid(
              "the path parameter '"
                  + name
                  + "' must not contain '/' (nor %2F): the route is "
                  + resource);
        }
        out.append(value);
      } else {
        out.append(seg);
      }
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  /** Percent-decodes a path ({@code +} stays a plus). */
  static String decodePath(String path) {
    if (path == null || path.indexOf('%') < 0) {
      return path;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] raw = path.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '%' && i + 2 < raw.length) {
        int hi = Character.digit(raw[i + 1], 16);
        int lo = Character.digit(raw[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      out.write(raw[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
