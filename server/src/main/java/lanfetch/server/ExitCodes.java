package lanfetch.server;

/** Exit codes of lanfetch-server: one per cause an operator or script may act on. */
public final class ExitCodes {
  private ExitCodes() {}

  /** Stopped cleanly (SIGTERM, Ctrl-C), or --help / --version. */
  public static final int OK = 0;
  /** An unexpected failure; the message says what. */
  public static final int SOFTWARE = 1;
  /** Bad command line: unknown option, malformed value (picocli's usage-error code). */
  public static final int USAGE = 2;
  /** The directory to serve does not exist. */
  public static final int ROOT_MISSING = 3;
  /** The path to serve is not a directory. */
  public static final int ROOT_NOT_DIRECTORY = 4;
  /** The directory to serve cannot be read. */
  public static final int ROOT_UNREADABLE = 5;
  /** The port is already in use on that address. */
  public static final int ADDRESS_IN_USE = 6;
  /** Cannot listen for another reason: address not on this machine, port not permitted. */
  public static final int CANNOT_LISTEN = 7;
  /** The token file or TLS key is unusable (missing, readable by others, cannot be created). */
  public static final int SECURITY = 8;
  /** Stopped at once by a second Ctrl-C or SIGTERM; transfers in flight were cut. */
  public static final int FORCED_STOP = 130;

  /** The exit code for a startup failure. */
  public static int of(StartupException.Reason reason) {
    return switch (reason) {
      case ROOT_MISSING -> ROOT_MISSING;
      case ROOT_NOT_DIRECTORY -> ROOT_NOT_DIRECTORY;
      case ROOT_UNREADABLE -> ROOT_UNREADABLE;
      case ADDRESS_IN_USE -> ADDRESS_IN_USE;
      case CANNOT_LISTEN -> CANNOT_LISTEN;
      case SECURITY -> SECURITY;
    };
  }
}
