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
    int slot = width++;
    slots.put(name, slot);
    recordPaths.add(name);
    recordPathSlots.add(slot);
    firstUse.put(name, span);
    return slot;
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
