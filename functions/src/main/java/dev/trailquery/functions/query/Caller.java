package dev.trailquery.functions.query;

/**
 * Who sent a request: the IAM identity API Gateway authenticated (SigV4), from the proxy event's
 * {@code requestContext.identity}. Absent ({@link #UNKNOWN}) where nobody signs requests ({@code
 * ./trailquery serve}).
 *
 * @param arn the caller's ARN as API Gateway gives it ({@code userArn}): a user, a role session
 *     ({@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}), or the account root; null if
 *     unknown
 * @param accountId the caller's account, or null
 */
public record Caller(String arn, String accountId) {
  public static final Caller UNKNOWN = new Caller(null, null);

  public Caller {
    arn = arn == null || arn.isBlank() ? null : arn;
    accountId = accountId == null || accountId.isBlank() ? null : accountId;
  }

  public boolean known() {
    return arn != null;
  }

  /**
   * The principal behind the ARN: for a role session the role ({@code
   * arn:aws:iam::ACCOUNT:role/ROLE}, as {@code aws:PrincipalArn} names it), otherwise the ARN
   * itself. Two sessions of one role are one principal (they hold the same permissions).
   */
  public String principal() {
    return principal(arn);
  }

  /** {@link #principal()} of any ARN; null stays null. */
  public static String principal(String arn) {
    if (arn == null) {
      return null;
    }
    // arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION
    String[] p = arn.split(":", 6);
    if (p.length == 6 && p[2].equals("sts") && p[5].startsWith("assumed-role/")) {
      String rest = p[5].substring("assumed-role/".length());
      int slash = rest.indexOf('/');
      String role = slash < 0 ? rest : rest.substring(0, slash);
      return "arn:" + p[1] + ":iam::" + p[4] + ":role/" + role;
    }
    return arn;
  }
}
