package dev.trailquery.functions.alarm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.store.Bundle;
import dev.trailquery.functions.store.Results;
import dev.trailquery.functions.store.Subscription;
import dev.trailquery.json.Mappers;
import dev.trailquery.value.Periods;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Evaluates alarms when their subscription's bins change (docs/INGEST.md, "Alarms"): after a
 * batch's bundles are stored, what its objects gave each alarmed subscription's bins is folded into
 * the bins' running states, each object exactly once ({@link AlarmBins}), and each bin fed is
 * judged once from its state; the state moves forward in bin time only, and a bin that breaches
 * while the bin before it did not notifies once — whoever creates its breach record (a conditional
 * put) publishes.
 */
public final class AlarmEvaluator {
  private static final ObjectMapper JSON = Mappers.MAPPER;

  /** How long the writer of a breach record owns its notification before another may send it. */
  static final long LEASE_MILLIS = 60_000;

  private final AlarmStore store;
  private final AlarmBins bins;
  private final Results results;
  private final Notifier notifier;
  private final LongSupplier clock;
  private final PrintStream log;
  private final AtomicLong evaluations = new AtomicLong();
  private final AtomicLong notifications = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  public AlarmEvaluator(
      AlarmStore store, Results results, Notifier notifier, LongSupplier clock, PrintStream log) {
    this.store = store;
    this.bins = new AlarmBins(results.store().db(), results.store().table());
    this.results = results;
    this.notifier = notifier;
    this.clock = clock;
    this.log = log;
  }

  public AlarmStore store() {
    return store;
  }

  public Notifier notifier() {
    return notifier;
  }

  /** Bins judged so far (counters for metrics; they only grow). */
  public long evaluations() {
    return evaluations.get();
  }

  /** Notifications published so far. */
  public long notifications() {
    return notifications.get();
  }

  /** Alarm evaluations that failed so far (logged; the object's ingest stands). */
  public long errors() {
    return errors.get();
  }

  /**
   * How long after an alarm is set its bins come from the running bin states ({@link AlarmBins}): a
   * bin starting before every ingest container has seen the alarm (its definition cache) plus a
   * margin for clock skew may have objects that were not folded in, and is read from the results
   * (sealed bins and unsealed deltas) instead.
   */
  static final long INDEX_MARGIN_MILLIS = 5 * 60_000;

  /** What objects gave one alarmed subscription since the batch began. */
  private static final class Pending {
    final Subscription sub;

    /** bin start → object id → contribution (a duplicate in the batch counts once). */
    final java.util.TreeMap<Long, Map<String, AlarmBins.Contribution>> bins =
        new java.util.TreeMap<>();

    final Map<Long, Long> ttl = new java.util.HashMap<>();

    /** Bins too early for the running states: judged from the results. */
    final TreeSet<Long> fromResults = new TreeSet<>();

    /** The running states after the fold. */
    final SortedMap<Long, AlarmBins.Folded> folded = new java.util.TreeMap<>();

    Pending(Subscription sub) {
      this.sub = sub;
    }
  }

  /** One invocation's alarmed bins. */
  private static final class Batch {
    final Map<String, Pending> pending = new LinkedHashMap<>();
    boolean folded;
  }

  private final ThreadLocal<Batch> batches = new ThreadLocal<>();
  private final ThreadLocal<Batch> single = new ThreadLocal<>();
  private final Map<String, dev.trailquery.plan.Plan> plans =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Notes what one object gave each alarmed subscription, bin by bin, to be folded into the bins'
   * running states ({@link AlarmBins}) once per batch ({@link #foldBatch}). Outside a batch the
   * object is folded at once. Part of the object's ingest: it throws on a DynamoDB error, so the
   * message is retried (folding counts each object once however often it comes). Returns 0 (the
   * fold's write units belong to the batch).
   *
   * @param ttlByDay the TTL of the day's bundles (null values: none)
   */
  public long index(
      String objectId,
      List<Subscription> subs,
      SortedMap<String, Bundle> days,
      Map<String, Long> ttlByDay) {
    Map<String, Alarm> alarms = store.cached();
    if (alarms.isEmpty()) {
      return 0;
    }
    Batch batch = batches.get();
    boolean now = batch == null;
    if (now) {
      batch = new Batch();
    }
    for (Subscription s : subs) {
      Alarm a = alarms.get(s.name());
      if (a == null) {
        continue;
      }
      for (Map.Entry<String, Bundle> day : days.entrySet()) {
        SortedMap<Long, byte[]> states = day.getValue().states.get(s.id());
        if (states == null || states.isEmpty()) {
          continue;
        }
        Pending p = batch.pending.computeIfAbsent(s.id(), k -> new Pending(s));
        SortedMap<Long, Long> hist = day.getValue().histograms.get(s.bin());
        Long ttl = ttlByDay.get(day.getKey());
        for (Map.Entry<Long, byte[]> b : states.entrySet()) {
          long bin = b.getKey();
          if (!indexed(a, bin)) {
            p.fromResults.add(bin);
            continue;
          }
          long records = hist == null ? 0 : hist.getOrDefault(bin, 0L);
          p.bins
              .computeIfAbsent(bin, k -> new LinkedHashMap<>())
              .put(objectId, new AlarmBins.Contribution(objectId, b.getValue(), records));
          if (ttl == null || p.ttl.containsKey(bin) && p.ttl.get(bin) == null) {
            p.ttl.put(bin, null);
          } else {
            p.ttl.merge(bin, ttl, Math::max);
          }
        }
      }
    }
    if (now) {
      fold(batch);
      single.set(batch);
    }
    return 0;
  }

  /**
   * Whether a bin of the alarm is judged from its running state (see {@link #INDEX_MARGIN_MILLIS}).
   */
  boolean indexed(Alarm a, long binStart) {
    return binStart >= a.createdMillis() + store.cacheMillis() + INDEX_MARGIN_MILLIS;
  }

  /**
   * Judges the alarms of the subscriptions whose bins one object just fed. In a batch nothing
   * happens until {@link #endBatch}. Never throws an exception: a failure is logged and counted,
   * and the object's ingest stands; an unsent notification is sent when its bin is next evaluated.
   */
  public void afterObject(List<Subscription> subs, SortedMap<String, Bundle> days) {
    if (batches.get() != null) {
      return;
    }
    Batch b = single.get();
    single.remove();
    if (b != null) {
      evaluatePending(b);
    }
  }

  /**
   * Starts a batch on this thread: until {@link #endBatch}, {@link #index} only notes what objects
   * gave the alarmed bins; {@link #foldBatch} folds each (subscription, bin) once, and {@link
   * #endBatch} judges it once (an SQS batch of 10 objects costs one read per bin, not 10).
   */
  public void beginBatch() {
    batches.set(new Batch());
  }

  /**
   * Folds what the batch's objects gave the alarmed bins into the bins' running states. Part of the
   * batch's ingest: throws on a DynamoDB error (the batch's messages are then delivered again;
   * folding counts each object once).
   */
  public void foldBatch() {
    Batch batch = batches.get();
    if (batch != null) {
      fold(batch);
    }
  }

  private void fold(Batch batch) {
    for (Pending p : batch.pending.values()) {
      dev.trailquery.plan.Plan plan = plan(p.sub);
      for (var bin : p.bins.entrySet()) {
        try {
          p.folded.put(
              bin.getKey(),
              bins.fold(p.sub.id(), bin.getKey(), bin.getValue(), p.ttl.get(bin.getKey()), plan));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("folding an alarm bin of " + p.sub.name(), e);
        }
      }
    }
    batch.folded = true;
  }

  private dev.trailquery.plan.Plan plan(Subscription s) {
    if (plans.size() > 256) {
      plans.clear();
    }
    return plans.computeIfAbsent(s.id(), k -> s.plan());
  }

  /**
   * Judges what the batch folded; never throws (as {@link #afterObject}). A batch whose fold failed
   * or never ran judges nothing: its messages are delivered again.
   */
  public void endBatch() {
    Batch batch = batches.get();
    batches.remove();
    if (batch != null && batch.folded) {
      evaluatePending(batch);
    }
  }

  private void evaluatePending(Batch batch) {
    if (batch.pending.isEmpty()) {
      return;
    }
    Map<String, Alarm> alarms;
    try {
      alarms = store.cached();
    } catch (RuntimeException e) {
      failed("reading the alarms", e);
      return;
    }
    for (Pending p : batch.pending.values()) {
      Subscription s = p.sub;
      Alarm a = alarms.get(s.name());
      if (a == null) {
        continue;
      }
      try {
        SortedMap<Long, Results.BinResult> judged = new java.util.TreeMap<>();
        List<Long> fromResults = new java.util.ArrayList<>(p.fromResults);
        dev.trailquery.plan.Plan plan = plan(s);
        for (AlarmBins.Folded f : p.folded.values()) {
          if (f.big()) {
            fromResults.add(f.start());
          } else if (f.objects() > 0) {
            dev.trailquery.exec.PartialState state =
                f.state() == null
                    ? new dev.trailquery.exec.PartialState(plan)
                    : dev.trailquery.exec.PartialState.fromBytes(plan, f.state());
            judged.put(f.start(), Results.binResult(f.start(), state, f.records(), f.objects()));
          }
        }
        if (!fromResults.isEmpty()) {
          judged.putAll(results.bins(s, fromResults));
        }
        evaluate(s, a, judged);
      } catch (IOException | RuntimeException e) {
        failed("evaluating the alarm of " + s.name(), e);
      }
    }
  }

  /** Judges the given bins (oldest first) and notifies as the rules say. */
  public void evaluate(Subscription s, Alarm a, SortedMap<Long, Results.BinResult> bins) {
    Periods period = s.period();
    for (Results.BinResult bin : bins.values()) {
      evaluations.incrementAndGet();
      Alarm.Verdict v = a.judge(bin.result());
      Optional<AlarmStore.State> old =
          store.advance(a, bin.start(), bin.objects(), v.state(), v.rows());
      if (v.state() == Alarm.State.ALARM) {
        breached(s, a, period, bin, v, old);
      } else if (v.state() == Alarm.State.OK
          && a.notifyOk()
          && old.isPresent()
          && old.get().state() == Alarm.State.ALARM) {
        // exactly one writer saw ALARM replaced by OK (the update returns what it replaced)
        send(s, a, period, bin, v, Alarm.State.ALARM, false);
      }
    }
  }

  private void breached(
      Subscription s,
      Alarm a,
      Periods period,
      Results.BinResult bin,
      Alarm.Verdict v,
      Optional<AlarmStore.State> old) {
    long now = clock.getAsLong();
    Optional<AlarmStore.Breach> existing = store.breach(a, bin.start());
    if (existing.isEmpty()) {
      long previous = period.floor(bin.start() - 1);
      boolean notify = store.breach(a, previous).isEmpty();
      Long ttl =
          s.retentionDays() > 0
              ? period.next(bin.start()) / 1000 + s.retentionDays() * 86_400L
              : null;
      if (store.recordBreach(a, bin.start(), notify, now + LEASE_MILLIS, ttl)) {
        if (notify) {
          deliver(s, a, period, bin, v, old);
        }
        return;
      }
      existing = store.breach(a, bin.start()); // a concurrent evaluation recorded it first
    }
    if (existing.isPresent()
        && existing.get().notifies()
        && !existing.get().sent()
        && existing.get().leaseUntil() < now
        && store.takeOver(a, bin.start(), now, now + LEASE_MILLIS)) {
      deliver(s, a, period, bin, v, old); // its first sender failed or died before sending
    }
  }

  private void deliver(
      Subscription s,
      Alarm a,
      Periods period,
      Results.BinResult bin,
      Alarm.Verdict v,
      Optional<AlarmStore.State> old) {
    Alarm.State previous =
        old.map(AlarmStore.State::state)
            .filter(st -> st != Alarm.State.ALARM)
            .orElse(Alarm.State.OK);
    try {
      send(s, a, period, bin, v, previous, old.isEmpty());
    } catch (RuntimeException e) {
      try {
        store.releaseLease(a, bin.start());
      } catch (RuntimeException ignored) {
        // the lease runs out by itself
      }
      throw e;
    }
    store.markSent(a, bin.start());
  }

  private void send(
      Subscription s,
      Alarm a,
      Periods period,
      Results.BinResult bin,
      Alarm.Verdict v,
      Alarm.State previous,
      boolean late) {
    Notifier.Notification n = notification(s, a, period, bin, v, previous, late);
    notifier.publish(n);
    notifications.incrementAndGet();
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("level", "INFO");
    line.put("message", "alarm " + v.state() + ": " + n.subject());
    line.put("alarm", a.subscription());
    line.put("state", v.state().name());
    line.put("bin", Instant.ofEpochMilli(bin.start()).toString());
    line.put("to", notifier.describe());
    write(line);
  }

  /** The events that matched, newest first: asked for metric filters and rules, which keep none. */
  static String investigateQuery(Subscription s) {
    String fields =
        "\n| fields @timestamp, eventSource, eventName, userIdentity.arn, sourceIPAddress,"
            + " errorCode\n| sort @timestamp desc\n| limit 50";
    return switch (s.type()) {
      case Subscription.METRIC_FILTER ->
          "filter filterPattern("
              + dev.trailquery.metricfilter.MetricFilter.literal(s.metricFilter().pattern().text())
              + ")"
              + fields;
      case Subscription.CONTRIBUTOR_RULE ->
          "filter " + dev.trailquery.contributor.RuleCompiler.condition(s.rule()) + fields;
      default -> null;
    };
  }

  /** The notification of a bin's decision (JSON message, subject of at most 100 characters). */
  static Notifier.Notification notification(
      Subscription s,
      Alarm a,
      Periods period,
      Results.BinResult bin,
      Alarm.Verdict v,
      Alarm.State previous,
      boolean late) {
    ObjectNode m = JSON.createObjectNode();
    m.put("alarm", a.subscription());
    m.put("subscription", s.name());
    if (a.description() != null) {
      m.put("description", a.description());
    }
    m.put("state", v.state().name());
    m.put("previousState", previous.name());
    m.put("condition", a.condition());
    m.put("column", a.column());
    m.put("comparison", a.comparison().symbol());
    m.put("threshold", a.threshold());
    m.put("bin", s.bin());
    m.put("binStart", Instant.ofEpochMilli(bin.start()).toString());
    m.put("binEnd", Instant.ofEpochMilli(period.next(bin.start())).toString());
    m.put("late", late);
    m.put("objects", bin.objects());
    m.put("recordsScanned", bin.result().statistics().recordsScanned());
    ArrayNode rows = m.putArray("triggeringRows");
    for (Map<String, String> row : v.rows()) {
      ObjectNode r = rows.addObject();
      row.forEach(r::put);
    }
    m.put("queryString", s.query());
    String investigate = investigateQuery(s);
    if (investigate != null) {
      // The events behind the numbers: run it over [binStart, binEnd) (POST /queries, or
      // ./trailquery query --start binStart --end binEnd).
      m.put("investigateQuery", investigate);
    }
    String subject =
        v.state().name()
            + ": "
            + s.name()
            + " "
            + a.condition()
            + " in "
            + s.bin()
            + " bin "
            + Instant.ofEpochMilli(bin.start()).toString();
    try {
      return new Notifier.Notification(subject(subject), JSON.writeValueAsString(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SNS subjects: printable ASCII, no line breaks, at most 100 characters. */
  static String subject(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.length() <= 100 ? b.toString() : b.substring(0, 99) + "~";
  }

  private void failed(String what, Exception e) {
    errors.incrementAndGet();
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("level", "ERROR");
    line.put("message", what + " failed (the object's ingest stands): " + e);
    write(line);
  }

  private void write(Map<String, Object> line) {
    try {
      log.println(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
