package lanfetch.client.net;

import java.io.IOException;
import lanfetch.protocol.ErrorMessage;

/** The server answered with a closing ERROR: the session is over, whatever was still asked. */
public final class SessionEndedException extends IOException {
  private final ErrorMessage error;

  public SessionEndedException(ErrorMessage error) {
    super(ServerError.text(error));
    this.error = error;
  }

  public ErrorMessage error() {
    return error;
  }
}
