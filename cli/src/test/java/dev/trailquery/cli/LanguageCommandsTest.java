package dev.trailquery.cli;

import static dev.trailquery.cli.MainTest.FIXTURES;
import static dev.trailquery.cli.MainTest.JSON;
import static dev.trailquery.cli.MainTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailquery.lookup.LookupTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The language additions through the CLI, over {@link MainTest}'s fixture (alice: 2 failed
 * ConsoleLogins; bob: 1 ConsoleLogin; carol's role: GetBucketAcl; a KMS Decrypt of key k1).
 */
class LanguageCommandsTest {
  @TempDir Path tmp;

  @Test
  void jsonFormatWritesMapsAndListsAsJson() throws Exception {
    MainTest.Run r =
        run(
            "query",
            "--format",
            "json",
            "filter eventName = 'Decrypt' | fields resources",
            FIXTURES);
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode res = JSON.readTree(r.out()).get("rows").get(0).get("resources");
    assertThat(res.isArray()).isTrue();
    assertThat(res.get(0).get("type").asText()).isEqualTo("AWS::KMS::Key");
  }

  @Test
  void lookupTablesFromFiles() throws Exception {
    Path csv = tmp.resolve("teams.csv");
    Files.writeString(csv, "user,team\nalice,red\nbob,blue\n");
    MainTest.Run r =
        run(
            "query",
            "--format",
            "csv",
            "--lookup",
            "teams=" + csv,
            "filter ispresent(userIdentity.userName)"
                + " | lookup teams user as userIdentity.userName OUTPUT team"
                + " | stats count(*) as n by team",
            FIXTURES);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).containsExactly("team,n", "blue,1", "red,2");
    MainTest.Run bad =
        run("query", "--lookup", "teams=" + tmp.resolve("none.csv"), "fields a", FIXTURES);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("no file");
  }

  @Test
  void savedQueriesWithParameters() {
    MainTest.Run call = run("query", "--format", "csv", "$top-talkers(n=\"1\")", FIXTURES);
    assertThat(call.code()).as(call.err()).isZero();
    // alice's 2 failed logins from one address are the top combination
    assertThat(call.out().lines().toList())
        .containsExactly(
            "userIdentity.arn,sourceIPAddress,_approxcount",
            "arn:aws:iam::111122223333:user/alice,203.0.113.9,2");
    MainTest.Run param =
        run("query", "--format", "csv", "--saved", "top-talkers", "--param", "n=2", FIXTURES);
    assertThat(param.code()).as(param.err()).isZero();
    assertThat(param.out().lines()).hasSize(3);
    MainTest.Run unknown =
        run("query", "--saved", "top-talkers", "--param", "colour=red", FIXTURES);
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("TQ2122").contains("colour");
    MainTest.Run resources =
        run("query", "--format", "csv", "--saved", "resources-touched-by-principal", FIXTURES);
    assertThat(resources.code()).as(resources.err()).isZero();
    // the Decrypt has no userIdentity.arn: no principal touched a resource here
    assertThat(resources.out().lines().toList())
        .containsExactly("principal,resource,events,first,last");
  }

  @Test
  void subqueriesRunTheInnerQueryFirst() {
    MainTest.Run r =
        run(
            "query",
            "--format",
            "csv",
            "filter userIdentity.userName in (filter errorMessage = 'Failed authentication'"
                + " | fields userIdentity.userName) | stats count(*) as n by userIdentity.userName",
            FIXTURES);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).containsExactly("userIdentity.userName,n", "alice,2");
  }

  @Test
  void accountsTableFromOrganizations() throws Exception {
    List<FakeOrganizations.Acc> accounts = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      accounts.add(
          new FakeOrganizations.Acc(
              String.format("%012d", 111122223333L + i),
              i == 7 ? "prod, eu" : "account-" + i,
              "ops+" + i + "@example.com",
              i == 3 ? "SUSPENDED" : "ACTIVE"));
    }
    try (FakeOrganizations org = new FakeOrganizations(accounts, 20);
        var client = org.client()) {
      String csv = LookupCommands.accountsCsv(client);
      assertThat(org.calls.get()).isEqualTo(3); // 20 + 20 + 5
      LookupTable t = LookupTable.parse("accounts", csv.getBytes(StandardCharsets.UTF_8));
      assertThat(t.columns()).containsExactly("accountId", "name", "email", "status");
      assertThat(t.rows()).hasSize(45);
      for (int i = 0; i < 45; i++) {
        FakeOrganizations.Acc a = accounts.get(i);
        assertThat(t.rows().get(i)).containsExactly(a.id(), a.name(), a.email(), a.status());
      }
      // and used by a query: the account that received the events gets a name
      Path file = tmp.resolve("accounts.csv");
      Files.writeString(file, csv);
      MainTest.Run r =
          run(
              "query",
              "--format",
              "csv",
              "--lookup",
              "accounts=" + file,
              "fields '111122223333' as account"
                  + " | lookup accounts accountId as account OUTPUT name"
                  + " | stats count(*) as n by name",
              FIXTURES);
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out().lines().toList()).containsExactly("name,n", "account-0,5");
    }
  }
}
