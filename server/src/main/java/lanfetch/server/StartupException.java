package lanfetch.server;

import java.io.IOException;
import java.util.Objects;

/** The server could not start; the message is one line an operator can act on. */
public final class StartupException extends IOException {
  /**
   * What went wrong, each with the exit code lanfetch-server ends with for it, so an operator or
   * script can act on the cause without parsing the message.
   */
  public enum Reason {
    /** The directory to serve does not exist. */
    ROOT_MISSING(3, "DIR does not exist"),
    /** The path to serve is not a directory. */
    ROOT_NOT_DIRECTORY(4, "DIR is not a directory"),
    /** The directory to serve cannot be read. */
    ROOT_UNREADABLE(5, "DIR cannot be read"),
    /** The port is already in use on that address. */
    ADDRESS_IN_USE(6, "port already in use"),
    /** Cannot listen for another reason: address not on this machine, port not permitted. */
    CANNOT_LISTEN(7, "cannot listen on that address or port"),
    /** The token file or the TLS key cannot be used. */
    SECURITY(8, "token file or TLS key unusable (missing, readable by others, cannot be created)"),
    /** The --config file is missing or unreadable, or names an unknown option or a bad value. */
    CONFIG(9, "configuration file unusable (missing, unknown option, bad value)");

    private final int exitCode;
    private final String description;

    Reason(int exitCode, String description) {
      this.exitCode = exitCode;
      this.description = description;
    }

    /** The process exit code for this cause. */
    public int exitCode() {
      return exitCode;
    }

    /** What the exit code means, as {@code --help} lists it. */
    public String description() {
      return description;
    }
  }

  private final Reason reason;

  public StartupException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
