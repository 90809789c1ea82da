package dev.trailquery.lang;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** TQ3001 (a '*' compared with = or !=) and TQ3002 (an unquoted DNS name read as a field). */
class WarningTest {

  static List<Diagnostic> warnings(String query) {
    return Parser.parse(query).warnings();
  }

  static String only(String query) {
    List<Diagnostic> w = warnings(query);
    assertThat(w).as(query).hasSize(1);
    assertThat(w.getFirst().severity()).isEqualTo(Severity.WARNING);
    return w.getFirst().message();
  }

  @Test
  void starSuggestions() {
    assertThat(only("filter a = \"*x\""))
        .isEqualTo(
            "'*' is not a wildcard with '=': this compares with the exact text \"*x\"; to match"
                + " values ending in \"x\", write: a like /x$/");
    assertThat(only("filter a = \"x*\"")).endsWith("starting with \"x\", write: a like /^x/");
    assertThat(only("filter a = \"*x*\"")).endsWith("containing \"x\", write: a like \"x\"");
    assertThat(only("filter a = \"a*b\"")).endsWith("of that shape, write: a like /^a.*b$/");
    assertThat(only("filter a = \"*a**b\"")).endsWith("write: a like /a.*b$/");
    assertThat(only("filter a = \"*\""))
        .endsWith("to test that the field is set, write: ispresent(a)");
    assertThat(only("filter a != \"**\"")).endsWith("write: not ispresent(a)");
    assertThat(only("filter a != \"*x\""))
        .startsWith("'*' is not a wildcard with '!='")
        .endsWith("to exclude values ending in \"x\", write: a not like /x$/");
  }

  @Test
  void starSuggestionsEscapeRegexCharacters() {
    assertThat(only("filter a = \"a.b*\"")).endsWith("write: a like /^a\\.b/");
    assertThat(only("filter a = \"x/y(1)*\"")).endsWith("write: a like /^x\\/y\\(1\\)/");
    assertThat(only("filter a = \"*a.b*\"")).endsWith("write: a like \"a.b\"");
    assertThat(only("filter a = \"*say \\\"hi\\\"*\""))
        .endsWith("write: a like \"say \\\"hi\\\"\"");
  }

  @Test
  void starWarningUsesTheOtherSideAndTheStringSpan() {
    String q = "filter \"*x\" = userIdentity.arn";
    Diagnostic d = warnings(q).getFirst();
    assertThat(d.code()).isEqualTo("TQ3001");
    assertThat(d.span()).isEqualTo(new Span(7, 11));
    assertThat(d.message()).endsWith("write: userIdentity.arn like /x$/");
    assertThat(only("fields a = \"*x\" as isX")).endsWith("write: a like /x$/");
  }

  @Test
  void noStarWarningOutsideEquality() {
    assertThat(warnings("filter a like \"*x\" or a < \"*\" or a in [\"*\"] or a = \"x\""))
        .isEmpty();
  }

  @Test
  void dnsNames() {
    String q = "filter eventSource = s3.amazonaws.com";
    Diagnostic d = warnings(q).getFirst();
    assertThat(d.code()).isEqualTo("TQ3002");
    assertThat(d.span()).isEqualTo(new Span(21, 37));
    assertThat(d.message())
        .isEqualTo(
            "'s3.amazonaws.com' is read as a field name, not a value; quote it:"
                + " \"s3.amazonaws.com\"");
    assertThat(only("filter s3.amazonaws.com = eventSource")).startsWith("'s3.amazonaws.com'");
    assertThat(only("filter eventSource != ec2.amazonaws.com")).startsWith("'ec2.amazonaws.com'");
    assertThat(only("filter x = foo.example.org")).startsWith("'foo.example.org'");
    assertThat(only("filter x = api.aws")).startsWith("'api.aws'");
    assertThat(only("filter x = foo.amazonaws")).startsWith("'foo.amazonaws'");
    assertThat(only("filter x = s3.amazonaws.com.cn")).startsWith("'s3.amazonaws.com.cn'");
  }

  @Test
  void noDnsWarningWhenItMayBeAField() {
    assertThat(
            warnings(
                "filter userIdentity.invokedBy = a.b or x = userIdentity.arn"
                    + " or x = `s3.amazonaws.com` or a.b.com = 1 or count(x) = s3.amazonaws.com"
                    + " or x = \"s3.amazonaws.com\" or x < s3.amazonaws.com or x = com"))
        .isEmpty();
  }
}
