package dev.trailquery.infra;

import software.amazon.awscdk.App;

/**
 * The CDK app: {@code cdk synth} at the repository root runs this class (see cdk.json). The stack
 * itself lands with the "Infrastructure" issue; for now the app synthesizes the skeleton stack.
 */
public final class TrailqueryApp {
  private TrailqueryApp() {}

  public static void main(String[] args) {
    App app = new App();
    new TrailqueryStack(app, "Trailquery");
    app.synth();
  }
}
