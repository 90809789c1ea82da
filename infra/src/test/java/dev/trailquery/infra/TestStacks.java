package dev.trailquery.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/** Stacks synthesized the way the app does, with small stand-in code zips. */
final class TestStacks {
  private TestStacks() {}

  static final Path ASSETS = Path.of("target", "test-assets").toAbsolutePath();

  /** Placeholder zips: the stack only needs files to hash and copy. */
  static TrailqueryStack.Assets assets() {
    return new TrailqueryStack.Assets(
        zip("trailquery-functions.zip", "lib/placeholder.txt"),
        zip("trailquery-layer.zip", "java/lib/placeholder.txt"));
  }

  private static synchronized String zip(String name, String entry) {
    Path p = ASSETS.resolve(name);
    try {
      if (!Files.exists(p)) {
        Files.createDirectories(ASSETS);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
          ZipEntry e = new ZipEntry(entry);
          e.setTime(0);
          z.putNextEntry(e);
          z.write("stand-in for the Maven-built artifact\n".getBytes(StandardCharsets.UTF_8));
          z.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.toString();
  }

  static App app() {
    return new App(
        AppProps.builder()
            .outdir(ASSETS.resolveSibling("cdk.out-" + System.nanoTime()).toString())
            .context(Map.of("aws:cdk:enable-asset-metadata", true))
            .build());
  }

  static TrailqueryStack stack(Map<String, ?> context) {
    return TrailqueryApp.build(app(), TrailqueryConfig.from(context), assets());
  }

  /** An existing trail bucket with a prefix and a KMS key. */
  static final Map<String, Object> EXISTING =
      Map.of(
          "trailBucket", "acme-cloudtrail",
          "trailPrefix", "org",
          "trailKmsKeyArn",
              "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");

  static Template template(TrailqueryStack stack) {
    return Template.fromStack(stack);
  }
}
