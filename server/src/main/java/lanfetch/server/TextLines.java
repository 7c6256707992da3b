package lanfetch.server;

import java.time.Instant;
import java.util.Locale;
import lanfetch.protocol.PeerText;

/**
 * Log lines for people, one field per column: {@code 2026-11-22T02:30:00.123Z 127.0.0.1:50412
 * lanfetch GET "a.txt" OK 5 0.4ms}. The name is quoted with control characters escaped, so a
 * hostile name cannot forge lines.
 */
final class TextLines implements LineFormat {
  @Override
  public String access(AccessRecord r) {
    return LineFormat.time(r.time())
        + " "
        + r.client()
        + " "
        + r.protocol()
        + " "
        + r.request()
        + " "
        + PeerText.quote(r.name())
        + " "
        + r.status()
        + " "
        + r.bytes()
        + " "
        + millis(r)
        + "ms";
  }

  @Override
  public String warn(Instant time, String client, String message) {
    return LineFormat.time(time)
        + " WARN "
        + (client == null ? "server" : client)
        + " "
        + oneLine(message);
  }

  private static String millis(AccessRecord r) {
    return String.format(Locale.ROOT, "%.1f", r.duration().toNanos() / 1e6);
  }

  /** Messages can carry client-chosen text; keep them on one line. */
  static String oneLine(String message) {
    return PeerText.escape(message);
  }
}
