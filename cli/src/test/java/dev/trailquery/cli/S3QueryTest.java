package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.functions.testing.Emulators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code query s3://bucket/prefix} against a real S3-compatible server (S3Proxy) on loopback. */
class S3QueryTest {
  static final String BUCKET = "trail-bucket";
  static final String PREFIX = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/";

  static Context.Services services;

  @BeforeAll
  static void upload() throws Exception {
    S3Client s3 = Emulators.s3();
    s3.createBucket(b -> b.bucket(BUCKET));
    Path fixtures = Path.of(MainTest.FIXTURES);
    for (String name : new String[] {"a.json", "b.json.gz"}) {
      s3.putObject(
          b -> b.bucket(BUCKET).key(PREFIX + name),
          RequestBody.fromBytes(Files.readAllBytes(fixtures.resolve(name))));
    }
    // Outside the prefix: must not be read.
    s3.putObject(
        b -> b.bucket(BUCKET).key("AWSLogs/999999999999/other.json"),
        RequestBody.fromString("{\"Records\":[{\"eventVersion\":\"1\",\"eventName\":\"X\"}]}"));
    services = new Context.Services(Map.of(), s3, null);
  }

  @Test
  void queriesAnS3PrefixLikeALocalDirectory() throws Exception {
    MainTest.Run r =
        MainTest.run(
            services,
            "query",
            "--format",
            "json",
            "stats count(*) as n by eventName | sort n desc, eventName asc",
            "s3://" + BUCKET + "/" + PREFIX);
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode root = MainTest.JSON.readTree(r.out());
    // The fixture: ConsoleLogin ×3, Decrypt ×1, GetBucketAcl ×1 (see MainTest).
    assertThat(root.get("rows").toString())
        .isEqualTo(
            "[{\"eventName\":\"ConsoleLogin\",\"n\":3},"
                + "{\"eventName\":\"Decrypt\",\"n\":1},"
                + "{\"eventName\":\"GetBucketAcl\",\"n\":1}]");
    assertThat(root.get("statistics").get("objectsScanned").asLong()).isEqualTo(2);
  }

  @Test
  void ptrOfAnS3RecordLeadsBackToIt() throws Exception {
    MainTest.Run r =
        MainTest.run(
            services,
            "query",
            "--format",
            "json",
            "filter eventName = 'Decrypt' | fields @ptr, @log, @logStream",
            "s3://" + BUCKET + "/" + PREFIX);
    JsonNode row = MainTest.JSON.readTree(r.out()).get("rows").get(0);
    assertThat(row.get("@log").asText()).isEqualTo(BUCKET);
    assertThat(row.get("@logStream").asText()).isEqualTo(PREFIX + "b.json.gz");
    MainTest.Run rec = MainTest.run(services, "record", row.get("@ptr").asText());
    assertThat(rec.code()).as(rec.err()).isZero();
    assertThat(MainTest.JSON.readTree(rec.out()).get("eventName").asText()).isEqualTo("Decrypt");
  }
}
