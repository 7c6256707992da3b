package lanfetch.protocol;

import java.nio.charset.StandardCharsets;
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
   * @throws InvalidNameException naming the first rule the name breaks
   */
  public static String check(String name) throws InvalidNameException {
    if (name == null || name.isEmpty()) {
      throw new InvalidNameException("", "empty name");
    }
    int bytes = utf8Length(name);
    if (bytes > Wire.MAX_NAME_BYTES) {
      throw new InvalidNameException(
          name, "name is " + bytes + " bytes, longer than " + Wire.MAX_NAME_BYTES);
    }
    if (name.startsWith("/")) {
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
    for (String segment : name.split("/", -1)) {
      checkSegment(name, segment);
    }
    return name;
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
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static void checkSegment(String name, String segment) throws InvalidNameException {
    if (segment.isEmpty()) {
      throw new InvalidNameException(name, "empty segment");
    }
    if (segment.equals(".") || segment.equals("..")) {
      throw new InvalidNameException(name, "'" + segment + "' segment");
    }
    int bytes = utf8Length(segment);
    if (bytes > Wire.MAX_SEGMENT_BYTES) {
      throw new InvalidNameException(
          name, "segment is " + bytes + " bytes, longer than " + Wire.MAX_SEGMENT_BYTES);
    }
    char last = segment.charAt(segment.length() - 1);
    if (last == '.' || last == ' ') {
      throw new InvalidNameException(name, "segment ends with '" + last + "'");
    }
    int dot = segment.indexOf('.');
    String stem = (dot < 0 ? segment : segment.substring(0, dot)).stripTrailing();
    if (WINDOWS_DEVICES.contains(stem.toUpperCase(Locale.ROOT))) {
      throw new InvalidNameException(name, "Windows device name '" + stem + "'");
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
