package dev.trailquery.fn;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A C {@code strftime} format, parsed once, for {@code formatDate}/{@code strftime}. Supported:
 * {@code %a %A %b %h %B %c %C %d %D %e %f %F %g %G %H %I %j %k %l %L %m %M %n %p %P %r %R %s %S %t
 * %T %u %U %V %w %W %x %X %y %Y %z %Z %%} (C/POSIX locale), plus the {@code -} flag to drop padding
 * ({@code %-d}). {@code %L} is milliseconds (3 digits), {@code %f} microseconds (6 digits).
 */
final class Strftime {
  @FunctionalInterface
  private interface Part {
    void append(StringBuilder sb, ZonedDateTime t);
  }

  private static final DateTimeFormatter ZONE_NAME =
      DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH);

  private final Part[] parts;

  private Strftime(Part[] parts) {
    this.parts = parts;
  }

  /** Parses a format; throws IllegalArgumentException naming the bad directive. */
  static Strftime compile(String format) {
    List<Part> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int n = format.length();
    for (int i = 0; i < n; i++) {
      char c = format.charAt(i);
      if (c != '%') {
        lit.append(c);
        continue;
      }
      boolean noPad = i + 1 < n && format.charAt(i + 1) == '-';
      int at = noPad ? i + 2 : i + 1;
      if (at >= n) {
        throw new IllegalArgumentException("the format ends with an incomplete directive '%'");
      }
      char d = format.charAt(at);
      String expanded = composite(d);
      if (expanded != null && !noPad) {
        flush(lit, parts);
        parts.addAll(List.of(compile(expanded).parts));
      } else if (d == '%' && !noPad) {
        lit.append('%');
      } else if (d == 'n' && !noPad) {
        lit.append('\n');
      } else if (d == 't' && !noPad) {
        lit.append('\t');
      } else {
        Part p = directive(d, noPad);
        if (p == null) {
          throw new IllegalArgumentException(
              "unknown format directive '" + format.substring(i, at + 1) + "'");
        }
        flush(lit, parts);
        parts.add(p);
      }
      i = at;
    }
    flush(lit, parts);
    return new Strftime(parts.toArray(Part[]::new));
  }

  private static void flush(StringBuilder lit, List<Part> parts) {
    if (!lit.isEmpty()) {
      String s = lit.toString();
      parts.add((sb, t) -> sb.append(s));
      lit.setLength(0);
    }
  }

  private static String composite(char d) {
    return switch (d) {
      case 'c' -> "%a %b %e %H:%M:%S %Y";
      case 'D', 'x' -> "%m/%d/%y";
      case 'F' -> "%Y-%m-%d";
      case 'r' -> "%I:%M:%S %p";
      case 'R' -> "%H:%M";
      case 'T', 'X' -> "%H:%M:%S";
      default -> null;
    };
  }

  private static Part directive(char d, boolean noPad) {
    return switch (d) {
      case 'a' -> text(t -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
      case 'A' -> text(t -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
      case 'b', 'h' -> text(t -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
      case 'B' -> text(t -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
      case 'p' -> text(t -> t.getHour() < 12 ? "AM" : "PM");
      case 'P' -> text(t -> t.getHour() < 12 ? "am" : "pm");
      case 'z' -> text(Strftime::offset);
      case 'Z' -> text(Strftime::zoneName);
      case 's' -> text(t -> Long.toString(t.toEpochSecond()));
      case 'Y' -> text(t -> Integer.toString(t.getYear()));
      case 'G' -> text(t -> Integer.toString(t.get(IsoFields.WEEK_BASED_YEAR)));
      case 'C' -> num(t -> Math.floorDiv(t.getYear(), 100), 2, '0', noPad);
      case 'y' -> num(t -> Math.floorMod(t.getYear(), 100), 2, '0', noPad);
      case 'g' -> num(t -> Math.floorMod(t.get(IsoFields.WEEK_BASED_YEAR), 100), 2, '0', noPad);
      case 'm' -> num(t -> t.getMonthValue(), 2, '0', noPad);
      case 'd' -> num(t -> t.getDayOfMonth(), 2, '0', noPad);
      case 'e' -> num(t -> t.getDayOfMonth(), 2, ' ', noPad);
      case 'j' -> num(t -> t.getDayOfYear(), 3, '0', noPad);
      case 'H' -> num(t -> t.getHour(), 2, '0', noPad);
      case 'k' -> num(t -> t.getHour(), 2, ' ', noPad);
      case 'I' -> num(Strftime::hour12, 2, '0', noPad);
      case 'l' -> num(Strftime::hour12, 2, ' ', noPad);
      case 'M' -> num(t -> t.getMinute(), 2, '0', noPad);
      case 'S' -> num(t -> t.getSecond(), 2, '0', noPad);
      case 'L' -> num(t -> t.getNano() / 1_000_000, 3, '0', noPad);
      case 'f' -> num(t -> t.getNano() / 1_000, 6, '0', noPad);
      case 'u' -> num(t -> t.getDayOfWeek().getValue(), 1, '0', noPad);
      case 'w' -> num(t -> t.getDayOfWeek().getValue() % 7, 1, '0', noPad);
      case 'U' ->
          num(t -> (t.getDayOfYear() + 6 - t.getDayOfWeek().getValue() % 7) / 7, 2, '0', noPad);
      case 'W' ->
          num(
              t -> (t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() + 6) % 7) / 7,
              2,
              '0',
              noPad);
      case 'V' -> num(t -> t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0', noPad);
      default -> null;
    };
  }

  @FunctionalInterface
  private interface IntField {
    int get(ZonedDateTime t);
  }

  @FunctionalInterface
  private interface TextField {
    String get(ZonedDateTime t);
  }

  private static Part text(TextField f) {
    return (sb, t) -> sb.append(f.get(t));
  }

  private static Part num(IntField f, int width, char pad, boolean noPad) {
    int w = noPad ? 1 : width;
    return (sb, t) -> {
      String v = Integer.toString(f.get(t));
      for (int k = v.length(); k < w; k++) {
        sb.append(pad);
      }
      sb.append(v);
    };
  }

  private static int hour12(ZonedDateTime t) {
    int h = t.getHour() % 12;
    return h == 0 ? 12 : h;
  }

  private static String offset(ZonedDateTime t) {
    int secs = t.getOffset().getTotalSeconds();
    int abs = Math.abs(secs);
    return String.format(
        Locale.ROOT, "%c%02d%02d", secs < 0 ? '-' : '+', abs / 3600, abs / 60 % 60);
  }

  private static String zoneName(ZonedDateTime t) {
    ZoneId z = t.getZone();
    if (z instanceof ZoneOffset o) {
      return o.getTotalSeconds() == 0 ? "UTC" : o.getId();
    }
    return ZONE_NAME.format(t);
  }

  /** Formats epoch milliseconds in {@code zone}. */
  String format(long millis, ZoneId zone) {
    ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(zone);
    StringBuilder sb = new StringBuilder(32);
    for (Part p : parts) {
      p.append(sb, t);
    }
    return sb.toString();
  }
}
