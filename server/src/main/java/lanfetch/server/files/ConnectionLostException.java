package lanfetch.server.files;

import java.io.IOException;

/** Writing to the client failed or stalled; the connection cannot carry another frame. */
public class ConnectionLostException extends IOException {
  public ConnectionLostException(String message) {
    super(message);
  }

  public ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
