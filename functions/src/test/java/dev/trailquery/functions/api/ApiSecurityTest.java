package dev.trailquery.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.functions.aws.ErrorLog;
import dev.trailquery.functions.catalog.ObjectCatalog;
import dev.trailquery.functions.fanout.Coordinator;
import dev.trailquery.functions.fanout.FanoutConfig;
import dev.trailquery.functions.query.AccountAccess;
import dev.trailquery.functions.query.Caller;
import dev.trailquery.functions.query.InMemoryQueryStore;
import dev.trailquery.functions.query.InMemorySavedQueryStore;
import dev.trailquery.functions.query.QueryLimits;
import dev.trailquery.functions.query.QueryRecord;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.query.QueryStatus;
import dev.trailquery.functions.query.QueryStore;
import dev.trailquery.store.ObjectRef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may do what through the API (issue 14: S1 callers, S3 routing, S4 caps, S5 error bodies),
 * driven through {@link ApiHandler} with API Gateway proxy events whose {@code requestContext}
 * names different IAM principals.
 */
class ApiSecurityTest {
  static final String ACCOUNT_A = "111122223333";
  static final String ACCOUNT_B = "444455556666";
  static final String ALICE = "arn:aws:sts::111122223333:assumed-role/SecurityTeam/alice";
  static final String ALICE_LATER = "arn:aws:sts::111122223333:assumed-role/SecurityTeam/alice-2";
  static final String BOB = "arn:aws:sts::111122223333:assumed-role/app-team-payments/bob";
  static final String CAROL = "arn:aws:iam::111122223333:user/carol";
  static final String QUERY =
      "{\"queryString\": \"stats count(*)\", \"startTime\": 0, \"endTime\": 3600}";

  private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
  private final AtomicInteger ids = new AtomicInteger();
  private final List<String> launched = new ArrayList<>();
  private final InMemoryQueryStore store = new InMemoryQueryStore(clock::get);
  private final Api api =
      new Api(
          store,
          new InMemorySavedQueryStore(),
          launched::add,
          clock::get,
          () -> "q" + ids.incrementAndGet());
  private final ApiHandler handler = new ApiHandler(api);
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream logBefore;

  @BeforeEach
  void captureLog() {
    logBefore = ErrorLog.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    ErrorLog.redirect(logBefore);
  }

  static final AccountAccess ALLOW_LIST =
      AccountAccess.parse(
          "{\"arn:aws:iam::111122223333:role/SecurityTeam\": \"*\","
              + " \"arn:aws:iam::111122223333:role/app-team-*\": [\"111122223333\"]}");

  /** An event as API Gateway sends it for a deployed route, signed by {@code callerArn}. */
  static APIGatewayProxyRequestEvent event(
      String method,
      String resource,
      Map<String, String> params,
      String path,
      String body,
      String callerArn) {
    var identity =
        new APIGatewayProxyRequestEvent.RequestIdentity()
            .withUserArn(callerArn)
            .withAccountId(callerArn == null ? null : callerArn.split(":")[4])
            .withSourceIp("203.0.113.10");
    var ctx =
        new APIGatewayProxyRequestEvent.ProxyRequestContext()
            .withRequestId("req-" + method + "-" + path.hashCode())
            .withResourcePath(resource)
            .withHttpMethod(method)
            .withIdentity(identity);
    return new APIGatewayProxyRequestEvent()
        .withResource(resource)
        .withPath(path)
        .withHttpMethod(method)
        .withPathParameters(params)
        .withBody(body)
        .withRequestContext(ctx);
  }

  private JsonNode call(APIGatewayProxyRequestEvent e, int status) throws Exception {
    clock.incrementAndGet(); // queries list newest first: each request a millisecond later
    APIGatewayProxyResponseEvent r = handler.handleRequest(e, null);
    assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
    return Json.MAPPER.readTree(r.getBody());
  }

  private JsonNode start(String caller, int status) throws Exception {
    return call(event("POST", "/queries", null, "/queries", QUERY, caller), status);
  }

  private JsonNode start(String caller, String body, int status) throws Exception {
    return call(event("POST", "/queries", null, "/queries", body, caller), status);
  }

  private JsonNode get(String id, String caller, int status) throws Exception {
    return call(
        event("GET", "/queries/{id}", Map.of("id", id), "/queries/" + id, null, caller), status);
  }

  private JsonNode list(String caller) throws Exception {
    return call(event("GET", "/queries", null, "/queries", null, caller), 200);
  }

  private static List<String> ids(JsonNode listing) {
    List<String> out = new ArrayList<>();
    listing.path("queries").forEach(q -> out.add(q.path("queryId").asText()));
    return out;
  }

  // ---- S1: the caller is recorded and shown ----

  @Test
  void theCallersArnIsStoredWithTheQueryAndShown() throws Exception {
    String id = start(ALICE, 202).path("queryId").asText();
    assertThat(store.get(id).orElseThrow().createdBy()).isEqualTo(ALICE);
    assertThat(get(id, BOB, 200).path("createdBy").asText()).isEqualTo(ALICE);
    JsonNode listed = list(BOB).path("queries").get(0);
    assertThat(listed.path("queryId").asText()).isEqualTo(id);
    assertThat(listed.path("createdBy").asText()).isEqualTo(ALICE);
  }

  @Test
  void withoutAnAllowListEveryCallerSeesEveryQuery() throws Exception {
    String a = start(ALICE, 202).path("queryId").asText();
    String b = start(BOB, 202).path("queryId").asText();
    assertThat(ids(list(CAROL))).containsExactly(b, a);
    get(a, CAROL, 200);
  }

  // ---- S1: the account allow-list ----

  @Test
  void aRestrictedCallerQueriesOnlyItsAccounts() throws Exception {
    api.withAccess(ALLOW_LIST);
    // bob's role may read account A only
    JsonNode denied =
        start(
            BOB,
            "{\"queryString\": \"stats count(*)\", \"startTime\": 0, \"endTime\": 3600,"
                + " \"accounts\": [\"444455556666\"]}",
            403);
    assertThat(denied.path("error").path("code").asText()).isEqualTo("AccessDenied");
    assertThat(denied.path("error").path("message").asText()).contains(ACCOUNT_B);
    start(
        BOB,
        "{\"queryString\": \"stats count(*)\", \"startTime\": 0, \"endTime\": 3600,"
            + " \"accounts\": [\"111122223333\"]}",
        202);
    start(BOB, 202); // no accounts: the coordinator limits it to A (below)
    // the security team may read everything
    start(
        ALICE,
        "{\"queryString\": \"stats count(*)\", \"startTime\": 0, \"endTime\": 3600,"
            + " \"accounts\": [\"444455556666\"]}",
        202);
    // carol matches no entry: nothing
    JsonNode carol = start(CAROL, 403);
    assertThat(carol.path("error").path("message").asText()).contains("no entry").contains(CAROL);
    // nor an unsigned request
    start(null, 403);
  }

  @Test
  void aRestrictedCallerSeesOnlyItsOwnQueries() throws Exception {
    api.withAccess(ALLOW_LIST);
    String alices = start(ALICE, 202).path("queryId").asText();
    String bobs = start(BOB, 202).path("queryId").asText();
    assertThat(ids(list(BOB))).containsExactly(bobs);
    get(alices, BOB, 404);
    call(
        event("DELETE", "/queries/{id}", Map.of("id", alices), "/queries/" + alices, null, BOB),
        404);
    // the unrestricted security team sees both, from a later session of the same role too
    assertThat(ids(list(ALICE_LATER))).containsExactly(bobs, alices);
    get(bobs, ALICE_LATER, 200);
  }

  @Test
  void aRestrictedCallerCannotUseRoutesThatSpanEveryAccount() throws Exception {
    api.withAccess(ALLOW_LIST);
    for (String[] r :
        new String[][] {
          {"GET", "/subscriptions", "/subscriptions"},
          {"GET", "/alarms", "/alarms"},
          {"PUT", "/packs/{pack}", "/packs/cis"}
        }) {
      Map<String, String> params = r[1].contains("{pack}") ? Map.of("pack", "cis") : null;
      JsonNode e = call(event(r[0], r[1], params, r[2], "{}", BOB), 403);
      assertThat(e.path("error").path("code").asText()).isEqualTo("AccessDenied");
    }
    // the unrestricted reach the routes (501 here: this Api has no ingest tables)
    call(event("GET", "/subscriptions", null, "/subscriptions", null, ALICE), 501);
  }

  /** A catalog that remembers what it was asked to list and lists nothing. */
  static class RecordingCatalog implements ObjectCatalog {
    final List<Range> ranges = new ArrayList<>();
    final List<ObjectRef> objects;

    RecordingCatalog(List<ObjectRef> objects) {
      this.objects = objects;
    }

    @Override
    public synchronized List<ObjectRef> list(Range range) {
      ranges.add(range);
      return objects;
    }

    @Override
    public dev.trailquery.store.ObjectSource source() {
      return null;
    }
  }

  private static QueryRequest request(List<String> accounts) {
    return new QueryRequest("stats count(*)", 0, 3_600_000, null, accounts, List.of());
  }

  @Test
  void theCoordinatorEnforcesTheAllowListWhateverIsStored() {
    RecordingCatalog catalog = new RecordingCatalog(List.of());
    Coordinator c =
        new Coordinator(
                store,
                catalog,
                r -> CompletableFuture.failedFuture(new AssertionError("no objects")),
                FanoutConfig.local(2),
                clock::get)
            .withAccess(ALLOW_LIST);
    long now = clock.get();
    // stored without the API's check: bob asks for nothing in particular, then for B, then both
    store.create(QueryRecord.scheduled("all", request(List.of()), now, BOB));
    store.create(QueryRecord.scheduled("b", request(List.of(ACCOUNT_B)), now, BOB));
    store.create(QueryRecord.scheduled("ab", request(List.of(ACCOUNT_A, ACCOUNT_B)), now, BOB));
    store.create(QueryRecord.scheduled("nobody", request(List.of()), now, null));
    store.create(QueryRecord.scheduled("alice", request(List.of(ACCOUNT_B)), now, ALICE));

    assertThat(c.run("all").status()).isEqualTo(QueryStatus.Complete);
    assertThat(c.run("b").status()).isEqualTo(QueryStatus.Failed);
    assertThat(store.get("b").orElseThrow().message()).contains("none of the accounts");
    assertThat(c.run("ab").status()).isEqualTo(QueryStatus.Complete);
    assertThat(c.run("nobody").status()).isEqualTo(QueryStatus.Failed);
    assertThat(c.run("alice").status()).isEqualTo(QueryStatus.Complete);
    assertThat(catalog.ranges)
        .extracting(ObjectCatalog.Range::accounts)
        .containsExactly(List.of(ACCOUNT_A), List.of(ACCOUNT_A), List.of(ACCOUNT_B));
  }

  @Test
  void allowListPatternsAndErrors() {
    assertThat(ALLOW_LIST.scope(ALICE)).isEqualTo(AccountAccess.Scope.ALL);
    assertThat(ALLOW_LIST.scope("arn:aws:iam::111122223333:role/SecurityTeam"))
        .isEqualTo(AccountAccess.Scope.ALL);
    assertThat(ALLOW_LIST.scope(BOB).accounts()).containsExactly(ACCOUNT_A);
    assertThat(ALLOW_LIST.scope("arn:aws:iam::999999999999:role/app-team-x").none()).isTrue();
    assertThat(ALLOW_LIST.scope(CAROL).none()).isTrue();
    assertThat(AccountAccess.OPEN.scope(null)).isEqualTo(AccountAccess.Scope.ALL);
    assertThat(Caller.principal(BOB)).isEqualTo("arn:aws:iam::111122223333:role/app-team-payments");
    for (String bad : List.of("[]", "{\"x\": [\"12\"]}", "{\"x\": 3}", "not json")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccountAccess.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(AccountAccess.ENV);
    }
  }

  // ---- S4: running queries per caller ----

  @Test
  void aCallerWithTooManyRunningQueriesGets429() throws Exception {
    api.withLimits(new QueryLimits(2, 3, 0, 60_000));
    String first = start(ALICE, 202).path("queryId").asText();
    start(ALICE_LATER, 202); // another session of the same role: the same principal
    JsonNode e = start(ALICE, 429);
    assertThat(e.path("error").path("code").asText()).isEqualTo("TooManyRunningQueries");
    assertThat(e.path("error").path("message").asText()).contains("2").contains("DELETE");
    start(BOB, 202); // others are not held up by alice
    // all together: 3 at most
    assertThat(start(CAROL, 429).path("error").path("message").asText()).contains("3");
    // stopping one frees a place
    call(
        event("DELETE", "/queries/{id}", Map.of("id", first), "/queries/" + first, null, ALICE),
        200);
    start(ALICE, 202);
    // queries whose coordinator died stop counting once they are stale
    clock.addAndGet(60_001);
    start(ALICE, 202);
    start(ALICE, 202);
    assertThat(launched).hasSize(6);
  }

  @Test
  void theLongestRangeIsCapped() throws Exception {
    api.withLimits(new QueryLimits(0, 0, 1, 0));
    JsonNode e =
        start(
            ALICE,
            "{\"queryString\": \"stats count(*)\", \"startTime\": 0, \"endTime\": 86400}",
            400);
    assertThat(e.path("error").path("message").asText()).contains("1 days");
    start(
        ALICE, "{\"queryString\": \"stats count(*)\", \"startTime\": 0, \"endTime\": 86398}", 202);
  }

  // ---- S3: routing on API Gateway's resource ----

  @Test
  void anEncodedSlashInAParameterDoesNotReachAnotherRoute() throws Exception {
    // PUT /subscriptions/{name} with name "x/alarm" must not run PUT /subscriptions/{name}/alarm
    for (String name : List.of("x%2Falarm", "x/alarm", "x%2falarm")) {
      JsonNode e =
          call(
              event(
                  "PUT",
                  "/subscriptions/{name}",
                  Map.of("name", name),
                  "/subscriptions/x%2Falarm",
                  "{}",
                  ALICE),
              400);
      assertThat(e.path("error").path("message").asText())
          .contains("'name'")
          .contains("/subscriptions/{name}");
    }
    // GET /subscriptions/{name}/results: "a/b" is not a name this route can carry
    call(
        event(
            "GET",
            "/subscriptions/{name}/results",
            Map.of("name", "a%2Fb"),
            "/subscriptions/a%2Fb/results",
            null,
            ALICE),
        400);
    // a greedy parameter may hold slashes
    String id = start(ALICE, 202).path("queryId").asText();
    call(
        event("GET", "/{proxy+}", Map.of("proxy", "queries/" + id), "/queries/" + id, null, ALICE),
        200);
    // a resource the stack does not deploy is not routed, whatever the path says
    call(
        event(
            "PUT",
            "/subscriptions/{name}/{rest+}",
            Map.of("name", "x", "rest", "alarm"),
            "/subscriptions/x/alarm",
            "{}",
            ALICE),
        404);
    // the resource decides, not the path
    call(
        event("GET", "/queries/{id}", Map.of("id", id), "/saved-queries/whatever", null, ALICE),
        200);
    // percent-encoded characters other than '/' are decoded
    call(
        event(
            "PUT",
            "/saved-queries/{name+}",
            Map.of("name", "my%20query"),
            "/saved-queries/my%20query",
            "{\"queryString\": \"stats count(*)\"}",
            ALICE),
        200);
    assertThat(
            call(event("GET", "/saved-queries", null, "/saved-queries", null, ALICE), 200)
                .path("savedQueries")
                .get(0)
                .path("name")
                .asText())
        .isEqualTo("my query");
  }

  // ---- S5: no internals in error bodies ----

  static final String SECRET =
      "User: arn:aws:sts::111122223333:assumed-role/trailquery-ApiRole-X/fn is not authorized to"
          + " perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:111122223333:"
          + "table/Trailquery-QueriesTable-ABC";

  @Test
  void anInternalErrorAnswersAGenericMessageWithTheRequestIdAndLogsTheDetails() throws Exception {
    QueryStore failing =
        new QueryStore() {
          @Override
          public void create(QueryRecord record) {
            throw new IllegalStateException(SECRET);
          }

          @Override
          public java.util.Optional<QueryRecord> get(String queryId) {
            return store.get(queryId);
          }

          @Override
          public boolean progress(QueryRecord record) {
            return store.progress(record);
          }

          @Override
          public void finish(QueryRecord record) {
            store.finish(record);
          }

          @Override
          public boolean cancel(String queryId, long now) {
            return store.cancel(queryId, now);
          }

          @Override
          public List<QueryRecord> recent(int max) {
            return store.recent(max);
          }
        };
    ApiHandler h =
        new ApiHandler(
            new Api(failing, new InMemorySavedQueryStore(), launched::add, clock::get, () -> "q"));
    APIGatewayProxyRequestEvent e = event("POST", "/queries", null, "/queries", QUERY, ALICE);
    APIGatewayProxyResponseEvent r = h.handleRequest(e, null);
    assertThat(r.getStatusCode()).isEqualTo(500);
    String requestId = e.getRequestContext().getRequestId();
    JsonNode err = Json.MAPPER.readTree(r.getBody()).path("error");
    assertThat(err.path("code").asText()).isEqualTo("InternalError");
    assertThat(err.path("requestId").asText()).isEqualTo(requestId);
    assertThat(err.path("message").asText()).contains(requestId);
    assertThat(r.getBody())
        .doesNotContain("111122223333")
        .doesNotContain("arn:")
        .doesNotContain("QueriesTable")
        .doesNotContain("IllegalStateException");
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains(requestId).contains(SECRET).contains("at dev.trailquery");
  }

  @Test
  void anUnreadableEventAnswersWithoutTheExceptionText() throws Exception {
    APIGatewayProxyRequestEvent e = event("POST", "/queries", null, "/queries", "%%%", ALICE);
    e.setIsBase64Encoded(true);
    JsonNode err = call(e, 400).path("error");
    assertThat(err.path("message").asText())
        .doesNotContain("Illegal")
        .contains(e.getRequestContext().getRequestId());
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("IllegalArgumentException");
  }

  @Test
  void aFailedWorkerLeavesNoInternalsInTheQuery() {
    RecordingCatalog catalog =
        new RecordingCatalog(List.of(new ObjectRef("s3://b/", "AWSLogs/x.json.gz", 10)));
    Coordinator c =
        new Coordinator(
            store,
            catalog,
            r -> CompletableFuture.failedFuture(new RuntimeException(SECRET)),
            FanoutConfig.local(1),
            clock::get);
    store.create(QueryRecord.scheduled("w", request(List.of()), clock.get(), ALICE));
    assertThat(c.run("w", "lambda-request-1").status()).isEqualTo(QueryStatus.Failed);
    String message = store.get("w").orElseThrow().message();
    assertThat(message)
        .contains("a worker failed")
        .contains("lambda-request-1")
        .doesNotContain("arn:")
        .doesNotContain("111122223333");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains(SECRET).contains("lambda-request-1");

    // and an unexpected exception of its own
    Coordinator broken =
        new Coordinator(
            store,
            new RecordingCatalog(List.of()) {
              @Override
              public synchronized List<ObjectRef> list(Range range) {
                throw new IllegalStateException(SECRET);
              }
            },
            r -> null,
            FanoutConfig.local(1),
            clock::get);
    store.create(QueryRecord.scheduled("x", request(List.of()), clock.get(), ALICE));
    broken.run("x", "lambda-request-2");
    assertThat(store.get("x").orElseThrow().message())
        .startsWith("internal error")
        .contains("lambda-request-2")
        .doesNotContain("arn:");
  }
}
