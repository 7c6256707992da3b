package lanfetch.protocol;

import java.util.HexFormat;

/** Hand-written bytes in tests: "00 00 00 0B 01 4C ..." with any white space. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  static String of(byte[] bytes) {
    return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
  }
}
