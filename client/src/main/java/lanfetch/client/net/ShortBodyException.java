package lanfetch.client.net;

import java.io.EOFException;

/** The stream ended inside a GET body: the server sent fewer bytes than it announced. */
public final class ShortBodyException extends EOFException {
  private final long received;
  private final long announced;

  ShortBodyException(long received, long announced) {
    super("stream ended after " + received + " of " + announced + " body bytes");
    this.received = received;
    this.announced = announced;
  }

  public long received() {
    return received;
  }

  public long announced() {
    return announced;
  }
}
