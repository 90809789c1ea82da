package dev.trailquery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A seeded generator of realistic CloudTrail data: the events of the bundled samples (their real
 * shapes: every key, nesting, value kind and size) drawn at random and given fresh identities
 * (eventTime, eventID, requestID, source IP, access key), written as CloudTrail writes them: {@code
 * {"Records":[...]}} gzip files under {@code AWSLogs/<account>/CloudTrail/<region>/yyyy/MM/dd/}.
 * The same seed, sizes and samples always give the same bytes.
 */
public final class Generator {
  private static final ObjectMapper JSON = dev.trailquery.json.Mappers.MAPPER;
  private static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final String[] REGIONS = {"us-east-1", "us-west-2", "eu-west-1", "ap-south-1"};
  private static final String[] ACCOUNTS = {"111122223333", "444455556666"};
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  /** What was written. */
  public record Stats(long events, long files, long jsonBytes, long gzipBytes) {}

  private Generator() {}

  /** Every CloudTrail event (an object with eventName) in the files under {@code samples}. */
  public static List<ObjectNode> templates(Path samples) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(samples)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().endsWith(".md"))
              .sorted()
              .toList();
    }
    List<ObjectNode> out = new ArrayList<>();
    for (Path f : files) {
      JsonNode root;
      try (InputStream in = open(f)) {
        root = JSON.readTree(in);
      } catch (IOException e) {
        continue; // not JSON (or broken on purpose): no template
      }
      collect(root, out);
    }
    if (out.isEmpty()) {
      throw new IOException("no CloudTrail events under " + samples);
    }
    return out;
  }

  private static InputStream open(Path f) throws IOException {
    InputStream in = new java.io.BufferedInputStream(Files.newInputStream(f));
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
  }

  private static void collect(JsonNode n, List<ObjectNode> out) {
    if (n == null) {
      return;
    }
    if (n.isArray()) {
      n.forEach(e -> collect(e, out));
    } else if (n.isObject()) {
      if (n.has("Records")) {
        collect(n.get("Records"), out);
      } else if (n.has("eventName") && n.has("eventSource")) {
        out.add((ObjectNode) n);
      }
    }
  }

  /**
   * Writes {@code events} events in {@code files} files under {@code dir} (which should be empty).
   */
  public static Stats generate(
      List<ObjectNode> templates, Path dir, long events, int files, long seed) throws IOException {
    Random rnd = new Random(seed);
    long start = Instant.parse("2026-10-01T00:00:00Z").getEpochSecond();
    long span = 7L * 24 * 3600;
    long written = 0;
    long json = 0;
    long gz = 0;
    for (int f = 0; f < files; f++) {
      // files carry 1..2*avg-1 events, so the total comes out at `events`
      long left = events - written;
      int filesLeft = files - f;
      long n;
      if (filesLeft == 1) {
        n = left;
      } else {
        long avg = Math.max(1, left / filesLeft);
        n = Math.min(left - (filesLeft - 1), 1 + rnd.nextLong(Math.max(1, 2 * avg - 1)));
        n = Math.max(1, n);
      }
      String account = ACCOUNTS[rnd.nextInt(ACCOUNTS.length)];
      String region = REGIONS[rnd.nextInt(REGIONS.length)];
      long fileTime = start + span * f / files;
      ObjectNode root = JSON.createObjectNode();
      ArrayNode records = root.putArray("Records");
      for (long i = 0; i < n; i++) {
        records.add(event(templates.get(rnd.nextInt(templates.size())), rnd, fileTime, region));
      }
      ZonedDateTime t = Instant.ofEpochSecond(fileTime).atZone(ZoneOffset.UTC);
      Path folder =
          dir.resolve(
              String.format(
                  "AWSLogs/%s/CloudTrail/%s/%04d/%02d/%02d",
                  account, region, t.getYear(), t.getMonthValue(), t.getDayOfMonth()));
      Files.createDirectories(folder);
      String name =
          account
              + "_CloudTrail_"
              + region
              + "_"
              + FILE_TIME.format(t)
              + "_"
              + random(rnd, 16)
              + ".json.gz";
      byte[] bytes = JSON.writeValueAsBytes(root);
      Path file = folder.resolve(name);
      try (OutputStream out =
          new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file)), 64 * 1024)) {
        out.write(bytes);
      }
      written += n;
      json += bytes.length;
      gz += Files.size(file);
    }
    return new Stats(written, files, json, gz);
  }

  private static ObjectNode event(ObjectNode template, Random rnd, long fileTime, String region) {
    ObjectNode e = template.deepCopy();
    long t = fileTime - rnd.nextInt(300);
    if (e.has("eventTime")) {
      e.put("eventTime", EVENT_TIME.format(Instant.ofEpochSecond(t)));
    }
    if (e.has("eventID")) {
      e.put("eventID", new UUID(rnd.nextLong(), rnd.nextLong()).toString());
    }
    if (e.has("requestID")) {
      e.put("requestID", new UUID(rnd.nextLong(), rnd.nextLong()).toString());
    }
    if (e.path("sourceIPAddress").asText("").matches("[0-9.]+")) {
      e.put(
          "sourceIPAddress",
          (1 + rnd.nextInt(222))
              + "."
              + rnd.nextInt(256)
              + "."
              + rnd.nextInt(256)
              + "."
              + rnd.nextInt(256));
    }
    if (e.has("awsRegion") && rnd.nextInt(4) == 0) {
      e.put("awsRegion", region);
    }
    if (e.get("userIdentity") instanceof ObjectNode u && u.has("accessKeyId")) {
      u.put("accessKeyId", "ASIA" + random(rnd, 16));
    }
    return e;
  }

  private static String random(Random rnd, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(ALNUM.charAt(rnd.nextInt(ALNUM.length())));
    }
    return b.toString();
  }
}
