package dev.trailquery.cli;

import dev.trailquery.functions.store.Subscription;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code subscriptions}: the subscriptions, a line each. */
@Command(
    name = "subscriptions",
    description = {
      "list the subscriptions",
      "A line each, tab-separated: name, bin, kind, created, definition (and the lookup tables"
          + " it evaluates with, NAME@VERSION)."
    })
final class SubscriptionsCommand implements Callable<Integer> {
  private final Context ctx;

  SubscriptionsCommand(Context ctx) {
    this.ctx = ctx;
  }

  /** {@code "\tlookup a@v1, b@v2"} for a subscription with lookup tables, else empty. */
  static String pins(Subscription s) {
    return s.lookups().isEmpty()
        ? ""
        : "\tlookup "
            + String.join(", ", s.lookups().stream().map(Subscription.LookupPin::ref).toList());
  }

  @Override
  public Integer call() {
    for (Subscription s : new StackEnv(ctx).subscriptions().list()) {
      ctx.out.println(
          s.name()
              + "\tbin "
              + s.bin()
              + "\t"
              + s.describeKind()
              + "\t"
              + Instant.ofEpochMilli(s.createdMillis())
              + "\t"
              + switch (s.type()) {
                case Subscription.METRIC_FILTER -> s.metricFilter().pattern().text();
                case Subscription.CONTRIBUTOR_RULE -> s.definition().replace('\n', ' ');
                default -> s.query().replace('\n', ' ');
              }
              + pins(s));
    }
    return 0;
  }
}
