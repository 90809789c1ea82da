package dev.trailquery.lang.ast;

import dev.trailquery.lang.Diagnostic;
import java.util.List;

/** A parsed query: its commands, its source text, and the warnings found while parsing. */
public record Query(String source, List<Command> commands, List<Diagnostic> warnings) {
  public Query {
    commands = List.copyOf(commands);
    warnings = List.copyOf(warnings);
  }
}
