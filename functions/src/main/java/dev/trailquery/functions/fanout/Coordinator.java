package dev.trailquery.functions.fanout;

import dev.trailquery.Trailquery;
import dev.trailquery.exec.Finisher;
import dev.trailquery.exec.PartialState;
import dev.trailquery.exec.Result;
import dev.trailquery.exec.Subqueries;
import dev.trailquery.exec.TooManyGroupsException;
import dev.trailquery.functions.aws.ErrorLog;
import dev.trailquery.functions.catalog.ObjectCatalog;
import dev.trailquery.functions.query.AccountAccess;
import dev.trailquery.functions.query.Caller;
import dev.trailquery.functions.query.QueryRecord;
import dev.trailquery.functions.query.QueryRequest;
import dev.trailquery.functions.query.QueryStats;
import dev.trailquery.functions.query.QueryStatus;
import dev.trailquery.functions.query.QueryStore;
import dev.trailquery.functions.query.ResultField;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.QueryException;
import dev.trailquery.plan.Plan;
import dev.trailquery.plan.Planner;
import dev.trailquery.store.ObjectRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs one query: lists the objects of its range, batches them by size, keeps up to {@code
 * maxWorkers} worker invocations in flight, merges each worker's partial state as it arrives,
 * writes partial results and statistics while Running, and finishes (sort, limit) with Complete —
 * or Cancelled when stopped, Timeout past the deadline, Failed on errors. Outstanding work is
 * cancelled whenever it ends early.
 */
public final class Coordinator {
  /**
   * What one run took, for benchmarks.
   *
   * @param listNanos listing the range
   * @param mergeNanos decoding and merging worker states, in total
   * @param maxMergeNanos the slowest single merge
   */
  public record Metrics(
      QueryStatus status,
      long objects,
      int batches,
      long listNanos,
      long mergeNanos,
      long maxMergeNanos,
      long totalNanos) {}

  private record Done(int batch, byte[] state, Throwable error) {}

  private final QueryStore store;
  private final ObjectCatalog catalog;
  private final Invoker invoker;
  private final FanoutConfig config;
  private final LongSupplier clock;
  private volatile AccountAccess access = AccountAccess.OPEN;

  public Coordinator(
      QueryStore store,
      ObjectCatalog catalog,
      Invoker invoker,
      FanoutConfig config,
      LongSupplier clock) {
    this.store = store;
    this.catalog = catalog;
    this.invoker = invoker;
    this.config = config;
    this.clock = clock;
  }

  private dev.trailquery.functions.lookup.LookupTableStore lookupTables;

  /** Where the lookup tables queries use come from (none unless set). */
  public Coordinator withLookupTables(dev.trailquery.functions.lookup.LookupTableStore store) {
    this.lookupTables = store;
    return this;
  }

  public dev.trailquery.functions.lookup.LookupTableStore lookupTables() {
    return lookupTables;
  }

  public FanoutConfig config() {
    return config;
  }

  /**
   * Enforces the account allow-list on every query it runs (default {@link AccountAccess#OPEN}): a
   * query lists only the accounts its creator ({@link QueryRecord#createdBy()}) may read, whatever
   * it asked for; returns this.
   */
  public Coordinator withAccess(AccountAccess access) {
    this.access = access;
    return this;
  }

  /** Compiles a request the way the coordinator and its workers do. */
  public static Plan compile(QueryRequest q, long nowMillis) {
    return Trailquery.compile(
        q.queryString(), new Planner.Options(q.startMillis(), q.endMillis(), nowMillis, q.limit()));
  }

  /** Runs the stored query {@code queryId} to its end; never throws for the query's own errors. */
  public Metrics run(String queryId) {
    return run(queryId, null);
  }

  /**
   * The same, logging internal errors under {@code requestId} (the Lambda request id; null: a new
   * one). A failed query's message says what the caller can act on — a query error, a timeout — and
   * for anything else only that it failed and the request id: exception texts (S3, Lambda, DynamoDB
   * errors name buckets, roles and accounts) go to the log, never into the query's record.
   */
  public Metrics run(String queryId, String requestId) {
    long t0 = System.nanoTime();
    QueryRecord rec = store.get(queryId).orElse(null);
    if (rec == null || rec.status().finished()) {
      return new Metrics(rec == null ? QueryStatus.Failed : rec.status(), 0, 0, 0, 0, 0, 0);
    }
    Run run = new Run(rec, t0, requestId);
    try {
      return run.execute();
    } catch (QueryException e) {
      return run.end(QueryStatus.Failed, e.getMessage());
    } catch (TooManyGroupsException e) {
      return run.end(QueryStatus.Failed, e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      return run.end(
          QueryStatus.Failed, "reading the logs failed" + run.logged("listing the objects", e));
    } catch (RuntimeException e) {
      return run.end(QueryStatus.Failed, "internal error" + run.logged("running the query", e));
    }
  }

  private final class Run {
    final QueryRecord rec;
    final long t0;
    final String requestId;
    final Map<Integer, CompletableFuture<byte[]>> inflight = new HashMap<>();
    final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    Plan plan;
    PartialState merged;
    Plan current;
    PartialState currentInto;
    String currentText;
    String currentColumn;
    Map<String, java.util.Set<String>> currentSubqueries = Map.of();
    Map<String, java.util.Set<String>> subqueryValues = Map.of();
    Map<String, String> tableCsv = Map.of();
    List<List<ObjectRef>> batches = List.of();
    long objects;
    int batchesDone;
    long listNanos;
    long mergeNanos;
    long maxMergeNanos;

    Run(QueryRecord rec, long t0, String requestId) {
      this.rec = rec;
      this.t0 = t0;
      this.requestId = requestId;
    }

    /** Logs {@code e}; the message tail that names where the details are. */
    String logged(String what, Throwable e) {
      String id = ErrorLog.log(requestId, "query " + rec.queryId() + ": " + what, e);
      return "; the coordinator's log has the details under request id " + id;
    }

    Metrics execute() throws IOException {
      QueryRequest q = rec.request();
      Planner.Options options =
          new Planner.Options(q.startMillis(), q.endMillis(), rec.createTime(), q.limit());
      dev.trailquery.lang.ast.Query parsed = dev.trailquery.lang.Parser.parse(q.queryString());
      // the tables as they are now: the workers get the same content (and so the same plan)
      // their CSV text as stored goes to each worker, which parses it the same way
      tableCsv = dev.trailquery.functions.lookup.QueryTables.csv(parsed, lookupTables);
      options = options.withLookups(dev.trailquery.functions.lookup.QueryTables.parse(tableCsv));
      List<dev.trailquery.lang.ast.Expr.InQuery> subs = Subqueries.find(parsed);
      if (subs.isEmpty()) {
        plan = Planner.plan(parsed, options);
        merged = new PartialState(plan);
      }
      long deadline = rec.createTime() + config.timeout().toMillis();
      if (!store.progress(rec.withProgress(QueryStatus.Running, QueryStats.EMPTY, List.of()))) {
        return end(QueryStatus.Cancelled, "stopped by request");
      }
      AccountAccess.Scope scope = access.scope(rec.createdBy());
      List<String> accounts = scope.restrict(q.accounts());
      if (!scope.all() && accounts.isEmpty()) {
        return end(
            QueryStatus.Failed,
            "the account allow-list (callerAccounts) lets "
                + (rec.createdBy() == null ? "unsigned callers" : Caller.principal(rec.createdBy()))
                + " read none of the accounts asked for");
      }
      long l0 = System.nanoTime();
      List<ObjectRef> refs =
          catalog.list(
              new ObjectCatalog.Range(q.startMillis(), q.endMillis(), accounts, q.regions()));
      listNanos = System.nanoTime() - l0;
      objects = refs.size();
      batches = Batches.split(refs, config);
      if (!subs.isEmpty()) {
        // each inner query first, as a fan-out of its own over the same objects
        Map<String, java.util.Set<String>> values = new java.util.LinkedHashMap<>();
        for (var sub : subs) {
          if (values.containsKey(sub.source())) {
            continue;
          }
          String column = Subqueries.innerColumn(sub, options);
          Plan inner = Subqueries.innerPlan(sub, options);
          PartialState innerState = new PartialState(inner);
          Metrics stopped = fanOut(inner, innerState, sub.source(), column, Map.of(), deadline);
          if (stopped != null) {
            return stopped;
          }
          values.put(
              sub.source(), Subqueries.values(sub, Finisher.finish(innerState), q.queryString()));
        }
        subqueryValues = values;
        plan = Planner.plan(parsed, options.withSubqueries(values));
        merged = new PartialState(plan);
      }
      Metrics stopped = fanOut(plan, merged, q.queryString(), null, subqueryValues, deadline);
      return stopped != null ? stopped : end(QueryStatus.Complete, null);
    }

    /**
     * Runs {@code p} over every batch into {@code into}: null when done, else how the run ended
     * (timeout, cancel, failure).
     */
    Metrics fanOut(
        Plan p,
        PartialState into,
        String text,
        String distinctColumn,
        Map<String, java.util.Set<String>> subqueries,
        long deadline)
        throws IOException {
      current = p;
      currentInto = into;
      currentText = text;
      currentColumn = distinctColumn;
      currentSubqueries = subqueries;
      batchesDone = 0;
      int[] attempts = new int[batches.size()];
      int next = 0;
      long lastPublish = clock.getAsLong();
      long lastCancelCheck = lastPublish;
      publish();
      while (batchesDone < batches.size()) {
        while (inflight.size() < config.maxWorkers() && next < batches.size()) {
          submit(next++);
        }
        long now = clock.getAsLong();
        if (now >= deadline) {
          return end(
              QueryStatus.Timeout,
              "the query ran longer than " + config.timeout().toSeconds() + " s");
        }
        long wait = Math.max(1, Math.min(config.cancelCheckMillis(), deadline - now));
        Done d;
        try {
          d = done.poll(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return end(QueryStatus.Cancelled, "interrupted");
        }
        now = clock.getAsLong();
        if (now - lastCancelCheck >= config.cancelCheckMillis() || d == null) {
          lastCancelCheck = now;
          if (cancelled()) {
            return end(QueryStatus.Cancelled, "stopped by request");
          }
        }
        if (d != null) {
          inflight.remove(d.batch());
          if (d.error() != null) {
            if (++attempts[d.batch()] < config.maxAttempts()) {
              submit(d.batch());
            } else {
              return end(
                  QueryStatus.Failed,
                  "a worker failed "
                      + attempts[d.batch()]
                      + " times on one batch"
                      + logged("batch " + d.batch(), cause(d.error())));
            }
          } else {
            long m0 = System.nanoTime();
            into.merge(PartialState.fromBytes(p, d.state()));
            long m = System.nanoTime() - m0;
            mergeNanos += m;
            maxMergeNanos = Math.max(maxMergeNanos, m);
            batchesDone++;
          }
        }
        if (now - lastPublish >= config.publishMillis()
            && batchesDone < batches.size()
            && into == merged) {
          lastPublish = now;
          if (!publish()) {
            return end(QueryStatus.Cancelled, "stopped by request");
          }
        }
      }
      return null;
    }

    void submit(int batch) {
      List<ObjectRef> objs = batches.get(batch);
      QueryRequest q = rec.request();
      WorkerRequest req =
          new WorkerRequest(
              currentText,
              q.startMillis(),
              q.endMillis(),
              rec.createTime(),
              q.limit(),
              config.workerParallelism(),
              objs.getFirst().container(),
              objs,
              currentColumn,
              currentSubqueries,
              tableCsv);
      CompletableFuture<byte[]> f;
      try {
        f = invoker.invoke(req);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      inflight.put(batch, f);
      f.whenComplete((bytes, err) -> done.add(new Done(batch, bytes, err)));
    }

    boolean cancelled() {
      return store.get(rec.queryId()).map(r -> r.status() == QueryStatus.Cancelled).orElse(true);
    }

    /** Writes partial results; false when the query was stopped meanwhile. */
    boolean publish() throws IOException {
      if (merged == null) {
        return true; // a subquery's inner fan-out: nothing to show yet
      }
      PartialState copy = PartialState.fromBytes(plan, merged.toBytes());
      Result r = Finisher.finish(copy);
      return store.progress(rec.withProgress(QueryStatus.Running, stats(r), ResultField.rows(r)));
    }

    QueryStats stats(Result r) {
      return QueryStats.of(r.statistics(), objects, batches.size(), batchesDone);
    }

    Metrics end(QueryStatus status, String message) {
      for (CompletableFuture<byte[]> f : inflight.values()) {
        f.cancel(true);
      }
      inflight.clear();
      List<List<ResultField>> rows = List.of();
      List<String> warnings = List.of();
      QueryStats stats = QueryStats.EMPTY;
      if (merged != null) {
        Result r = Finisher.finish(merged);
        stats = stats(r);
        warnings = render(r.warnings());
        if (status != QueryStatus.Failed) {
          rows = ResultField.rows(r);
        }
      }
      store.finish(rec.finished(status, clock.getAsLong(), stats, rows, warnings, message));
      return new Metrics(
          status,
          objects,
          batches.size(),
          listNanos,
          mergeNanos,
          maxMergeNanos,
          System.nanoTime() - t0);
    }

    List<String> render(List<Diagnostic> ds) {
      List<String> out = new ArrayList<>();
      String src = rec.request().queryString();
      for (Diagnostic d : ds) {
        out.add(
            "line "
                + d.line(src)
                + ", column "
                + d.column(src)
                + ": "
                + d.message()
                + " ["
                + d.code()
                + "]");
      }
      return out;
    }
  }

  private static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
