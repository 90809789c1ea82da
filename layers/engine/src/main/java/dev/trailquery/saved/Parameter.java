package dev.trailquery.saved;

/**
 * A parameter of a saved query: its {@code {{name}}} placeholder is replaced by the value a run
 * gives, else by {@code defaultValue}; without either the run fails naming it (TQ2121).
 *
 * @param name letters, digits and {@code _}, starting with a letter or {@code _}
 * @param defaultValue the value when a run gives none; null when the parameter is required
 * @param description what the parameter is for; may be null
 */
public record Parameter(String name, String defaultValue, String description) {}
