package dev.trailquery.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class UnsupportedCommandTest {
  @Test
  void knownButUnsupportedCommandsSaySo() {
    QueryException e =
        catchThrowableOfType(
            QueryException.class, () -> Parser.parse("fields @message | pattern @message"));
    assertThat(e.error().code()).isEqualTo("TQ1002");
    assertThat(e.error().message())
        .startsWith("'pattern' is a Logs Insights command trailquery does not support");
    assertThat(e.getMessage()).startsWith("line 1, column 19:");
  }

  @Test
  void unknownWordsAreUnknownCommands() {
    QueryException e =
        catchThrowableOfType(QueryException.class, () -> Parser.parse("flter x = 1"));
    assertThat(e.error().message()).startsWith("unknown command 'flter'");
  }
}
