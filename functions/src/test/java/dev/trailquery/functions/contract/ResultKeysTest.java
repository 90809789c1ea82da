package dev.trailquery.functions.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.contract.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The results table's key prefixes live in {@link Keys} only: no source file of the functions
 * module spells one as a string literal (a second spelling could drift from the contract's, and the
 * sealing, reading and alarm code would then look in different partitions).
 */
class ResultKeysTest {
  /** A string literal that looks like a partition prefix: capitals and digits, then '#'. */
  private static final Pattern PREFIX_LITERAL = Pattern.compile("\"([A-Za-z]{1,8}#)");

  @Test
  void noSourceSpellsAResultsKeyPrefix() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        int line = 0;
        for (String text : Files.readAllLines(f)) {
          line++;
          String code = text.strip();
          if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) {
            continue; // documentation may name the keys
          }
          Matcher m = PREFIX_LITERAL.matcher(code);
          while (m.find()) {
            found.add(f.getFileName() + ":" + line + " " + m.group(1));
          }
          for (String fixed : Keys.RESULTS_PARTITIONS) {
            if (!fixed.endsWith("#") && code.contains("\"" + fixed + "\"")) {
              found.add(f.getFileName() + ":" + line + " " + fixed);
            }
          }
        }
      }
    }
    assertThat(found).as("key prefixes spelled outside Keys").isEmpty();
  }
}
