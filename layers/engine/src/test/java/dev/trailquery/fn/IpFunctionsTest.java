package dev.trailquery.fn;

import static dev.trailquery.fn.Fx.argSpan;
import static dev.trailquery.fn.Fx.both;
import static dev.trailquery.fn.Fx.error;
import static dev.trailquery.fn.Fx.eval;
import static dev.trailquery.fn.Fx.str;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailquery.lang.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpFunctionsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "::",
        "::1",
        "1::",
        "2001:db8::1",
        "2001:DB8::A",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "fe80::1",
        "::ffff:1.2.3.4",
        "64:ff9b::192.0.2.33",
        "1:2:3:4:5:6:1.2.3.4",
        "2001:0db8:0000:0000:0000:0000:0000:0001"
      })
  void validAddresses(String ip) {
    assertThat(both("isValidIp", ip)).isEqualTo(true);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ssm.amazonaws.com",
        "AWS Internal",
        "",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "1.2.3.04",
        "1.2.3.4 ",
        " 1.2.3.4",
        "1.2.3.-4",
        "1..2.3",
        "1.2.3.4.",
        "1234.1.1.1",
        "1::2::3",
        ":::",
        ":1::",
        "1:",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4::5:6:7:8",
        "12345::1",
        "g::1",
        "fe80::1%eth0",
        "[::1]",
        "1:2:3:4:5:6:7:1.2.3.4",
        "::1.2.3",
        "::1.2.3.4:5",
        "::ffff:256.1.1.1"
      })
  void invalidAddresses(String ip) {
    assertThat(both("isValidIp", ip)).isEqualTo(false);
    assertThat(both("isValidIpV4", ip)).isEqualTo(false);
    assertThat(both("isValidIpV6", ip)).isEqualTo(false);
  }

  @Test
  void validityByFamily() {
    assertThat(both("isValidIpV4", "1.2.3.4")).isEqualTo(true);
    assertThat(both("isValidIpV4", "::1")).isEqualTo(false);
    assertThat(both("isValidIpV4", "::ffff:1.2.3.4")).isEqualTo(false);
    assertThat(both("isValidIpV6", "::1")).isEqualTo(true);
    assertThat(both("isValidIpV6", "::ffff:1.2.3.4")).isEqualTo(true);
    assertThat(both("isValidIpV6", "1.2.3.4")).isEqualTo(false);
    assertThat(eval("isValidIp", (Object) null)).isEqualTo(false);
    assertThat(eval("isValidIpV4", (Object) null)).isEqualTo(false);
    assertThat(eval("isValidIpV6", (Object) null)).isEqualTo(false);
    assertThat(eval("isValidIp", 3)).isEqualTo(false);
  }

  @ParameterizedTest
  @CsvSource({
    "192.0.2.5, 192.0.2.0/24, true",
    "192.0.2.0, 192.0.2.0/24, true",
    "192.0.2.255, 192.0.2.0/24, true",
    "192.0.1.255, 192.0.2.0/24, false",
    "192.0.3.0, 192.0.2.0/24, false",
    "10.9.9.9, 10.1.2.3/8, true",
    "11.0.0.0, 10.1.2.3/8, false",
    "1.2.3.4, 1.2.3.4/32, true",
    "1.2.3.5, 1.2.3.4/32, false",
    "8.8.8.8, 0.0.0.0/0, true",
    "172.31.255.255, 172.16.0.0/12, true",
    "172.32.0.0, 172.16.0.0/12, false",
    "2001:db8::1, 2001:db8::/32, true",
    "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, 2001:db8::/32, true",
    "2001:db9::1, 2001:db8::/32, false",
    "2001:db7:ffff::, 2001:db8::/32, false",
    "2001:db8::ffff:ffff:ffff:ffff, 2001:db8::/64, true",
    "2001:db8:0:1::, 2001:db8::/64, false",
    "::1, ::/127, true",
    "::2, ::/127, false",
    "::1, ::1/128, true",
    "::, ::1/128, false",
    "2001:db8::8000:0:0:0, 2001:db8::8000:0:0:0/65, true",
    "2001:db8::7fff:0:0:0, 2001:db8::8000:0:0:0/65, false",
    "fd12::1, ::/0, true",
    "::ffff:10.0.0.1, 10.0.0.0/8, false",
    "10.0.0.1, ::/0, false",
    "8.8.8.8, ::/0, false"
  })
  void isIpInSubnet(String ip, String cidr, boolean expected) {
    assertThat(both("isIpInSubnet", ip, cidr)).isEqualTo(expected);
  }

  @Test
  void subnetChecksOfNonAddressesAreFalse() {
    assertThat(both("isIpInSubnet", "ssm.amazonaws.com", "10.0.0.0/8")).isEqualTo(false);
    assertThat(eval("isIpInSubnet", null, str("10.0.0.0/8"))).isEqualTo(false);
    assertThat(eval("isIpInSubnet", "10.0.0.1", null)).isEqualTo(false);
    // A bad CIDR read from a row is simply no match.
    assertThat(eval("isIpInSubnet", "10.0.0.1", "10.0.0.0/33")).isEqualTo(false);
    assertThat(eval("isIpInSubnet", "10.0.0.1", "banana")).isEqualTo(false);
  }

  @Test
  void familySpecificSubnetChecks() {
    assertThat(both("isIpv4InSubnet", "10.1.2.3", "10.0.0.0/8")).isEqualTo(true);
    assertThat(both("isIpv4InSubnet", "11.1.2.3", "10.0.0.0/8")).isEqualTo(false);
    assertThat(both("isIpv4InSubnet", "::1", "0.0.0.0/0")).isEqualTo(false);
    assertThat(both("isIpv6InSubnet", "2001:db8::1", "2001:db8::/32")).isEqualTo(true);
    assertThat(both("isIpv6InSubnet", "2001:db9::1", "2001:db8::/32")).isEqualTo(false);
    assertThat(both("isIpv6InSubnet", "10.0.0.1", "::/0")).isEqualTo(false);
    // Per row, a CIDR of the other family is no match.
    assertThat(eval("isIpv6InSubnet", "10.0.0.1", "10.0.0.0/8")).isEqualTo(false);
    assertThat(eval("isIpv4InSubnet", "2001:db8::1", "2001:db8::/32")).isEqualTo(false);
  }

  @Test
  void aLiteralCidrIsCheckedAtCompileTime() {
    for (String bad : new String[] {"10.0.0.0/33", "10.0.0.0", "banana", "10.0.0.0/", "::/129"}) {
      Diagnostic d = error("isIpInSubnet", "10.0.0.1", str(bad));
      assertThat(d.code()).as(bad).isEqualTo("TQ2204");
      assertThat(d.span()).isEqualTo(argSpan(1));
      assertThat(d.message()).contains("CIDR").contains(bad);
    }
    Diagnostic d = error("isIpv4InSubnet", "10.0.0.1", str("2001:db8::/32"));
    assertThat(d.code()).isEqualTo("TQ2204");
    assertThat(d.span()).isEqualTo(argSpan(1));
    assertThat(d.message())
        .isEqualTo(
            "isIpv4InSubnet needs an IPv4 CIDR such as \"192.0.2.0/24\", not \"2001:db8::/32\"");
    d = error("isIpv6InSubnet", "10.0.0.1", str("10.0.0.0/8"));
    assertThat(d.code()).isEqualTo("TQ2204");
    assertThat(d.message()).contains("IPv6 CIDR such as \"2001:db8::/32\"");
  }

  @ParameterizedTest(name = "{0}: private={1} public={2} reserved={3}")
  @CsvSource({
    "10.0.0.1, true, false, false",
    "10.255.255.255, true, false, false",
    "172.16.0.1, true, false, false",
    "172.31.255.255, true, false, false",
    "172.15.255.255, false, true, false",
    "172.32.0.1, false, true, false",
    "192.168.1.1, true, false, false",
    "192.169.0.1, false, true, false",
    "8.8.8.8, false, true, false",
    "52.94.76.5, false, true, false",
    "100.64.0.1, false, false, true",
    "100.127.255.255, false, false, true",
    "100.128.0.1, false, true, false",
    "127.0.0.1, false, false, true",
    "169.254.169.254, false, false, true",
    "0.0.0.0, false, false, true",
    "192.0.2.1, false, false, true",
    "198.51.100.7, false, false, true",
    "203.0.113.9, false, false, true",
    "198.18.0.1, false, false, true",
    "224.0.0.1, false, false, true",
    "239.255.255.255, false, false, true",
    "240.0.0.1, false, false, true",
    "255.255.255.255, false, false, true",
    "::1, false, false, true",
    "::, false, false, true",
    "fe80::1, false, false, true",
    "ff02::1, false, false, true",
    "fd00::1, true, false, false",
    "fc00::1, true, false, false",
    "fe00::1, false, false, true",
    "2001:4860::8888, false, true, false",
    "2600:1f18::1, false, true, false",
    "2001:db8::1, false, false, true",
    "::ffff:8.8.8.8, false, false, true"
  })
  void classification(String ip, boolean isPrivate, boolean isPublic, boolean isReserved) {
    assertThat(both("isPrivateIP", ip)).isEqualTo(isPrivate);
    assertThat(both("isPublicIP", ip)).isEqualTo(isPublic);
    assertThat(both("isReservedIP", ip)).isEqualTo(isReserved);
  }

  @Test
  void nonAddressesAreNeitherPrivateNorPublicNorReserved() {
    for (String fn : new String[] {"isPrivateIP", "isPublicIP", "isReservedIP"}) {
      assertThat(both(fn, "ssm.amazonaws.com")).as(fn).isEqualTo(false);
      assertThat(both(fn, "AWS Internal")).as(fn).isEqualTo(false);
      assertThat(eval(fn, (Object) null)).as(fn).isEqualTo(false);
    }
  }

  @Test
  void ipv4ToNumber() {
    assertThat(both("ipv4ToNumber", "10.0.0.1")).isEqualTo(167772161.0); // 10 * 2^24 + 1
    assertThat(both("ipv4ToNumber", "192.168.1.1")).isEqualTo(3232235777.0);
    assertThat(both("ipv4ToNumber", "255.255.255.255")).isEqualTo(4294967295.0);
    assertThat(both("ipv4ToNumber", "0.0.0.0")).isEqualTo(0.0);
    assertThat(both("ipv4ToNumber", "::1")).isNull();
    assertThat(both("ipv4ToNumber", "ssm.amazonaws.com")).isNull();
    assertThat(eval("ipv4ToNumber", (Object) null)).isNull();
  }
}
