package lanfetch.client.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict parser for the flat JSON objects lanfetch prints (strings, integers, booleans, null), so
 * tests check that every line is real JSON rather than grepping it.
 */
public final class TestJson {
  private final String s;
  private int i;

  private TestJson(String s) {
    this.s = s;
  }

  public static Map<String, Object> parseObject(String line) {
    var p = new TestJson(line);
    Map<String, Object> m = p.object();
    if (p.i != line.length()) {
      throw new IllegalArgumentException("trailing characters in " + line);
    }
    return m;
  }

  private Map<String, Object> object() {
    expect('{');
    var m = new LinkedHashMap<String, Object>();
    if (peek() == '}') {
      i++;
      return m;
    }
    do {
      String key = string();
      expect(':');
      if (m.put(key, value()) != null) {
        throw new IllegalArgumentException("duplicate key " + key);
      }
    } while (next() == ',');
    if (s.charAt(i - 1) != '}') {
      throw new IllegalArgumentException("expected } at " + (i - 1) + " in " + s);
    }
    return m;
  }

  private Object value() {
    char c = peek();
    if (c == '"') {
      return string();
    }
    if (s.startsWith("true", i) || s.startsWith("null", i)) {
      i += 4;
      return s.startsWith("true", i - 4) ? Boolean.TRUE : null;
    }
    if (s.startsWith("false", i)) {
      i += 5;
      return Boolean.FALSE;
    }
    int start = i;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
      i++;
    }
    if (start == i) {
      throw new IllegalArgumentException("bad value at " + i + " in " + s);
    }
    return Long.parseLong(s.substring(start, i));
  }

  private String string() {
    expect('"');
    var sb = new StringBuilder();
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw new IllegalArgumentException("raw control character in string: " + s);
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          i += 4;
        }
        default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + s);
      }
    }
  }

  private void expect(char c) {
    if (next() != c) {
      throw new IllegalArgumentException("expected " + c + " at " + (i - 1) + " in " + s);
    }
  }

  private char next() {
    return s.charAt(i++);
  }

  private char peek() {
    return s.charAt(i);
  }
}
