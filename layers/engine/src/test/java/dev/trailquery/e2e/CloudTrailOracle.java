package dev.trailquery.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * An independent reading of the bundled CloudTrail samples, for checking the engine against: every
 * record of every file under {@code samples/cloudtrail}, loaded with a plain Jackson tree walk (no
 * engine code), and helpers that show a record's fields the way the Logs Insights value model does.
 *
 * <p>File shapes handled: {@code {"Records":[...]}} (S3 delivery files, plain or gzip), a JSON
 * array of events, a single bare event object, and empty files. A LookupEvents API record ({@code
 * {"CloudTrailEvent":"<event JSON>", ...}}) stands for the event in its string. {@code SOURCE.md}
 * files are not data.
 */
public final class CloudTrailOracle {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static volatile CloudTrailOracle samples;

  private final Path dir;
  private final List<Rec> records;

  private CloudTrailOracle(Path dir, List<Rec> records) {
    this.dir = dir;
    this.records = List.copyOf(records);
  }

  /** The records of {@code samples/cloudtrail}, loaded once. */
  public static CloudTrailOracle samples() {
    CloudTrailOracle s = samples;
    if (s == null) {
      s = load(repoRoot().resolve("samples").resolve("cloudtrail"));
      samples = s;
    }
    return s;
  }

  /** The repository root: the nearest folder upwards from the working directory with samples/. */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.isDirectory(p.resolve("samples"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException(
        "no folder with samples/ above " + Path.of("").toAbsolutePath());
  }

  /** Loads every record of every data file under {@code dir}, files in path order. */
  public static CloudTrailOracle load(Path dir) {
    List<Rec> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        if (f.getFileName().toString().endsWith(".md")) {
          continue;
        }
        List<JsonNode> nodes = recordsOf(f);
        for (int i = 0; i < nodes.size(); i++) {
          out.add(new Rec(f, i, nodes.get(i)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new CloudTrailOracle(dir, out);
  }

  private static List<JsonNode> recordsOf(Path f) throws IOException {
    byte[] bytes = Files.readAllBytes(f);
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
        bytes = in.readAllBytes();
      }
    }
    if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return List.of();
    }
    JsonNode root = MAPPER.readTree(bytes);
    List<JsonNode> events = new ArrayList<>();
    if (root.isObject() && root.has("Records")) {
      root.get("Records").forEach(events::add);
    } else if (root.isArray()) {
      root.forEach(events::add);
    } else if (root.isObject()) {
      events.add(root);
    } else {
      throw new IOException(f + ": not CloudTrail JSON");
    }
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : events) {
      // A LookupEvents API record carries the event as JSON text in CloudTrailEvent.
      JsonNode inner = e.get("CloudTrailEvent");
      out.add(inner != null && inner.isTextual() ? MAPPER.readTree(inner.textValue()) : e);
    }
    return out;
  }

  public Path dir() {
    return dir;
  }

  public List<Rec> records() {
    return records;
  }

  public Stream<Rec> stream() {
    return records.stream();
  }

  /**
   * One CloudTrail record.
   *
   * @param file the file it came from
   * @param index its position in the file
   * @param node the record's JSON tree
   */
  public record Rec(Path file, int index, JsonNode node) {

    /**
     * The value at a dotted path as Logs Insights shows it: text → String, number → Double, boolean
     * → Boolean, JSON null or absent → null. A numeric segment indexes an array. A path naming an
     * object or array gives its compact JSON text.
     */
    public Object get(String path) {
      JsonNode n = node;
      for (String seg : path.split("\\.", -1)) {
        if (n == null) {
          return null;
        }
        if (n.isObject()) {
          n = n.get(seg);
        } else if (n.isArray() && !seg.isEmpty() && seg.chars().allMatch(Character::isDigit)) {
          n = n.get(Integer.parseInt(seg));
        } else {
          return null;
        }
      }
      return value(n);
    }

    /** The text of the value at a path (numbers without a trailing {@code .0}), or null. */
    public String text(String path) {
      Object v = get(path);
      if (v instanceof Double d) {
        return d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
      }
      if (v instanceof Boolean b) {
        return b ? "1" : "0";
      }
      return (String) v;
    }

    /** {@code eventTime} in epoch milliseconds, or null when absent or not ISO-8601. */
    public Long millis() {
      if (!(get("eventTime") instanceof String s)) {
        return null;
      }
      try {
        return Instant.parse(s).toEpochMilli();
      } catch (DateTimeParseException e) {
        return null;
      }
    }

    /** {@code @timestamp}: the record's eventTime as a timestamp, or null. */
    public Timestamp timestamp() {
      Long m = millis();
      return m == null ? null : new Timestamp(m);
    }

    /** {@code @message}: the record as compact JSON, the way CloudTrail delivers it to Logs. */
    public String message() {
      try {
        return MAPPER.writeValueAsString(node);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static Object value(JsonNode n) {
      if (n == null || n.isNull() || n.isMissingNode()) {
        return null;
      }
      if (n.isTextual()) {
        return n.textValue();
      }
      if (n.isNumber()) {
        return n.doubleValue();
      }
      if (n.isBoolean()) {
        return n.booleanValue();
      }
      return n.toString();
    }

    @Override
    public String toString() {
      return file.getFileName() + "#" + index;
    }
  }

  /** Parses JSON text (an {@code @message}) for comparison by content. */
  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }
}
