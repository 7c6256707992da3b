package lanfetch.server.files;

/**
 * The order of names in a listing: by Unicode code point, which is the order of their UTF-8 bytes,
 * and what a client in any language gets from comparing strings or bytes. {@link String#compareTo}
 * compares UTF-16 units instead, and puts a character above U+FFFF (a surrogate pair, such as
 * U+1F600) before U+E000..U+FFFF.
 */
final class NameOrder {
  private NameOrder() {}

  static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return fixUp(x) - fixUp(y);
      }
    }
    return a.length() - b.length();
  }

  /**
   * Moves surrogates above U+E000..U+FFFF, keeping every other order. The first unit that differs
   * decides: units before it are equal, so both strings are at the same place in their code points,
   * and a high surrogate stands for a code point above every BMP one.
   */
  private static int fixUp(char c) {
    if (c < Character.MIN_SURROGATE) {
      return c;
    }
    return c <= Character.MAX_SURROGATE ? c + 0x2000 : c - 0x800;
  }
}
