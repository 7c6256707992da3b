package lanfetch.protocol;

/**
 * The one policy for showing text a peer chose (names, error messages, server software) to a person
 * or a program: on a terminal, in a log line, in JSON. Both sides use it, so a name that is
 * harmless in the client's output is harmless in the server's logs too.
 *
 * <p>A character is {@linkplain #isUnsafe unsafe} when it could change how a line reads or where it
 * ends: C0 and C1 controls and DEL (terminal escapes, line breaks), the Unicode line and paragraph
 * separators, and the bidirectional marks, embeddings, overrides and isolates ({@code "evil" U+202E
 * "txt.exe"} shows as {@code evilexe.txt}). Unsafe characters are shown as {@code \\uXXXX}; valid
 * names never hold a backslash, so the escape cannot pass for part of a name.
 */
public final class PeerText {
  private PeerText() {}

  /** Code points {@link #quote} shows in full; a longer text is cut there and marked. */
  public static final int QUOTE_LIMIT = 200;

  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
  private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();

  /** Whether a code point must be escaped before text from a peer is shown. */
  public static boolean isUnsafe(int cp) {
    return cp < 0x20
        || (cp >= 0x7F && cp < 0xA0)
        || cp == 0x061C
        || cp == 0x200E
        || cp == 0x200F // Arabic letter mark, LRM, RLM
        || cp == 0x2028
        || cp == 0x2029 // line and paragraph separators
        || (cp >= 0x202A && cp <= 0x202E) // bidi embeddings and overrides
        || (cp >= 0x2066 && cp <= 0x2069); // bidi isolates
  }

  /**
   * The text with every unsafe character escaped, safe to print on one line; the text itself when
   * it holds none.
   */
  public static String escape(String text) {
    if (text.codePoints().noneMatch(PeerText::isUnsafe)) {
      return text;
    }
    var sb = new StringBuilder(text.length() + 16);
    text.codePoints().forEach(cp -> appendShown(sb, cp));
    return sb.toString();
  }

  /**
   * The text in double quotes with unsafe characters, quotes and backslashes escaped. A text longer
   * than {@link #QUOTE_LIMIT} code points is cut there, followed by {@code … (N bytes)}: a message
   * that quoted 64 KiB of a peer's name would no longer fit in a frame, let alone on a line.
   */
  public static String quote(String text) {
    if (text.length() > QUOTE_LIMIT && text.codePointCount(0, text.length()) > QUOTE_LIMIT) {
      String head = text.substring(0, text.offsetByCodePoints(0, QUOTE_LIMIT));
      return quoteWhole(head) + "\u2026 (" + Names.utf8Length(text) + " bytes)";
    }
    return quoteWhole(text);
  }

  private static String quoteWhole(String text) {
    var sb = new StringBuilder(text.length() + 2).append('"');
    text.codePoints()
        .forEach(
            cp -> {
              if (cp == '"' || cp == '\\') {
                sb.append('\\').appendCodePoint(cp);
              } else {
                appendShown(sb, cp);
              }
            });
    return sb.append('"').toString();
  }

  private static void appendShown(StringBuilder sb, int cp) {
    if (isUnsafe(cp)) {
      appendEscape(sb, cp, HEX_UPPER);
    } else {
      sb.appendCodePoint(cp);
    }
  }

  /** The text as a JSON string literal. */
  public static String json(String text) {
    var sb = new StringBuilder(text.length() + 2);
    appendJson(sb, text);
    return sb.toString();
  }

  /**
   * Appends the text as a JSON string literal (RFC 8259), with every unsafe character escaped as
   * well, so a JSON line is also valid JavaScript and cannot be spoofed on a terminal, and with
   * lone surrogate halves escaped rather than emitted as invalid UTF-8.
   */
  public static void appendJson(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (isUnsafe(c) || (Character.isSurrogate(c) && !Names.isPairedSurrogate(text, i))) {
            appendEscape(out, c, HEX_LOWER);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** {@code \\uXXXX}; every unsafe code point lies in the Basic Multilingual Plane. */
  private static void appendEscape(StringBuilder sb, int cp, char[] digits) {
    sb.append('\\')
        .append('u')
        .append(digits[(cp >> 12) & 0xF])
        .append(digits[(cp >> 8) & 0xF])
        .append(digits[(cp >> 4) & 0xF])
        .append(digits[cp & 0xF]);
  }
}
