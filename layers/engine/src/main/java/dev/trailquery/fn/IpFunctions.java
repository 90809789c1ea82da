package dev.trailquery.fn;

import dev.trailquery.eval.Evaluator;
import dev.trailquery.value.Values;
import java.util.List;
import java.util.function.Predicate;

/**
 * IP functions. Addresses are parsed by hand ({@link Ip}); a value that is not an IP address (such
 * as CloudTrail's {@code sourceIPAddress} "ssm.amazonaws.com", or a missing field) makes every
 * predicate false and {@code ipv4ToNumber} missing.
 *
 * <p>Classification: every valid address is exactly one of private, reserved or public.
 *
 * <ul>
 *   <li>private: RFC 1918 ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}) and IPv6 unique
 *       local {@code fc00::/7};
 *   <li>reserved: the IANA special-purpose ranges that are not private: {@code 0/8}, CGNAT {@code
 *       100.64/10}, loopback {@code 127/8}, link-local {@code 169.254/16}, {@code 192.0.0/24},
 *       documentation {@code 192.0.2/24 198.51.100/24 203.0.113/24}, {@code 192.88.99/24},
 *       benchmarking {@code 198.18/15}, multicast {@code 224/4}, {@code 240/4} (with the broadcast
 *       address); for IPv6 everything outside global unicast {@code 2000::/3} (unspecified,
 *       loopback, IPv4-mapped, link-local, multicast, ...) and, inside it, {@code 2001::/23},
 *       {@code 2001:db8::/32} and {@code 3fff::/20} (documentation);
 *   <li>public: the rest.
 * </ul>
 */
final class IpFunctions {
  private IpFunctions() {}

  static final List<Ip.Cidr> PRIVATE =
      cidrs("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7");

  static final List<Ip.Cidr> RESERVED =
      cidrs(
          "0.0.0.0/8",
          "100.64.0.0/10",
          "127.0.0.0/8",
          "169.254.0.0/16",
          "192.0.0.0/24",
          "192.0.2.0/24",
          "192.88.99.0/24",
          "198.18.0.0/15",
          "198.51.100.0/24",
          "203.0.113.0/24",
          "224.0.0.0/4",
          "240.0.0.0/4",
          "2001::/23",
          "2001:db8::/32",
          "3fff::/20");

  static final Ip.Cidr GLOBAL_UNICAST_V6 = Ip.Cidr.of("2000::/3");

  private static List<Ip.Cidr> cidrs(String... s) {
    return java.util.Arrays.stream(s).map(Ip.Cidr::of).toList();
  }

  static boolean isPrivate(Ip ip) {
    return ip != null && anyContains(PRIVATE, ip);
  }

  static boolean isReserved(Ip ip) {
    if (ip == null || isPrivate(ip)) {
      return false;
    }
    return (ip.v6() && !GLOBAL_UNICAST_V6.contains(ip)) || anyContains(RESERVED, ip);
  }

  static boolean isPublic(Ip ip) {
    return ip != null && !isPrivate(ip) && !isReserved(ip);
  }

  private static boolean anyContains(List<Ip.Cidr> list, Ip ip) {
    for (Ip.Cidr c : list) {
      if (c.contains(ip)) {
        return true;
      }
    }
    return false;
  }

  static List<FunctionDef> all() {
    return List.of(
        predicate("isValidIp", ip -> true),
        predicate("isValidIpV4", ip -> !ip.v6()),
        predicate("isValidIpV6", Ip::v6),
        subnet("isIpInSubnet", null),
        subnet("isIpv4InSubnet", false),
        subnet("isIpv6InSubnet", true),
        predicate("isPrivateIP", IpFunctions::isPrivate),
        predicate("isPublicIP", IpFunctions::isPublic),
        predicate("isReservedIP", IpFunctions::isReserved),
        new Def(
            "ipv4ToNumber",
            1,
            1,
            (call, args, ctx) -> {
              Evaluator a = args.getFirst();
              return row -> {
                String s = Values.toText(a.eval(row));
                if (s == null) {
                  return null;
                }
                long v = Ip.parseV4(s, 0, s.length());
                return v < 0 ? null : (Object) (double) v;
              };
            }));
  }

  private static Def predicate(String name, Predicate<Ip> test) {
    return new Def(
        name,
        1,
        1,
        (call, args, ctx) -> {
          Evaluator a = args.getFirst();
          return row -> {
            Ip ip = Ip.parse(Values.toText(a.eval(row)));
            return Values.bool(ip != null && test.test(ip));
          };
        });
  }

  /**
   * {@code (ip, cidr)} → whether the address is in the network. {@code v6} restricts both to one
   * family (null: either). A literal CIDR is parsed once; a malformed one is a compile error.
   */
  private static Def subnet(String name, Boolean v6) {
    String family = v6 == null ? "" : v6 ? "IPv6 " : "IPv4 ";
    String example = v6 != null && v6 ? "\"2001:db8::/32\"" : "\"192.0.2.0/24\"";
    return new Def(
        name,
        2,
        2,
        (call, args, ctx) -> {
          Evaluator a = args.get(0);
          String lit = Args.stringLit(call, 1);
          if (lit != null) {
            Ip.Cidr cidr = Ip.Cidr.parse(lit);
            if (cidr == null || (v6 != null && cidr.network().v6() != v6)) {
              throw ctx.error(
                  call.args().get(1).span(),
                  Args.BAD_LITERAL,
                  name
                      + " needs an "
                      + family
                      + "CIDR such as "
                      + example
                      + ", not \""
                      + lit
                      + "\"");
            }
            return row -> Values.bool(cidr.contains(Ip.parse(Values.toText(a.eval(row)))));
          }
          Evaluator b = args.get(1);
          return row -> {
            Ip.Cidr cidr = Ip.Cidr.parse(Values.toText(b.eval(row)));
            boolean ok = cidr != null && (v6 == null || cidr.network().v6() == v6);
            return Values.bool(ok && cidr.contains(Ip.parse(Values.toText(a.eval(row)))));
          };
        });
  }
}
