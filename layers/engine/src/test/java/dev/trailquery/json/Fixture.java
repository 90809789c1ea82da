package dev.trailquery.json;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Four hand-written CloudTrail records with arrays (times on 2026-01-01 UTC), in two objects:
 *
 * <pre>
 * #  time   eventName        user   resources (type: ARN)                         tags
 * 0  10:00  AssumeRole       alice  AWS::IAM::Role: arn:aws:iam::1:role/a         ["x","y"]
 * 1  10:10  GetObject        bob    AWS::S3::Object: arn:aws:s3:::b/k,
 *                                   AWS::S3::Bucket: arn:aws:s3:::b                ["x"]
 * 2  10:20  PutObject        alice  AWS::S3::Object: arn:aws:s3:::b/k2,
 *                                   AWS::S3::Bucket: arn:aws:s3:::b                (none)
 * 3  10:30  DescribeRegions  bob    (none)                                        []
 * </pre>
 *
 * Record 1 also has {@code requestParameters.items: [{"id":"i-1"},{"id":"i-2"}]} and record 2
 * {@code requestParameters.items: [{"id":"i-3"}]}.
 */
final class Fixture {
  private Fixture() {}

  static final String R0 =
      "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-01-01T10:00:00Z\",\"eventName\":\"AssumeRole\","
          + "\"userIdentity\":{\"userName\":\"alice\"},"
          + "\"resources\":[{\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::1:role/a\"}],"
          + "\"tags\":[\"x\",\"y\"]}";
  static final String R1 =
      "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-01-01T10:10:00Z\",\"eventName\":\"GetObject\","
          + "\"userIdentity\":{\"userName\":\"bob\"},"
          + "\"requestParameters\":{\"items\":[{\"id\":\"i-1\"},{\"id\":\"i-2\"}]},"
          + "\"resources\":[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::b/k\"},"
          + "{\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::b\"}],"
          + "\"tags\":[\"x\"]}";
  static final String R2 =
      "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-01-01T10:20:00Z\",\"eventName\":\"PutObject\","
          + "\"userIdentity\":{\"userName\":\"alice\"},"
          + "\"requestParameters\":{\"items\":[{\"id\":\"i-3\"}]},"
          + "\"resources\":[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::b/k2\"},"
          + "{\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::b\"}]}";
  static final String R3 =
      "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-01-01T10:30:00Z\","
          + "\"eventName\":\"DescribeRegions\",\"userIdentity\":{\"userName\":\"bob\"},"
          + "\"tags\":[]}";

  static final String ONE = "{\"Records\":[" + R0 + "," + R1 + "]}";
  static final String TWO = R2 + "\n" + R3 + "\n";

  static final ObjectSource SOURCE =
      new ObjectSource() {
        @Override
        public List<ObjectRef> list() {
          return List.of(
              new ObjectRef("logs", "one.json", -1), new ObjectRef("logs", "two.json", -1));
        }

        @Override
        public InputStream open(ObjectRef ref) {
          String text = ref.key().equals("one.json") ? ONE : TWO;
          return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String location() {
          return "logs";
        }
      };

  static Result run(String query) {
    return run(query, Planner.Options.defaults());
  }

  static Result run(String query, Planner.Options options) {
    try {
      return Trailquery.run(
          Trailquery.compile(query, options), List.of(SOURCE), 2, Scan.Listener.NONE);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Rows as lists of their values' text (missing as null). */
  static List<List<String>> text(Result r) {
    return r.rows().stream()
        .map(row -> Arrays.stream(row).map(dev.trailquery.value.Values::toText).toList())
        .toList();
  }
}
