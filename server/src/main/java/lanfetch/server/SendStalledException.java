package lanfetch.server;

import java.time.Duration;

/** The client left an answer unread for longer than the send timeout. */
final class SendStalledException extends ConnectionLostException {
  SendStalledException(long millis) {
    super("client read nothing for " + Durations.format(Duration.ofMillis(millis))
        + " (send timeout)");
  }
}
