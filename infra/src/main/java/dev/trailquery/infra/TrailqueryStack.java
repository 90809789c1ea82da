package dev.trailquery.infra;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** The trailquery stack. Skeleton: resources arrive with the ingest, API and infra issues. */
public final class TrailqueryStack extends Stack {
  public TrailqueryStack(Construct scope, String id) {
    this(scope, id, null);
  }

  public TrailqueryStack(Construct scope, String id, StackProps props) {
    super(scope, id, props);
  }
}
