package lanfetch.client;

/**
 * Text from the server made safe for a terminal. Names and messages may hold characters that
 * are invisible yet change what a person sees: C0 and C1 controls (cursor moves, colours,
 * line breaks), the Unicode line and paragraph separators, and bidirectional overrides and
 * isolates that make "evil" U+202E "txt.exe" display as "evilexe.txt". Each is shown as a
 * backslash, {@code u} and four hex digits; valid names never hold a backslash, so the escape
 * cannot be mistaken for part of a name.
 */
final class SafeText {
  private SafeText() {}

  /** Whether a character is shown escaped in human output (and escaped in JSON strings). */
  static boolean spoofs(int cp) {
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0)
        || cp == 0x061C || cp == 0x200E || cp == 0x200F      // Arabic letter mark, LRM, RLM
        || cp == 0x2028 || cp == 0x2029                      // line and paragraph separators
        || (cp >= 0x202A && cp <= 0x202E)                    // bidi embeddings and overrides
        || (cp >= 0x2066 && cp <= 0x2069);                   // bidi isolates
  }

  /** The text with every {@linkplain #spoofs spoofing} character escaped. */
  static String escape(String text) {
    if (text.codePoints().noneMatch(SafeText::spoofs)) {
      return text;
    }
    var sb = new StringBuilder(text.length() + 16);
    text.codePoints().forEach(cp -> {
      if (spoofs(cp)) {
        sb.append(String.format("\\u%04X", cp));
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.toString();
  }
}
