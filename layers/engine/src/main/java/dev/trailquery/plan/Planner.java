package dev.trailquery.plan;

import com.google.re2j.Pattern;
import dev.trailquery.agg.Aggregates;
import dev.trailquery.agg.BoundAggregate;
import dev.trailquery.eval.CompileContext;
import dev.trailquery.eval.Evaluator;
import dev.trailquery.eval.ExprCompiler;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.QueryException;
import dev.trailquery.lang.Span;
import dev.trailquery.lang.ast.Command;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.lang.ast.Projection;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.lang.ast.SortKey;
import dev.trailquery.read.ReadRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a parsed {@link Query} into a {@link Plan}: resolves names to slots, compiles expressions,
 * and splits the pipeline into a mergeable partial stage and a final stage.
 */
public final class Planner {
  /** Rows returned when the query has no {@code limit} and the caller sets none. */
  public static final long DEFAULT_LIMIT = 10_000;

  /**
   * Options of one run.
   *
   * @param startMillis inclusive lower bound on {@code @timestamp}, or {@code Long.MIN_VALUE}
   * @param endMillis exclusive upper bound, or {@code Long.MAX_VALUE}
   * @param nowMillis the time the query runs ({@code now()})
   * @param limit the caller's row limit ({@code --limit}), or null for the default
   */
  public record Options(long startMillis, long endMillis, long nowMillis, Long limit) {
    public static Options defaults() {
      return new Options(Long.MIN_VALUE, Long.MAX_VALUE, System.currentTimeMillis(), null);
    }
  }

  private final Query query;
  private final Options options;
  private final String source;
  private final Set<String> referencedSystem = new HashSet<>();
  private final List<Diagnostic> limitWarnings = new ArrayList<>();

  private Planner(Query query, Options options) {
    this.query = query;
    this.options = options;
    this.source = query.source();
  }

  public static Plan plan(Query query, Options options) {
    return new Planner(query, options).build();
  }

  private Plan build() {
    Scope record = Scope.record();
    int indexSlot = record.hidden();
    Scope scope = record;
    List<RowOp> recordOps = new ArrayList<>();
    List<FinalOp> finalOps = new ArrayList<>();
    Terminal terminal = null;
    Order pendingOrder = null;
    int[] pendingDedup = null;
    List<String> display = null;
    LinkedHashSet<String> fields = new LinkedHashSet<>();
    List<String> statsOutputs = null;
    boolean partialStage = true;
    Long firstLimit = null;

    for (Command cmd : query.commands()) {
      Ctx ctx = new Ctx(scope);
      switch (cmd) {
        case Command.Fields f -> {
          RowOp op = assign(f.items(), ctx, scope);
          add(partialStage, recordOps, finalOps, op);
          f.items().forEach(p -> fields.add(p.name()));
        }
        case Command.Display d -> {
          RowOp op = assign(d.items(), ctx, scope);
          add(partialStage, recordOps, finalOps, op);
          display = d.items().stream().map(Projection::name).toList();
        }
        case Command.Filter f ->
            add(partialStage, recordOps, finalOps, new RowOp.Filter(ctx.compile(f.condition())));
        case Command.Parse p -> add(partialStage, recordOps, finalOps, parse(p, ctx, scope));
        case Command.Stats s -> {
          Scope out = Scope.derived();
          StatsSpec spec = stats(s, ctx, scope, out);
          if (partialStage) {
            terminal = new Terminal.Aggregate(spec);
            partialStage = false;
          } else {
            finalOps.add(new FinalOp.Stats(spec));
          }
          scope = out;
          statsOutputs = spec.outputNames();
          fields.clear();
          display = null;
        }
        case Command.Sort s -> {
          Order order = sortKeys(s, ctx, scope, partialStage, recordOps, finalOps);
          if (partialStage) {
            pendingOrder = order;
          } else {
            finalOps.add(new FinalOp.Sort(order));
          }
        }
        case Command.Dedup d -> {
          int[] slots = new int[d.fields().size()];
          for (int i = 0; i < slots.length; i++) {
            Expr.FieldRef f = d.fields().get(i);
            slots[i] = ctx.slotOf(f.name(), f.span());
          }
          if (partialStage) {
            pendingDedup = slots;
          } else {
            finalOps.add(new FinalOp.Dedup(slots));
          }
        }
        case Command.Limit l -> {
          if (l.count() > limit()) {
            limitWarnings.add(
                Diagnostic.warning(
                    "TQ3004",
                    "a query returns at most "
                        + limit()
                        + " rows (as Logs Insights does): limit "
                        + l.count()
                        + " returns "
                        + limit(),
                    l.span()));
          }
          if (partialStage) {
            firstLimit = l.count();
            terminal = topK(pendingOrder, pendingDedup, Math.min(l.count(), limit()), record);
            partialStage = false;
          } else {
            finalOps.add(new FinalOp.Limit(l.count()));
          }
        }
      }
    }
    if (terminal == null) {
      terminal = topK(pendingOrder, pendingDedup, limit(), record);
    }
    finalOps.add(new FinalOp.Limit(limit()));

    List<String> outputs;
    if (display != null) {
      outputs = display;
    } else if (statsOutputs != null) {
      LinkedHashSet<String> all = new LinkedHashSet<>(statsOutputs);
      all.addAll(fields);
      outputs = List.copyOf(all);
    } else if (!fields.isEmpty()) {
      outputs = List.copyOf(fields);
    } else {
      outputs = List.of(Scope.TIMESTAMP, Scope.MESSAGE);
    }
    int[] outputSlots = new int[outputs.size()];
    Ctx outCtx = new Ctx(scope);
    for (int i = 0; i < outputs.size(); i++) {
      outputSlots[i] = outCtx.slotOf(outputs.get(i), Span.at(source.length()));
    }
    if (terminal instanceof Terminal.TopK) {
      // The default order reads @timestamp even when nothing else does.
      referencedSystem.add(Scope.TIMESTAMP);
    }

    ReadRequest read =
        new ReadRequest(
            record.recordPaths(),
            record.recordPathSlots(),
            record.width(),
            referencedSystem.contains(Scope.MESSAGE));
    Plan.SystemSlots slots =
        new Plan.SystemSlots(
            record.find(Scope.TIMESTAMP),
            referencedSystem.contains(Scope.MESSAGE) ? record.find(Scope.MESSAGE) : -1,
            record.find(Scope.LOG_STREAM),
            record.find(Scope.LOG),
            referencedSystem.contains(Scope.PTR) ? record.find(Scope.PTR) : -1,
            indexSlot);
    Map<String, Span> pathSpans = new LinkedHashMap<>(record.firstUse());
    List<Diagnostic> warnings = new ArrayList<>(query.warnings());
    warnings.addAll(limitWarnings);
    long fingerprint = fingerprint(firstLimit);
    return new Plan(
        source,
        warnings,
        read,
        slots,
        List.copyOf(recordOps),
        terminal,
        List.copyOf(finalOps),
        outputs,
        outputSlots,
        pathSpans,
        options.startMillis(),
        options.endMillis(),
        fingerprint);
  }

  private long limit() {
    return options.limit() != null ? options.limit() : DEFAULT_LIMIT;
  }

  private Terminal topK(Order order, int[] dedup, long k, Scope record) {
    if (order == null) {
      order = new Order(new int[] {record.find(Scope.TIMESTAMP)}, new boolean[] {true});
    }
    return new Terminal.TopK(order, dedup, k);
  }

  private static void add(
      boolean partial, List<RowOp> recordOps, List<FinalOp> finalOps, RowOp op) {
    if (partial) {
      recordOps.add(op);
    } else {
      finalOps.add(new FinalOp.Rows(op));
    }
  }

  private RowOp assign(List<Projection> items, Ctx ctx, Scope scope) {
    int[] slots = new int[items.size()];
    Evaluator[] values = new Evaluator[items.size()];
    for (int i = 0; i < items.size(); i++) {
      Projection p = items.get(i);
      values[i] = ctx.compile(p.expr());
      slots[i] = scope.define(p.name());
    }
    return new RowOp.Assign(slots, values);
  }

  private RowOp parse(Command.Parse p, Ctx ctx, Scope scope) {
    Evaluator src = ctx.compile(p.source());
    int[] slots = new int[p.names().size()];
    String[] names = new String[slots.length];
    for (int i = 0; i < slots.length; i++) {
      names[i] = p.names().get(i).name();
    }
    if (p.glob() != null) {
      String[] literals = splitGlob(p.glob().value());
      if (literals.length - 1 != slots.length) {
        throw ctx.error(
            p.span(),
            "TQ2111",
            "the pattern has "
                + (literals.length - 1)
                + " '*' but "
                + slots.length
                + " names follow 'as'");
      }
      for (int i = 0; i < slots.length; i++) {
        slots[i] = scope.define(names[i]);
      }
      return new RowOp.ParseGlob(src, literals, slots);
    }
    Pattern pattern = new ExprCompiler(ctx, null).regex(p.regex());
    for (int i = 0; i < slots.length; i++) {
      slots[i] = scope.define(names[i]);
    }
    return new RowOp.ParseRegex(src, pattern, names, slots);
  }

  /** The literal parts around each {@code *}: {@code "a*b*"} → {@code ["a", "b", ""]}. */
  static String[] splitGlob(String glob) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < glob.length(); i++) {
      if (glob.charAt(i) == '*') {
        parts.add(glob.substring(from, i));
        from = i + 1;
      }
    }
    parts.add(glob.substring(from));
    return parts.toArray(String[]::new);
  }

  private Order sortKeys(
      Command.Sort s,
      Ctx ctx,
      Scope scope,
      boolean partial,
      List<RowOp> recordOps,
      List<FinalOp> finalOps) {
    List<SortKey> keys = s.keys();
    int[] slots = new int[keys.size()];
    boolean[] desc = new boolean[keys.size()];
    List<Integer> computedSlots = new ArrayList<>();
    List<Evaluator> computed = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      SortKey k = keys.get(i);
      desc[i] = k.descending();
      if (k.expr() instanceof Expr.FieldRef f) {
        slots[i] = ctx.slotOf(f.name(), f.span());
      } else {
        Evaluator e = ctx.compile(k.expr());
        slots[i] = scope.hidden();
        computedSlots.add(slots[i]);
        computed.add(e);
      }
    }
    if (!computed.isEmpty()) {
      RowOp op =
          new RowOp.Assign(
              computedSlots.stream().mapToInt(Integer::intValue).toArray(),
              computed.toArray(Evaluator[]::new));
      add(partial, recordOps, finalOps, op);
    }
    return new Order(slots, desc);
  }

  private StatsSpec stats(Command.Stats s, Ctx in, Scope inScope, Scope out) {
    int g = s.groupBy().size();
    Evaluator[] groupBy = new Evaluator[g];
    int[] groupSlots = new int[g];
    for (int i = 0; i < g; i++) {
      Projection p = s.groupBy().get(i);
      groupBy[i] = in.compile(p.expr());
      groupSlots[i] = out.define(p.name());
    }
    List<BoundAggregate> aggs = new ArrayList<>();
    List<Evaluator> aggArgs = new ArrayList<>();
    List<Integer> aggSlots = new ArrayList<>();
    int[] itemSlots = new int[s.aggregates().size()];
    Evaluator[] items = new Evaluator[s.aggregates().size()];
    List<String> names = new ArrayList<>();
    s.groupBy().forEach(p -> names.add(p.name()));
    for (int i = 0; i < items.length; i++) {
      Projection p = s.aggregates().get(i);
      Ctx outCtx = new Ctx(out);
      Function<Expr.Call, Evaluator> onAggregate =
          call -> {
            BoundAggregate bound = Aggregates.bind(call, in);
            Evaluator arg = null;
            if (bound.argument() != null) {
              arg = new ExprCompiler(in, nestedAggregate(in)).compile(bound.argument());
            }
            aggs.add(bound);
            aggArgs.add(arg);
            int slot = out.hidden();
            aggSlots.add(slot);
            return row -> row[slot];
          };
      items[i] = new ExprCompiler(outCtx, onAggregate).compile(p.expr());
      itemSlots[i] = out.define(p.name());
      names.add(p.name());
    }
    return new StatsSpec(
        groupBy,
        aggs.toArray(BoundAggregate[]::new),
        aggArgs.toArray(Evaluator[]::new),
        inScope.find(Scope.TIMESTAMP),
        groupSlots,
        aggSlots.stream().mapToInt(Integer::intValue).toArray(),
        itemSlots,
        items,
        out::width,
        List.copyOf(names));
  }

  private Function<Expr.Call, Evaluator> nestedAggregate(Ctx ctx) {
    return call -> {
      throw ctx.error(
          call.span(), "TQ2112", "an aggregate cannot be nested inside another aggregate");
    };
  }

  private long fingerprint(Long firstLimit) {
    // FNV-1a over the query text and the options that change partial states.
    long h = 0xcbf29ce484222325L;
    String key = source + "\u0000" + options.limit() + "\u0000" + firstLimit;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** Compile context over one scope. */
  private final class Ctx implements CompileContext {
    private final Scope scope;

    Ctx(Scope scope) {
      this.scope = scope;
    }

    @Override
    public Evaluator compile(Expr e) {
      return new ExprCompiler(this, null).compile(e);
    }

    int slotOf(String name, Span span) {
      int slot = scope.reference(name, span);
      if (slot < 0) {
        throw error(
            span,
            "TQ2110",
            "'"
                + name
                + "' does not exist after stats; available: "
                + String.join(", ", scope.names()));
      }
      if (scope.isRecordScope() && name.startsWith("@")) {
        referencedSystem.add(name);
      }
      return slot;
    }

    @Override
    public String source() {
      return source;
    }

    @Override
    public Evaluator field(String name) {
      return field(name, Span.at(0));
    }

    @Override
    public Evaluator field(String name, Span span) {
      int slot = slotOf(name, span);
      return row -> row[slot];
    }

    @Override
    public Evaluator existingColumn(Expr expr) {
      if (scope.isRecordScope()) {
        return null;
      }
      int slot = scope.find(expr.span().text(source).strip());
      return slot < 0 ? null : row -> row[slot];
    }

    @Override
    public long queryStartMillis() {
      return options.startMillis() == Long.MIN_VALUE ? options.nowMillis() : options.startMillis();
    }

    @Override
    public long queryEndMillis() {
      return options.endMillis() == Long.MAX_VALUE ? options.nowMillis() : options.endMillis();
    }

    @Override
    public long nowMillis() {
      return options.nowMillis();
    }

    @Override
    public QueryException error(Span span, String code, String message) {
      return new QueryException(source, Diagnostic.error(code, message, span));
    }
  }
}
