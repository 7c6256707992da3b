package lanfetch.protocol;

import java.io.IOException;

/** A peer sent bytes that break the lanfetch protocol. */
public class ProtocolException extends IOException {
  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
