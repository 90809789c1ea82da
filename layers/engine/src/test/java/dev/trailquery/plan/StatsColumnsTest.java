package dev.trailquery.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Scan;
import dev.trailquery.store.ObjectRef;
import dev.trailquery.store.ObjectSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Columns a stats produced can be named by their text afterwards, as in Logs Insights. */
class StatsColumnsTest {
  /** Six records: eventSource a ×3, b ×2, c ×1. */
  static final String DATA =
      "{\"Records\":["
          + "{\"eventVersion\":\"1\",\"eventSource\":\"a\",\"eventTime\":\"2026-01-01T00:00:00Z\"},"
          + "{\"eventVersion\":\"1\",\"eventSource\":\"b\",\"eventTime\":\"2026-01-01T00:00:01Z\"},"
          + "{\"eventVersion\":\"1\",\"eventSource\":\"a\",\"eventTime\":\"2026-01-01T00:00:02Z\"},"
          + "{\"eventVersion\":\"1\",\"eventSource\":\"c\",\"eventTime\":\"2026-01-01T00:00:03Z\"},"
          + "{\"eventVersion\":\"1\",\"eventSource\":\"a\",\"eventTime\":\"2026-01-01T00:00:04Z\"},"
          + "{\"eventVersion\":\"1\",\"eventSource\":\"b\",\"eventTime\":\"2026-01-01T00:00:05Z\"}]}";

  static Result run(String query) throws Exception {
    ObjectSource source =
        new ObjectSource() {
          @Override
          public List<ObjectRef> list() {
            return List.of(new ObjectRef("mem", "data.json", DATA.length()));
          }

          @Override
          public InputStream open(ObjectRef ref) {
            return new ByteArrayInputStream(DATA.getBytes(StandardCharsets.UTF_8));
          }

          @Override
          public String location() {
            return "mem";
          }
        };
    return Trailquery.run(
        Trailquery.compile(query, Planner.Options.defaults()),
        List.of(source),
        1,
        Scan.Listener.NONE);
  }

  @Test
  void sortByUnaliasedAggregateText() throws Exception {
    Result r = run("stats count(*) by eventSource | sort count(*) desc | limit 2");
    assertThat(r.fields()).containsExactly("eventSource", "count(*)");
    assertThat(r.rows().get(0)).containsExactly("a", 3.0);
    assertThat(r.rows().get(1)).containsExactly("b", 2.0);
  }

  @Test
  void laterItemsAndFiltersSeeEarlierColumns() throws Exception {
    Result r = run("stats count(*) as n by eventSource | filter n > 1 | fields n * 10 as tens");
    assertThat(r.fields()).containsExactly("eventSource", "n", "tens");
    // Default stats order: keys ascending.
    assertThat(r.rows()).hasSize(2);
    assertThat(r.rows().get(0)).containsExactly("a", 3.0, 30.0);
    assertThat(r.rows().get(1)).containsExactly("b", 2.0, 20.0);
  }

  @Test
  void secondStatsOverTheFirst() throws Exception {
    Result r = run("stats count(*) as n by eventSource | stats sum(n) as total, max(n) as top");
    assertThat(r.fields()).containsExactly("total", "top");
    assertThat(r.rows()).hasSize(1);
    assertThat(r.rows().get(0)).containsExactly(6.0, 3.0);
  }
}
