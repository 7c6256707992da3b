package lanfetch.server;

import java.io.IOException;
import java.util.Objects;

/** The server could not start; the message is one line an operator can act on. */
public final class StartupException extends IOException {
  /** What went wrong, so a command line can map each cause to its own exit code. */
  public enum Reason {
    ROOT_MISSING,
    ROOT_NOT_DIRECTORY,
    ROOT_UNREADABLE,
    ADDRESS_IN_USE,
    CANNOT_LISTEN,
    /** The token file or the TLS key cannot be used. */
    SECURITY
  }

  private final Reason reason;

  StartupException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
