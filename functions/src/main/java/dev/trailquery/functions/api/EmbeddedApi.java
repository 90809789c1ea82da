package dev.trailquery.functions.api;

import dev.trailquery.functions.catalog.LocalCatalog;
import dev.trailquery.functions.catalog.ObjectCatalog;
import dev.trailquery.functions.catalog.TrailLayout;
import dev.trailquery.functions.fanout.Coordinator;
import dev.trailquery.functions.fanout.FanoutConfig;
import dev.trailquery.functions.fanout.Invoker;
import dev.trailquery.functions.fanout.Launcher;
import dev.trailquery.functions.fanout.ThreadInvoker;
import dev.trailquery.functions.query.InMemoryQueryStore;
import dev.trailquery.functions.query.InMemorySavedQueryStore;
import dev.trailquery.functions.query.QueryStore;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The API with everything in this process: queries and saved queries in memory, objects from a
 * local directory, workers as threads. What {@code ./trailquery serve} runs when no AWS endpoint is
 * configured, and what the tests drive.
 */
public final class EmbeddedApi implements AutoCloseable {
  private final Api api;
  private final QueryStore store;
  private final Coordinator coordinator;
  private final Invoker invoker;
  private final Launcher launcher;

  public EmbeddedApi(Path logs, FanoutConfig config) {
    this(logs, config, TrailLayout.defaults(), System::currentTimeMillis);
  }

  public EmbeddedApi(Path logs, FanoutConfig config, TrailLayout layout, LongSupplier clock) {
    this(new LocalCatalog(logs, layout), null, config, clock);
  }

  /**
   * @param invoker the workers, or null for threads of this process reading {@code catalog}
   */
  public EmbeddedApi(
      ObjectCatalog catalog, Invoker invoker, FanoutConfig config, LongSupplier clock) {
    this.store = new InMemoryQueryStore(clock);
    this.invoker = invoker != null ? invoker : new ThreadInvoker(catalog.source());
    dev.trailquery.functions.lookup.LookupTableStore tables =
        new dev.trailquery.functions.lookup.InMemoryLookupTableStore();
    this.coordinator =
        new Coordinator(store, catalog, this.invoker, config, clock).withLookupTables(tables);
    this.launcher = Launcher.threads(coordinator::run);
    this.api =
        new Api(store, new InMemorySavedQueryStore(), launcher, clock).withLookupTables(tables);
  }

  public Api api() {
    return api;
  }

  public QueryStore store() {
    return store;
  }

  public Coordinator coordinator() {
    return coordinator;
  }

  @Override
  public void close() {
    launcher.close();
    invoker.close();
  }
}
