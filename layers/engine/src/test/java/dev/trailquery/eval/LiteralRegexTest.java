package dev.trailquery.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The literal fast path of {@code like /re/} agrees with RE2/J on every case it takes. */
class LiteralRegexTest {
  static final List<String> TEXTS =
      List.of(
          "",
          "Delete",
          "DeleteBucket",
          "xDelete",
          "Client.UnauthorizedOperation",
          "UnauthorizedOperation",
          "AccessDenied",
          "AccessDeniedException",
          "GetObject",
          "getobject",
          "a-b c:d@e/f",
          "line\nDelete",
          // the literal inside, not at an end: tells starts/ends-with from contains
          "xDeleteBucket",
          "UnauthorizedOperationFailed",
          "ListBuckets",
          "CreateBucket",
          "BucketPolicy",
          "GetObjectAcl",
          "Delete\n");

  static final List<String> LITERAL =
      List.of(
          "^Delete",
          "UnauthorizedOperation$",
          "^AccessDenied",
          "Object",
          "^GetObject$",
          "a-b c:d@e/f",
          "^Put",
          "Bucket$",
          "^Delete$");

  static final List<String> NOT_LITERAL =
      List.of("^Del.te", "(?i)delete", "Get|Put", "^$", "^", "a+", "x[0-9]", "\\d", "é");

  @Test
  void literalRegexesMatchExactlyLikeRe2() {
    for (String re : LITERAL) {
      var fast = ExprCompiler.literalTest(re);
      assertThat(fast).as(re).isNotNull();
      Pattern p = Pattern.compile(re);
      for (String t : TEXTS) {
        assertThat(fast.test(t)).as(re + " on " + t).isEqualTo(p.matcher(t).find());
      }
    }
  }

  @Test
  void anchoredLiteralsTestTheirEndOnly() {
    // Hand-checked: /Bucket$/ ends-with, /^Delete/ starts-with, /Object/ anywhere.
    var bucketEnd = ExprCompiler.literalTest("Bucket$");
    assertThat(List.of("CreateBucket", "ListBuckets", "BucketPolicy", "Bucket"))
        .filteredOn(bucketEnd::test)
        .containsExactly("CreateBucket", "Bucket");
    var deleteStart = ExprCompiler.literalTest("^Delete");
    assertThat(List.of("DeleteBucket", "xDelete", "Delete"))
        .filteredOn(deleteStart::test)
        .containsExactly("DeleteBucket", "Delete");
    var exact = ExprCompiler.literalTest("^GetObject$");
    assertThat(List.of("GetObject", "GetObjectAcl", "xGetObject"))
        .filteredOn(exact::test)
        .containsExactly("GetObject");
  }

  @Test
  void anythingWithMetacharactersGoesToRe2() {
    for (String re : NOT_LITERAL) {
      assertThat(ExprCompiler.literalTest(re)).as(re).isNull();
    }
  }
}
