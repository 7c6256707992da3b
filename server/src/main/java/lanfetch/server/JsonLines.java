package lanfetch.server;

import java.time.Instant;
import java.util.Locale;
import lanfetch.protocol.PeerText;

/**
 * One JSON object per line:
 *
 * <pre>
 * {"time":"2026-11-22T02:30:00.123Z","type":"access","client":"127.0.0.1:50412","protocol":"lanfetch","request":"GET","name":"a.txt","status":"OK","bytes":5,"durationMs":0.4}
 * {"time":"2026-11-22T02:30:10.001Z","type":"warn","client":"127.0.0.1:50413","message":"handshake not completed within 10s"}
 * </pre>
 */
final class JsonLines implements LineFormat {
  @Override
  public String access(AccessRecord r) {
    return "{\"time\":"
        + str(LineFormat.time(r.time()))
        + ",\"type\":\"access\",\"client\":"
        + str(r.client())
        + ",\"protocol\":"
        + str(r.protocol())
        + ",\"request\":"
        + str(r.request())
        + ",\"name\":"
        + str(r.name())
        + ",\"status\":"
        + str(r.status())
        + ",\"bytes\":"
        + r.bytes()
        + ",\"durationMs\":"
        + String.format(Locale.ROOT, "%.3f", r.duration().toNanos() / 1e6)
        + "}";
  }

  @Override
  public String warn(Instant time, String client, String message) {
    return "{\"time\":"
        + str(LineFormat.time(time))
        + ",\"type\":\"warn\",\"client\":"
        + (client == null ? "null" : str(client))
        + ",\"message\":"
        + str(message)
        + "}";
  }

  /** A JSON string literal, escaped by the policy the client's JSON output follows too. */
  static String str(String s) {
    return PeerText.json(s);
  }
}
