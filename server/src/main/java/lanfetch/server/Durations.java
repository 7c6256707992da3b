package lanfetch.server;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Durations as operators write them on the command line and read them in logs: 10s, 500ms, 2m. One
 * form for the options, the configuration's messages and the warnings alike.
 */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

  private Durations() {}

  /**
   * Parses "500ms", "10s", "2m", "1h"; a bare number is seconds.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Duration parse(String text) {
    var m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a duration; use a number with ms, s, m or h, such as 500ms or 10s");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  /** "10s", "1500ms", "2m": the shortest exact form. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
