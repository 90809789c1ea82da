package dev.trailquery.fn;

import static dev.trailquery.fn.Fx.both;
import static dev.trailquery.fn.Fx.eval;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HashFunctionsTest {

  private static String jdk(String algorithm, String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void md5TestVectors() {
    // RFC 1321, appendix A.5.
    assertThat(both("md5", "")).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(both("md5", "abc")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    assertThat(both("md5", "message digest")).isEqualTo("f96b697d7cb7938d525a2f31aaf161d0");
  }

  @Test
  void sha256TestVectors() {
    // FIPS 180-2 examples.
    assertThat(both("sha256", "abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(both("sha256", ""))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void hashesTheUtf8TextOfTheValue() throws Exception {
    assertThat(both("md5", "héllo €")).isEqualTo(jdk("MD5", "héllo €"));
    assertThat(both("sha256", "héllo €")).isEqualTo(jdk("SHA-256", "héllo €"));
    assertThat(both("md5", 42)).isEqualTo(jdk("MD5", "42"));
    assertThat(eval("sha256", true)).isEqualTo(jdk("SHA-256", "1"));
  }

  @Test
  void missingInMissingOut() {
    assertThat(eval("md5", (Object) null)).isNull();
    assertThat(eval("sha256", (Object) null)).isNull();
  }
}
