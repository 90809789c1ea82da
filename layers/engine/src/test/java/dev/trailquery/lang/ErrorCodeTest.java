package dev.trailquery.lang;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The error codes: one enum, used by every throw site, each documented in docs/LANGUAGE.md. */
class ErrorCodeTest {
  private static final Pattern CODE = Pattern.compile("TQ\\d{4}");
  private static final Set<String> KINDS =
      Set.of(
          "syntax",
          "command placement",
          "names and expressions",
          "function arguments",
          "aggregate arguments",
          "warning",
          "metric-filter pattern",
          "Contributor Insights rule");
  private static final Pattern ROW = Pattern.compile("^\\| (TQ\\d{4}) \\| ([^|]+) \\| (.+) \\|$");

  @Test
  void codesAreWellFormedAndUnique() {
    Set<String> seen = new HashSet<>();
    for (ErrorCode c : ErrorCode.values()) {
      assertThat(c.code()).matches(CODE);
      assertThat(seen.add(c.code())).as(c.code()).isTrue();
      assertThat(c.summary()).isNotBlank();
      assertThat(ErrorCode.of(c.code())).contains(c);
    }
  }

  @Test
  void languageDocListsEveryCodeWithItsMeaning() throws IOException {
    Map<String, String> documented = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("..", "..", "docs", "LANGUAGE.md"))) {
      Matcher m = ROW.matcher(line.strip());
      // the table of every code: | code | kind | meaning | (the warnings table has examples)
      if (m.matches() && KINDS.contains(m.group(2).strip())) {
        documented.put(m.group(1), m.group(3).strip());
      }
    }
    for (ErrorCode c : ErrorCode.values()) {
      assertThat(documented).as("docs/LANGUAGE.md lists " + c.code()).containsKey(c.code());
      assertThat(documented.get(c.code()))
          .as(c.code() + "'s meaning")
          .isEqualTo(c.summary().replace("|", "\\|"));
    }
    assertThat(ErrorCode.values()).hasSize(documented.size());
  }

  @Test
  void throwSitesUseTheEnumNotLiterals() throws IOException {
    Path main = Path.of("src", "main", "java");
    List<Path> files;
    try (Stream<Path> s = Files.walk(main)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(files).hasSizeGreaterThan(50);
    for (Path f : files) {
      if (f.endsWith(Path.of("lang", "ErrorCode.java"))) {
        continue;
      }
      String src = Files.readString(f);
      assertThat(Pattern.compile("\"TQ\\d{4}\"").matcher(src).find())
          .as(f + " spells a code as a string literal; use ErrorCode")
          .isFalse();
    }
  }
}
