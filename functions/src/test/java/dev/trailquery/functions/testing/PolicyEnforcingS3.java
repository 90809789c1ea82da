package dev.trailquery.functions.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.paginators.ListObjectsV2Iterable;

/**
 * An S3 client that enforces what a function's IAM policy allows, the way S3 would: {@code
 * s3:ListBucket} only with an {@code s3:prefix} matching one of the role's {@code StringLike}
 * patterns, {@code s3:GetObject} only on keys matching its resource patterns ({@code *} any
 * characters, as in IAM). Anything else is a 403 AccessDenied. What is allowed goes to {@code
 * delegate} (a real S3-compatible server), or, without one, answers an empty listing.
 *
 * <p>The emulators do not enforce IAM; this does, so a test fails where AWS would deny.
 */
public final class PolicyEnforcingS3 {
  private PolicyEnforcingS3() {}

  /** Every request this client refused, as {@code action key-or-prefix}. */
  public static final class Denials {
    public final List<String> denied = Collections.synchronizedList(new ArrayList<>());
  }

  public static S3Client wrap(
      S3Client delegate, List<String> listPrefixes, List<String> objectKeys, Denials denials) {
    List<Pattern> list = listPrefixes.stream().map(PolicyEnforcingS3::glob).toList();
    List<Pattern> get = objectKeys.stream().map(PolicyEnforcingS3::glob).toList();
    S3Client[] self = new S3Client[1];
    InvocationHandler h =
        (proxy, method, args) -> {
          String name = method.getName();
          Object arg = args != null && args.length == 1 ? args[0] : null;
          if (arg instanceof ListObjectsV2Request req) {
            String prefix = req.prefix() == null ? "" : req.prefix();
            if (list.stream().noneMatch(p -> p.matcher(prefix).matches())) {
              denials.denied.add("s3:ListBucket " + prefix);
              throw denied("s3:ListBucket with s3:prefix '" + prefix + "'");
            }
            if (name.equals("listObjectsV2Paginator")) {
              return new ListObjectsV2Iterable(self[0], req);
            }
            if (delegate == null) {
              return ListObjectsV2Response.builder()
                  .isTruncated(false)
                  .contents(List.of())
                  .keyCount(0)
                  .build();
            }
          } else if (arg instanceof GetObjectRequest req) {
            if (get.stream().noneMatch(p -> p.matcher(req.key()).matches())) {
              denials.denied.add("s3:GetObject " + req.key());
              throw denied("s3:GetObject on " + req.key());
            }
          } else if (name.equals("close") || name.equals("serviceName")) {
            return delegate == null ? null : method.invoke(delegate, args);
          }
          if (delegate == null) {
            throw new UnsupportedOperationException(name + " without a delegate");
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    self[0] =
        (S3Client)
            Proxy.newProxyInstance(
                S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, h);
    return self[0];
  }

  private static S3Exception denied(String what) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(403)
            .message("Access Denied: " + what)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage(what).build())
            .build();
  }

  private static Pattern glob(String iam) {
    StringBuilder re = new StringBuilder();
    for (char c : iam.toCharArray()) {
      re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
