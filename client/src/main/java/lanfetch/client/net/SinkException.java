package lanfetch.client.net;

import java.io.IOException;

/**
 * The local side could not take body bytes; the connection is fine, {@code left} bytes are still
 * due.
 */
public final class SinkException extends IOException {
  private final long left;

  SinkException(IOException cause, long left) {
    super(cause.getMessage(), cause);
    this.left = left;
  }

  /** Body bytes not yet read from the connection. */
  public long left() {
    return left;
  }

  public IOException local() {
    return (IOException) getCause();
  }
}
