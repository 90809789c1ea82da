package dev.trailquery.functions.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.functions.testing.PolicyEnforcingS3;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A backfill lists only what the ingest role may list in AWS (issue 14, S8): the stack grants
 * {@code s3:ListBucket} with {@code s3:prefix} like {@code [prefix/]AWSLogs/*}, so a listing of the
 * whole bucket (prefix "") is denied there, though the emulators would allow it.
 */
class BackfillPermissionsTest {
  private static Backfill.Report backfill(String trailPrefix, String grantedPrefix)
      throws Exception {
    PolicyEnforcingS3.Denials denials = new PolicyEnforcingS3.Denials();
    S3Client s3 =
        PolicyEnforcingS3.wrap(
            null, List.of(grantedPrefix + "*"), List.of(grantedPrefix + "*/CloudTrail/*"), denials);
    Backfill.Report r = Backfill.run(null, s3, "trail-bucket", trailPrefix, List.of(), 0, 0, 1);
    assertThat(denials.denied).isEmpty();
    return r;
  }

  @Test
  void listsUnderTheTrailsLogsPrefixOnly() throws Exception {
    assertThat(backfill("", "AWSLogs/").listed()).isZero();
    assertThat(backfill(null, "AWSLogs/").listed()).isZero();
    assertThat(backfill("org", "org/AWSLogs/").listed()).isZero();
    assertThat(backfill("org/", "org/AWSLogs/").listed()).isZero();
    assertThat(backfill("/a/b/", "a/b/AWSLogs/").listed()).isZero();
  }

  @Test
  void theLogsPrefix() {
    assertThat(Backfill.logsPrefix("")).isEqualTo("AWSLogs/");
    assertThat(Backfill.logsPrefix("org")).isEqualTo("org/AWSLogs/");
    assertThat(Backfill.logsPrefix("org/")).isEqualTo("org/AWSLogs/");
  }
}
