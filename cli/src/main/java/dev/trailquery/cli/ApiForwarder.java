package dev.trailquery.cli;

import dev.trailquery.functions.api.ApiRequest;
import dev.trailquery.functions.api.ApiResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * {@code serve --api URL}: forwards each API request to a deployed stack's API Gateway stage,
 * signed with SigV4 ({@code execute-api}) with credentials from the default chain — the deployed
 * API stays IAM-only and no credentials reach the browser.
 */
final class ApiForwarder implements Function<ApiRequest, ApiResponse> {
  /** {@code https://ID.execute-api.REGION.amazonaws.com[.cn]/STAGE} */
  private static final Pattern EXECUTE_API =
      Pattern.compile("[^.]+\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

  /** Request headers that are not forwarded (hop-by-hop, or set by the client or the signer). */
  static final Set<String> RESTRICTED =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  private final URI base;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final HttpClient http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  ApiForwarder(URI base, String region, AwsCredentialsProvider credentials) {
    this.base = base;
    this.region = region;
    this.credentials = credentials;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The forwarder for {@code serve --api URL [--region R]}: default credentials chain. */
  static ApiForwarder of(String url, String regionOption) {
    URI base;
    try {
      base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--api needs a URL, got '" + url + "'");
    }
    if (base.getScheme() == null
        || !(base.getScheme().equals("https") || base.getScheme().equals("http"))
        || base.getHost() == null
        || base.getRawQuery() != null) {
      throw new UsageException(
          "--api needs the stage URL, https://ID.execute-api.REGION.amazonaws.com/STAGE; got '"
              + url
              + "'");
    }
    String region = regionOption != null ? regionOption : regionOf(base.getHost());
    if (region == null) {
      try {
        region = new DefaultAwsRegionProviderChain().getRegion().id();
      } catch (RuntimeException e) {
        throw new UsageException(
            "the region of "
                + base.getHost()
                + " is not in its name: give --region (or AWS_REGION / a profile's region)");
      }
    }
    return new ApiForwarder(base, region, DefaultCredentialsProvider.builder().build());
  }

  /** The region in an {@code execute-api} host name, or null. */
  static String regionOf(String host) {
    Matcher m = EXECUTE_API.matcher(host.toLowerCase(Locale.ROOT));
    return m.matches() ? m.group(1) : null;
  }

  URI base() {
    return base;
  }

  String region() {
    return region;
  }

  /** The URL a request goes to: the stage URL, the path (segments encoded), the query. */
  URI target(ApiRequest req) {
    StringBuilder path = new StringBuilder(base.getRawPath() == null ? "" : base.getRawPath());
    for (String seg : req.path().split("/", -1)) {
      if (!seg.isEmpty()) {
        path.append('/').append(encode(seg));
      }
    }
    if (path.isEmpty()) {
      path.append('/');
    }
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(req.query()).entrySet()) {
      q.append(q.isEmpty() ? "" : "&").append(encode(e.getKey()));
      q.append('=').append(encode(e.getValue()));
    }
    String authority = base.getRawAuthority();
    return URI.create(base.getScheme() + "://" + authority + path + (q.isEmpty() ? "" : "?" + q));
  }

  /** RFC 3986 unreserved characters as they are, everything else percent-encoded. */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  @Override
  public ApiResponse apply(ApiRequest req) {
    URI uri = target(req);
    byte[] body = req.body() == null ? null : req.body().getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest.Builder unsigned =
        SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(req.method())).uri(uri);
    if (body != null) {
      unsigned.putHeader("Content-Type", "application/json");
    }
    AwsCredentialsIdentity identity;
    try {
      identity = credentials.resolveCredentials();
    } catch (RuntimeException e) {
      return error(
          500,
          "CredentialsUnavailable",
          "no AWS credentials for signing the request to "
              + base
              + " (the default chain: environment, profile, SSO, instance role): "
              + e.getMessage());
    }
    SignedRequest signed =
        signer.sign(
            r ->
                r.identity(identity)
                    .request(unsigned.build())
                    .payload(body == null ? null : ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    HttpRequest.Builder out =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(35))
            .method(
                req.method(),
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
      if (RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String v : h.getValue()) {
        out.header(h.getKey(), v);
      }
    }
    try {
      HttpResponse<String> r = http.send(out.build(), HttpResponse.BodyHandlers.ofString());
      String text = r.body();
      if (!text.startsWith("{") && !text.startsWith("[")) {
        // API Gateway's own errors are JSON ({"message": ...}); anything else is wrapped.
        return error(r.statusCode(), "Upstream", text.strip());
      }
      return new ApiResponse(r.statusCode(), text);
    } catch (IOException e) {
      return error(502, "BadGateway", "the API at " + base + " did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(502, "BadGateway", "interrupted");
    }
  }

  private static ApiResponse error(int status, String code, String message) {
    var out = dev.trailquery.functions.api.Json.MAPPER.createObjectNode();
    out.putObject("error").put("code", code).put("message", message);
    return new ApiResponse(status, out.toString());
  }
}
