package dev.trailquery.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Users read the packs' sources and descriptions (saved, demo, the API's savedQueries): they name
 * the articles (the AWS Knowledge Center article, Classmethod's CIS article, the AWS blog post, the
 * CIS AWS Foundations Benchmark), never the project's internal "seed NNN" numbering.
 */
class PackSourcesTest {
  private static final Pattern SEED = Pattern.compile("(?i)\\bseeds? ?\\d{3}");

  @Test
  void sourcesAndDescriptionsNameTheArticles() throws Exception {
    List<String> texts = new ArrayList<>();
    for (SavedQuery q : QueryPack.all()) {
      texts.add(q.source());
      texts.add(q.description());
    }
    for (var f : WatchPack.get().metricFilters()) {
      texts.add(f.source());
      texts.add(f.description());
    }
    for (var r : WatchPack.get().rules()) {
      texts.add(r.source());
      texts.add(r.description());
    }
    assertThat(texts).hasSizeGreaterThan(60);
    for (String t : texts) {
      assertThat(t).isNotBlank().doesNotContainPattern(SEED);
    }
    assertThat(texts).anyMatch(t -> t.startsWith("AWS Knowledge Center"));
    assertThat(texts).anyMatch(t -> t.startsWith("Classmethod's CIS article"));
    assertThat(texts).anyMatch(t -> t.startsWith("AWS blog post"));
    assertThat(texts).anyMatch(t -> t.startsWith("CIS AWS Foundations Benchmark"));
  }

  @Test
  void userDocsDoNotSpeakOfSeeds() throws Exception {
    for (Path p :
        List.of(
            Path.of("..", "..", "README.md"),
            Path.of("..", "..", "docs", "DEPLOY.md"),
            Path.of("..", "..", "docs", "LANGUAGE.md"),
            Path.of("..", "..", "docs", "INGEST.md"))) {
      assertThat(Files.readString(p)).as(p.toString()).doesNotContainPattern(SEED);
    }
  }
}
