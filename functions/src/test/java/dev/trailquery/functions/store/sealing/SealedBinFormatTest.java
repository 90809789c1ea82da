package dev.trailquery.functions.store.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * The stored format of sealed bins (version 1), pinned: an image written by this version must be
 * read by every later one. The layout below is written out by hand from the format's description
 * ({@link SealedBin}), not taken from the encoder.
 */
class SealedBinFormatTest {
  /** A version-1 image as stored (raw deflate), written once by the encoder of version 1. */
  static final String GOLDEN =
      "0b090c6664e0494c4a3634324e494d3331356360605c64304f85014c5f156ab8c46931658a010b2313f37f00";

  /**
   * The same image inflated, by hand: "TQS", version 1, UTF length 12 + "abc123def456", bin start
   * 1796112000000 and sealed-through 1796115600000 (big-endian longs), varints 1234, 56, 789012,
   * state length 4, state bytes 01 02 03 ff.
   */
  static final String LAYOUT =
      "545153"
          + "01"
          + "000c"
          + "616263313233646566343536"
          + "000001a2309e2400"
          + "000001a230d51280"
          + "d209"
          + "38"
          + "949430"
          + "04"
          + "010203ff";

  static final SealedBin BIN =
      new SealedBin(
          "abc123def456",
          1796112000000L,
          1796115600000L,
          1234,
          56,
          789012,
          new byte[] {1, 2, 3, (byte) 0xff});

  @Test
  void theGoldenImageDecodesToItsFields() throws IOException {
    assertThat(SealedBin.decode(HexFormat.of().parseHex(GOLDEN))).isEqualTo(BIN);
  }

  @Test
  void theGoldenImageHasTheDocumentedLayout() throws Exception {
    assertThat(HexFormat.of().formatHex(inflate(HexFormat.of().parseHex(GOLDEN))))
        .isEqualTo(LAYOUT);
  }

  @Test
  void theEncoderWritesTheDocumentedLayout() throws Exception {
    assertThat(HexFormat.of().formatHex(inflate(BIN.encode()))).isEqualTo(LAYOUT);
    assertThat(SealedBin.decode(BIN.encode())).isEqualTo(BIN);
  }

  @Test
  void otherVersionsAndTruncatedImagesAreRefused() throws Exception {
    byte[] v2 = HexFormat.of().parseHex(LAYOUT);
    v2[3] = 2;
    assertThatThrownBy(() -> SealedBin.decode(deflate(v2)))
        .hasMessageContaining("sealed bin version 2");
    byte[] cut = HexFormat.of().parseHex(LAYOUT.substring(0, LAYOUT.length() - 4));
    assertThatThrownBy(() -> SealedBin.decode(deflate(cut))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> SealedBin.decode(deflate("TQB".getBytes())))
        .hasMessageContaining("not a trailquery sealed bin");
  }

  static byte[] inflate(byte[] image) throws Exception {
    Inflater inflater = new Inflater(true);
    inflater.setInput(image);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[256];
    while (!inflater.finished()) {
      int n = inflater.inflate(buf);
      if (n == 0 && inflater.needsInput()) {
        break;
      }
      out.write(buf, 0, n);
    }
    inflater.end();
    return out.toByteArray();
  }

  static byte[] deflate(byte[] raw) {
    java.util.zip.Deflater d = new java.util.zip.Deflater(6, true);
    d.setInput(raw);
    d.finish();
    byte[] buf = new byte[raw.length + 64];
    int n = d.deflate(buf);
    d.end();
    return java.util.Arrays.copyOf(buf, n);
  }

  @Test
  void binsAreEqualWhenEveryFieldAndTheStatesBytesAre() {
    SealedBin same =
        new SealedBin(
            "abc123def456",
            1796112000000L,
            1796115600000L,
            1234,
            56,
            789012,
            new byte[] {1, 2, 3, (byte) 0xff});
    assertThat(same).isEqualTo(BIN).hasSameHashCodeAs(BIN);
    java.util.List<SealedBin> others =
        java.util.List.of(
            new SealedBin(
                "abc123def457", 1796112000000L, 1796115600000L, 1234, 56, 789012, same.state()),
            new SealedBin(
                "abc123def456", 1796112000001L, 1796115600000L, 1234, 56, 789012, same.state()),
            new SealedBin(
                "abc123def456", 1796112000000L, 1796115600001L, 1234, 56, 789012, same.state()),
            new SealedBin(
                "abc123def456", 1796112000000L, 1796115600000L, 1235, 56, 789012, same.state()),
            new SealedBin(
                "abc123def456", 1796112000000L, 1796115600000L, 1234, 57, 789012, same.state()),
            new SealedBin(
                "abc123def456", 1796112000000L, 1796115600000L, 1234, 56, 789013, same.state()),
            new SealedBin(
                "abc123def456",
                1796112000000L,
                1796115600000L,
                1234,
                56,
                789012,
                new byte[] {1, 2, 3}));
    for (SealedBin o : others) {
      assertThat(o).as(o.toString()).isNotEqualTo(BIN);
    }
    assertThat(BIN).isNotEqualTo("abc123def456");
    // the bin start and the state decide the hash (these differ from BIN's)
    assertThat(others.get(1).hashCode()).isNotEqualTo(BIN.hashCode());
    assertThat(others.get(6).hashCode()).isNotEqualTo(BIN.hashCode());
    assertThat(BIN.toString())
        .isEqualTo("SealedBin[abc123def456 1796112000000 through 1796115600000]");
  }
}
