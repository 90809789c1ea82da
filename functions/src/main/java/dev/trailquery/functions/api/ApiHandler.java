package dev.trailquery.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The query API behind API Gateway (REST API, Lambda proxy integration on one method per {@link
 * dev.trailquery.contract.Route}): turns the proxy event into an {@link ApiRequest} (routed by its
 * {@code path}), and the {@link ApiResponse} into the proxy response.
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
    try {
      r = api.handle(toRequest(event));
    } catch (RuntimeException e) {
      r = Api.error(new ApiException(400, "BadRequest", "cannot read the request: " + e));
    }
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(r.status())
        .withHeaders(Map.of("Content-Type", ApiResponse.CONTENT_TYPE))
        .withBody(r.body());
  }

  static ApiRequest toRequest(APIGatewayProxyRequestEvent e) {
    String body = e.getBody();
    if (body != null && Boolean.TRUE.equals(e.getIsBase64Encoded())) {
      body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    }
    return new ApiRequest(
        e.getHttpMethod(), decodePath(e.getPath()), e.getQueryStringParameters(), body);
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
