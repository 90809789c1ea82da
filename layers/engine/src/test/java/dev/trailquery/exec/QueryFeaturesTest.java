package dev.trailquery.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trailquery.Trailquery;
import dev.trailquery.lang.QueryException;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import dev.trailquery.value.Timestamp;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every command and operator end to end over a hand-made log. The five records (times on 2026-01-01
 * UTC):
 *
 * <pre>
 * #  time      eventName     user   errorCode     sourceIPAddress  bytes  file
 * 0  10:00:00  ConsoleLogin  alice  -             203.0.113.9      10     one.json
 * 1  10:30:00  GetObject     bob    AccessDenied  10.0.0.1         20     one.json
 * 2  11:00:00  ConsoleLogin  alice  -             203.0.113.9      -      one.json
 * 3  11:45:00  PutObject     carol  NoSuchKey     10.0.0.2         40     two.json
 * 4  12:10:00  GetObject     -      AccessDenied  s3.amazonaws.com 50     two.json
 * </pre>
 */
class QueryFeaturesTest {
  static String rec(String time, String name, String user, String error, String ip, Integer bytes) {
    StringBuilder sb = new StringBuilder("{\"eventVersion\":\"1.08\"");
    sb.append(",\"eventTime\":\"2026-01-01T").append(time).append("Z\"");
    sb.append(",\"eventName\":\"").append(name).append('"');
    if (user != null) {
      sb.append(",\"userIdentity\":{\"userName\":\"").append(user).append("\"}");
    }
    if (error != null) {
      sb.append(",\"errorCode\":\"").append(error).append('"');
    }
    sb.append(",\"sourceIPAddress\":\"").append(ip).append('"');
    if (bytes != null) {
      sb.append(",\"additionalEventData\":{\"bytesTransferredOut\":").append(bytes).append('}');
    }
    return sb.append('}').toString();
  }

  static final String ONE =
      "{\"Records\":["
          + String.join(
              ",",
              rec("10:00:00", "ConsoleLogin", "alice", null, "203.0.113.9", 10),
              rec("10:30:00", "GetObject", "bob", "AccessDenied", "10.0.0.1", 20),
              rec("11:00:00", "ConsoleLogin", "alice", null, "203.0.113.9", null))
          + "]}";
  static final String TWO =
      rec("11:45:00", "PutObject", "carol", "NoSuchKey", "10.0.0.2", 40)
          + "\n"
          + rec("12:10:00", "GetObject", null, "AccessDenied", "s3.amazonaws.com", 50)
          + "\n";

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
    try {
      return Trailquery.run(
          Trailquery.compile(query, Planner.Options.defaults()),
          List.of(SOURCE),
          2,
          dev.trailquery.exec.Scan.Listener.NONE);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static List<List<Object>> rows(Result r) {
    return r.rows().stream().map(Arrays::asList).toList();
  }

  static long ts(String hms) {
    return java.time.Instant.parse("2026-01-01T" + hms + "Z").toEpochMilli();
  }

  @Test
  void defaultOutputIsNewestFirstWithMessage() {
    Result r = run("limit 2");
    assertThat(r.fields()).containsExactly("@timestamp", "@message");
    assertThat(r.rows().get(0)[0]).isEqualTo(new Timestamp(ts("12:10:00")));
    assertThat((String) r.rows().get(0)[1]).contains("\"sourceIPAddress\":\"s3.amazonaws.com\"");
    assertThat(r.rows().get(1)[0]).isEqualTo(new Timestamp(ts("11:45:00")));
    assertThat(r.statistics().recordsScanned()).isEqualTo(5);
    assertThat(r.statistics().objectsScanned()).isEqualTo(2);
  }

  @Test
  void comparisonsWithMissingFieldsAreFalse() {
    // errorCode is missing on records 0 and 2: neither = nor != matches them.
    assertThat(run("filter errorCode != 'AccessDenied' | fields eventName").rows()).hasSize(1);
    assertThat(run("filter errorCode not like 'Denied' | fields eventName").rows()).hasSize(1);
    assertThat(run("filter errorCode not in ['AccessDenied'] | fields eventName").rows())
        .hasSize(1);
    assertThat(
            run("filter not ispresent(errorCode) or errorCode != 'AccessDenied' | fields eventName")
                .rows())
        .hasSize(3);
  }

  @Test
  void likeRegexAndIn() {
    assertThat(run("filter eventName like 'Object' | stats count(*) as n").rows().get(0)[0])
        .isEqualTo(3.0);
    assertThat(run("filter eventName like /^Get/ | stats count(*) as n").rows().get(0)[0])
        .isEqualTo(2.0);
    assertThat(run("filter eventName =~ /(?i)^console/ | stats count(*) as n").rows().get(0)[0])
        .isEqualTo(2.0);
    assertThat(
            run("filter eventName in ['PutObject', 'ConsoleLogin'] | stats count(*) as n")
                .rows()
                .get(0)[0])
        .isEqualTo(3.0);
    // Numbers compare numerically against numeric JSON values.
    assertThat(
            run("where additionalEventData.bytesTransferredOut >= 20 | stats count(*) as n")
                .rows()
                .get(0)[0])
        .isEqualTo(3.0);
  }

  @Test
  void arithmeticAndBooleanAggregates() {
    Result r =
        run(
            "stats sum(additionalEventData.bytesTransferredOut) as total,"
                + " sum(eventName like /Object/) as objectCalls,"
                + " avg(additionalEventData.bytesTransferredOut) as mean,"
                + " total / count(*) as perEvent, 2 ^ 3 % 5 as k");
    // bytes: 10 + 20 + 40 + 50 = 120 over 4 values; 5 events.
    assertThat(rows(r)).containsExactly(List.of(120.0, 3.0, 30.0, 24.0, 3.0));
  }

  @Test
  void statsByBinAndAliases() {
    Result r = run("stats count(*) as n, count(errorCode) as errors by bin(1h) as hour");
    assertThat(r.fields()).containsExactly("hour", "n", "errors");
    assertThat(rows(r))
        .containsExactly(
            List.of(new Timestamp(ts("12:00:00")), 1.0, 1.0),
            List.of(new Timestamp(ts("11:00:00")), 2.0, 1.0),
            List.of(new Timestamp(ts("10:00:00")), 2.0, 1.0));
  }

  @Test
  void missingGroupKeysFormTheirOwnGroup() {
    Result r = run("stats count(*) as n by userIdentity.userName as user | sort n desc, user asc");
    assertThat(rows(r))
        .containsExactly(
            Arrays.asList("alice", 2.0),
            Arrays.asList("bob", 1.0),
            Arrays.asList("carol", 1.0),
            Arrays.asList(null, 1.0));
  }

  @Test
  void sortSeveralKeysAndLimitHead() {
    Result r =
        run("fields eventName, sourceIPAddress | sort eventName asc, @timestamp desc | head 3");
    assertThat(rows(r))
        .containsExactly(
            List.of("ConsoleLogin", "203.0.113.9"),
            List.of("ConsoleLogin", "203.0.113.9"),
            List.of("GetObject", "s3.amazonaws.com"));
  }

  @Test
  void dedupKeepsFirstInOrderAndKeepsMissingKeys() {
    Result r = run("fields eventName, userIdentity.userName as user | dedup user");
    // Newest first: record 4 (no user, kept), 3 carol, 2 alice (newest alice), 1 bob.
    assertThat(rows(r))
        .containsExactly(
            Arrays.asList("GetObject", null),
            Arrays.asList("PutObject", "carol"),
            Arrays.asList("ConsoleLogin", "alice"),
            Arrays.asList("GetObject", "bob"));
  }

  @Test
  void parseGlobAndRegex() {
    Result glob =
        run(
            "filter eventName = 'PutObject'"
                + " | parse @message '\"userName\":\"*\"' as who"
                + " | parse sourceIPAddress '*.*.*.*' as a, b, c, d | display who, a, d");
    assertThat(rows(glob)).containsExactly(List.of("carol", "10", "2"));
    Result regex =
        run(
            "parse sourceIPAddress /^(?<first>\\d+)\\.(?<second>\\d+)\\./"
                + " | filter ispresent(first) | stats count(*) as n by first, second");
    assertThat(rows(regex)).containsExactly(List.of("10", "0", 2.0), List.of("203", "0", 2.0));
  }

  @Test
  void displayLastWinsAndFieldsUnion() {
    Result both = run("fields eventName | fields sourceIPAddress | limit 1");
    assertThat(both.fields()).containsExactly("eventName", "sourceIPAddress");
    Result display = run("display eventName | display sourceIPAddress as ip | limit 1");
    assertThat(display.fields()).containsExactly("ip");
  }

  @Test
  void systemFields() {
    Result r = run("filter eventName = 'PutObject' | fields @logStream, @log, @timestamp");
    assertThat(rows(r)).containsExactly(List.of("two.json", "logs", new Timestamp(ts("11:45:00"))));
  }

  @Test
  void statsWithoutByOverNothingGivesOneRow() {
    Result r = run("filter eventName = 'Nothing' | stats count(*) as n, sum(x) as s");
    assertThat(rows(r)).containsExactly(Arrays.asList(0.0, null));
  }

  @Test
  void semanticErrorsPointAtTheirSource() {
    QueryException e =
        catchThrowableOfType(QueryException.class, () -> run("fields count(*) as n"));
    assertThat(e.error().code()).isEqualTo("TQ2107");
    assertThat(e.getMessage()).startsWith("line 1, column 8:");
    QueryException nested =
        catchThrowableOfType(QueryException.class, () -> run("stats sum(count(*))"));
    assertThat(nested.error().code()).startsWith("TQ2");
  }
}
