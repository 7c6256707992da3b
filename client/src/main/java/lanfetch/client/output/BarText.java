package lanfetch.client.output;

import lanfetch.client.Units;

/**
 * The progress bar's line from plain numbers, measured in terminal columns: sizes in units that
 * scale, a rate and an ETA only once they are known, failed and skipped files counted apart from
 * those done, and a name shortened in the middle so the numbers always fit.
 */
final class BarText {
  private BarText() {}

  /** Narrowest bar worth drawing, brackets included; below it the bar is left out. */
  private static final int MIN_BAR = 7;

  /** Fewest columns a name is shortened to while a bar is drawn beside it. */
  private static final int MIN_NAME = 12;

  /**
   * What the line shows.
   *
   * @param name the file (single) or the file last heard of (batch); may be null
   * @param files files planned; 1 for a single-file bar
   * @param rate bytes per second of this run, negative while unknown
   * @param etaSeconds negative while unknown
   */
  record State(
      String name,
      boolean single,
      int files,
      int done,
      int failed,
      int skipped,
      long position,
      long total,
      long rate,
      long etaSeconds) {}

  /** The line for {@code s}, at most {@code width - 1} columns (the last column would wrap). */
  static String line(State s, int width) {
    int budget = Math.max(20, width) - 1;
    String stats = stats(s, true);
    if (columns(stats) + 1 + MIN_BAR > budget) {
      stats = stats(s, false);
    }
    String name = s.name() == null ? "" : s.name();
    int room = budget - columns(stats) - 1;
    int nameCols =
        name.isEmpty() ? 0 : Math.min(columns(name), Math.max(MIN_NAME, room - 1 - MIN_BAR - 8));
    int barCols = room - (nameCols == 0 ? 0 : nameCols + 1);
    String bar = barCols >= MIN_BAR ? bar(percent(s), Math.min(barCols, 40)) : "";
    String shortName =
        ellipsize(name, Math.max(1, Math.min(nameCols, budget - columns(stats) - 1)));
    String line = s.single() ? join(shortName, bar, stats) : join(bar, stats, shortName);
    return columns(line) <= budget ? line : ellipsize(line, budget);
  }

  /** The line while the connection is being made. */
  static String connecting(String host, int width) {
    return ellipsize("connecting to " + host + " ...", Math.max(20, width) - 1);
  }

  private static String stats(State s, boolean withRate) {
    var sb = new StringBuilder();
    sb.append(percent(s)).append('%');
    if (!s.single()) {
      sb.append(' ').append(s.done()).append('/').append(s.files()).append(" done");
      if (s.failed() > 0) {
        sb.append(", ").append(s.failed()).append(" failed");
      }
      if (s.skipped() > 0) {
        sb.append(", ").append(s.skipped()).append(" skipped");
      }
    }
    sb.append(' ').append(Units.bytes(s.position())).append(" / ").append(Units.bytes(s.total()));
    if (withRate && s.rate() >= 0) {
      sb.append(' ').append(rate(s.rate()));
    }
    if (withRate && s.etaSeconds() >= 0) {
      sb.append(" ETA ").append(clock(s.etaSeconds()));
    }
    return sb.toString();
  }

  /** Whole per cent of bytes, or of files settled when there are no bytes to count. */
  static int percent(State s) {
    if (s.total() > 0) {
      return (int) Math.min(100, Math.max(0, s.position() * 100 / s.total()));
    }
    int settled = s.done() + s.failed() + s.skipped();
    return s.files() > 0 ? settled * 100 / s.files() : 0;
  }

  static String rate(long bytesPerSecond) {
    return Units.bytes(bytesPerSecond) + "/s";
  }

  /** {@code 0:07}, {@code 12:05}, {@code 3:02:09}. */
  static String clock(long seconds) {
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long sec = seconds % 60;
    String mmss = (h > 0 && m < 10 ? "0" : "") + m + ":" + (sec < 10 ? "0" : "") + sec;
    return h > 0 ? h + ":" + mmss : mmss;
  }

  private static String bar(int percent, int cols) {
    int inner = cols - 2;
    int filled = inner * percent / 100;
    return "[" + "#".repeat(filled) + " ".repeat(inner - filled) + "]";
  }

  private static String join(String... parts) {
    var sb = new StringBuilder();
    for (String p : parts) {
      if (!p.isEmpty()) {
        sb.append(sb.length() == 0 ? "" : " ").append(p);
      }
    }
    return sb.toString();
  }

  /** Columns {@code s} takes on a terminal: East Asian wide characters take two, marks none. */
  static int columns(String s) {
    int cols = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      cols += width(cp);
      i += Character.charCount(cp);
    }
    return cols;
  }

  static int width(int cp) {
    int type = Character.getType(cp);
    if (type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.FORMAT
        || cp == 0x200B) {
      return 0;
    }
    return wide(cp) ? 2 : 1;
  }

  /** East Asian Wide and Fullwidth ranges (Unicode UAX #11), and the emoji blocks. */
  private static boolean wide(int cp) {
    return (cp >= 0x1100 && cp <= 0x115F)
        || (cp >= 0x2E80 && cp <= 0x303E)
        || (cp >= 0x3041 && cp <= 0x33FF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0xA000 && cp <= 0xA4CF)
        || (cp >= 0xA960 && cp <= 0xA97F)
        || (cp >= 0xAC00 && cp <= 0xD7A3)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0xFE30 && cp <= 0xFE4F)
        || (cp >= 0xFF00 && cp <= 0xFF60)
        || (cp >= 0xFFE0 && cp <= 0xFFE6)
        || (cp >= 0x1F300 && cp <= 0x1F64F)
        || (cp >= 0x1F900 && cp <= 0x1F9FF)
        || (cp >= 0x20000 && cp <= 0x3FFFD);
  }

  /**
   * {@code s} in at most {@code max} columns: whole when it fits, else its start and its end around
   * an ellipsis, so both a directory and the file's extension stay visible.
   */
  static String ellipsize(String s, int max) {
    if (columns(s) <= max) {
      return s;
    }
    if (max <= 1) {
      return max == 1 ? "\u2026" : "";
    }
    int keep = max - 1;
    int headCols = (keep + 1) / 2;
    int tailCols = keep - headCols;
    var head = new StringBuilder();
    int cols = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (cols + width(cp) > headCols) {
        break;
      }
      head.appendCodePoint(cp);
      cols += width(cp);
      i += Character.charCount(cp);
    }
    tailCols = keep - cols;
    var tail = new StringBuilder();
    cols = 0;
    for (int i = s.length(); i > 0; ) {
      int cp = s.codePointBefore(i);
      if (cols + width(cp) > tailCols) {
        break;
      }
      tail.insert(0, Character.toChars(cp));
      cols += width(cp);
      i -= Character.charCount(cp);
    }
    return head + "\u2026" + tail;
  }
}
