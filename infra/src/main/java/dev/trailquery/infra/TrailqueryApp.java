package dev.trailquery.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: {@code cdk synth} at the repository root runs this class (see cdk.json and
 * scripts/cdk-app, which builds the code assets first). Settings come from context ({@code -c
 * trailBucket=...}, see {@link TrailqueryConfig}); the AwsSolutions cdk-nag pack runs on every
 * synth and fails it on an unsuppressed error.
 */
public final class TrailqueryApp {
  private TrailqueryApp() {}

  /** The stack's name, and so the template's: {@code cdk.out/Trailquery.template.json}. */
  public static final String STACK_NAME = "Trailquery";

  public static final String FUNCTIONS_ZIP = "functions/target/trailquery-functions.zip";
  public static final String LAYER_ZIP = "layers/layer/target/trailquery-layer.zip";

  public static void main(String[] args) {
    // Asset metadata (aws:asset:path) lets `sam local invoke` find each function's code.
    App app =
        new App(AppProps.builder().context(Map.of("aws:cdk:enable-asset-metadata", true)).build());
    Path root = Path.of(System.getProperty("trailquery.root", ".")).toAbsolutePath().normalize();
    TrailqueryStack.Assets assets =
        new TrailqueryStack.Assets(
            existing(root.resolve(FUNCTIONS_ZIP)), existing(root.resolve(LAYER_ZIP)));
    TrailqueryConfig config = TrailqueryConfig.from(k -> app.getNode().tryGetContext(k));
    build(app, config, assets);
    app.synth();
  }

  /** The stack with the AwsSolutions checks attached (tests use this too). */
  public static TrailqueryStack build(
      App app, TrailqueryConfig config, TrailqueryStack.Assets assets) {
    String account = System.getenv("CDK_DEFAULT_ACCOUNT");
    String region = System.getenv("CDK_DEFAULT_REGION");
    StackProps.Builder props =
        StackProps.builder()
            .description("trailquery: Logs Insights queries over the CloudTrail logs in S3");
    if (account != null && region != null) {
      props.env(Environment.builder().account(account).region(region).build());
    }
    TrailqueryStack stack = new TrailqueryStack(app, STACK_NAME, props.build(), config, assets);
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    return stack;
  }

  private static String existing(Path zip) {
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException(
          zip
              + " is missing: build it with `mvn -B -DskipTests -pl layers/layer,functions -am"
              + " package` (scripts/cdk-app does)");
    }
    return zip.toString();
  }
}
