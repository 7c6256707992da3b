package lanfetch.protocol;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The naming rules of PROTOCOL.md ("Names"). A valid name is a relative path of one or more
 * segments joined by {@code /}; it can be mapped to a file on Linux, macOS and Windows alike
 * without leaving the directory it is resolved against.
 *
 * <p>Servers check every requested name with {@link #check}; clients check every name a server
 * hands them before they turn it into a local path.
 */
public final class Names {
  private Names() {}

  private static final Set<String> WINDOWS_DEVICES =
      Set.of(
          "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
          "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

  /**
   * Checks a name against every rule.
   *
   * <p>Every name of a listing passes here, on the server and again on the client, so the check
   * allocates nothing for a valid name: it walks the name once for its length and characters, then
   * segment by segment, in place.
   *
   * @throws InvalidNameException naming the first rule the name breaks
   */
  public static String check(String name) throws InvalidNameException {
    if (name == null || name.isEmpty()) {
      throw new InvalidNameException("", "empty name");
    }
    int bytes = utf8Length(name, 0, name.length());
    if (bytes > Wire.MAX_NAME_BYTES) {
      throw new InvalidNameException(
          name, "name is " + bytes + " bytes, longer than " + Wire.MAX_NAME_BYTES);
    }
    if (name.charAt(0) == '/') {
      throw new InvalidNameException(name, "absolute path");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        throw new InvalidNameException(name, String.format("control character U+%04X", (int) c));
      }
      if (c == '\\') {
        throw new InvalidNameException(name, "backslash (use / between segments)");
      }
      if (c == ':') {
        throw new InvalidNameException(name, "colon (drive letter or stream name)");
      }
      if (Character.isSurrogate(c) && !isPairedSurrogate(name, i)) {
        throw new InvalidNameException(name, "unpaired surrogate");
      }
    }
    for (int from = 0; ; ) {
      int to = name.indexOf('/', from);
      checkSegment(name, from, to < 0 ? name.length() : to);
      if (to < 0) {
        return name;
      }
      from = to + 1;
    }
  }

  /** Whether {@link #check} would accept the name. */
  public static boolean isValid(String name) {
    try {
      check(name);
      return true;
    } catch (InvalidNameException e) {
      return false;
    }
  }

  /** The segments of a valid name. */
  public static List<String> segments(String name) throws InvalidNameException {
    return List.of(check(name).split("/"));
  }

  /** Joins a directory name ("" for the root) and a relative name. */
  public static String join(String directory, String relative) {
    return directory.isEmpty() ? relative : directory + "/" + relative;
  }

  static int utf8Length(String s) {
    return utf8Length(s, 0, s.length());
  }

  /**
   * The UTF-8 length of {@code s[from, to)} as {@link String#getBytes} would encode it: a surrogate
   * pair is four bytes, an unpaired surrogate one (its replacement, {@code ?}).
   */
  private static int utf8Length(String s, int from, int to) {
    int bytes = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < to
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Checks the segment {@code name[from, to)}; builds its text only when it may break a rule. */
  private static void checkSegment(String name, int from, int to) throws InvalidNameException {
    int length = to - from;
    if (length == 0) {
      throw new InvalidNameException(name, "empty segment");
    }
    if (name.charAt(from) == '.' && (length == 1 || length == 2 && name.charAt(from + 1) == '.')) {
      throw new InvalidNameException(name, "'" + name.substring(from, to) + "' segment");
    }
    int bytes = utf8Length(name, from, to);
    if (bytes > Wire.MAX_SEGMENT_BYTES) {
      throw new InvalidNameException(
          name, "segment is " + bytes + " bytes, longer than " + Wire.MAX_SEGMENT_BYTES);
    }
    char last = name.charAt(to - 1);
    if (last == '.' || last == ' ') {
      throw new InvalidNameException(name, "segment ends with '" + last + "'");
    }
    int dot = name.indexOf('.', from);
    int stemEnd = dot < 0 || dot > to ? to : dot;
    while (stemEnd > from && Character.isWhitespace(name.charAt(stemEnd - 1))) {
      stemEnd--;
    }
    // Device names are three or four letters, and upper-casing never shortens a text.
    if (stemEnd - from == 3 || stemEnd - from == 4) {
      String stem = name.substring(from, stemEnd);
      if (WINDOWS_DEVICES.contains(stem.toUpperCase(Locale.ROOT))) {
        throw new InvalidNameException(name, "Windows device name '" + stem + "'");
      }
    }
  }

  static boolean isPairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
