package lanfetch.server.net;

import java.time.Duration;
import lanfetch.server.Durations;
import lanfetch.server.files.ConnectionLostException;

/** The client left an answer unread for longer than the send timeout. */
final class SendStalledException extends ConnectionLostException {
  SendStalledException(long millis) {
    super(
        "client read nothing for "
            + Durations.format(Duration.ofMillis(millis))
            + " (send timeout)");
  }
}
