package dev.trailquery.fn;

/**
 * An IPv4 or IPv6 address parsed by hand (never through {@code InetAddress}, which may resolve
 * names). IPv4 is strict dotted-quad: four decimal parts 0-255 without leading zeros. IPv6 is RFC
 * 4291 text: eight groups of 1-4 hex digits, one {@code ::}, an optional dotted-quad tail; no zone
 * ({@code %eth0}) or brackets. An IPv4 address is {@code lo} with {@code hi = 0}; an IPv6 address
 * is 128 bits in {@code hi:lo}.
 */
record Ip(boolean v6, long hi, long lo) {

  /** The address written as {@code s}, or null. */
  static Ip parse(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return null;
    }
    if (s.indexOf(':') >= 0) {
      return parseV6(s);
    }
    long v4 = parseV4(s, 0, s.length());
    return v4 < 0 ? null : new Ip(false, 0, v4);
  }

  /** The dotted quad in {@code s[from, to)} as an unsigned 32-bit number, or -1. */
  static long parseV4(String s, int from, int to) {
    long v = 0;
    int parts = 0;
    int i = from;
    while (true) {
      int start = i;
      int part = 0;
      while (i < to && i - start < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        part = part * 10 + (s.charAt(i) - '0');
        i++;
      }
      int len = i - start;
      if (len == 0 || len > 3 || part > 255 || (len > 1 && s.charAt(start) == '0')) {
        return -1;
      }
      v = v << 8 | part;
      parts++;
      if (i == to) {
        return parts == 4 ? v : -1;
      }
      if (s.charAt(i) != '.' || parts == 4) {
        return -1;
      }
      i++;
    }
  }

  private static Ip parseV6(String s) {
    int n = s.length();
    int[] groups = new int[8];
    int count = 0;
    int gap = -1; // index in groups where "::" stands
    int i = 0;
    if (s.startsWith("::")) {
      gap = 0;
      i = 2;
    } else if (s.charAt(0) == ':') {
      return null;
    }
    while (i < n) {
      int start = i;
      int g = 0;
      while (i < n && StringFunctions.hexDigit(s.charAt(i)) >= 0) {
        g = (g << 4) | StringFunctions.hexDigit(s.charAt(i));
        i++;
        if (i - start > 4) {
          break;
        }
      }
      if (i < n && s.charAt(i) == '.') {
        // A dotted-quad tail: the last 32 bits.
        long v4 = parseV4(s, start, n);
        if (v4 < 0 || count > 6) {
          return null;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xffff);
        i = n;
        break;
      }
      int len = i - start;
      if (len == 0 || len > 4 || count == 8) {
        return null;
      }
      groups[count++] = g;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = count;
        i++;
      } else if (i == n) {
        return null; // a trailing single ':'
      }
    }
    if (gap < 0) {
      if (count != 8) {
        return null;
      }
    } else {
      if (count > 7) {
        return null;
      }
      int tail = count - gap;
      System.arraycopy(groups, gap, groups, 8 - tail, tail);
      for (int k = gap; k < 8 - tail; k++) {
        groups[k] = 0;
      }
    }
    long hi = 0;
    long lo = 0;
    for (int k = 0; k < 4; k++) {
      hi = hi << 16 | groups[k];
      lo = lo << 16 | groups[k + 4];
    }
    return new Ip(true, hi, lo);
  }

  /** A network: an address with its host bits cleared, and a prefix length. */
  record Cidr(Ip network, int prefix) {

    /**
     * Parses {@code address/prefix} (prefix 0-32 for IPv4, 0-128 for IPv6); host bits set in the
     * address are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). Null if malformed.
     */
    static Cidr parse(String s) {
      if (s == null) {
        return null;
      }
      int slash = s.indexOf('/');
      if (slash < 0) {
        return null;
      }
      Ip ip = Ip.parse(s.substring(0, slash));
      String p = s.substring(slash + 1);
      if (ip == null || p.isEmpty() || p.length() > 3) {
        return null;
      }
      int prefix = 0;
      for (int k = 0; k < p.length(); k++) {
        char c = p.charAt(k);
        if (c < '0' || c > '9') {
          return null;
        }
        prefix = prefix * 10 + (c - '0');
      }
      if (prefix > (ip.v6() ? 128 : 32)) {
        return null;
      }
      return new Cidr(ip.mask(prefix), prefix);
    }

    static Cidr of(String s) {
      Cidr c = parse(s);
      if (c == null) {
        throw new IllegalArgumentException(s);
      }
      return c;
    }

    boolean contains(Ip ip) {
      return ip != null && ip.v6() == network.v6() && ip.mask(prefix).equals(network);
    }
  }

  /** This address with all but the first {@code prefix} bits cleared. */
  Ip mask(int prefix) {
    if (!v6) {
      long m = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
      return new Ip(false, 0, lo & m);
    }
    long mh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
    long ml = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    return new Ip(true, hi & mh, lo & ml);
  }
}
