package dev.trailquery.plan;

import com.google.re2j.Pattern;
import dev.trailquery.agg.Aggregates;
import dev.trailquery.agg.BoundAggregate;
import dev.trailquery.eval.CompileContext;
import dev.trailquery.eval.Evaluator;
import dev.trailquery.eval.ExprCompiler;
import dev.trailquery.lang.Diagnostic;
import dev.trailquery.lang.ErrorCode;
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
  public record Options(
      long startMillis,
      long endMillis,
      long nowMillis,
      Long limit,
      Map<String, dev.trailquery.lookup.LookupTable> lookups,
      Map<String, Set<String>> subqueries,
      String distinctColumn) {
    public Options {
      lookups = lookups == null ? Map.of() : Map.copyOf(lookups);
      subqueries = subqueries == null ? Map.of() : Map.copyOf(subqueries);
    }

    public Options(long startMillis, long endMillis, long nowMillis, Long limit) {
      this(startMillis, endMillis, nowMillis, limit, Map.of(), Map.of(), null);
    }

    /**
     * These options for the inner query of a subquery: the distinct values of the output column
     * {@code column} are what matters, so a query without {@code stats} or {@code limit} keeps one
     * group per value instead of rows, and no default row limit applies.
     */
    public Options forSubquery(String column) {
      return new Options(
          startMillis, endMillis, nowMillis, Long.MAX_VALUE, lookups, Map.of(), column);
    }

    public static Options defaults() {
      return new Options(Long.MIN_VALUE, Long.MAX_VALUE, System.currentTimeMillis(), null);
    }

    /** These options with lookup tables by name ({@code lookup TABLE ...}). */
    public Options withLookups(Map<String, dev.trailquery.lookup.LookupTable> tables) {
      return new Options(
          startMillis, endMillis, nowMillis, limit, tables, subqueries, distinctColumn);
    }

    /**
     * These options with the values of subqueries that have run, by the inner query's text ({@link
     * Expr.InQuery#source()}), each value as its text.
     */
    public Options withSubqueries(Map<String, Set<String>> values) {
      return new Options(startMillis, endMillis, nowMillis, limit, lookups, values, distinctColumn);
    }
  }

  private final Query query;
  private final Options options;
  private final String source;
  private final Set<String> referencedSystem = new HashSet<>();
  private final List<Diagnostic> limitWarnings = new ArrayList<>();
  private final List<String> lookupVersions = new ArrayList<>();

  /** The lookup tables (name@version) the plan evaluates with, in the order the query uses them. */
  private String subqueryDigest() {
    if (options.subqueries().isEmpty()) {
      return "";
    }
    long h = 0;
    for (Map.Entry<String, Set<String>> e : options.subqueries().entrySet()) {
      long v = e.getKey().hashCode();
      for (String x : e.getValue()) {
        v += x.hashCode() * 0x9E3779B97F4A7C15L; // order-independent
      }
      h += v * 31 + e.getValue().size();
    }
    return Long.toHexString(h);
  }

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
    boolean multiplies =
        query.commands().stream()
            .anyMatch(c -> c instanceof Command.Unnest || c instanceof Command.Expand);
    int elementSlot = multiplies ? record.hidden() : -1;
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

    List<Command> commands = query.commands();
    for (int ci = 0; ci < commands.size(); ci++) {
      Command cmd = commands.get(ci);
      List<Command> later = commands.subList(ci + 1, commands.size());
      Ctx ctx = new Ctx(scope);
      switch (cmd) {
        case Command.Fields f -> {
          RowOp op = assign(f.items(), ctx, scope, later);
          if (op != null) {
            add(partialStage, recordOps, finalOps, op);
          }
          f.items().forEach(p -> fields.add(p.name()));
        }
        case Command.Display d -> {
          RowOp op = assign(d.items(), ctx, scope, later);
          if (op != null) {
            add(partialStage, recordOps, finalOps, op);
          }
          display = d.items().stream().map(Projection::name).toList();
        }
        case Command.Unnest u -> {
          Evaluator src = ctx.compile(u.source());
          int slot = scope.define(u.into().name());
          scope.mark(u.into().name(), true, false, false);
          add(partialStage, recordOps, finalOps, new RowOp.Unnest(src, slot, false));
        }
        case Command.Expand e -> {
          String name = e.field().name();
          if (isStructuredExpr(e.field(), scope)) {
            // fine: a list from jsonParse or split is what expand is for
          }
          Evaluator src = ctx.compile(e.field());
          int slot = scope.define(name);
          scope.mark(name, true, false, false);
          add(
              partialStage,
              recordOps,
              finalOps,
              new RowOp.Assign(new int[] {slot}, new Evaluator[] {src}));
          add(partialStage, recordOps, finalOps, new RowOp.Unnest(row -> row[slot], slot, true));
        }
        case Command.Lookup l -> {
          add(partialStage, recordOps, finalOps, lookup(l, ctx, scope));
          l.outputs().forEach(c -> fields.add(c.field().name()));
        }
        case Command.CountFrequent c -> {
          Scope out = Scope.derived();
          List<FinalOp> explode = new ArrayList<>();
          StatsSpec spec = countFrequent(c, ctx, scope, out, explode);
          if (partialStage) {
            terminal = new Terminal.Aggregate(spec);
            partialStage = false;
          } else {
            finalOps.add(new FinalOp.Stats(spec));
          }
          finalOps.addAll(explode);
          scope = out;
          statsOutputs = spec.outputNames();
          fields.clear();
          display = null;
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
            refuseStructured(f, scope, "a dedup field");
            if (ctx.isPlainName(f.name())) {
              slots[i] = ctx.slotOf(f.name(), f.span());
            } else {
              slots[i] = scope.hidden();
              add(
                  partialStage,
                  recordOps,
                  finalOps,
                  new RowOp.Assign(new int[] {slots[i]}, new Evaluator[] {ctx.compile(f)}));
            }
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
                    ErrorCode.LIMIT_OVER_CAP.code(),
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
    if (options.distinctColumn() != null
        && terminal instanceof Terminal.TopK t
        && firstLimit == null
        && t.dedupSlots() == null) {
      // A subquery's rows only matter for their distinct values: keep a group per value.
      int column = outputs.indexOf(options.distinctColumn());
      if (column >= 0) {
        int slot = outputSlots[column];
        Scope distinct = Scope.derived();
        int keySlot = distinct.define(outputs.get(column));
        terminal =
            new Terminal.Aggregate(
                new StatsSpec(
                    new Evaluator[] {row -> row[slot]},
                    new BoundAggregate[0],
                    new Evaluator[0],
                    record.find(Scope.TIMESTAMP),
                    new int[] {keySlot},
                    new int[0],
                    new int[0],
                    new Evaluator[0],
                    distinct::width,
                    List.of(outputs.get(column))));
        finalOps.clear();
        outputs = List.of(outputs.get(column));
        outputSlots = new int[] {keySlot};
      }
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
            indexSlot,
            elementSlot);
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
        fingerprint,
        List.copyOf(lookupVersions));
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

  private RowOp assign(List<Projection> items, Ctx ctx, Scope scope, List<Command> later) {
    List<Integer> slots = new ArrayList<>();
    List<Evaluator> values = new ArrayList<>();
    for (Projection p : items) {
      boolean root = ctx.isMessageParse(p.expr());
      if (root && !JsonAccess.usedWhole(p.name(), later)) {
        // Its paths are read as the record's own paths; nothing to compute per row.
        scope.mark(p.name(), true, true, true);
        continue;
      }
      values.add(ctx.compile(p.expr()));
      slots.add(scope.define(p.name()));
      boolean plain = p.expr() instanceof Expr.FieldRef f && f.name().equals(p.name());
      scope.mark(p.name(), !plain, isStructuredExpr(p.expr(), scope), root);
    }
    if (slots.isEmpty()) {
      return null;
    }
    return new RowOp.Assign(
        slots.stream().mapToInt(Integer::intValue).toArray(), values.toArray(Evaluator[]::new));
  }

  /** Whether an expression is known to give a map or list (jsonParse, split, or a name of one). */
  static boolean isStructuredExpr(Expr e, Scope scope) {
    return switch (e) {
      case Expr.Call c ->
          JsonAccess.STRUCTURED_FUNCTIONS.contains(c.name().toLowerCase(java.util.Locale.ROOT));
      case Expr.FieldRef f -> scope.isStructured(f.name());
      default -> false;
    };
  }

  /** TQ2113 where Logs Insights refuses maps and lists (stats, sort, dedup, countFrequent). */
  private void refuseStructured(Expr e, Scope scope, String what) {
    if (isStructuredExpr(e, scope)) {
      throw new QueryException(
          source,
          Diagnostic.error(
              ErrorCode.MAP_OR_LIST_VALUE.code(),
              "'"
                  + e.span().text(source).strip()
                  + "' is a map or list and cannot be "
                  + what
                  + "; use one of its fields ("
                  + e.span().text(source).strip()
                  + ".name) or jsonStringify("
                  + e.span().text(source).strip()
                  + ")",
              e.span()));
    }
  }

  private RowOp lookup(Command.Lookup l, Ctx ctx, Scope scope) {
    dev.trailquery.lookup.LookupTable table = options.lookups().get(l.table().name());
    if (table == null) {
      String known =
          options.lookups().isEmpty()
              ? "no lookup tables are loaded (./trailquery query --lookup NAME=FILE.csv, or PUT"
                  + " /lookup-tables/NAME)"
              : "known: " + String.join(", ", new java.util.TreeSet<>(options.lookups().keySet()));
      throw ctx.error(
          l.table().span(),
          ErrorCode.UNKNOWN_LOOKUP_TABLE.code(),
          "no lookup table '" + l.table().name() + "'; " + known);
    }
    int[] matchColumns = new int[l.matches().size()];
    Evaluator[] match = new Evaluator[matchColumns.length];
    for (int i = 0; i < matchColumns.length; i++) {
      Command.Column c = l.matches().get(i);
      matchColumns[i] = column(table, c.column(), ctx);
      match[i] = ctx.field(c.field().name(), c.field().span());
    }
    int[] outColumns = new int[l.outputs().size()];
    int[] outSlots = new int[outColumns.length];
    for (int i = 0; i < outColumns.length; i++) {
      Command.Column c = l.outputs().get(i);
      outColumns[i] = column(table, c.column(), ctx);
      outSlots[i] = scope.define(c.field().name());
      scope.mark(c.field().name(), true, false, false);
    }
    lookupVersions.add(table.name() + "@" + table.version());
    return new RowOp.Lookup(match, table.index(matchColumns), outColumns, outSlots, l.outputNew());
  }

  private static int column(dev.trailquery.lookup.LookupTable table, Command.Name name, Ctx ctx) {
    int i = table.columns().indexOf(name.name());
    if (i < 0) {
      throw ctx.error(
          name.span(),
          ErrorCode.UNKNOWN_LOOKUP_COLUMN.code(),
          "lookup table '"
              + table.name()
              + "' has no column '"
              + name.name()
              + "'; its columns: "
              + String.join(", ", table.columns()));
    }
    return i;
  }

  private StatsSpec countFrequent(
      Command.CountFrequent c, Ctx in, Scope inScope, Scope out, List<FinalOp> explode) {
    int n = c.items().size();
    Evaluator[] keys = new Evaluator[n];
    int[] keySlots = new int[n];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Projection p = c.items().get(i);
      refuseStructured(p.expr(), inScope, "counted by countFrequent");
      keys[i] = in.compile(p.expr());
      keySlots[i] = out.define(p.name());
      names.add(p.name());
    }
    int countSlot = out.define(dev.trailquery.agg.FrequentItems.COUNT_FIELD);
    names.add(dev.trailquery.agg.FrequentItems.COUNT_FIELD);
    int aggSlot = out.hidden();
    explode.add(new FinalOp.Explode(aggSlot, keySlots, countSlot, out::width));
    return new StatsSpec(
        new Evaluator[0],
        new BoundAggregate[] {new BoundAggregate(new dev.trailquery.agg.FrequentItems(n), null)},
        new Evaluator[] {row -> dev.trailquery.agg.FrequentItems.key(keys, row)},
        inScope.find(Scope.TIMESTAMP),
        new int[0],
        new int[] {aggSlot},
        new int[0],
        new Evaluator[0],
        out::width,
        List.copyOf(names));
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
            ErrorCode.PATTERN_NAMES_MISMATCH.code(),
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
      refuseStructured(k.expr(), scope, "a sort key");
      desc[i] = k.descending();
      if (k.expr() instanceof Expr.FieldRef f && ctx.isPlainName(f.name())) {
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
      refuseStructured(p.expr(), inScope, "a stats group key");
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
              refuseStructured(bound.argument(), inScope, "an aggregate's argument");
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
          call.span(),
          ErrorCode.NESTED_AGGREGATE.code(),
          "an aggregate cannot be nested inside another aggregate");
    };
  }

  private long fingerprint(Long firstLimit) {
    // FNV-1a over the query text and the options that change partial states.
    long h = 0xcbf29ce484222325L;
    String key =
        source
            + "\u0000"
            + options.limit()
            + "\u0000"
            + firstLimit
            + "\u0000"
            + String.join(",", lookupVersions)
            + "\u0000"
            + subqueryDigest()
            + "\u0000"
            + options.distinctColumn();
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
            ErrorCode.FIELD_GONE_AFTER_STATS.code(),
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
      if (scope.find(name) < 0) {
        Evaluator through = throughPrefix(name, span, List.of());
        if (through != null) {
          return through;
        }
      }
      int slot = slotOf(name, span);
      return row -> row[slot];
    }

    /**
     * A dotted name whose first segments name a defined map (an alias, an unnest target) or {@code
     * jsonParse(@message)}: {@code r.type} after {@code unnest resources into r}, {@code js.a.b}
     * after {@code fields jsonParse(@message) as js}. Null when no prefix is such a name.
     */
    private Evaluator throughPrefix(String name, Span span, List<Expr.Step> more) {
      String[] segs = name.split("\\.", -1);
      for (int k = segs.length - 1; k >= 1; k--) {
        String prefix = String.join(".", java.util.Arrays.copyOf(segs, k));
        List<Expr.Step> steps = new ArrayList<>();
        for (int j = k; j < segs.length; j++) {
          steps.add(new Expr.Step.Key(segs[j]));
        }
        steps.addAll(more);
        if (scope.isRecordScope() && scope.isRootAlias(prefix)) {
          return recordAccess(steps, span);
        }
        if (scope.isDerived(prefix) && scope.find(prefix) >= 0) {
          int slot = scope.find(prefix);
          return ExprCompiler.navigate(row -> row[slot], steps);
        }
      }
      return null;
    }

    /** Whether a name is a slot of its own (not reached through a map it starts with). */
    boolean isPlainName(String name) {
      return scope.find(name) >= 0 || throughPrefix(name, Span.at(0), List.of()) == null;
    }

    /** Whether {@code e} is {@code jsonParse(@message)} over the record's own text. */
    boolean isMessageParse(Expr e) {
      return scope.isRecordScope()
          && e instanceof Expr.Call c
          && c.name().equalsIgnoreCase("jsonParse")
          && c.args().size() == 1
          && !c.star()
          && c.args().getFirst() instanceof Expr.FieldRef f
          && f.name().equals(Scope.MESSAGE)
          && !scope.isDerived(Scope.MESSAGE);
    }

    @Override
    public Evaluator rewrite(Expr e) {
      if (isMessageParse(e)) {
        Evaluator message = field(Scope.MESSAGE, ((Expr.Call) e).args().getFirst().span());
        // the record's own text: a valid, compact JSON object, parsed only when accessed
        return row ->
            switch (message.eval(row)) {
              case String s -> dev.trailquery.value.JsonValue.ofTrustedText(s);
              case dev.trailquery.value.JsonValue j -> j;
              case null, default -> null;
            };
      }
      if (!(e instanceof Expr.Access a)) {
        return null;
      }
      if (isMessageParse(a.target())) {
        return recordAccess(a.steps(), a.span());
      }
      if (a.target() instanceof Expr.FieldRef f) {
        if (scope.find(f.name()) >= 0) {
          if (scope.isRecordScope() && !scope.isDerived(f.name()) && !f.name().startsWith("@")) {
            return recordAccess(prepend(f.name(), a.steps()), a.span());
          }
          return null; // navigate the defined value
        }
        Evaluator through = throughPrefix(f.name(), f.span(), a.steps());
        if (through != null) {
          return through;
        }
        if (scope.isRecordScope() && !f.name().startsWith("@")) {
          return recordAccess(prepend(f.name(), a.steps()), a.span());
        }
      }
      return null;
    }

    private List<Expr.Step> prepend(String path, List<Expr.Step> steps) {
      List<Expr.Step> all = new ArrayList<>();
      for (String seg : path.split("\\.", -1)) {
        all.add(new Expr.Step.Key(seg));
      }
      all.addAll(steps);
      return all;
    }

    /**
     * Steps from the record's root: as many as a dotted path can say are read by the reader (only
     * that path, the rest of the record skipped); the rest are navigated in memory.
     */
    private Evaluator recordAccess(List<Expr.Step> steps, Span span) {
      List<String> segs = new ArrayList<>();
      int used = 0;
      for (Expr.Step st : steps) {
        String seg =
            switch (st) {
              case Expr.Step.Index i -> Integer.toString(i.index());
              case Expr.Step.Key k -> k.name();
            };
        if (seg.isEmpty() || seg.contains(".") || seg.startsWith("@@")) {
          break;
        }
        segs.add(seg);
        used++;
      }
      List<Expr.Step> rest = steps.subList(used, steps.size());
      Evaluator base;
      if (segs.isEmpty()) {
        Evaluator message = field(Scope.MESSAGE, span);
        base =
            row ->
                message.eval(row) instanceof String s
                    ? dev.trailquery.value.JsonValue.ofTrustedText(s)
                    : null;
      } else {
        String path = String.join(".", segs);
        int slot = scope.recordPath(path, span);
        base = row -> row[slot];
      }
      return rest.isEmpty() ? base : ExprCompiler.navigate(base, rest);
    }

    @Override
    public Set<String> subqueryValues(Expr.InQuery q) {
      Set<String> values = options.subqueries().get(q.source());
      if (values == null) {
        return CompileContext.super.subqueryValues(q);
      }
      return values;
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
