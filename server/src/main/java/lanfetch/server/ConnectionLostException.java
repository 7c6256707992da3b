package lanfetch.server;

import java.io.IOException;

/** Writing to the client failed or stalled; the connection cannot carry another frame. */
class ConnectionLostException extends IOException {
  ConnectionLostException(String message) {
    super(message);
  }

  ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
