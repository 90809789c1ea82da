package dev.trailquery.cli;

import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Typed option values, each with one way of saying what is wrong: the message follows the option's
 * name ("--limit needs a positive whole number, got 'ten'").
 */
final class Converters {
  private Converters() {}

  /** A whole number from 1 to {@link Integer#MAX_VALUE}. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String v) {
      if (v.matches("\\+?[0-9]+") && v.replaceFirst("^\\+?0*", "").length() > 9) {
        BigInteger big = new BigInteger(v.replace("+", ""));
        if (big.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
          throw new TypeConversionException(
              "is out of range: " + v + " (at most " + Integer.MAX_VALUE + ")");
        }
      }
      try {
        int n = Integer.parseInt(v);
        if (n <= 0) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new TypeConversionException("needs a positive whole number, got '" + v + "'");
      }
    }
  }

  /** A TCP port, 0 (any free one) to 65535. */
  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String v) {
      try {
        int p = Integer.parseInt(v);
        if (p < 0 || p > 65535) {
          throw new NumberFormatException();
        }
        return p;
      } catch (NumberFormatException e) {
        throw new TypeConversionException("needs a port number (0-65535), got '" + v + "'");
      }
    }
  }

  /** A number ({@code 20}, {@code 0.5}, {@code -1e3}). */
  static final class Number implements ITypeConverter<Double> {
    @Override
    public Double convert(String v) {
      try {
        double d = Double.parseDouble(v.trim());
        if (Double.isNaN(d)) {
          throw new NumberFormatException();
        }
        return d;
      } catch (NumberFormatException e) {
        throw new TypeConversionException("needs a number, got '" + v + "'");
      }
    }
  }

  /** An output format of {@link Output}: table, json, csv, ndjson (or jsonl). */
  static final class Format implements ITypeConverter<Output.Format> {
    @Override
    public Output.Format convert(String v) {
      try {
        return Output.Format.parse(v);
      } catch (UsageException e) {
        throw new TypeConversionException("needs table, json, csv or ndjson, got '" + v + "'");
      }
    }
  }

  /** The formats shell completion offers. */
  static final class Formats implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("table", "json", "csv", "ndjson").iterator();
    }
  }

  /** table or json (the alarm list). */
  static final class TableOrJson implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("table", "json").iterator();
    }
  }

  /** text or json (test-pattern). */
  static final class TextOrJson implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("text", "json").iterator();
    }
  }
}
