package lanfetch.server.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lanfetch.protocol.PeerText;

/**
 * Names in URLs (RFC 3986): {@link #encodeSegment} writes a name into a link, {@link #decodePath}
 * reads a request-target path back into names.
 *
 * <p>Decoding happens exactly once, and anything that could mean a different file after a second
 * decoding, on another operating system or to a lenient peer is refused rather than repaired: a
 * {@code .} or {@code ..} segment however it is spelled, an encoded {@code /} inside a segment, a
 * backslash, a control character, an empty segment in the middle, an invalid escape, and UTF-8 that
 * is overlong, truncated, or encodes a surrogate. What passes still goes through the naming rules
 * ({@link lanfetch.protocol.Names}) and Confinement like any lanfetch request.
 */
final class PercentEncoding {
  private PercentEncoding() {}

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * The name as one path segment: its UTF-8 bytes, with RFC 3986's unreserved characters ({@code
   * A-Z a-z 0-9 - . _ ~}) as they are and every other byte as {@code %XX}. The result holds no
   * {@code /}, {@code :}, {@code ?} or {@code #}, so it is safe as a relative link.
   *
   * @throws IllegalArgumentException if the name holds an unpaired surrogate, which has no UTF-8
   *     form (a valid name never does)
   */
  static String encodeSegment(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (Character.isSurrogate(name.charAt(i)) && !isPaired(name, i)) {
        throw new IllegalArgumentException(
            "unpaired surrogate in " + PeerText.quote(name) + " has no UTF-8 form");
      }
    }
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    var sb = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (isUnreserved(c)) {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return sb.toString();
  }

  /**
   * The decoded segments of a request-target path (no query): {@code /a/b} is {@code [a, b]}, a
   * trailing slash shows as a final empty segment ({@code /a/} is {@code [a, ""]}), and {@code /}
   * alone is {@code [""]}.
   *
   * <p>The path is taken as the request line's bytes, one character per byte, as Netty's HTTP
   * decoder hands it over: a byte 0x80..0xFF sent as it is (curl sends UTF-8 unencoded) counts as
   * that byte, exactly as its {@code %XX} form would.
   *
   * @throws MalformedPathException saying what was wrong and quoting it as sent
   */
  static List<String> decodePath(String rawPath) throws MalformedPathException {
    if (rawPath == null || !rawPath.startsWith("/")) {
      throw new MalformedPathException(
          "path " + PeerText.quote(String.valueOf(rawPath)) + " does not start with '/'");
    }
    String[] raw = rawPath.substring(1).split("/", -1);
    var segments = new ArrayList<String>(raw.length);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i].isEmpty() && i < raw.length - 1) {
        throw new MalformedPathException("empty segment ('//') in " + PeerText.quote(rawPath));
      }
      segments.add(decodeSegment(raw[i]));
    }
    return List.copyOf(segments);
  }

  private static String decodeSegment(String raw) throws MalformedPathException {
    byte[] bytes = new byte[raw.length()];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0 || !isAsciiHex(raw, i + 1) || !isAsciiHex(raw, i + 2)) {
          String escape = raw.substring(i, Math.min(i + 3, raw.length()));
          throw new MalformedPathException(
              "invalid percent escape "
                  + PeerText.quote(escape)
                  + " in segment "
                  + PeerText.quote(raw)
                  + " (a '%' must be followed by two hex digits)");
        }
        bytes[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else if (c > 0xFF) {
        throw refused(
            raw, "character " + codePoint(c) + " is not a byte: percent-encode its UTF-8");
      } else {
        bytes[n++] = (byte) c;
      }
    }
    String segment = utf8(bytes, n, raw);
    check(segment, raw);
    return segment;
  }

  private static void check(String segment, String raw) throws MalformedPathException {
    if (segment.equals(".") || segment.equals("..")) {
      throw refused(raw, "'" + segment + "' segment");
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '/') {
        throw refused(raw, "encoded '/' (%2F) inside a segment");
      } else if (c == '\\') {
        throw refused(raw, "backslash (%5C)");
      } else if (c < 0x20 || c == 0x7F) {
        throw refused(raw, "control character " + codePoint(c));
      }
    }
  }

  /**
   * Strict UTF-8 (RFC 3629): shortest form only, no surrogates, nothing above U+10FFFF. Written out
   * rather than left to a CharsetDecoder so that the message can say what was wrong.
   */
  private static String utf8(byte[] b, int n, String raw) throws MalformedPathException {
    var sb = new StringBuilder(n);
    int i = 0;
    while (i < n) {
      int lead = b[i] & 0xFF;
      if (lead < 0x80) {
        sb.append((char) lead);
        i++;
        continue;
      }
      int length;
      int min;
      if (lead >= 0xC0 && lead <= 0xDF) {
        length = 2;
        min = 0x80;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        min = 0x800;
      } else if (lead >= 0xF0 && lead <= 0xF7) {
        length = 4;
        min = 0x10000;
      } else if (lead < 0xC0) {
        throw badUtf8(raw, "continuation byte " + hex(lead) + " without a lead byte");
      } else {
        throw badUtf8(raw, "byte " + hex(lead) + " never appears in UTF-8");
      }
      if (i + length > n) {
        throw badUtf8(raw, "sequence starting " + hex(lead) + " is cut short");
      }
      int cp = lead & (0x7F >> length);
      for (int k = 1; k < length; k++) {
        int next = b[i + k] & 0xFF;
        if ((next & 0xC0) != 0x80) {
          throw badUtf8(raw, "sequence starting " + hex(lead) + " is cut short by " + hex(next));
        }
        cp = cp << 6 | (next & 0x3F);
      }
      if (cp < min) {
        throw badUtf8(raw, "overlong encoding of " + codePoint(cp));
      } else if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
        throw badUtf8(raw, "encoded surrogate " + codePoint(cp));
      } else if (cp > Character.MAX_CODE_POINT) {
        throw badUtf8(raw, "code point beyond U+10FFFF");
      }
      sb.appendCodePoint(cp);
      i += length;
    }
    return sb.toString();
  }

  private static MalformedPathException badUtf8(String raw, String why) {
    return refused(raw, "invalid UTF-8, " + why);
  }

  private static MalformedPathException refused(String raw, String why) {
    return new MalformedPathException(why + ": " + PeerText.quote(raw));
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  /** Character.digit also takes fullwidth and other Unicode digits; an escape takes ASCII only. */
  private static boolean isAsciiHex(String s, int i) {
    char c = s.charAt(i);
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isPaired(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  private static String codePoint(int cp) {
    return String.format(Locale.ROOT, "U+%04X", cp);
  }

  private static String hex(int b) {
    return String.format(Locale.ROOT, "%%%02X", b);
  }
}
