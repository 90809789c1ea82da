package dev.trailquery.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trailquery.lang.QueryException;
import dev.trailquery.saved.Parameter;
import dev.trailquery.saved.Templates;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameterized saved queries: {@code {{name}}} placeholders and {@code $Name(p="v")} calls. */
class TemplatesTest {
  static final Templates.Saved ERRORS =
      new Templates.Saved(
          "ErrorsBy",
          "filter errorCode = \"{{code}}\" and eventSource = \"{{source}}\" | limit {{n}}",
          List.of(
              new Parameter("code", null, "the error code"),
              new Parameter("source", "s3.amazonaws.com", null),
              new Parameter("n", "10", null)));

  static String resolve(String text) {
    return Templates.resolve(text, name -> name.equals("ErrorsBy") ? ERRORS : null);
  }

  @Test
  void callsReplaceEveryPlaceholderWithTheValueOrTheDefault() {
    assertThat(resolve("$ErrorsBy(code=\"AccessDenied\", n=5)"))
        .isEqualTo(
            "filter errorCode = \"AccessDenied\" and eventSource = \"s3.amazonaws.com\" | limit 5");
    assertThat(resolve("  $ErrorsBy( code = 'x\\'y' , source=\"kms\" ) "))
        .isEqualTo("filter errorCode = \"x'y\" and eventSource = \"kms\" | limit 10");
    assertThat(resolve("filter x = 1")).isEqualTo("filter x = 1");
  }

  @Test
  void aMissingParameterWithoutDefaultIsAnErrorNamingIt() {
    QueryException e = catchThrowableOfType(QueryException.class, () -> resolve("$ErrorsBy(n=1)"));
    assertThat(e.error().code()).isEqualTo("TQ2121");
    assertThat(e.error().message()).contains("'code'");
  }

  @Test
  void unknownArgumentsQueriesAndMalformedCalls() {
    QueryException arg =
        catchThrowableOfType(QueryException.class, () -> resolve("$ErrorsBy(code=1, colour=2)"));
    assertThat(arg.error().code()).isEqualTo("TQ2122");
    assertThat(arg.error().span().text("$ErrorsBy(code=1, colour=2)")).isEqualTo("colour");
    QueryException name = catchThrowableOfType(QueryException.class, () -> resolve("$Nope()"));
    assertThat(name.error().code()).isEqualTo("TQ2123");
    for (String bad :
        List.of("$ErrorsBy(code=", "$ErrorsBy(code='x'", "$ErrorsBy(code='x') | y", "$(a=1)")) {
      QueryException e = catchThrowableOfType(QueryException.class, () -> resolve(bad));
      assertThat(e).as(bad).isNotNull();
      assertThat(e.error().code()).as(bad).isEqualTo("TQ1013");
    }
  }

  @Test
  void definitionsAreChecked() {
    assertThat(Templates.validate(ERRORS.queryString(), ERRORS.parameters())).isNull();
    assertThat(Templates.validate("filter a = {{b}}", List.of())).contains("{{b}}");
    List<Parameter> many = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      many.add(new Parameter("p" + i, "v", null));
    }
    assertThat(Templates.validate("fields a", many)).contains("at most 20");
    assertThat(Templates.validate("fields a", List.of(new Parameter("a b", null, null))))
        .contains("invalid parameter name");
    assertThat(Templates.placeholders("{{a}} {{ b }} {{a}}")).containsExactly("a", "b");
  }
}
