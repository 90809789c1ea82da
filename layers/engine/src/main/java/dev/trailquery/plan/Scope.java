package dev.trailquery.plan;

import dev.trailquery.lang.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names to row slots for one segment of a pipeline. In the record segment (before the first {@code
 * stats}) a name nobody defined is a JSON path read from the record; after a {@code stats} only
 * that stats' outputs (and names defined later) exist.
 */
final class Scope {
  static final String TIMESTAMP = "@timestamp";
  static final String MESSAGE = "@message";
  static final String LOG_STREAM = "@logStream";
  static final String LOG = "@log";
  static final String PTR = "@ptr";

  private final Map<String, Integer> slots = new LinkedHashMap<>();
  private final boolean recordScope;
  private final List<String> recordPaths = new ArrayList<>();
  private final List<Integer> recordPathSlots = new ArrayList<>();
  private final Map<String, Span> firstUse = new LinkedHashMap<>();
  private final Map<String, Integer> pathSlots = new java.util.HashMap<>();
  private final Map<String, Integer> privatePathSlots = new java.util.HashMap<>();
  private final java.util.Set<String> derived = new java.util.HashSet<>();
  private final java.util.Set<String> structured = new java.util.HashSet<>();
  private final java.util.Set<String> rootAliases = new java.util.HashSet<>();
  private int width;

  private Scope(boolean recordScope) {
    this.recordScope = recordScope;
  }

  static Scope record() {
    Scope s = new Scope(true);
    for (String sys : List.of(TIMESTAMP, MESSAGE, LOG_STREAM, LOG, PTR)) {
      s.slots.put(sys, s.width++);
    }
    return s;
  }

  static Scope derived() {
    return new Scope(false);
  }

  boolean isRecordScope() {
    return recordScope;
  }

  /** The slot of an existing name, or -1. */
  int find(String name) {
    Integer s = slots.get(name);
    return s == null ? -1 : s;
  }

  /**
   * Resolves a reference: an existing name, else (record scope only) a new JSON path slot; -1 when
   * the name does not exist in a derived scope.
   */
  int reference(String name, Span span) {
    Integer s = slots.get(name);
    if (s != null) {
      return s;
    }
    if (!recordScope) {
      return -1;
    }
    int slot = recordPath(name, span);
    slots.put(name, slot);
    return slot;
  }

  /**
   * The slot a JSON path of the record is read into, whatever names are defined (used for paths
   * reached through {@code jsonParse(@message)}); record scope only.
   */
  int recordPath(String path, Span span) {
    // a path whose name was redefined gets a slot of its own, which no definition overwrites
    Map<String, Integer> map = derived.contains(path) ? privatePathSlots : pathSlots;
    Integer s = map.get(path);
    if (s != null) {
      return s;
    }
    int slot = width++;
    map.put(path, slot);
    recordPaths.add(path);
    recordPathSlots.add(slot);
    firstUse.putIfAbsent(path, span);
    return slot;
  }

  /**
   * Records how a name was (re)defined: {@code derived} when its value is not the record's field of
   * that name (an alias, an unnest target), {@code structured} when it is known to hold a map or
   * list ({@code jsonParse}, {@code split}), {@code rootAlias} when it names {@code
   * jsonParse(@message)} (its paths are read as the record's paths).
   */
  void mark(String name, boolean isDerived, boolean isStructured, boolean isRootAlias) {
    if (isDerived) {
      derived.add(name);
    } else {
      derived.remove(name);
    }
    if (isStructured) {
      structured.add(name);
    } else {
      structured.remove(name);
    }
    if (isRootAlias) {
      rootAliases.add(name);
    } else {
      rootAliases.remove(name);
    }
  }

  boolean isDerived(String name) {
    return derived.contains(name);
  }

  boolean isStructured(String name) {
    return structured.contains(name);
  }

  boolean isRootAlias(String name) {
    return rootAliases.contains(name);
  }

  /** The slot a definition ({@code as name}, a parse target) writes to. */
  int define(String name) {
    return slots.computeIfAbsent(name, n -> width++);
  }

  /** A slot no name refers to (sort keys, aggregate results). */
  int hidden() {
    return width++;
  }

  int width() {
    return width;
  }

  List<String> names() {
    return List.copyOf(slots.keySet());
  }

  List<String> recordPaths() {
    return List.copyOf(recordPaths);
  }

  int[] recordPathSlots() {
    return recordPathSlots.stream().mapToInt(Integer::intValue).toArray();
  }

  Map<String, Span> firstUse() {
    return Map.copyOf(firstUse);
  }
}
