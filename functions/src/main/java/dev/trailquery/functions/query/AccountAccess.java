package dev.trailquery.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The optional per-principal allow-list of the accounts a caller may query ({@code
 * TRAILQUERY_CALLER_ACCOUNTS}, the stack's {@code callerAccounts} setting): a JSON object from
 * principal ARN patterns ({@code *} any characters, {@code ?} one) to the 12-digit accounts those
 * principals may read, or {@code "*"} for all of them. The first entry whose pattern matches the
 * caller's ARN or its principal ({@link Caller#principal()}: the role of a role session) decides.
 *
 * <pre>{"arn:aws:iam::111122223333:role/SecurityTeam": "*",
 *  "arn:aws:iam::111122223333:role/app-team-*": ["444455556666", "777788889999"]}</pre>
 *
 * Without an allow-list ({@link #OPEN}) every caller may read every account. With one, a caller
 * that no entry matches may read none: its queries are refused (403). A restricted caller ({@link
 * Scope#all()} false) also cannot use the subscription, alarm and pack routes (their results span
 * every account) and sees only its own queries. The API checks a query's accounts when it starts;
 * the coordinator enforces the list again when it lists objects, whatever is stored.
 */
public final class AccountAccess {
  /** What one caller may read. */
  public record Scope(boolean all, Set<String> accounts) {
    public static final Scope ALL = new Scope(true, Set.of());
    public static final Scope NONE = new Scope(false, Set.of());

    public Scope {
      accounts = Set.copyOf(accounts);
    }

    /** May read nothing. */
    public boolean none() {
      return !all && accounts.isEmpty();
    }

    /**
     * The accounts a query asking for {@code asked} (empty: all) may read: {@code asked} itself
     * when this scope is all, else the asked ones within it (the whole scope when none are asked).
     */
    public List<String> restrict(List<String> asked) {
      if (all) {
        return asked;
      }
      if (asked.isEmpty()) {
        return accounts.stream().sorted().toList();
      }
      return asked.stream().filter(accounts::contains).toList();
    }
  }

  private record Entry(String pattern, Pattern regex, Scope scope) {}

  public static final String ENV = dev.trailquery.contract.Env.CALLER_ACCOUNTS.var();

  /** No allow-list: everyone may read every account. */
  public static final AccountAccess OPEN = new AccountAccess(null);

  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  private final List<Entry> entries;

  private AccountAccess(List<Entry> entries) {
    this.entries = entries;
  }

  /** From the environment ({@value #ENV}); {@link #OPEN} when unset. */
  public static AccountAccess fromEnv(Map<String, String> env) {
    String v = env.get(ENV);
    return v == null || v.isBlank() ? OPEN : parse(v);
  }

  /** Parses the JSON form; throws {@link IllegalArgumentException} saying what is wrong. */
  public static AccountAccess parse(String json) {
    JsonNode root;
    try {
      root = dev.trailquery.json.Mappers.MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(ENV + ": not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          ENV + ": a JSON object from principal ARN patterns to account lists (or \"*\")");
    }
    List<Entry> out = new ArrayList<>();
    for (var it = root.properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      out.add(new Entry(e.getKey(), glob(e.getKey()), scope(e.getKey(), e.getValue())));
    }
    return new AccountAccess(List.copyOf(out));
  }

  private static Scope scope(String pattern, JsonNode v) {
    if (v.isTextual() && v.asText().equals("*")) {
      return Scope.ALL;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(
          ENV + ": '" + pattern + "' must map to a list of 12-digit accounts or \"*\"");
    }
    Set<String> accounts = new LinkedHashSet<>();
    for (JsonNode a : v) {
      if (a.isTextual() && a.asText().equals("*")) {
        return Scope.ALL;
      }
      if (!a.isTextual() || !ACCOUNT.matcher(a.asText()).matches()) {
        throw new IllegalArgumentException(
            ENV + ": '" + pattern + "': not a 12-digit account id: " + a);
      }
      accounts.add(a.asText());
    }
    return new Scope(false, accounts);
  }

  private static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /** Whether an allow-list is configured. */
  public boolean configured() {
    return entries != null;
  }

  /** What {@code callerArn} (null: unknown caller) may read. */
  public Scope scope(String callerArn) {
    if (entries == null) {
      return Scope.ALL;
    }
    if (callerArn == null) {
      return Scope.NONE;
    }
    String principal = Caller.principal(callerArn);
    for (Entry e : entries) {
      if (e.regex().matcher(callerArn).matches() || e.regex().matcher(principal).matches()) {
        return e.scope();
      }
    }
    return Scope.NONE;
  }
}
