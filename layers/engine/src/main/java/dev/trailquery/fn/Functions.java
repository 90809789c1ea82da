package dev.trailquery.fn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry of scalar functions: every family ({@link GeneralFunctions}, {@link
 * StringFunctions}, {@link NumericFunctions}, {@link DateTimeFunctions}, {@link IpFunctions},
 * {@link HashFunctions}, {@link JsonFunctions}) contributes its {@link FunctionDef}s. Aggregates
 * are not here.
 */
public final class Functions {
  private static final Map<String, FunctionDef> BY_NAME;
  private static final List<String> NAMES;

  static {
    List<FunctionDef> all = new ArrayList<>();
    all.addAll(GeneralFunctions.all());
    all.addAll(StringFunctions.all());
    all.addAll(NumericFunctions.all());
    all.addAll(DateTimeFunctions.all());
    all.addAll(IpFunctions.all());
    all.addAll(HashFunctions.all());
    all.addAll(PatternFunctions.all());
    all.addAll(JsonFunctions.all());
    Map<String, FunctionDef> byName = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (FunctionDef f : all) {
      if (byName.put(key(f.name()), f) != null) {
        throw new IllegalStateException("function registered twice: " + f.name());
      }
      names.add(f.name());
    }
    BY_NAME = Map.copyOf(byName);
    NAMES = Collections.unmodifiableList(names);
  }

  private Functions() {}

  /** The function named {@code name} (case-insensitive), or null. */
  public static FunctionDef lookup(String name) {
    return name == null ? null : BY_NAME.get(key(name));
  }

  /** Every function's documented spelling ({@code isValidIpV4}, {@code fromMillis}, ...). */
  public static List<String> names() {
    return NAMES;
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
