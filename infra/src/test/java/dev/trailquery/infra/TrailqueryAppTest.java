package dev.trailquery.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app as {@code cdk synth} runs it: the Maven-built zips at their paths under the root. */
class TrailqueryAppTest {
  @AfterEach
  void clear() {
    System.clearProperty("trailquery.root");
  }

  @Test
  void synthesizesFromTheRepositoryLayout(@TempDir Path root) throws Exception {
    TrailqueryStack.Assets stand = TestStacks.assets();
    Path fn = root.resolve(TrailqueryApp.FUNCTIONS_ZIP);
    Path layer = root.resolve(TrailqueryApp.LAYER_ZIP);
    Files.createDirectories(fn.getParent());
    Files.createDirectories(layer.getParent());
    Files.copy(Path.of(stand.functionsZip()), fn);
    Files.copy(Path.of(stand.layerZip()), layer);
    System.setProperty("trailquery.root", root.toString());
    TrailqueryApp.main(new String[0]); // synthesizes the demo-trail stack into a temp outdir
  }

  @Test
  void aMissingZipSaysHowToBuildIt(@TempDir Path root) {
    System.setProperty("trailquery.root", root.toString());
    assertThatThrownBy(() -> TrailqueryApp.main(new String[0]))
        .hasMessageContaining("is missing")
        .hasMessageContaining("-pl layers/layer,functions -am package");
    assertThat(root).isEmptyDirectory();
  }
}
