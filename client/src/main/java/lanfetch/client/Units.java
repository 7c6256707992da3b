package lanfetch.client;

import java.time.Duration;
import java.util.Locale;

/**
 * Human-readable sizes and pauses, the same on every machine: numbers are formatted as in {@link
 * Locale#ROOT} (a decimal point, never a comma, ASCII digits), as the server's are.
 */
public final class Units {
  private Units() {}

  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = n;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return tenths(Math.round(v * 10)) + " " + units[i];
  }

  /** {@code 15} as {@code 1.5}: by hand, since a one-file run prints a size on its start path. */
  private static String tenths(long tenths) {
    return tenths / 10 + "." + tenths % 10;
  }

  /**
   * A pause as people say it: {@code 250 ms}, {@code 1.5 s}, {@code 10 s}; no Formatter, as retries
   * may come early.
   */
  public static String duration(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    long tenths = (millis + 50) / 100;
    return tenths % 10 == 0 ? tenths / 10 + " s" : tenths(tenths) + " s";
  }

  /** Seconds with one decimal from milliseconds, as the summary line shows a run's length. */
  public static String seconds(long millis) {
    return tenths((millis + 50) / 100) + " s";
  }
}
