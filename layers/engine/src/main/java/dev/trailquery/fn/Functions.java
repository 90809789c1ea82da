package dev.trailquery.fn;

/** The registry of scalar functions. PLACEHOLDER: the real implementation replaces this file. */
public final class Functions {
  private Functions() {}

  /** The function named {@code name} (case-insensitive), or null. */
  public static FunctionDef lookup(String name) {
    return null;
  }
}
