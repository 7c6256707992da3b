package lanfetch.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Range} header (RFC 9110, section 14): {@code bytes=0-499}, {@code bytes=500-}, {@code
 * bytes=-500}, and lists of them. A header that does not parse is ignored, as the RFC asks: the
 * client gets the whole file.
 */
final class ByteRanges {
  /** Ranges in one header beyond which the header is ignored; no client needs this many. */
  static final int MAX_SPECS = 64;

  private ByteRanges() {}

  /** Bytes {@code first} to {@code last}, both included. */
  record Range(long first, long last) {
    long length() {
      return last - first + 1;
    }

    String contentRange(long size) {
      return "bytes " + first + "-" + last + "/" + size;
    }
  }

  /**
   * The satisfiable ranges of {@code header} for a file of {@code size} bytes, in the order asked.
   *
   * @return empty if the header is absent or malformed (serve the whole file); an empty list if no
   *     range is satisfiable (416)
   */
  static Optional<List<Range>> parse(String header, long size) {
    if (header == null) {
      return Optional.empty();
    }
    String h = header.strip();
    if (!h.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
      return Optional.empty();
    }
    String[] specs = h.substring("bytes=".length()).split(",", -1);
    if (specs.length > MAX_SPECS) {
      return Optional.empty();
    }
    var ranges = new ArrayList<Range>();
    boolean any = false;
    for (String spec : specs) {
      String s = spec.strip();
      if (s.isEmpty()) {
        continue; // the RFC allows empty list elements
      }
      int dash = s.indexOf('-');
      if (dash < 0) {
        return Optional.empty();
      }
      long first = number(s.substring(0, dash));
      long last = number(s.substring(dash + 1));
      if (dash == 0) {
        if (last < 0) {
          return Optional.empty();
        }
        any = true;
        if (last > 0 && size > 0) {
          ranges.add(new Range(Math.max(0, size - last), size - 1));
        }
        continue;
      }
      boolean open = dash == s.length() - 1;
      if (first < 0 || (!open && (last < 0 || last < first))) {
        return Optional.empty();
      }
      any = true;
      if (first < size) {
        ranges.add(new Range(first, open ? size - 1 : Math.min(last, size - 1)));
      }
    }
    return any ? Optional.of(ranges) : Optional.empty();
  }

  /** Whether any two of {@code ranges} share a byte. */
  static boolean overlap(List<Range> ranges) {
    var sorted = new ArrayList<>(ranges);
    sorted.sort((a, b) -> Long.compare(a.first(), b.first()));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).first() <= sorted.get(i - 1).last()) {
        return true;
      }
    }
    return false;
  }

  /** A non-negative decimal number, or -1 if {@code s} is not one (or too large for a long). */
  private static long number(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
