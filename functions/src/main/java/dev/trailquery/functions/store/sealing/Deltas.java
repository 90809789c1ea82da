package dev.trailquery.functions.store.sealing;

import dev.trailquery.functions.store.Bundle;
import dev.trailquery.functions.store.ResultStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongPredicate;

/**
 * The contributions of not-yet-sealed delivery slots: for each subscription, which object's bundle
 * counts, and in which slot (docs/INGEST.md, "Sealing"). The sealer and the readers use this one
 * rule, so they always agree on what a slot holds:
 *
 * <ul>
 *   <li>natural bundles of slot C: per object and subscription, the first complete bundle (by set
 *       id) that lists the subscription counts in slot C;
 *   <li>late bundles of natural slot N: per object and subscription, the complete late bundle with
 *       the smallest (first-write slot, set id) that lists the subscription counts in its
 *       first-write slot — unless a natural bundle of the object in slot N lists the subscription
 *       (then it counted there).
 * </ul>
 */
public final class Deltas {
  /** One object's bundle counted for a subscription in a slot. */
  public record Contribution(long slot, String objectId, Bundle bundle) {}

  /** Above this many late objects of one natural slot, its natural bundles are read whole. */
  static final int READ_WHOLE_SLOT = 32;

  private final ResultStore store;

  public Deltas(ResultStore store) {
    this.store = store;
  }

  /**
   * The contributions of the given index entries whose slot {@code accept}s: subscription id →
   * contributions in object id order. {@code ids}: only these subscriptions (null: every
   * subscription the bundles list).
   */
  public Map<String, List<Contribution>> read(
      Collection<SealedStore.Entry> entries, LongPredicate accept, Set<String> ids)
      throws IOException {
    Map<String, List<Contribution>> out = new TreeMap<>();
    TreeSet<Long> naturalSlots = new TreeSet<>();
    TreeSet<Long> lateOf = new TreeSet<>();
    for (SealedStore.Entry e : entries) {
      if (!accept.test(e.slot())) {
        continue;
      }
      if (e.naturalSlot() == null) {
        naturalSlots.add(e.slot());
      } else {
        lateOf.add(e.naturalSlot());
      }
    }
    for (long slot : naturalSlots) {
      for (int shard = 0; shard < Slots.SHARDS; shard++) {
        Map<String, Map<String, ResultStore.StoredBundle>> objects =
            new TreeMap<>(store.bundles(Slots.naturalPk(slot, shard)));
        for (var o : objects.entrySet()) {
          for (String id : listed(o.getValue().values(), ids)) {
            ResultStore.StoredBundle chosen = null;
            for (ResultStore.StoredBundle b : o.getValue().values()) { // by set id
              if (b.lateSlot() == null && b.bundle().states.containsKey(id)) {
                chosen = b;
                break;
              }
            }
            if (chosen != null) {
              out.computeIfAbsent(id, k -> new ArrayList<>())
                  .add(new Contribution(slot, o.getKey(), chosen.bundle()));
            }
          }
        }
      }
    }
    for (long natural : lateOf) {
      Map<String, Map<String, ResultStore.StoredBundle>> objects =
          new TreeMap<>(store.bundles(Slots.latePk(natural)));
      NaturalCheck check = new NaturalCheck(natural, objects.size() > READ_WHOLE_SLOT);
      for (var o : objects.entrySet()) {
        for (String id : listed(o.getValue().values(), ids)) {
          ResultStore.StoredBundle chosen = null;
          for (ResultStore.StoredBundle b : o.getValue().values()) {
            if (b.lateSlot() != null
                && b.bundle().states.containsKey(id)
                && (chosen == null || b.lateSlot() < chosen.lateSlot())) {
              chosen = b;
            }
          }
          if (chosen == null || !accept.test(chosen.lateSlot())) {
            continue;
          }
          if (check.counted(o.getKey(), id)) {
            continue;
          }
          out.computeIfAbsent(id, k -> new ArrayList<>())
              .add(new Contribution(chosen.lateSlot(), o.getKey(), chosen.bundle()));
        }
      }
    }
    for (List<Contribution> list : out.values()) {
      list.sort(
          java.util.Comparator.comparing(Contribution::objectId)
              .thenComparingLong(Contribution::slot));
    }
    return out;
  }

  private static Set<String> listed(Collection<ResultStore.StoredBundle> bundles, Set<String> ids) {
    Set<String> out = new TreeSet<>();
    for (ResultStore.StoredBundle b : bundles) {
      for (String id : b.bundle().states.keySet()) {
        if (ids == null || ids.contains(id)) {
          out.add(id);
        }
      }
    }
    return out;
  }

  /** Whether a natural bundle of an object in its natural slot lists a subscription. */
  private final class NaturalCheck {
    private final long slot;
    private Map<String, Set<String>> whole;
    private final Map<String, Set<String>> one = new HashMap<>();

    NaturalCheck(long slot, boolean readWhole) {
      this.slot = slot;
      if (readWhole && slot != Slots.UNKNOWN) {
        whole = new HashMap<>();
      }
    }

    boolean counted(String objectId, String id) throws IOException {
      if (slot == Slots.UNKNOWN) {
        return false;
      }
      if (whole != null) {
        if (whole.isEmpty()) {
          whole.put("", Set.of()); // loaded marker
          for (int shard = 0; shard < Slots.SHARDS; shard++) {
            for (var o : store.bundles(Slots.naturalPk(slot, shard)).entrySet()) {
              whole.put(o.getKey(), ids(o.getValue().values()));
            }
          }
        }
        return whole.getOrDefault(objectId, Set.of()).contains(id);
      }
      Set<String> ids = one.get(objectId);
      if (ids == null) {
        ids =
            ids(
                store
                    .objectBundles(Slots.naturalPk(slot, Slots.shard(objectId)), objectId)
                    .values());
        one.put(objectId, ids);
      }
      return ids.contains(id);
    }

    private Set<String> ids(Collection<ResultStore.StoredBundle> bundles) {
      Set<String> out = new TreeSet<>();
      for (ResultStore.StoredBundle b : bundles) {
        if (b.lateSlot() == null) {
          out.addAll(b.bundle().states.keySet());
        }
      }
      return out;
    }
  }
}
