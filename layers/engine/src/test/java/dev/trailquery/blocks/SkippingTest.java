package dev.trailquery.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.lang.Parser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which chunks a filter skips, on hand-built chunk summaries. */
class SkippingTest {
  /** A chunk whose records had these values (null: field missing in every record). */
  static Manifest.Chunk chunk(long min, long max, Map<String, List<Object>> values) {
    Map<String, FieldIndex> fields = new LinkedHashMap<>();
    for (String f : Compactor.SUMMARY_FIELDS) {
      FieldIndex.Builder b = new FieldIndex.Builder();
      values.getOrDefault(f, List.of()).forEach(b::add);
      fields.put(f, b.build());
    }
    return new Manifest.Chunk(0, 100, 10, 1000, min, max, 0, fields);
  }

  static final Manifest.Chunk SIGNIN =
      chunk(
          1000,
          2000,
          Map.of(
              "eventSource", List.of("signin.amazonaws.com"),
              "eventName", List.of("ConsoleLogin"),
              "readOnly", List.of(false),
              "recipientAccountId", List.of("111122223333")));
  static final Manifest.Chunk EC2 =
      chunk(
          1500,
          3000,
          Map.of(
              "eventSource", List.of("ec2.amazonaws.com"),
              "eventName", List.of("DescribeInstances", "RunInstances"),
              "errorCode", List.of("Client.UnauthorizedOperation"),
              "readOnly", List.of(true, false),
              "recipientAccountId", List.of("444455556666")));

  static boolean reads(String query, Manifest.Chunk c) {
    return Skipping.of(Parser.parse(query), Long.MIN_VALUE, Long.MAX_VALUE).mayMatch(c);
  }

  @Test
  void equalityInAndOrAndIspresent() {
    assertThat(reads("filter eventName = \"ConsoleLogin\"", SIGNIN)).isTrue();
    assertThat(reads("filter eventName = \"ConsoleLogin\"", EC2)).isFalse();
    assertThat(reads("filter \"RunInstances\" = eventName", EC2)).isTrue();
    assertThat(reads("filter eventName in [\"x\", \"ConsoleLogin\"]", EC2)).isFalse();
    assertThat(reads("filter eventName in [\"x\", \"RunInstances\"]", EC2)).isTrue();
    assertThat(reads("filter ispresent(errorCode)", SIGNIN)).isFalse();
    assertThat(reads("filter ispresent(errorCode)", EC2)).isTrue();
    assertThat(reads("filter eventName = \"ConsoleLogin\" or ispresent(errorCode)", EC2)).isTrue();
    assertThat(reads("filter eventName = \"ConsoleLogin\" and ispresent(errorCode)", SIGNIN))
        .isFalse();
    // two filters: both must be possible
    assertThat(reads("filter eventName = \"ConsoleLogin\" | filter readOnly = 1", SIGNIN))
        .isFalse();
  }

  @Test
  void theQuerysOwnEqualityNumbersAndBooleans() {
    // 444455556666 (a number literal) equals the string "444455556666"
    assertThat(reads("filter recipientAccountId = 444455556666", EC2)).isTrue();
    assertThat(reads("filter recipientAccountId = 444455556666", SIGNIN)).isFalse();
    // booleans equal 1/0 and "true"/"false"
    assertThat(reads("filter readOnly = 1", SIGNIN)).isFalse();
    assertThat(reads("filter readOnly = \"false\"", SIGNIN)).isTrue();
    assertThat(reads("filter readOnly = 0", SIGNIN)).isTrue();
  }

  @Test
  void whatItCannotProveIsRead() {
    assertThat(reads("filter eventName != \"ConsoleLogin\"", SIGNIN)).isTrue();
    assertThat(reads("filter not eventName = \"ConsoleLogin\"", SIGNIN)).isTrue();
    assertThat(reads("filter eventName like /Console/", EC2)).isTrue();
    assertThat(reads("filter eventName = \"ConsoleLogin\" or userAgent = \"x\"", EC2)).isTrue();
    assertThat(reads("filter eventName not in [\"ConsoleLogin\"]", SIGNIN)).isTrue();
    // a field redefined before the filter, or a filter after stats / limit / dedup: no skipping
    assertThat(
            reads(
                "fields \"ConsoleLogin\" as eventName | filter eventName = \"ConsoleLogin\"", EC2))
        .isTrue();
    assertThat(
            reads(
                "parse @message /\"eventName\":\"(?<eventName>[^\"]*)\"/ | filter eventName ="
                    + " \"ConsoleLogin\"",
                EC2))
        .isTrue();
    assertThat(reads("limit 5 | filter eventName = \"ConsoleLogin\"", EC2)).isTrue();
    assertThat(reads("stats count(*) as n by eventName | filter eventName = \"ConsoleLogin\"", EC2))
        .isTrue();
  }

  @Test
  void timeRange() {
    var q = Parser.parse("fields @timestamp");
    assertThat(Skipping.of(q, 2001, 5000).mayMatch(SIGNIN)).isFalse();
    assertThat(Skipping.of(q, 2000, 5000).mayMatch(SIGNIN)).isTrue();
    assertThat(Skipping.of(q, 0, 1000).mayMatch(SIGNIN)).isFalse();
    assertThat(Skipping.of(q, 0, 1001).mayMatch(SIGNIN)).isTrue();
  }

  @Test
  void bloomFiltersHaveNoFalseNegativesAndFewFalsePositives() {
    FieldIndex.Builder b = new FieldIndex.Builder();
    List<String> in = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      String ip = "10." + (i / 250) + "." + (i % 250) + ".7";
      in.add(ip);
      b.add(ip);
    }
    FieldIndex idx = b.build();
    assertThat(idx.exact()).isNull();
    for (String ip : in) {
      assertThat(idx.mayEqual(ip)).as(ip).isTrue();
    }
    int falsePositives = 0;
    for (int i = 0; i < 10_000; i++) {
      if (idx.mayEqual("192.168." + (i / 250) + "." + (i % 250))) {
        falsePositives++;
      }
    }
    assertThat(falsePositives).isLessThan(300); // ~1% expected with 10 bits and 7 hashes
    // a literal that reads as a number could equal another spelling: never skipped
    assertThat(idx.mayEqual("12")).isTrue();
    // the JSON form round-trips
    FieldIndex back = FieldIndex.fromJson(idx.toJson());
    for (String ip : in) {
      assertThat(back.mayEqual(ip)).isTrue();
    }
  }
}
