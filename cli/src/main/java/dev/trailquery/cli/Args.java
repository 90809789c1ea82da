package dev.trailquery.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments: {@code --name value}, {@code --name=value}, {@code --flag}, positionals.
 */
final class Args {
  final List<String> positional = new ArrayList<>();
  private final Map<String, String> options = new HashMap<>();
  private final Map<String, List<String>> all = new HashMap<>();

  static Args parse(List<String> argv, Set<String> withValue, Set<String> flags) {
    Args a = new Args();
    boolean onlyPositional = false;
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (onlyPositional || !arg.startsWith("--") || arg.equals("--")) {
        if (arg.equals("--") && !onlyPositional) {
          onlyPositional = true;
          continue;
        }
        a.positional.add(arg);
        continue;
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (withValue.contains(name)) {
        if (value == null) {
          if (i + 1 >= argv.size()) {
            throw new UsageException("--" + name + " needs a value");
          }
          value = argv.get(++i);
        }
        a.options.put(name, value);
        a.all.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else if (flags.contains(name)) {
        if (value != null) {
          throw new UsageException("--" + name + " takes no value");
        }
        a.options.put(name, "true");
      } else {
        throw new UsageException("unknown option --" + name);
      }
    }
    return a;
  }

  String get(String name) {
    return options.get(name);
  }

  /** Every value of a repeatable option ({@code --lookup a=x.csv --lookup b=y.csv}), in order. */
  List<String> all(String name) {
    return all.getOrDefault(name, List.of());
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  Integer intOption(String name) {
    String v = options.get(name);
    if (v == null) {
      return null;
    }
    if (v.matches("\\+?[0-9]+") && v.replaceFirst("^\\+?0*", "").length() > 9) {
      java.math.BigInteger big = new java.math.BigInteger(v.replace("+", ""));
      if (big.compareTo(java.math.BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
        throw new UsageException(
            "--" + name + " is out of range: " + v + " (at most " + Integer.MAX_VALUE + ")");
      }
    }
    try {
      int n = Integer.parseInt(v);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " needs a positive whole number, got '" + v + "'");
    }
  }
}
