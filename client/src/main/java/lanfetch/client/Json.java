package lanfetch.client;

import lanfetch.protocol.Names;

/**
 * Builds one flat JSON object on one line. Hand-written because the client emits a handful of
 * flat objects per file, and loading a JSON library costs start-up time on every run (see
 * issue 5's start-up target); strings are escaped per RFC 8259, and so are U+2028/U+2029 (so
 * the line is also valid JavaScript), C1 controls and bidi controls (so a JSON line viewed in
 * a terminal cannot be spoofed either).
 */
final class Json {
  private final StringBuilder sb = new StringBuilder(128).append('{');

  static Json object() {
    return new Json();
  }

  Json put(String key, String value) {
    if (value != null) {
      key(key);
      quote(sb, value);
    }
    return this;
  }

  Json put(String key, long value) {
    key(key);
    sb.append(value);
    return this;
  }

  Json put(String key, boolean value) {
    key(key);
    sb.append(value);
    return this;
  }

  private void key(String key) {
    if (sb.length() > 1) {
      sb.append(',');
    }
    quote(sb, key);
    sb.append(':');
  }

  @Override
  public String toString() {
    return sb + "}";
  }

  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (Names.isUnsafeToShow(c) || (Character.isSurrogate(c) && !pairedAt(s, i))) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Whether the surrogate at i is half of a valid pair (lone halves are escaped, not emitted). */
  private static boolean pairedAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
