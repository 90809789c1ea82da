package dev.trailquery.e2e;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.trailquery.Trailquery;
import dev.trailquery.e2e.CloudTrailOracle.Rec;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.Severity;
import dev.trailquery.pack.QueryPack;
import dev.trailquery.pack.SavedQuery;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.LocalFileSource;
import dev.trailquery.value.Timestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every saved query of the pack, run by the engine over {@code samples/cloudtrail}, against an
 * answer derived by hand from {@link CloudTrailOracle}: the filters, grouping, counting, order and
 * limit each query means in Logs Insights, written out in plain Java.
 *
 * <p>Where a query matches nothing in this data the oracle must agree, and a variant of the query
 * that does match (a value the oracle picks from the data) is checked too, so the test can fail.
 * Corrected queries are also checked against their published original (warnings, error position,
 * and which rows each finds).
 */
class SeedQueryTest {
  private static final CloudTrailOracle O = CloudTrailOracle.samples();

  /** Rows returned when a query has no {@code limit}. */
  private static final long DEFAULT_LIMIT = 10_000;

  /** The columns of the CIS queries: {@code fields @timestamp, awsRegion, ... as userName}. */
  private static final Cols CIS =
      Cols.of(
          "@timestamp",
          "awsRegion",
          "sourceIPAddress",
          "userAgent",
          "userName=userIdentity.sessionContext.sessionIssuer.userName");

  // ---------------------------------------------------------------------------------------------
  // One derivation per query of the pack.

  private interface Check {
    void run(SavedQuery q);
  }

  private static final Map<String, Check> CHECKS = new LinkedHashMap<>();

  /** Queries whose check also runs the published original. */
  private static final Set<String> CHECKS_ORIGINAL =
      Set.of(
          "cis-3.1-unauthorized-api-calls",
          "cis-3.2-console-login-without-mfa",
          "cis-3.6-console-auth-failures",
          "cis-3.8-s3-bucket-policy-changes",
          "kms-createkey-non-aws-origin");

  static {
    CHECKS.put("latest-events", SeedQueryTest::latestEvents);
    CHECKS.put("field-breakout", SeedQueryTest::fieldBreakout);
    CHECKS.put("ec2-recently-launched", SeedQueryTest::ec2RecentlyLaunched);
    CHECKS.put("console-login-recent", SeedQueryTest::consoleLoginRecent);
    CHECKS.put("console-login-failed", SeedQueryTest::consoleLoginFailed);
    CHECKS.put("s3-putobject-bucket", SeedQueryTest::s3PutObjectBucket);
    CHECKS.put("s3-activity-summary", SeedQueryTest::s3ActivitySummary);
    CHECKS.put("kms-decrypt-by-key-user", SeedQueryTest::kmsDecryptByKeyUser);
    CHECKS.put("api-errors-summary", SeedQueryTest::apiErrorsSummary);
    CHECKS.put("s3-error-codes", SeedQueryTest::s3ErrorCodes);
    CHECKS.put("access-denied-by-identity", SeedQueryTest::accessDeniedByIdentity);
    CHECKS.put("kms-decrypt-hourly", SeedQueryTest::kmsDecryptHourly);
    CHECKS.put("cis-3.1-unauthorized-api-calls", SeedQueryTest::cis31);
    CHECKS.put("cis-3.2-console-login-without-mfa", SeedQueryTest::cis32);
    CHECKS.put("cis-3.3-root-account-usage", SeedQueryTest::cis33);
    CHECKS.put("cis-3.4-iam-policy-changes", SeedQueryTest::cis34);
    CHECKS.put("cis-3.5-cloudtrail-config-changes", SeedQueryTest::cis35);
    CHECKS.put("cis-3.6-console-auth-failures", SeedQueryTest::cis36);
    CHECKS.put("cis-3.7-kms-key-disable-or-delete", SeedQueryTest::cis37);
    CHECKS.put("cis-3.8-s3-bucket-policy-changes", SeedQueryTest::cis38);
    CHECKS.put("cis-3.9-config-changes", SeedQueryTest::cis39);
    CHECKS.put("cis-3.10-security-group-changes", SeedQueryTest::cis310);
    CHECKS.put("cis-3.11-nacl-changes", SeedQueryTest::cis311);
    CHECKS.put("cis-3.12-network-gateway-changes", SeedQueryTest::cis312);
    CHECKS.put("cis-3.13-route-table-changes", SeedQueryTest::cis313);
    CHECKS.put("cis-3.14-vpc-changes", SeedQueryTest::cis314);
    CHECKS.put("console-signin-failures-by-ip", SeedQueryTest::consoleSigninFailuresByIp);
    CHECKS.put("kms-createkey-non-aws-origin", SeedQueryTest::kmsCreateKeyNonAwsOrigin);
    CHECKS.put("rds-create-db-instance", SeedQueryTest::rdsCreateDbInstance);
    CHECKS.put("rds-modify-db-instance", SeedQueryTest::rdsModifyDbInstance);
    CHECKS.put("resources-touched-by-principal", SeedQueryTest::resourcesTouchedByPrincipal);
    CHECKS.put("events-by-resource-arn", SeedQueryTest::eventsByResourceArn);
    CHECKS.put("top-talkers", SeedQueryTest::topTalkers);
  }

  // ---- the investigation queries (maps and lists, countFrequent), derived by Jackson walks ----

  /** The query with parameters, as {@code $name(...)} runs it. */
  private static String withParams(SavedQuery q, Map<String, String> args) {
    return dev.trailquery.saved.Templates.expand(q.template(), args, "$" + q.name() + "()");
  }

  static void resourcesTouchedByPrincipal(SavedQuery q) {
    // the default (every principal), then the principal with the most resource uses
    String busiest =
        mostCommon(
            O.stream()
                .filter(r -> r.get("userIdentity.arn") != null)
                .flatMap(r -> resourceArns(r).stream().map(a -> r.text("userIdentity.arn"))));
    for (String principal : List.of("", busiest)) {
      Map<List<Object>, Object[]> agg = new LinkedHashMap<>();
      O.stream()
          .filter(r -> r.get("userIdentity.arn") instanceof String a && a.contains(principal))
          .forEach(
              r -> {
                for (String arn : resourceArns(r)) {
                  Object[] a =
                      agg.computeIfAbsent(
                          List.of(r.text("userIdentity.arn"), arn),
                          k -> new Object[] {0.0, null, null});
                  a[0] = (Double) a[0] + 1;
                  Timestamp t = r.timestamp();
                  if (t != null && (a[1] == null || t.millis() < ((Timestamp) a[1]).millis())) {
                    a[1] = t;
                  }
                  if (t != null && (a[2] == null || t.millis() > ((Timestamp) a[2]).millis())) {
                    a[2] = t;
                  }
                }
              });
      List<Keyed> rows =
          agg.entrySet().stream()
              .sorted(
                  Comparator.<Map.Entry<List<Object>, Object[]>, Double>comparing(
                          e -> -(Double) e.getValue()[0])
                      .thenComparing(e -> (String) e.getKey().get(0), SeedQueryTest::natural)
                      .thenComparing(e -> (String) e.getKey().get(1), SeedQueryTest::natural))
              .map(
                  e -> {
                    List<Object> row = new ArrayList<>(e.getKey());
                    row.addAll(Arrays.asList(e.getValue()));
                    return new Keyed(row, row);
                  })
              .toList();
      String query = withParams(q, Map.of("principal", principal));
      assertAnswer(
          query,
          new Expect(List.of("principal", "resource", "events", "first", "last"), rows, 10_000));
    }
  }

  private static int natural(String a, String b) {
    return dev.trailquery.value.NaturalOrder.INSTANCE.compare(a, b);
  }

  /** The ARNs of a record's resources[] (elements that are objects with a non-null ARN). */
  private static List<String> resourceArns(Rec r) {
    List<String> out = new ArrayList<>();
    var res = r.node().get("resources");
    if (res != null && res.isArray()) {
      for (var e : res) {
        var arn = e.get("ARN");
        if (arn != null && !arn.isNull()) {
          out.add(arn.asText());
        }
      }
    } else if (res != null && res.isObject() && res.hasNonNull("ARN")) {
      out.add(res.get("ARN").asText()); // a map is a one-element list
    }
    return out;
  }

  static void eventsByResourceArn(SavedQuery q) {
    String kmsKey =
        mostCommon(
            O.stream().flatMap(r -> resourceArns(r).stream()).filter(a -> a.contains(":kms:")));
    for (String arn : List.of("arn:aws:iam::", kmsKey)) {
      String query = withParams(q, arn.equals("arn:aws:iam::") ? Map.of() : Map.of("arn", arn));
      List<Keyed> rows =
          O.stream()
              .filter(r -> r.message().contains(arn))
              .sorted(NEWEST_FIRST)
              .map(
                  r -> {
                    String where;
                    if (text(r, "resources").contains(arn)) {
                      where = "resources";
                    } else if (text(r, "requestParameters").contains(arn)) {
                      where = "requestParameters";
                    } else if (text(r, "responseElements").contains(arn)) {
                      where = "responseElements";
                    } else {
                      where = "elsewhere";
                    }
                    return new Keyed(
                        r.timestamp(),
                        row(
                            r.timestamp(),
                            r.get("eventSource"),
                            r.get("eventName"),
                            r.get("userIdentity.arn"),
                            where));
                  })
              .toList();
      assertAnswer(
          query,
          new Expect(
              List.of("@timestamp", "eventSource", "eventName", "principal", "foundIn"),
              rows,
              DEFAULT_LIMIT));
    }
  }

  private static String text(Rec r, String field) {
    var n = r.node().get(field);
    return n == null || n.isNull() ? "" : n.toString();
  }

  static void topTalkers(SavedQuery q) {
    for (String n : List.of("20", "3")) {
      String query = withParams(q, n.equals("20") ? Map.of() : Map.of("n", n));
      Map<List<Object>, Long> counts = new LinkedHashMap<>();
      O.stream()
          .forEach(
              r ->
                  counts.merge(
                      Arrays.asList(r.text("userIdentity.arn"), r.text("sourceIPAddress")),
                      1L,
                      Long::sum));
      List<Keyed> rows =
          counts.entrySet().stream()
              .sorted(Comparator.comparing(e -> -e.getValue()))
              .map(
                  e -> {
                    List<Object> row = new ArrayList<>(e.getKey());
                    row.add((double) e.getValue());
                    return new Keyed((double) e.getValue(), row);
                  })
              .toList();
      assertAnswer(
          query,
          new Expect(
              List.of("userIdentity.arn", "sourceIPAddress", "_approxcount"),
              rows,
              Long.parseLong(n)));
    }
  }

  static Stream<String> packQueries() {
    return QueryPack.all().stream().map(SavedQuery::name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packQueries")
  void seedQuery(String name) {
    Check check = CHECKS.get(name);
    if (check == null) {
      fail("the pack has query '" + name + "' but SeedQueryTest has no derivation for it");
    }
    check.run(QueryPack.find(name).orElseThrow());
  }

  @Test
  void everyPackQueryHasADerivationAndViceVersa() {
    assertThat(packQueries().toList()).containsExactlyInAnyOrderElementsOf(CHECKS.keySet());
  }

  @Test
  void everyCorrectedQueryIsCheckedAgainstItsOriginal() {
    List<String> corrected =
        QueryPack.all().stream().filter(q -> q.original() != null).map(SavedQuery::name).toList();
    assertThat(corrected).containsExactlyInAnyOrderElementsOf(CHECKS_ORIGINAL);
  }

  /** The oracle reads as many events per folder as each SOURCE.md counted. */
  @Test
  void oracleMatchesTheSourceCounts() throws IOException {
    Pattern events = Pattern.compile("\\*\\*Events: ([\\d,]+)\\*\\*");
    try (Stream<Path> dirs = Files.list(O.dir())) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        Matcher m = events.matcher(Files.readString(dir.resolve("SOURCE.md")));
        assertThat(m.find()).as("event count in %s/SOURCE.md", dir).isTrue();
        long stated = Long.parseLong(m.group(1).replace(",", ""));
        // grafiti's SOURCE.md leaves out its 2 LookupEvents-API-style events.
        long counted =
            O.stream()
                .filter(r -> r.file().startsWith(dir))
                .filter(r -> !r.file().endsWith("cloudtrail-api-input.json"))
                .count();
        assertThat(counted).as("events under %s", dir.getFileName()).isEqualTo(stated);
      }
    }
  }

  /** The engine reads the same records as the oracle: counted per event source. */
  @Test
  void engineReadsTheOracleRecords() {
    String q = "stats count(*) as n by eventSource";
    assertAnswer(q, countBy(O.stream(), List.of("eventSource"), List.of("eventSource", "n"), null));
  }

  // ---------------------------------------------------------------------------------------------
  // The knowledge-center queries.

  static void latestEvents(SavedQuery q) {
    assertAnswer(q.query(), newestFirst(O.stream(), Cols.of("@timestamp", "@message"), 2));
  }

  static void fieldBreakout(SavedQuery q) {
    Cols cols =
        Cols.of(
            "@timestamp",
            "awsRegion",
            "eventCategory",
            "eventSource",
            "eventName",
            "eventType",
            "sourceIPAddress",
            "userIdentity.type");
    assertAnswer(q.query(), newestFirst(O.stream(), cols, 2));
  }

  static void ec2RecentlyLaunched(SavedQuery q) {
    Cols cols =
        Cols.of(
            "eventTime",
            "API=eventName",
            "InstanceID=responseElements.instancesSet.items.0.instanceId",
            "IssuerType=userIdentity.sessionContext.sessionIssuer.type",
            "IdentityType=userIdentity.type",
            "userName=userIdentity.sessionContext.sessionIssuer.userName");
    // sort eventTime desc: ISO-8601 times of one format sort as the instants they name.
    assertAnswer(q.query(), newestFirst(where(r -> eq(r, "eventName", "RunInstances")), cols, 2));
  }

  static void consoleLoginRecent(SavedQuery q) {
    Cols cols =
        Cols.of(
            "eventTime",
            "eventName",
            "Response=responseElements.ConsoleLogin",
            "ARN=userIdentity.arn",
            "User_Type=userIdentity.type");
    assertAnswer(q.query(), newestFirst(where(r -> eq(r, "eventName", "ConsoleLogin")), cols, 10));
  }

  static void consoleLoginFailed(SavedQuery q) {
    assertAnswer(q.query(), consoleLoginFailedExpect("Failure"), true);
    String result = consoleLoginResultOtherThanFailure();
    String variant = replaceOnce(q.query(), "'Failure'", "'" + result + "'");
    assertAnswer(variant, consoleLoginFailedExpect(result), false);
  }

  private static Expect consoleLoginFailedExpect(String result) {
    Cols cols =
        Cols.of(
            "eventTime",
            "eventName",
            "Response=responseElements.ConsoleLogin",
            "User=userIdentity.userName",
            "User_Type=userIdentity.type",
            "sourceIPAddress",
            "errorMessage");
    return newestFirst(
        where(
            r ->
                eq(r, "eventName", "ConsoleLogin")
                    && eq(r, "responseElements.ConsoleLogin", result)),
        cols,
        10);
  }

  /** The commonest {@code responseElements.ConsoleLogin} of console logins other than Failure. */
  private static String consoleLoginResultOtherThanFailure() {
    return mostCommon(
        where(r -> eq(r, "eventName", "ConsoleLogin"))
            .map(r -> r.text("responseElements.ConsoleLogin"))
            .filter(v -> v != null && !v.equals("Failure")));
  }

  static void s3PutObjectBucket(SavedQuery q) {
    assertAnswer(q.query(), s3PutObjectExpect("PutObject", "target-s3-bucket"), true);
    // The commonest (eventName, bucket) pair of the data instead.
    List<String> pair =
        mostCommon(
            where(r -> r.text("requestParameters.bucketName") != null)
                .map(r -> List.of(r.text("eventName"), r.text("requestParameters.bucketName"))));
    String variant =
        replaceOnce(
            replaceOnce(q.query(), "'PutObject'", "'" + pair.get(0) + "'"),
            "'target-s3-bucket'",
            "'" + pair.get(1) + "'");
    assertAnswer(variant, s3PutObjectExpect(pair.get(0), pair.get(1)), false);
  }

  private static Expect s3PutObjectExpect(String eventName, String bucket) {
    Cols cols =
        Cols.of(
            "@timestamp",
            "API=eventName",
            "BucketName=requestParameters.bucketName",
            "Key=requestParameters.key",
            "UserName=userIdentity.sessionContext.sessionIssuer.userName");
    return newestFirst(
        where(r -> eq(r, "eventName", eventName) && eq(r, "requestParameters.bucketName", bucket)),
        cols,
        2);
  }

  static void s3ActivitySummary(SavedQuery q) {
    assertAnswer(
        q.query(),
        countBy(
            where(r -> eq(r, "eventSource", "s3.amazonaws.com")),
            List.of("eventName", "requestParameters.bucketName", "requestParameters.key"),
            List.of("API", "BucketName", "Key", "Hits"),
            5L));
  }

  static void kmsDecryptByKeyUser(SavedQuery q) {
    assertAnswer(
        q.query(),
        countBy(
            where(r -> eq(r, "eventSource", "kms.amazonaws.com") && eq(r, "eventName", "Decrypt")),
            List.of("resources.0.ARN", "userIdentity.sessionContext.sessionIssuer.userName"),
            List.of("KMS_Key", "User", "Hits"),
            2L));
  }

  static void apiErrorsSummary(SavedQuery q) {
    assertAnswer(
        q.query(),
        countBy(
            where(r -> r.get("errorCode") != null),
            List.of("eventSource", "eventName", "errorCode"),
            List.of("AWS_Service", "API", "errorCode", "Num_of_Events"),
            5L));
  }

  static void s3ErrorCodes(SavedQuery q) {
    assertAnswer(
        q.query(),
        countBy(
            where(r -> eq(r, "eventSource", "s3.amazonaws.com") && r.get("errorCode") != null),
            List.of("errorCode", "errorMessage"),
            List.of("errorCode", "errorMessage", "Hits"),
            5L));
  }

  static void accessDeniedByIdentity(SavedQuery q) {
    // = is whole-value equality: Client.UnauthorizedOperation is not UnauthorizedOperation.
    assertAnswer(
        q.query(),
        countBy(
            where(r -> in(r, "errorCode", "AccessDenied", "UnauthorizedOperation")),
            List.of(
                "errorCode",
                "eventSource",
                "eventName",
                "userIdentity.type",
                "userIdentity.invokedBy"),
            List.of(
                "errorCode", "AWS_Service", "API", "IdentityType", "InvokedBy", "NumberOfEvents"),
            10L));
  }

  static void kmsDecryptHourly(SavedQuery q) {
    long hour = 3_600_000L;
    Map<Timestamp, Long> hits =
        where(r -> eq(r, "eventSource", "kms.amazonaws.com") && eq(r, "eventName", "Decrypt"))
            .collect(
                groupingBy(
                    r -> new Timestamp(Math.floorDiv(r.millis(), hour) * hour),
                    LinkedHashMap::new,
                    counting()));
    assertThat(hits).as("hours with KMS Decrypt calls").hasSizeGreaterThan(1);
    // stats without sort: Logs Insights documents no order; docs/LANGUAGE.md gives time bins
    // newest first.
    List<Keyed> rows =
        hits.entrySet().stream()
            .sorted(Map.Entry.<Timestamp, Long>comparingByKey().reversed())
            .map(e -> new Keyed(e.getKey(), row(e.getKey(), (double) e.getValue())))
            .toList();
    assertAnswer(q.query(), new Expect(List.of("bin(1h)", "Hits"), rows, DEFAULT_LIMIT));
  }

  // ---------------------------------------------------------------------------------------------
  // The CIS AWS Foundations monitoring queries: all show the same columns, newest first.

  static void cis31(SavedQuery q) {
    Predicate<Rec> corrected =
        r ->
            find(r, "errorCode", "UnauthorizedOperation$") || find(r, "errorCode", "^AccessDenied");
    Predicate<Rec> original =
        r -> eq(r, "errorCode", "*UnauthorizedOperation") || eq(r, "errorCode", "AccessDenied*");
    assertCis(q.query(), corrected);
    Result res = runOriginal(q);
    assertWildcardWarnings(q.original(), res, 2);
    assertAnswer(q.original(), res, cisExpect(original));
    assertThat(where(corrected).count())
        .as("the regexes find the errors the wildcards were meant to")
        .isGreaterThan(where(original).count());
  }

  static void cis32(SavedQuery q) {
    Predicate<Rec> loginWithoutMfa =
        r ->
            eq(r, "eventName", "ConsoleLogin")
                && ne(r, "additionalEventData.MFAUsed", "Yes")
                && ne(r, "responseElements.ConsoleLogin", "Failure");
    assertCis(
        q.query(),
        loginWithoutMfa.and(r -> notContains(r, "userIdentity.principalId", "@classmethod")));
    Result res = runOriginal(q);
    assertWildcardWarnings(q.original(), res, 1);
    assertAnswer(
        q.original(),
        res,
        cisExpect(loginWithoutMfa.and(r -> ne(r, "userIdentity.principalId", "*@classmethod*"))));

    // No principal here contains @classmethod, so both find the same logins. With a substring of
    // a principal that is in the data, `not like` excludes it and the original's `!=` does not.
    String principal =
        where(loginWithoutMfa)
            .map(r -> r.text("userIdentity.principalId"))
            .filter(Objects::nonNull)
            .min(Comparator.naturalOrder())
            .orElseThrow();
    String part = principal.substring(2, principal.length() - 2);
    Predicate<Rec> variant =
        loginWithoutMfa.and(r -> notContains(r, "userIdentity.principalId", part));
    Predicate<Rec> originalVariant =
        loginWithoutMfa.and(r -> ne(r, "userIdentity.principalId", "*" + part + "*"));
    assertCis(replaceOnce(q.query(), "\"@classmethod\"", "\"" + part + "\""), variant);
    String originalQuery = replaceOnce(q.original(), "\"*@classmethod*\"", "\"*" + part + "*\"");
    assertAnswer(originalQuery, runAny(originalQuery), cisExpect(originalVariant));
    assertThat(where(variant).count())
        .as("not like excludes the principal, != does not")
        .isLessThan(where(originalVariant).count());
  }

  static void cis33(SavedQuery q) {
    assertCis(
        q.query(),
        r -> eq(r, "userIdentity.type", "Root") && ne(r, "eventType", "AwsServiceEvent"));
  }

  static void cis34(SavedQuery q) {
    assertCis(
        q.query(),
        r ->
            eq(r, "eventSource", "iam.amazonaws.com")
                && Stream.of("Delete", "Put", "Create", "Attach", "Detach")
                    .anyMatch(
                        p -> r.text("eventName") != null && r.text("eventName").startsWith(p)));
  }

  static void cis35(SavedQuery q) {
    assertCis(
        q.query(),
        r ->
            in(
                r,
                "eventName",
                "CreateTrail",
                "UpdateTrail",
                "DeleteTrail",
                "StartLogging",
                "StopLogging"));
  }

  static void cis36(SavedQuery q) {
    assertCis(q.query(), cis36Filter("ConsoleLogin", "Failed authentication"), true);
    // The commonest (eventName, errorMessage) pair of the data instead.
    List<String> pair =
        mostCommon(
            where(r -> r.text("errorMessage") != null)
                .filter(r -> !r.text("errorMessage").matches(".*[\"\\\\].*"))
                .map(r -> List.of(r.text("eventName"), r.text("errorMessage"))));
    String variant =
        replaceOnce(
            replaceOnce(q.query(), "\"ConsoleLogin\"", "\"" + pair.get(0) + "\""),
            "\"Failed authentication\"",
            "\"" + pair.get(1) + "\"");
    assertCis(variant, cis36Filter(pair.get(0), pair.get(1)), false);

    // The original's stray ')' is line 3, column 43:
    // `and errorMessage = "Failed authentication")`
    //  ^1  ^5          ^17^19                    ^42^43
    assertThatThrownBy(() -> compile(q.original()))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> {
              Diagnostic d = e.error();
              assertThat(d.severity()).isEqualTo(Severity.ERROR);
              assertThat(d.code()).as("a syntax error").startsWith("TQ1");
              assertThat(d.line(q.original())).as("line of %s", d).isEqualTo(3);
              assertThat(d.column(q.original())).as("column of %s", d).isEqualTo(43);
              assertThat(d.span().start()).isEqualTo(q.original().lastIndexOf(')'));
            });
  }

  private static Predicate<Rec> cis36Filter(String eventName, String message) {
    return r -> eq(r, "eventName", eventName) && eq(r, "errorMessage", message);
  }

  static void cis37(SavedQuery q) {
    assertCis(q.query(), cis37Filter("DisableKey", "ScheduleKeyDeletion"), true);
    // The rarest KMS API of the data in place of DisableKey.
    Map<String, Long> kmsApis =
        where(r -> eq(r, "eventSource", "kms.amazonaws.com"))
            .collect(groupingBy(r -> r.text("eventName"), counting()));
    String rare =
        kmsApis.entrySet().stream()
            .min(
                Map.Entry.<String, Long>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey()))
            .orElseThrow()
            .getKey();
    String variant = replaceOnce(q.query(), "\"DisableKey\"", "\"" + rare + "\"");
    assertCis(variant, cis37Filter(rare, "ScheduleKeyDeletion"), false);
  }

  private static Predicate<Rec> cis37Filter(String a, String b) {
    return r -> eq(r, "eventSource", "kms.amazonaws.com") && in(r, "eventName", a, b);
  }

  static void cis38(SavedQuery q) {
    Predicate<Rec> policyChange =
        r ->
            in(
                r,
                "eventName",
                "PutBucketAcl",
                "PutBucketPolicy",
                "PutBucketCors",
                "PutBucketLifecycle",
                "PutBucketReplication",
                "DeleteBucketPolicy",
                "DeleteBucketCors",
                "DeleteBucketLifecycle",
                "DeleteBucketReplication");
    Predicate<Rec> corrected = policyChange.and(r -> eq(r, "eventSource", "s3.amazonaws.com"));
    assertCis(q.query(), corrected);

    Result res = runOriginal(q);
    assertThat(res.warnings())
        .as("warnings of %s", q.original())
        .filteredOn(d -> d.code().equals("TQ3002"))
        .singleElement()
        .satisfies(d -> assertThat(d.span().text(q.original())).isEqualTo("s3.amazonaws.com"));
    // Unquoted, s3.amazonaws.com is the path s3 → amazonaws → com: no record has it.
    Predicate<Rec> original =
        policyChange.and(
            r ->
                r.get("s3.amazonaws.com") != null
                    && eq(r, "eventSource", r.text("s3.amazonaws.com")));
    assertAnswer(q.original(), res, cisExpect(original));
    assertThat(where(corrected).count()).isGreaterThan(where(original).count());
  }

  static void cis39(SavedQuery q) {
    assertCis(
        q.query(),
        r ->
            eq(r, "eventSource", "config.amazonaws.com")
                && in(
                    r,
                    "eventName",
                    "StopConfigurationRecorder",
                    "DeleteDeliveryChannel",
                    "PutDeliveryChannel",
                    "PutConfigurationRecorder"));
  }

  static void cis310(SavedQuery q) {
    assertCis(
        q.query(),
        r ->
            in(
                r,
                "eventName",
                "AuthorizeSecurityGroupIngress",
                "AuthorizeSecurityGroupEgress",
                "RevokeSecurityGroupIngress",
                "RevokeSecurityGroupEgress",
                "CreateSecurityGroup",
                "DeleteSecurityGroup"));
  }

  static void cis311(SavedQuery q) {
    assertCis(
        q.query(),
        r ->
            in(
                r,
                "eventName",
                "CreateNetworkAcl",
                "CreateNetworkAclEntry",
                "DeleteNetworkAcl",
                "DeleteNetworkAclEntry",
                "ReplaceNetworkAclEntry",
                "ReplaceNetworkAclAssociation"));
  }

  static void cis312(SavedQuery q) {
    assertCis(
        q.query(),
        r ->
            in(
                r,
                "eventName",
                "CreateCustomerGateway",
                "DeleteCustomerGateway",
                "AttachInternetGateway",
                "CreateInternetGateway",
                "DeleteInternetGateway",
                "DetachInternetGateway"));
  }

  static void cis313(SavedQuery q) {
    assertCis(
        q.query(),
        r ->
            in(
                r,
                "eventName",
                "CreateRoute",
                "CreateRouteTable",
                "ReplaceRoute",
                "ReplaceRouteTableAssociation",
                "DeleteRouteTable",
                "DeleteRoute",
                "DisassociateRouteTable"));
  }

  static void cis314(SavedQuery q) {
    assertCis(
        q.query(),
        r ->
            in(
                r,
                "eventName",
                "CreateVpc",
                "DeleteVpc",
                "ModifyVpcAttribute",
                "AcceptVpcPeeringConnection",
                "CreateVpcPeeringConnection",
                "DeleteVpcPeeringConnection",
                "RejectVpcPeeringConnection",
                "AttachClassicLinkVpc",
                "DetachClassicLinkVpc"));
  }

  // ---------------------------------------------------------------------------------------------
  // The AWS Cloud Operations blog queries.

  static void consoleSigninFailuresByIp(SavedQuery q) {
    assertAnswer(q.query(), signinExpect("Failure"), true);
    String result = consoleLoginResultOtherThanFailure();
    String variant = replaceOnce(q.query(), "=\"Failure\"", "=\"" + result + "\"");
    assertAnswer(variant, signinExpect(result), false);
  }

  private static Expect signinExpect(String result) {
    return countBy(
        where(
            r ->
                eq(r, "eventSource", "signin.amazonaws.com")
                    && eq(r, "eventName", "ConsoleLogin")
                    && eq(r, "responseElements.ConsoleLogin", result)),
        List.of(
            "sourceIPAddress",
            "errorMessage",
            "awsRegion",
            "userIdentity.arn",
            "additionalEventData.MFAUsed"),
        List.of("Source_IP", "Reason", "AWS_Region", "IAM_Arn", "MFA_Used", "Total_Count"),
        null);
  }

  static void kmsCreateKeyNonAwsOrigin(SavedQuery q) {
    // No CreateKey here has requestParameters.origin: `not like` on a missing field is false.
    assertAnswer(q.query(), createKeyExpect("CreateKey", "origin", true), true);
    Result res = runOriginal(q);
    assertWildcardWarnings(q.original(), res, 1);
    assertAnswer(q.original(), res, createKeyExpect("CreateKey", "origin", false));

    // An event whose requestParameters has a value starting with AWS_ (chosen by the oracle):
    // the correction leaves it out, the original's `!= "AWS_*"` keeps it.
    Rec awsValued =
        O.stream()
            .filter(r -> !awsParams(r, true).isEmpty())
            .min(Comparator.comparing(r -> r.text("eventName")))
            .orElseThrow();
    String eventName = awsValued.text("eventName");
    String awsParam = awsParams(awsValued, true).getFirst();
    String otherParam = awsParams(awsValued, false).getFirst();
    Expect corrected = createKeyExpect(eventName, awsParam, true);
    Expect original = createKeyExpect(eventName, awsParam, false);
    assertThat(original.rows()).hasSizeGreaterThan(corrected.rows().size());
    // That event is the only one of its name here, so the correction finds nothing.
    assertAnswer(createKeyVariant(q.query(), eventName, awsParam), corrected, true);
    String originalQuery = createKeyVariant(q.original(), eventName, awsParam);
    assertAnswer(originalQuery, runAny(originalQuery), original);
    // And a parameter of the same event that does not start with AWS_: the correction keeps it.
    assertAnswer(
        createKeyVariant(q.query(), eventName, otherParam),
        createKeyExpect(eventName, otherParam, true),
        false);
  }

  /** Top-level requestParameters of text value that start (or do not) with AWS_, sorted. */
  private static List<String> awsParams(Rec r, boolean startsWithAws) {
    List<String> names = new ArrayList<>();
    var params = r.node().path("requestParameters");
    params
        .properties()
        .forEach(
            e -> {
              if (e.getValue().isTextual()
                  && e.getKey().matches("[A-Za-z]+")
                  && e.getValue().textValue().startsWith("AWS_") == startsWithAws) {
                names.add(e.getKey());
              }
            });
    names.sort(Comparator.naturalOrder());
    return names;
  }

  private static String createKeyVariant(String query, String eventName, String param) {
    return replaceOnce(
        replaceOnce(query, "requestParameters.origin", "requestParameters." + param),
        "\"CreateKey\"",
        "\"" + eventName + "\"");
  }

  private static Expect createKeyExpect(String eventName, String param, boolean corrected) {
    String path = "requestParameters." + param;
    Cols cols =
        Cols.of(
            "eventName",
            "keyMaterial=" + path,
            "keyUsage=responseElements.keyMetadata.keyUsage",
            "region=awsRegion",
            "arn=userIdentity.arn",
            "keyID=responseElements.keyMetadata.keyId");
    Predicate<Rec> material =
        corrected
            ? r -> r.text(path) != null && !r.text(path).startsWith("AWS_")
            : r -> ne(r, path, "AWS_*");
    return newestFirst(
        where(material.and(r -> eq(r, "eventName", eventName))), cols, DEFAULT_LIMIT);
  }

  static void rdsCreateDbInstance(SavedQuery q) {
    Cols cols =
        Cols.of(
            "AWS_Region=awsRegion",
            "Database_Name=requestParameters.dBInstanceIdentifier",
            "IAM_Arn=userIdentity.arn");
    assertAnswer(
        q.query(),
        newestFirst(
            where(
                r ->
                    eq(r, "eventSource", "rds.amazonaws.com")
                        && eq(r, "eventName", "CreateDBInstance")),
            cols,
            DEFAULT_LIMIT),
        false);
  }

  static void rdsModifyDbInstance(SavedQuery q) {
    // parse @message "requestParameters\":{*}": the text between the first
    // `requestParameters":{` of the compact event and the next `}`.
    String open = "requestParameters\":{";
    List<Keyed> rows =
        where(
                r ->
                    eq(r, "eventSource", "rds.amazonaws.com")
                        && eq(r, "eventName", "ModifyDBInstance"))
            .sorted(NEWEST_FIRST)
            .map(
                r -> {
                  String m = r.message();
                  int at = m.indexOf(open);
                  int end = at < 0 ? -1 : m.indexOf('}', at + open.length());
                  String changes = end < 0 ? null : m.substring(at + open.length(), end);
                  return new Keyed(
                      r.millis(),
                      row(
                          r.get("awsRegion"),
                          r.get("requestParameters.dBInstanceIdentifier"),
                          r.get("userIdentity.arn"),
                          changes));
                })
            .toList();
    assertThat(rows).isNotEmpty();
    assertThat(rows).allSatisfy(k -> assertThat(k.row().get(3)).isNotNull());
    assertAnswer(
        q.query(),
        new Expect(
            List.of("AWS_Region", "Database_Name", "IAM_Arn", "dbChanges"), rows, DEFAULT_LIMIT));
  }

  // ---------------------------------------------------------------------------------------------
  // Conditions, as Logs Insights means them: any comparison with a missing field is false.

  private static Stream<Rec> where(Predicate<Rec> p) {
    return O.stream().filter(p);
  }

  /** {@code path = "value"}: whole-value equality. */
  static boolean eq(Rec r, String path, String value) {
    return value.equals(r.text(path));
  }

  /** {@code path != "value"}: false when the field is missing. */
  static boolean ne(Rec r, String path, String value) {
    String v = r.text(path);
    return v != null && !v.equals(value);
  }

  static boolean in(Rec r, String path, String... values) {
    return Arrays.stream(values).anyMatch(v -> eq(r, path, v));
  }

  /** {@code path not like "sub"}: substring test, false when the field is missing. */
  static boolean notContains(Rec r, String path, String sub) {
    String v = r.text(path);
    return v != null && !v.contains(sub);
  }

  /** {@code path like /regex/}: unanchored regex search. */
  static boolean find(Rec r, String path, String regex) {
    String v = r.text(path);
    return v != null && Pattern.compile(regex).matcher(v).find();
  }

  // ---------------------------------------------------------------------------------------------
  // Expected answers.

  /** The order key of rows whose order is not defined (one run: compared as a multiset). */
  private static final String ANY = "(any order)";

  private static final Comparator<Rec> NEWEST_FIRST =
      Comparator.comparing(Rec::millis, Comparator.nullsLast(Comparator.reverseOrder()));

  /**
   * An expected row and the value the query orders it by. Rows with equal keys may come in any
   * order.
   */
  record Keyed(Object key, List<Object> row) {}

  /**
   * An expected answer.
   *
   * @param fields the columns, in order
   * @param rows every matching row, in the query's order (before the limit)
   * @param limit how many rows the query returns at most
   */
  record Expect(List<String> fields, List<Keyed> rows, long limit) {}

  /** Output columns: {@code name=path} (an alias) or {@code path} (named by itself). */
  record Cols(List<String> names, List<String> paths) {
    static Cols of(String... specs) {
      List<String> names = new ArrayList<>();
      List<String> paths = new ArrayList<>();
      for (String spec : specs) {
        int eq = spec.indexOf('=');
        names.add(eq < 0 ? spec : spec.substring(0, eq));
        paths.add(eq < 0 ? spec : spec.substring(eq + 1));
      }
      return new Cols(names, paths);
    }

    List<Object> of(Rec r) {
      List<Object> row = new ArrayList<>();
      for (String p : paths) {
        row.add(
            switch (p) {
              case "@timestamp" -> r.timestamp();
              case "@message" -> r.node();
              default -> r.get(p);
            });
      }
      return row;
    }
  }

  private static List<Object> row(Object... values) {
    return new ArrayList<>(Arrays.asList(values));
  }

  /** Non-stats rows by {@code @timestamp} (or eventTime) descending. */
  private static Expect newestFirst(Stream<Rec> matched, Cols cols, long limit) {
    List<Keyed> rows =
        matched.sorted(NEWEST_FIRST).map(r -> new Keyed(r.millis(), cols.of(r))).toList();
    return new Expect(cols.names(), rows, limit);
  }

  private static Expect cisExpect(Predicate<Rec> filter) {
    return newestFirst(where(filter), CIS, DEFAULT_LIMIT);
  }

  /**
   * {@code stats count(*) as X by k1, k2, ...} (missing keys form their own group); with {@code
   * limit} non-null, then {@code sort X desc | limit N}, else in no defined order.
   */
  private static Expect countBy(
      Stream<Rec> matched, List<String> keyPaths, List<String> fields, Long limit) {
    Map<List<Object>, Long> counts =
        matched.collect(
            groupingBy(
                r -> {
                  List<Object> key = new ArrayList<>();
                  keyPaths.forEach(p -> key.add(r.get(p)));
                  return key;
                },
                LinkedHashMap::new,
                counting()));
    List<Keyed> rows =
        counts.entrySet().stream()
            .map(
                e -> {
                  List<Object> row = new ArrayList<>(e.getKey());
                  double n = e.getValue();
                  row.add(n);
                  return new Keyed(limit == null ? ANY : (Object) n, row);
                })
            .sorted(limit == null ? (a, b) -> 0 : Comparator.comparing(k -> -(Double) k.key()))
            .toList();
    return new Expect(fields, rows, limit == null ? DEFAULT_LIMIT : limit);
  }

  // ---------------------------------------------------------------------------------------------
  // Running and comparing.

  private static dev.trailquery.plan.Plan compile(String query) {
    return Trailquery.compile(query, Planner.Options.defaults());
  }

  /** Runs a query of the pack (or a variant of one): it must not draw TQ3001/TQ3002 warnings. */
  static Result run(String query) {
    Result res = runAny(query);
    assertThat(codes(res)).as("warnings of %s", query).doesNotContain("TQ3001", "TQ3002");
    return res;
  }

  static Result runOriginal(SavedQuery q) {
    return runAny(q.original());
  }

  static Result runAny(String query) {
    try {
      return Trailquery.run(
          compile(query), List.of(new LocalFileSource(O.dir())), 2, Scan.Listener.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> codes(Result res) {
    return res.warnings().stream().map(Diagnostic::code).toList();
  }

  /** {@code n} TQ3001 warnings, each on a text with a {@code *} in it. */
  private static void assertWildcardWarnings(String query, Result res, int n) {
    List<Diagnostic> wildcards =
        res.warnings().stream().filter(d -> d.code().equals("TQ3001")).toList();
    assertThat(wildcards).as("TQ3001 warnings of %s", query).hasSize(n);
    assertThat(wildcards)
        .allSatisfy(
            d -> {
              assertThat(d.severity()).isEqualTo(Severity.WARNING);
              assertThat(d.span().text(query)).as("text under %s", d).contains("*");
            });
  }

  private static void assertCis(String query, Predicate<Rec> filter) {
    assertAnswer(query, cisExpect(filter));
  }

  private static void assertCis(String query, Predicate<Rec> filter, boolean expectNone) {
    assertAnswer(query, cisExpect(filter), expectNone);
  }

  /**
   * Runs {@code query} and checks its answer, after checking that the oracle finds no rows ({@code
   * expectNone}) or some: a query the data does not exercise must be declared as such.
   */
  private static void assertAnswer(String query, Expect e, boolean expectNone) {
    if (expectNone) {
      assertThat(e.rows()).as("oracle rows of %s", query).isEmpty();
    } else {
      assertThat(e.rows()).as("oracle rows of %s", query).isNotEmpty();
    }
    assertAnswer(query, run(query), e);
  }

  /** Runs {@code query} and checks its answer; the oracle must find some rows. */
  private static void assertAnswer(String query, Expect e) {
    assertAnswer(query, e, false);
  }

  /**
   * The result has the expected columns, and its rows are the expected rows in order, up to the
   * limit: rows with the same order key may come in any order, and where the limit cuts a run of
   * equal keys the rows shown must be some of that run.
   */
  static void assertAnswer(String query, Result res, Expect e) {
    assertThat(res.fields()).as("columns of %s", query).containsExactlyElementsOf(e.fields());
    List<List<Object>> actual = normalize(res);
    int n = (int) Math.min(e.limit(), e.rows().size());
    assertThat(actual).as("row count of %s%nexpected rows: %s", query, e.rows()).hasSize(n);
    int i = 0;
    while (i < n) {
      Object key = e.rows().get(i).key();
      int j = i;
      while (j < e.rows().size() && Objects.equals(e.rows().get(j).key(), key)) {
        j++;
      }
      List<List<Object>> want = e.rows().subList(i, j).stream().map(Keyed::row).toList();
      List<List<Object>> got = actual.subList(i, Math.min(j, n));
      String what =
          "rows " + i + ".." + (Math.min(j, n) - 1) + " (order key " + key + ") of " + query;
      if (j <= n) {
        assertThat(got).as(what).containsExactlyInAnyOrderElementsOf(want);
      } else {
        Map<List<Object>, Integer> left = new HashMap<>();
        want.forEach(w -> left.merge(w, 1, Integer::sum));
        for (List<Object> g : got) {
          if (left.merge(g, -1, Integer::sum) < 0) {
            fail(what + ": row " + g + " is not among the tied rows " + want);
          }
        }
      }
      i = j;
    }
  }

  /** Result rows as lists, {@code @message} parsed so it compares by content. */
  static List<List<Object>> normalize(Result res) {
    int message = res.fields().indexOf("@message");
    List<List<Object>> out = new ArrayList<>();
    for (Object[] row : res.rows()) {
      List<Object> r = new ArrayList<>(Arrays.asList(row));
      if (message >= 0 && r.get(message) instanceof String s) {
        r.set(message, CloudTrailOracle.parse(s));
      }
      out.add(r);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Choosing values from the data.

  /** The commonest value (ties: the smallest by its text). */
  private static <T> T mostCommon(Stream<T> values) {
    Map<T, Long> counts = values.collect(groupingBy(v -> v, counting()));
    return counts.entrySet().stream()
        .min(
            Comparator.<Map.Entry<T, Long>, Long>comparing(e -> -e.getValue())
                .thenComparing(e -> String.valueOf(e.getKey())))
        .orElseThrow(() -> new AssertionError("no value to choose from"))
        .getKey();
  }

  /** Replaces one occurrence of {@code from}, which must be there exactly once. */
  private static String replaceOnce(String query, String from, String to) {
    int at = query.indexOf(from);
    assertThat(at).as("'%s' in %s", from, query).isGreaterThanOrEqualTo(0);
    assertThat(query.indexOf(from, at + 1)).as("'%s' once in %s", from, query).isNegative();
    return query.substring(0, at) + to + query.substring(at + from.length());
  }
}
