package lanfetch.client;

import java.time.Duration;
import java.util.Locale;

/**
 * Human-readable sizes and pauses, the same on every machine: numbers are formatted in
 * {@link Locale#ROOT} (a decimal point, never a comma), as the server's are.
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
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }

  /** A pause as people say it: {@code 250 ms}, {@code 1.5 s}, {@code 10 s}; no Formatter, as retries may come early. */
  public static String duration(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    long tenths = (millis + 50) / 100;
    return tenths % 10 == 0 ? tenths / 10 + " s" : tenths / 10 + "." + tenths % 10 + " s";
  }

  /** Seconds with one decimal from milliseconds, as the summary line shows a run's length. */
  public static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
