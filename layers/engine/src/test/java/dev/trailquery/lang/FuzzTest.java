package dev.trailquery.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import dev.trailquery.lang.ast.Query;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random and hostile input: only ever a Query or a QueryException, never anything else. */
class FuzzTest {

  private static final List<String> SOUP =
      List.of(
          "fields",
          "display",
          "filter",
          "where",
          "stats",
          "sort",
          "limit",
          "head",
          "parse",
          "dedup",
          "FILTER",
          "by",
          "as",
          "and",
          "or",
          "not",
          "like",
          "in",
          "asc",
          "desc",
          "|",
          "|",
          ",",
          "(",
          ")",
          "(",
          ")",
          "[",
          "]",
          "+",
          "-",
          "*",
          "/",
          "%",
          "^",
          "=",
          "!=",
          "<",
          "<=",
          ">",
          ">=",
          "=~",
          "!",
          "a",
          "b.c",
          "resources.0.ARN",
          "@timestamp",
          "`x-y`",
          "`",
          "\"s\"",
          "'t'",
          "\"a*\"",
          "\"",
          "'",
          "/re/",
          "/(?<g>x)/",
          "/(/",
          "1",
          "0",
          "-1",
          "2.5",
          "1e3",
          "5m",
          "1h",
          "5x",
          "10.0.0.1",
          "count(*)",
          "bin(1h)",
          "s3.amazonaws.com",
          "#c\n",
          "\n",
          "\\",
          "&&",
          "||",
          "{",
          "}",
          "$.x",
          "\u201c",
          "\uD83D\uDE00",
          ".",
          "..",
          "a.",
          "@",
          "``");

  @Test
  void randomTokenSoup() {
    Random random = new Random(20240518L);
    int parsed = 0;
    for (int i = 0; i < 5_000; i++) {
      StringBuilder sb = new StringBuilder();
      int length = 1 + random.nextInt(25);
      for (int j = 0; j < length; j++) {
        sb.append(SOUP.get(random.nextInt(SOUP.size())));
        if (random.nextInt(4) != 0) {
          sb.append(' ');
        }
      }
      String query = sb.toString();
      try {
        Query q = Parser.parse(query);
        assertThat(AstPrinter.print(q)).isNotNull();
        parsed++;
      } catch (QueryException e) {
        assertThat(e.diagnostics()).isNotEmpty();
        for (Diagnostic d : e.diagnostics()) {
          assertThat(d.span().end()).isLessThanOrEqualTo(query.length());
        }
        assertThat(e.render()).isNotEmpty();
      } catch (Throwable t) {
        fail("unexpected " + t + " for query: " + query, t);
      }
    }
    // The soup is not all garbage: some of it must parse.
    assertThat(parsed).isPositive();
  }

  @Test
  void randomCharacters() {
    Random random = new Random(7L);
    String alphabet = "ab1 .()[]|,\"'`/\\*=!<>~-+#\n@$^%xyz";
    for (int i = 0; i < 2_000; i++) {
      char[] chars = new char[1 + random.nextInt(40)];
      for (int j = 0; j < chars.length; j++) {
        chars[j] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      String query = "filter " + new String(chars);
      try {
        Parser.parse(query);
      } catch (QueryException e) {
        assertThat(e.diagnostics()).isNotEmpty();
      } catch (Throwable t) {
        fail("unexpected " + t + " for query: " + query, t);
      }
    }
  }

  @Test
  void deepNestingIsAnErrorNotAStackOverflow() {
    List<String> hostile =
        List.of(
            "filter " + "(".repeat(10_000),
            "filter " + "(".repeat(10_000) + "a" + ")".repeat(10_000),
            "filter " + "-".repeat(10_000) + "1",
            "filter " + "not ".repeat(10_000) + "a",
            "filter " + "!".repeat(10_000) + "a",
            "filter " + "a^".repeat(10_000) + "a",
            "filter " + "f(".repeat(10_000) + "a" + ")".repeat(10_000),
            "filter " + "a or ".repeat(10_000) + "a",
            "fields " + "1+".repeat(30_000) + "1");
    for (String q : hostile) {
      QueryException e = catchThrowableOfType(QueryException.class, () -> Parser.parse(q));
      assertThat(e).as(q.substring(0, 20)).isNotNull();
      assertThat(e.error().code()).isEqualTo("TQ1008");
      assertThat(e.error().message()).contains("nested too deeply");
    }
  }

  @Test
  void nestingUpToTheLimitIsFine() {
    // Each parenthesis is one level.
    String ok = "filter " + "(".repeat(200) + "a" + ")".repeat(200);
    assertThat(Parser.parse(ok).commands()).hasSize(1);
    String tooDeep = "filter " + "(".repeat(201) + "a" + ")".repeat(201);
    QueryException e = catchThrowableOfType(QueryException.class, () -> Parser.parse(tooDeep));
    assertThat(e.error().code()).isEqualTo("TQ1008");
    // the 201st '(' is where the limit is crossed
    assertThat(e.error().span()).isEqualTo(new Span(207, 208));
    // a long list is not nesting
    String list = "filter x in [" + "1, ".repeat(5_000) + "1]";
    assertThat(Parser.parse(list).commands()).hasSize(1);
  }
}
