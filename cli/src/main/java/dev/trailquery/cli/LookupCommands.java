package dev.trailquery.cli;

import dev.trailquery.lookup.LookupTable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.OrganizationsClientBuilder;
import software.amazon.awssdk.services.organizations.model.Account;

/** Lookup tables on the command line: {@code --lookup NAME=FILE.csv} and {@code lookup-table}. */
final class LookupCommands {
  private LookupCommands() {}

  /** The columns {@code lookup-table accounts} writes. */
  static final List<String> ACCOUNT_COLUMNS = List.of("accountId", "name", "email", "status");

  /** Reads {@code NAME=FILE.csv} specs into tables by name; a bad one is a usage error. */
  static Map<String, LookupTable> load(List<String> specs) throws IOException {
    Map<String, LookupTable> out = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || eq == spec.length() - 1) {
        throw new UsageException("--lookup takes NAME=FILE.csv, got '" + spec + "'");
      }
      String name = spec.substring(0, eq);
      Path file = Invocation.path(spec.substring(eq + 1));
      byte[] csv;
      try {
        long size = Files.size(file);
        if (size > LookupTable.MAX_BYTES) {
          throw new UsageException(
              "lookup table "
                  + file
                  + " is "
                  + size
                  + " bytes; the limit is "
                  + LookupTable.MAX_BYTES);
        }
        csv = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        throw new UsageException("--lookup " + name + ": no file " + file);
      }
      try {
        if (out.put(name, LookupTable.parse(name, csv)) != null) {
          throw new UsageException("--lookup " + name + " is given twice");
        }
      } catch (LookupTable.InvalidTableException e) {
        throw new UsageException(e.getMessage());
      }
    }
    return out;
  }

  /** {@code lookup-table accounts}. */
  @Command(
      name = "lookup-table",
      description = {
        "write a lookup table for queries' 'lookup' command (accounts: the organization's)",
        "Then: trailquery query --lookup accounts=FILE 'lookup accounts accountId as"
            + " recipientAccountId OUTPUT name' PATH..."
      },
      synopsisSubcommandLabel = "accounts")
  static final class LookupTableCommand {
    private final Context ctx;

    LookupTableCommand(Context ctx) {
      this.ctx = ctx;
    }

    @Command(
        name = "accounts",
        description = {
          "the organization's accounts as CSV: accountId,name,email,status",
          "From AWS Organizations ListAccounts (run in the management or a delegated"
              + " administrator account)."
        })
    int accounts(
        @Option(
                names = "--out",
                paramLabel = "FILE",
                description = "write the CSV to FILE (default: stdout)")
            String file)
        throws IOException {
      return lookupTable(file, ctx.out, ctx.err);
    }
  }

  static int lookupTable(String outFile, PrintStream out, PrintStream err) throws IOException {
    String csv;
    try (OrganizationsClient org = client()) {
      csv = accountsCsv(org);
    }
    if (outFile != null) {
      Files.writeString(Invocation.path(outFile), csv);
      err.println(
          "trailquery: wrote "
              + (csv.lines().count() - 1)
              + " accounts to "
              + outFile
              + " (use: --lookup accounts="
              + outFile
              + ")");
    } else {
      out.print(csv);
    }
    return 0;
  }

  /**
   * Every account of the organization (all pages of ListAccounts), as CSV with a header row, in the
   * order Organizations lists them.
   */
  static String accountsCsv(OrganizationsClient org) {
    List<String[]> rows = new ArrayList<>();
    for (var page : org.listAccountsPaginator(b -> {})) {
      for (Account acc : page.accounts()) {
        rows.add(
            new String[] {acc.id(), nz(acc.name()), nz(acc.email()), nz(acc.statusAsString())});
      }
    }
    return new LookupTable("accounts", ACCOUNT_COLUMNS, rows, "").toCsv();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /**
   * Organizations is a global service (its endpoint is in us-east-1); {@code
   * AWS_ENDPOINT_URL_ORGANIZATIONS} (or {@code AWS_ENDPOINT_URL}) points it elsewhere.
   */
  static OrganizationsClient client() {
    OrganizationsClientBuilder b =
        OrganizationsClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.AWS_GLOBAL);
    String endpoint = Invocation.getenv("AWS_ENDPOINT_URL_ORGANIZATIONS");
    if (endpoint == null) {
      endpoint = Invocation.getenv("AWS_ENDPOINT_URL");
    }
    if (endpoint != null) {
      b.endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1);
    }
    return b.build();
  }
}
