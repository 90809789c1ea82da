package dev.trailquery.functions.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A simulated organization trail: {@code accounts × regions} account-regions, each delivering one
 * object every 5 minutes, all within the same few seconds (the burst CloudTrail makes), object
 * contents taken from the real samples (records re-stamped into the object's 5 minutes, account and
 * region set). A fraction of objects hold <i>late events</i> (1–6 hours older than the delivery, as
 * CloudTrail sometimes delivers), and a fraction is <i>delivered twice</i> (the second notification
 * 1 second to 2 hours later, as SQS redelivers).
 *
 * <p>Deterministic for a seed. Use: {@code OrgTrail.fromSamples(path, config).deliveries()} — every
 * notification in delivery order (duplicates included), each with its object's key and, on the
 * first delivery, its gzip bytes.
 */
public final class OrgTrail {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter KEY_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_PATH =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** What to simulate. */
  public record Config(
      int objectsPerDay,
      int days,
      double lateFraction,
      double duplicateFraction,
      long startMillis,
      String orgId,
      long seed) {
    public static Config of(int objectsPerDay, int days, double late, double duplicate) {
      return new Config(
          objectsPerDay,
          days,
          late,
          duplicate,
          Instant.parse("2026-12-01T00:00:00Z").toEpochMilli(),
          "o-sim0000001",
          42);
    }

    /** Account-regions that deliver every 5 minutes: objects per day / 288, at least 1. */
    public int accountRegions() {
      return Math.max(1, objectsPerDay / 288);
    }
  }

  /**
   * One notification: the object's key, the simulated time it is delivered at, whether it is a
   * redelivery, and the object's content (built on demand).
   */
  public record Delivery(
      String key, long atMillis, boolean duplicate, boolean lateEvents, int sample, long seed) {}

  private static final String[] REGIONS = {
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "sa-east-1",
    "ap-northeast-3"
  };

  /** Records per object at most (a window of a larger sample). */
  static final int MAX_RECORDS = 24;

  private final Config config;
  private final List<ArrayNode> samples;

  private OrgTrail(Config config, List<ArrayNode> samples) {
    this.config = config;
    this.samples = samples;
  }

  /** The samples: every {@code {"Records": [...]}} JSON file under {@code dir} with records. */
  public static OrgTrail fromSamples(Path dir, Config config) throws IOException {
    List<ArrayNode> samples = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        if (!f.toString().endsWith(".json")) {
          continue;
        }
        try {
          JsonNode root = JSON.readTree(f.toFile());
          if (root.path("Records").isArray() && !root.path("Records").isEmpty()) {
            samples.add((ArrayNode) root.get("Records"));
          }
        } catch (IOException notJson) {
          // not a CloudTrail object: not a sample
        }
      }
    }
    if (samples.isEmpty()) {
      throw new IOException("no CloudTrail samples under " + dir);
    }
    return new OrgTrail(config, samples);
  }

  public Config config() {
    return config;
  }

  /** Every notification of the simulated days in delivery order (duplicates included). */
  public List<Delivery> deliveries() {
    int ar = config.accountRegions();
    int perDay = config.objectsPerDay();
    int rounds = (int) Math.ceil(perDay / (double) ar) * config.days();
    Random rnd = new Random(config.seed());
    List<Delivery> out = new ArrayList<>();
    int made = 0;
    for (int round = 0; round < rounds && made < (long) perDay * config.days(); round++) {
      long roundStart = config.startMillis() + round * 300_000L;
      for (int i = 0; i < ar && made < (long) perDay * config.days(); i++, made++) {
        String account = String.format("%012d", 100_000_000_000L + (i / REGIONS.length) * 7919L);
        String region = REGIONS[i % REGIONS.length];
        long at = roundStart + 60_000 + rnd.nextInt(3000); // written a minute after the 5 minutes
        String key =
            "AWSLogs/"
                + config.orgId()
                + "/"
                + account
                + "/CloudTrail/"
                + region
                + "/"
                + DAY_PATH.format(Instant.ofEpochMilli(at))
                + "/"
                + account
                + "_CloudTrail_"
                + region
                + "_"
                + KEY_TIME.format(Instant.ofEpochMilli(at))
                + "_"
                + Long.toHexString(rnd.nextLong() & 0xffffffffffffL)
                + ".json.gz";
        boolean late = rnd.nextDouble() < config.lateFraction();
        Delivery d =
            new Delivery(key, at, false, late, rnd.nextInt(samples.size()), rnd.nextLong());
        out.add(d);
        if (rnd.nextDouble() < config.duplicateFraction()) {
          long delay = rnd.nextBoolean() ? 1000 + rnd.nextInt(60_000) : rnd.nextInt(7_200_000);
          out.add(new Delivery(key, at + delay, true, late, d.sample(), d.seed()));
        }
      }
    }
    out.sort(Comparator.comparingLong(Delivery::atMillis));
    return out;
  }

  /**
   * The gzip bytes of a delivery's object: its sample's records with event times spread over the 5
   * minutes before the delivery (1–6 hours earlier for late events), its account and region.
   */
  public byte[] object(Delivery d) {
    Random rnd = new Random(d.seed());
    ArrayNode records = samples.get(d.sample());
    String[] parts = d.key().split("/");
    String account = parts[2];
    String region = parts[4];
    long base = d.atMillis() - 60_000 - 300_000;
    if (d.lateEvents()) {
      base -= 3_600_000L * (1 + rnd.nextInt(6));
    }
    ObjectNode root = JSON.createObjectNode();
    ArrayNode out = root.putArray("Records");
    // at most MAX_RECORDS consecutive records of the sample: org-trail objects are 2-5 KB gzip
    int from = records.size() <= MAX_RECORDS ? 0 : rnd.nextInt(records.size() - MAX_RECORDS + 1);
    for (int i = from; i < Math.min(records.size(), from + MAX_RECORDS); i++) {
      JsonNode r = records.get(i);
      ObjectNode copy = r.deepCopy();
      copy.put("eventTime", EVENT_TIME.format(Instant.ofEpochMilli(base + rnd.nextInt(300_000))));
      copy.put("recipientAccountId", account);
      copy.put("awsRegion", region);
      out.add(copy);
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
        JSON.writeValue(gz, root);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
