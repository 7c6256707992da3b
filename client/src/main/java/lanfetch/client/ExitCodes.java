package lanfetch.client;

/**
 * The exit-code policy of the whole tool. Scripts depend on these numbers: never renumber.
 *
 * <p>A run reports the most specific run-level problem (cannot connect, refused, ...) when one
 * stopped it; otherwise {@link #SOME_FAILED} if any file failed, else {@link #OK}.
 */
public final class ExitCodes {
  private ExitCodes() {}

  /** Every file was downloaded (or skipped by a policy the user chose). */
  public static final int OK = 0;

  /** The run finished, but at least one file failed; each failure was reported. */
  public static final int SOME_FAILED = 1;

  /** The command line was wrong: unknown option, bad value, missing argument. */
  public static final int USAGE = 2;

  /** The server could not be reached (resolve, connect or connection lost) after all retries. */
  public static final int CANNOT_CONNECT = 3;

  /** The server refused the session: busy, unsupported version, unauthorised. */
  public static final int REFUSED = 4;

  /** The server broke the protocol: it is not a lanfetch server, or not a well-behaved one. */
  public static final int PROTOCOL = 5;

  /** A local problem stopped the run: output directory unusable, input list unreadable. */
  public static final int LOCAL = 6;

  /**
   * The server's TLS key is not the one pinned with --fingerprint or recorded in known_hosts:
   * possibly someone in the middle. Nothing was sent.
   */
  public static final int HOST_KEY = 7;

  /**
   * No file failed for any other reason, but another lanfetch was downloading some of the same
   * destinations: this run left those files to it and touched none of their bytes.
   */
  public static final int IN_USE = 8;

  /** Interrupted (Ctrl-C); SIGTERM gives 143, 128 + the signal's number, as shells do. */
  public static final int INTERRUPTED = 130;

  /** A bug in lanfetch. */
  public static final int SOFTWARE = 70;

  /** The table shown at the end of every command's --help. */
  public static final String[] HELP_LIST = {
    "0:all files downloaded (or skipped by --skip-existing)",
    "1:some files failed; each failure is reported",
    "2:usage error",
    "3:cannot connect to the server (after retries)",
    "4:refused by the server (busy, version, token missing or wrong, TLS required)",
    "5:the server broke the protocol",
    "6:local error (output directory, input list, token file)",
    "7:the server's TLS key does not match the pinned or recorded fingerprint",
    "8:another lanfetch was downloading some of the same files; they were left to it",
    "70:internal error (a bug in lanfetch)",
    "130:interrupted by Ctrl-C (143: SIGTERM); partial files kept for resume",
  };

  /** The table at the end of {@code list --help}: the same numbers, as a listing meets them. */
  public static final String[] LIST_HELP_LIST = {
    "0:the listing was printed",
    "1:the directory was refused (not found, not a directory, forbidden), or some names the"
        + " server listed are invalid and were not shown",
    "2:usage error",
    "3:cannot connect to the server (after retries)",
    "4:refused by the server (busy, version, token missing or wrong, TLS required)",
    "5:the server broke the protocol (or the listing runs past its limits)",
    "6:local error (token file)",
    "7:the server's TLS key does not match the pinned or recorded fingerprint",
    "70:internal error (a bug in lanfetch)",
  };
}
