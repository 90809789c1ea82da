package dev.trailquery.blocks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A small seeded organization trail for tests: CloudTrail-named gzip objects over some hours, plus
 * the odd ones a real bucket has (a truncated gzip, a foreign file, a LookupEvents file and an
 * NDJSON file without a CloudTrail name). Counts the records it writes per eventName so tests can
 * check what the engine reports against an independent tally.
 */
final class TrailFixture {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long START = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
  static final String[] SOURCES = {
    "ec2.amazonaws.com",
    "s3.amazonaws.com",
    "iam.amazonaws.com",
    "signin.amazonaws.com",
    "sts.amazonaws.com",
    "kms.amazonaws.com"
  };
  static final String[][] NAMES = {
    {"DescribeInstances", "RunInstances", "DescribeVolumes"},
    {"GetObject", "PutObject", "ListBuckets"},
    {"CreateUser", "AttachUserPolicy", "ListRoles"},
    {"ConsoleLogin"},
    {"AssumeRole", "GetCallerIdentity"},
    {"Decrypt", "GenerateDataKey"}
  };
  static final String[] ACCOUNTS = {"111122223333", "444455556666", "777788889999"};
  static final String[] REGIONS = {"us-east-1", "eu-west-1", "ap-south-1"};
  static final String[] ERRORS = {
    "AccessDenied", "ThrottlingException", "Client.UnauthorizedOperation"
  };

  private static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter KEY_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  long records;
  private boolean noLogins;
  long consoleLogins;
  int objects;

  /** Writes {@code objects} objects spread over {@code hours} hours from {@link #START}. */
  void write(Path dir, int objects, int hours, long seed) throws IOException {
    Random rnd = new Random(seed);
    for (int o = 0; o < objects; o++) {
      String account = ACCOUNTS[rnd.nextInt(ACCOUNTS.length)];
      String region = REGIONS[rnd.nextInt(REGIONS.length)];
      long keyTime = START + (long) (rnd.nextDouble() * hours * 3_600_000L);
      keyTime -= keyTime % 60_000;
      ObjectNode root = JSON.createObjectNode();
      ArrayNode recs = root.putArray("Records");
      int n = 1 + rnd.nextInt(8);
      for (int i = 0; i < n; i++) {
        recs.add(event(rnd, keyTime - rnd.nextInt(300_000), account, region));
      }
      String name =
          account
              + "_CloudTrail_"
              + region
              + "_"
              + KEY_TIME.format(Instant.ofEpochMilli(keyTime))
              + "_"
              + Long.toHexString(rnd.nextLong())
              + ".json.gz";
      Path folder =
          dir.resolve(
              "AWSLogs/o-test/"
                  + account
                  + "/CloudTrail/"
                  + region
                  + "/"
                  + DAY.format(Instant.ofEpochMilli(keyTime)));
      Files.createDirectories(folder);
      Files.write(folder.resolve(name), gzip(JSON.writeValueAsBytes(root)));
      this.objects++;
    }
  }

  /** The odd objects: one truncated gzip (named in a window), one foreign, lookup and NDJSON. */
  void writeOdd(Path dir, long seed) throws IOException {
    Random rnd = new Random(seed);
    Path misc = dir.resolve("misc");
    Files.createDirectories(misc);
    // truncated: its first records are readable raw; it must stay raw, never half in a block
    long keepRecords = records;
    long keepLogins = consoleLogins;
    ObjectNode root = JSON.createObjectNode();
    ArrayNode recs = root.putArray("Records");
    for (int i = 0; i < 20; i++) {
      noLogins = true;
      recs.add(event(rnd, START + 3_600_000L + i * 1000, ACCOUNTS[0], REGIONS[0]));
    }
    byte[] gz = gzip(JSON.writeValueAsBytes(root));
    Files.write(
        misc.resolve("111122223333_CloudTrail_us-east-1_20261102T0105Z_truncated.json.gz"),
        Arrays.copyOf(gz, gz.length * 2 / 3));
    noLogins = false;
    records = keepRecords; // what a truncated object yields is the reader's business
    consoleLogins = keepLogins;
    Files.writeString(misc.resolve("notes.txt"), "not a log\n");
    // LookupEvents output, no CloudTrail name: placed by its earliest eventTime
    StringBuilder lookup = new StringBuilder("{\"Events\":[");
    for (int i = 0; i < 4; i++) {
      ObjectNode e = event(rnd, START + 2 * 3_600_000L + i * 7_000, ACCOUNTS[1], REGIONS[1]);
      lookup
          .append(i == 0 ? "" : ",")
          .append("{\"EventName\":\"x\",\"CloudTrailEvent\":")
          .append(JSON.writeValueAsString(JSON.writeValueAsString(e)))
          .append("}");
      records++;
    }
    Files.writeString(misc.resolve("lookup.json"), lookup.append("]}").toString());
    // NDJSON, pretty spacing, one record without eventTime
    StringBuilder nd = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      ObjectNode e = event(rnd, START + 4 * 3_600_000L + i * 11_000, ACCOUNTS[2], REGIONS[2]);
      if (i == 3) {
        e.remove("eventTime");
      }
      nd.append(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(e)).append("\n");
    }
    Files.writeString(misc.resolve("events.ndjson"), nd.toString());
  }

  private ObjectNode event(Random rnd, long time, String account, String region) {
    int s = rnd.nextInt(100) < 3 ? 3 : rnd.nextInt(SOURCES.length);
    if (noLogins && s == 3) {
      s = 0; // the truncated object holds no ConsoleLogin: what it yields raw is not counted
    }
    String source = SOURCES[s];
    String name = NAMES[s][rnd.nextInt(NAMES[s].length)];
    ObjectNode e = JSON.createObjectNode();
    e.put("eventVersion", "1.08");
    ObjectNode u = e.putObject("userIdentity");
    u.put("type", rnd.nextBoolean() ? "AssumedRole" : "IAMUser");
    u.put("arn", "arn:aws:iam::" + account + ":user/u" + rnd.nextInt(40));
    u.put("accountId", account);
    e.put("eventTime", EVENT_TIME.format(Instant.ofEpochMilli(time)));
    e.put("eventSource", source);
    e.put("eventName", name);
    e.put("awsRegion", rnd.nextInt(5) == 0 ? "us-west-2" : region);
    e.put(
        "sourceIPAddress",
        "10." + rnd.nextInt(4) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256));
    if (rnd.nextInt(6) == 0) {
      e.put("errorCode", ERRORS[rnd.nextInt(ERRORS.length)]);
      e.put("errorMessage", "denied \"quoted\" \u00e9\n second line");
    }
    if (rnd.nextInt(10) != 0) {
      e.put(
          "readOnly",
          name.startsWith("Describe") || name.startsWith("Get") || name.startsWith("List"));
    }
    e.putObject("requestParameters").put("bytes", rnd.nextInt(1000)).put("n", rnd.nextDouble());
    e.put("recipientAccountId", account);
    // the column store's edge cases: a number where a string usually is, a string boolean, a
    // missing or null userIdentity field, nested values, an object where a string usually is
    switch (rnd.nextInt(14)) {
      case 0 -> e.put("recipientAccountId", Long.parseLong(account));
      case 1 -> e.put("readOnly", rnd.nextBoolean() ? "true" : "false");
      case 2 -> e.remove("userIdentity");
      case 3 -> u.putNull("arn");
      case 4 -> e.putObject("eventType").put("agent", "sdk").put("v", 2);
      case 5 -> e.put("managementEvent", 1);
      default -> {}
    }
    if (!e.has("userAgent")) {
      e.put(
          "userAgent", rnd.nextBoolean() ? "aws-cli/2.15 Python/3.11" : "Mozilla/5.0 \u00e9 \"x\"");
    }
    if (!e.has("eventType")) {
      e.put("eventType", rnd.nextInt(9) == 0 ? "AwsServiceEvent" : "AwsApiCall");
    }
    if (!e.has("managementEvent")) {
      e.put("managementEvent", rnd.nextInt(4) != 0);
    }
    e.put("eventID", Long.toHexString(rnd.nextLong()));
    if (u.path("type").asText().equals("AssumedRole") && rnd.nextBoolean()) {
      u.putObject("sessionContext")
          .putObject("sessionIssuer")
          .put("userName", "role" + rnd.nextInt(5))
          .put("arn", "arn:aws:iam::" + account + ":role/role" + rnd.nextInt(5));
    }
    records++;
    if (name.equals("ConsoleLogin")) {
      consoleLogins++;
    }
    return e;
  }

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
