package dev.trailquery.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every real file against an independent oracle: a plain Jackson tree walk that finds the events by
 * shape and navigates paths with {@link JsonNode#get}.
 */
class OracleTest {
  static final ObjectMapper M = new ObjectMapper();

  static final List<String> PATHS =
      List.of(
          "eventName",
          "eventSource",
          "eventTime",
          "eventVersion",
          "userIdentity.type",
          "userIdentity.arn",
          "userIdentity.sessionContext.sessionIssuer.userName",
          "userIdentity.sessionContext.attributes.mfaAuthenticated",
          "resources.0.ARN",
          "resources.1.ARN",
          "requestParameters.bucketName",
          "requestParameters.instancesSet.items.0.instanceId",
          "responseElements.ConsoleLogin",
          "responseElements.instancesSet.items.0.instanceId",
          "errorCode",
          "errorMessage",
          "sourceIPAddress",
          "additionalEventData.MFAUsed",
          "additionalEventData.bytesTransferredIn",
          "requestParameters.maxResults",
          "requestParameters.withDecryption",
          "requestParameters",
          "responseElements",
          "readOnly",
          "managementEvent",
          "resources",
          "userIdentity",
          "tlsDetails.clientProvidedHostHeader",
          "@@timestamp",
          "@@version");

  /** Slots deliberately not 0..n-1: path i goes to slot 2i+1 of a wider row. */
  static int slot(int i) {
    return 2 * i + 1;
  }

  static CloudTrailReader reader(boolean message) {
    int[] slots = new int[PATHS.size()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = slot(i);
    }
    return new CloudTrailReader(new ReadRequest(PATHS, slots, 2 * PATHS.size() + 1, message));
  }

  static final CloudTrailReader PLAIN = reader(false);
  static final CloudTrailReader WITH_MESSAGE = reader(true);

  static List<Path> corpus() throws IOException {
    Path root = Fixtures.repoRoot();
    List<Path> dirs =
        List.of(
            root.resolve("samples/cloudtrail"),
            root.resolve("testdata/cloudtrail/cloudgrep-tests"),
            root.resolve("testdata/cloudtrail/otrf-security-datasets"),
            root.resolve("testdata/cloudtrail/plaso"));
    List<Path> files = new ArrayList<>();
    for (Path d : dirs) {
      try (Stream<Path> s = Files.walk(d)) {
        s.filter(Files::isRegularFile)
            .filter(f -> !f.getFileName().toString().endsWith(".md"))
            .sorted()
            .forEach(files::add);
      }
    }
    return files;
  }

  /** The events of a file by shape, or null when it is not valid JSON. */
  static List<JsonNode> oracleEvents(byte[] data) throws IOException {
    List<JsonNode> roots = new ArrayList<>();
    try (MappingIterator<JsonNode> it = M.readerFor(JsonNode.class).readValues(data)) {
      while (it.hasNext()) {
        roots.add(it.next());
      }
    } catch (RuntimeException | IOException e) {
      return null;
    }
    List<JsonNode> events = new ArrayList<>();
    for (JsonNode root : roots) {
      List<JsonNode> candidates = new ArrayList<>();
      if (root.isObject() && root.path("Records").isArray()) {
        root.get("Records").forEach(candidates::add);
      } else if (root.isArray()) {
        root.forEach(candidates::add);
      } else {
        candidates.add(root);
      }
      for (JsonNode c : candidates) {
        JsonNode inner = c.get("CloudTrailEvent");
        events.add(inner != null && inner.isTextual() ? M.readTree(inner.asText()) : c);
      }
    }
    return events;
  }

  static JsonNode navigate(JsonNode event, String path) {
    JsonNode n = event;
    for (String seg : path.split("\\.")) {
      if (n == null) {
        return null;
      }
      String key = seg.startsWith("@@") ? seg.substring(1) : seg;
      if (n.isArray()) {
        n = seg.chars().allMatch(Character::isDigit) ? n.get(Integer.parseInt(seg)) : null;
      } else {
        n = n.get(key);
      }
    }
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }

  /** What the reader should give for a node, as the value model says. */
  static Object expected(JsonNode n) {
    if (n == null) {
      return null;
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      String digits = n.bigIntegerValue().abs().toString();
      return digits.length() > 15 ? n.bigIntegerValue().toString() : (Object) n.asDouble();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    return n; // container: compared by parsing the reader's text back
  }

  static long expectedMillis(JsonNode event) {
    JsonNode t = event.get("eventTime");
    if (t != null && t.isTextual()) {
      long ms = parseTime(t.asText());
      if (ms != Long.MIN_VALUE) {
        return ms;
      }
    }
    JsonNode at = event.get("@timestamp");
    return at != null && at.isTextual() ? parseTime(at.asText()) : Long.MIN_VALUE;
  }

  static long parseTime(String s) {
    String iso = s.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
      } catch (DateTimeParseException e2) {
        return Long.MIN_VALUE;
      }
    }
  }

  static boolean compact(String json) {
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }

  static void check(Path file) throws IOException {
    byte[] raw = Files.readAllBytes(file);
    List<JsonNode> events = oracleEvents(Fixtures.gunzipIfNeeded(raw));
    Fixtures.Read plain = Fixtures.read(PLAIN, raw, file.toString());
    Fixtures.Read withMessage = Fixtures.read(WITH_MESSAGE, raw, file.toString());
    assertThat(plain.result().bytesRead()).isEqualTo(raw.length);
    if (events == null) {
      // not valid JSON: the only such file breaks inside its first record
      assertThat(plain.status()).isEqualTo(ObjectResult.Status.CORRUPT);
      assertThat(plain.count()).isZero();
      assertThat(withMessage.status()).isEqualTo(ObjectResult.Status.CORRUPT);
      return;
    }
    assertThat(plain.status()).as(file.toString()).isEqualTo(ObjectResult.Status.OK);
    assertThat(withMessage.status()).isEqualTo(ObjectResult.Status.OK);
    assertThat(plain.count()).as("records of " + file).isEqualTo(events.size());
    assertThat(withMessage.count()).isEqualTo(events.size());
    assertThat(plain.result().records()).isEqualTo(events.size());
    boolean[] seen = new boolean[PATHS.size()];
    for (int r = 0; r < events.size(); r++) {
      JsonNode ev = events.get(r);
      Fixtures.Got got = plain.got().get(r);
      Fixtures.Got gotM = withMessage.got().get(r);
      String at = file.getFileName() + " record " + r;
      assertThat(got.index()).isEqualTo(r);
      assertThat(got.message()).isNull();
      assertThat(got.ts()).as(at + " timestamp").isEqualTo(expectedMillis(ev));
      assertThat(gotM.ts()).isEqualTo(got.ts());
      assertThat(got.row()).hasSize(2 * PATHS.size() + 1);
      assertThat(got.row()[0]).isNull();
      for (int i = 0; i < PATHS.size(); i++) {
        String path = PATHS.get(i);
        Object want = expected(navigate(ev, path));
        Object have = got.row()[slot(i)];
        seen[i] |= want != null;
        if (want instanceof JsonNode node) {
          // an object or array is a map or list whose text is its compact JSON
          assertThat(have).as(at + " " + path).isInstanceOf(dev.trailquery.value.JsonValue.class);
          String text = ((dev.trailquery.value.JsonValue) have).text();
          assertThat(M.readTree(text)).as(at + " " + path).isEqualTo(node);
          assertThat(compact(text)).as(at + " " + path + " compact").isTrue();
          // and it parses to the same tree when accessed
          assertThat(((dev.trailquery.value.JsonValue) have).node()).isEqualTo(node);
        } else {
          assertThat(have).as(at + " " + path).isEqualTo(want);
        }
        assertThat(gotM.row()[slot(i)]).as(at + " " + path + " with message").isEqualTo(have);
      }
      assertThat(gotM.message()).as(at + " message").isNotNull();
      assertThat(M.readTree(gotM.message())).as(at + " message").isEqualTo(ev);
      assertThat(compact(gotM.message())).as(at + " message compact").isTrue();
    }
    for (int i = 0; i < PATHS.size(); i++) {
      assertThat(plain.result().seenPaths().get(i))
          .as(file + " seen " + PATHS.get(i))
          .isEqualTo(seen[i]);
      assertThat(withMessage.result().seenPaths().get(i)).isEqualTo(seen[i]);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRealFileMatchesTheOracle() throws IOException {
    Path root = Fixtures.repoRoot();
    return corpus().stream()
        .map(f -> DynamicTest.dynamicTest(root.relativize(f).toString(), () -> check(f)));
  }

  /** Totals per data set as each SOURCE.md states them (counted there with Python). */
  @Test
  void totalsMatchTheSourceNotes() throws IOException {
    Map<String, Integer> want = new HashMap<>();
    want.put("samples/cloudtrail/invictus-aws-dataset", 2900);
    want.put("samples/cloudtrail/cloud-snitch", 21);
    want.put("samples/cloudtrail/stratus-red-team-detonation-logs", 310);
    want.put("samples/cloudtrail/traildiscover", 563);
    want.put("samples/cloudtrail/grafiti", 9 + 2); // + the 2 LookupEvents-format events
    want.put("testdata/cloudtrail/cloudgrep-tests", 2);
    want.put("testdata/cloudtrail/otrf-security-datasets", 103);
    want.put("testdata/cloudtrail/plaso", 6);
    Path root = Fixtures.repoRoot();
    Map<String, Integer> have = new TreeMap<>();
    Map<ObjectResult.Status, Integer> statuses = new TreeMap<>();
    for (Path f : corpus()) {
      String rel = root.relativize(f).toString();
      String set = rel.split("/")[0] + "/" + rel.split("/")[1] + "/" + rel.split("/")[2];
      Fixtures.Read r = Fixtures.read(PLAIN, Files.readAllBytes(f), rel);
      have.merge(set, r.count(), Integer::sum);
      statuses.merge(r.status(), 1, Integer::sum);
    }
    assertThat(have).isEqualTo(new TreeMap<>(want));
    assertThat(statuses).containsEntry(ObjectResult.Status.CORRUPT, 1); // bad_cloudtrail.json
    assertThat(statuses).containsOnlyKeys(ObjectResult.Status.OK, ObjectResult.Status.CORRUPT);
  }

  /** Guards against a vacuous oracle: every path has a value somewhere in the corpus. */
  @Test
  void everyPathOccursSomewhere() throws IOException {
    boolean[] seen = new boolean[PATHS.size()];
    for (Path f : corpus()) {
      ObjectResult r = Fixtures.read(PLAIN, Files.readAllBytes(f), f.toString()).result();
      for (int i = 0; i < PATHS.size(); i++) {
        seen[i] |= r.seenPaths().get(i);
      }
    }
    List<Executable> checks = new ArrayList<>();
    for (int i = 0; i < PATHS.size(); i++) {
      int k = i;
      checks.add(() -> assertThat(seen[k]).as(PATHS.get(k)).isTrue());
    }
    assertAll(checks);
  }

  /** Instant.parse agrees with the corpus's plain eventTime form (sanity of the oracle itself). */
  @Test
  void oracleTimeParsing() {
    assertThat(parseTime("2023-07-10T12:20:00Z"))
        .isEqualTo(Instant.parse("2023-07-10T12:20:00Z").toEpochMilli());
    assertThat(parseTime("2022-02-08 09:23:37+11:00"))
        .isEqualTo(Instant.parse("2022-02-07T22:23:37Z").toEpochMilli());
  }
}
