package lanfetch.client.output;

import lanfetch.protocol.PeerText;

/**
 * Builds one flat JSON object on one line. Hand-written because the client emits a handful of flat
 * objects per file, and loading a JSON library costs start-up time on every run (see issue 5's
 * start-up target); strings are escaped per RFC 8259, and so are U+2028/U+2029 (so the line is also
 * valid JavaScript), C1 controls and bidi controls (so a JSON line viewed in a terminal cannot be
 * spoofed either).
 */
public final class Json {
  private final StringBuilder sb = new StringBuilder(128).append('{');

  public static Json object() {
    return new Json();
  }

  public Json put(String key, String value) {
    if (value != null) {
      key(key);
      quote(sb, value);
    }
    return this;
  }

  public Json put(String key, long value) {
    key(key);
    sb.append(value);
    return this;
  }

  public Json put(String key, boolean value) {
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
    PeerText.appendJson(out, s);
  }
}
